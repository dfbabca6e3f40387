// The session survives a reload: a small zustand persist store (versioned, with a migration
// path) mirrors the simulator's session data and preferences into localStorage. Anything
// unreadable is dropped with a notice; the app then starts fresh instead of showing a blank page.
import { createStore } from 'zustand/vanilla';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { Session } from './store';

export const STORAGE_KEY = 'tokenscope-session';
export const STORAGE_VERSION = 1;

export interface Preferences {
  theme: 'system' | 'light' | 'dark';
  speedIndex: number;
  pauseOnKeyEvents: boolean;
}

export interface PersistedState {
  session: Session | null;
  preferences: Preferences;
}

export const DEFAULT_PREFERENCES: Preferences = { theme: 'system', speedIndex: 2, pauseOnKeyEvents: true };

/** Migrations from older stored versions; unknown shapes are rejected (then: fresh start). */
export function migrate(stored: unknown, version: number): PersistedState {
  if (version === 0 && stored && typeof stored === 'object' && 'session' in stored) {
    // Version 0 kept no preferences.
    return { session: (stored as { session: Session | null }).session, preferences: DEFAULT_PREFERENCES };
  }
  throw new Error(`stored session version ${version} is not one this app can read`);
}

export function createPersistence(onError: (message: string) => void, storage: Storage | undefined = globalThis.localStorage) {
  return createStore<PersistedState & { setSession(session: Session | null): void; setPreferences(p: Partial<Preferences>): void }>()(
    persist(
      (set) => ({
        session: null,
        preferences: DEFAULT_PREFERENCES,
        setSession: (session) => set({ session }),
        setPreferences: (p) => set((s) => ({ preferences: { ...s.preferences, ...p } })),
      }),
      {
        name: STORAGE_KEY,
        version: STORAGE_VERSION,
        storage: createJSONStorage(() => storage ?? memoryStorage()),
        partialize: (s) => ({ session: s.session, preferences: s.preferences }),
        migrate: (stored, version) => migrate(stored, version),
        merge: (stored, current) => {
          const s = (stored ?? {}) as Partial<PersistedState>;
          const prefs = s.preferences && typeof s.preferences === 'object' ? { ...DEFAULT_PREFERENCES, ...s.preferences } : DEFAULT_PREFERENCES;
          return { ...current, session: s.session ?? null, preferences: prefs };
        },
        onRehydrateStorage: () => (_state, error) => {
          if (error) {
            onError(`Your saved session could not be read (${error instanceof Error ? error.message : String(error)}), so a fresh one was started.`);
            storage?.removeItem(STORAGE_KEY);
          }
        },
      },
    ),
  );
}

export type PersistenceStore = ReturnType<typeof createPersistence>;

function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, v),
  };
}
