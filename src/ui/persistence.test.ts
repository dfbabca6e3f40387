import { describe, expect, it } from 'vitest';
import { createPersistence, DEFAULT_PREFERENCES, migrate, STORAGE_KEY } from './persistence';

function fakeStorage(initial: Record<string, string> = {}): Storage {
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

describe('persistence', () => {
  it('stores and restores the session and preferences', () => {
    const storage = fakeStorage();
    const a = createPersistence(() => undefined, storage);
    a.getState().setSession({ scenario: { format: 'tokenscope/1', steps: [] }, ops: [{ kind: 'next', n: 3 }] });
    a.getState().setPreferences({ theme: 'dark' });
    const b = createPersistence(() => undefined, storage);
    expect(b.getState().session?.ops).toEqual([{ kind: 'next', n: 3 }]);
    expect(b.getState().preferences.theme).toBe('dark');
  });

  it('reports unreadable storage and starts fresh', async () => {
    const storage = fakeStorage({ [STORAGE_KEY]: '{not json' });
    const errors: string[] = [];
    const store = createPersistence((message) => errors.push(message), storage);
    await Promise.resolve();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/could not be read/);
    expect(store.getState().session).toBeNull();
    expect(storage.getItem(STORAGE_KEY)).toBeNull();
  });

  it('migrates version 0 and refuses unknown versions', () => {
    expect(migrate({ session: null }, 0)).toEqual({ session: null, preferences: DEFAULT_PREFERENCES });
    expect(() => migrate({ session: null }, 7)).toThrow(/version 7/);
  });

  it('refuses a stored session from an unknown future version with a notice', async () => {
    const storage = fakeStorage({ [STORAGE_KEY]: JSON.stringify({ state: { session: null }, version: 99 }) });
    const errors: string[] = [];
    createPersistence((message) => errors.push(message), storage);
    await Promise.resolve();
    expect(errors.join()).toMatch(/version 99/);
  });
});
