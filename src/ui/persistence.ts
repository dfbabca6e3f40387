// The session survives a reload: a small zustand persist store (versioned, with a migration
// path) mirrors the simulator's session data and preferences into localStorage. Anything
// unreadable is dropped with a notice; the app then starts fresh instead of showing a blank page.
import { createStore } from 'zustand/vanilla';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { Session } from './session-format';
import type { Branch } from './session-format';

export const STORAGE_KEY = 'tokenscope-session';
/** 2: preferences gained `presenter` and `mode`; saved branches were added. */
export const STORAGE_VERSION = 2;

export type Mode = 'sandbox' | 'lessons' | 'compare';
export const MODE_IDS: readonly Mode[] = ['sandbox', 'lessons', 'compare'];

export interface Preferences {
  theme: 'system' | 'light' | 'dark';
  speedIndex: number;
  pauseOnKeyEvents: boolean;
  /** Presenter mode: large type, high contrast, the narration as a caption bar. */
  presenter: boolean;
  /** The mode the app was last in. */
  mode: Mode;
  /** The one-sentence welcome was dismissed (or a lesson was started from it). */
  welcomed: boolean;
  /** The lesson open in the lessons view and the learner's predictions (lesson step → choice). */
  lesson: { id: string; answers: Record<number, number>; open: boolean } | null;
  /** The compare view's choices: the script and the configuration of each side. */
  compare: { script: string; a: string; b: string } | null;
  /** While a long jump runs, a new command waits for it or cancels it. */
  whileRunning: 'wait' | 'cancel';
}

export interface PersistedState {
  session: Session | null;
  /** The lessons' own world (the sandbox never holds a lesson's script unless explored from). */
  lessonSession: Session | null;
  preferences: Preferences;
  /** Saved "what if?" lines (store.ts Branch), oldest first. */
  branches: Branch[];
}

export const DEFAULT_PREFERENCES: Preferences = {
  theme: 'system',
  speedIndex: 2,
  pauseOnKeyEvents: true,
  presenter: false,
  mode: 'sandbox',
  welcomed: false,
  lesson: null,
  compare: null,
  whileRunning: 'wait',
};

/** Migrations from older stored versions; unknown shapes are rejected (then: fresh start). */
export function migrate(stored: unknown, version: number): PersistedState {
  if (version === 0 && stored && typeof stored === 'object' && 'session' in stored) {
    // Version 0 kept no preferences.
    return {
      session: (stored as { session: Session | null }).session,
      lessonSession: null,
      preferences: DEFAULT_PREFERENCES,
      branches: [],
    };
  }
  if (version === 1 && stored && typeof stored === 'object') {
    // Version 1 kept the session and three preferences; the new ones take their defaults.
    const v1 = stored as { session?: Session | null; preferences?: unknown };
    return { session: v1.session ?? null, lessonSession: null, preferences: readPreferences(v1.preferences), branches: [] };
  }
  throw new Error(`stored session version ${version} is not one this app can read`);
}

/** Stored preferences, each field checked; anything missing or malformed takes its default. */
export function readPreferences(stored: unknown): Preferences {
  if (!stored || typeof stored !== 'object') return DEFAULT_PREFERENCES;
  const s = stored as Record<string, unknown>;
  const d = DEFAULT_PREFERENCES;
  return {
    theme: s.theme === 'light' || s.theme === 'dark' || s.theme === 'system' ? s.theme : d.theme,
    speedIndex: Number.isSafeInteger(s.speedIndex) && (s.speedIndex as number) >= 0 ? (s.speedIndex as number) : d.speedIndex,
    pauseOnKeyEvents: typeof s.pauseOnKeyEvents === 'boolean' ? s.pauseOnKeyEvents : d.pauseOnKeyEvents,
    presenter: typeof s.presenter === 'boolean' ? s.presenter : d.presenter,
    mode: MODE_IDS.includes(s.mode as Mode) ? (s.mode as Mode) : d.mode,
    welcomed: typeof s.welcomed === 'boolean' ? s.welcomed : d.welcomed,
    lesson: readLesson(s.lesson),
    compare: readCompare(s.compare),
    whileRunning: s.whileRunning === 'wait' || s.whileRunning === 'cancel' ? s.whileRunning : d.whileRunning,
  };
}

const natural = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

/** The open lesson and its predictions (lesson step → choice), each answer checked. */
function readLesson(stored: unknown): Preferences['lesson'] {
  const o = (stored ?? {}) as Record<string, unknown>;
  if (typeof o.id !== 'string' || !o.answers || typeof o.answers !== 'object') return null;
  const answers = Object.fromEntries(Object.entries(o.answers).filter(([step, choice]) => natural(Number(step)) && natural(choice)));
  return { id: o.id, answers, open: o.open === true };
}

function readCompare(stored: unknown): Preferences['compare'] {
  const o = (stored ?? {}) as Record<string, unknown>;
  return [o.script, o.a, o.b].every((v) => typeof v === 'string')
    ? { script: o.script as string, a: o.a as string, b: o.b as string }
    : null;
}

export function createPersistence(onError: (message: string) => void, storage: Storage | undefined = globalThis.localStorage) {
  return createStore<
    PersistedState & {
      setSession(session: Session | null): void;
      setLessonSession(session: Session | null): void;
      setPreferences(p: Partial<Preferences>): void;
      setBranches(branches: Branch[]): void;
    }
  >()(
    persist(
      (set) => ({
        session: null,
        lessonSession: null,
        preferences: DEFAULT_PREFERENCES,
        branches: [],
        setSession: (session) => set({ session }),
        setLessonSession: (lessonSession) => set({ lessonSession }),
        setPreferences: (p) => set((s) => ({ preferences: { ...s.preferences, ...p } })),
        setBranches: (branches) => set({ branches }),
      }),
      {
        name: STORAGE_KEY,
        version: STORAGE_VERSION,
        storage: createJSONStorage(() => guardedStorage(storage ?? memoryStorage(), onError)),
        partialize: (s) => ({ session: s.session, lessonSession: s.lessonSession, preferences: s.preferences, branches: s.branches }),
        migrate: (stored, version) => migrate(stored, version),
        merge: (stored, current) => {
          const s = (stored ?? {}) as Partial<PersistedState>;
          // Branches are checked in full (readSession) only when one is opened.
          const branches = Array.isArray(s.branches) ? s.branches.filter(isBranchShape) : [];
          return {
            ...current,
            session: s.session ?? null,
            lessonSession: s.lessonSession ?? null,
            preferences: readPreferences(s.preferences),
            branches,
          };
        },
        onRehydrateStorage: () => (_state, error) => {
          if (error) {
            onError(
              `Your saved session could not be read (${error instanceof Error ? error.message : String(error)}), so a fresh one was started.`,
            );
            storage?.removeItem(STORAGE_KEY);
          }
        },
      },
    ),
  );
}

/** The start of the notice for a save the browser refused; the app offers Export beside it. */
export const SAVE_FAILED = 'Your session could not be saved in this browser';

/** "a number", "a list", "text": what a stored value is, for a notice. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/**
 * What is wrong with the stored text's shape (the persist wrapper `{ state: {…}, version: n }`),
 * or null. Text that is not JSON is left to the persist middleware, which reports it as an error.
 */
function wrapperProblem(raw: string): string | null {
  let stored: unknown;
  try {
    stored = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return `the stored data is ${kindOf(stored)}, not a saved session`;
  const o = stored as Record<string, unknown>;
  if (!Object.hasOwn(o, 'state')) return 'the stored data has no "state"';
  if (!o.state || typeof o.state !== 'object' || Array.isArray(o.state)) return `the stored "state" is ${kindOf(o.state)}, not an object`;
  if (typeof o.version !== 'number') return `the stored "version" is ${kindOf(o.version)}, not a number`;
  return null;
}

/**
 * The storage as the persist middleware sees it. Reading: a stored value of the wrong shape gets
 * the same notice as unreadable text, and is removed. Writing: a save the browser refuses (a full
 * storage: QuotaExceededError) never throws into the app; it is said once — until a save works
 * again — and the session stays in memory.
 */
function guardedStorage(storage: Storage, onError: (message: string) => void): Storage {
  let failing = false;
  return {
    get length() {
      return storage.length;
    },
    clear: () => storage.clear(),
    key: (i) => storage.key(i),
    removeItem: (key) => storage.removeItem(key),
    getItem(key) {
      const raw = storage.getItem(key);
      const problem = raw === null ? null : wrapperProblem(raw);
      if (problem === null) return raw;
      onError(`Your saved session could not be read (${problem}), so a fresh one was started.`);
      storage.removeItem(key);
      return null;
    },
    setItem(key, value) {
      try {
        storage.setItem(key, value);
        failing = false;
      } catch (error) {
        if (failing) return;
        failing = true;
        const name = error instanceof Error ? error.name : 'an error';
        onError(
          `${SAVE_FAILED} (${name}: its storage is full or blocked). It is kept while this page is open, but a reload would lose it: Export it to keep a copy.`,
        );
      }
    },
  };
}

function isBranchShape(b: unknown): b is Branch {
  if (!b || typeof b !== 'object') return false;
  const o = b as Record<string, unknown>;
  return (
    typeof o.id === 'string' &&
    typeof o.label === 'string' &&
    Number.isFinite(o.t) &&
    Number.isFinite(o.epochSeconds) &&
    !!o.session &&
    typeof o.session === 'object'
  );
}

export type PersistenceStore = ReturnType<typeof createPersistence>;

/** A Storage kept in memory: the fallback where localStorage is missing, and the tests' store. */
export function memoryStorage(initial: Record<string, string> = {}): Storage {
  const map = new Map(Object.entries(initial));
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
