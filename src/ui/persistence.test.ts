import { describe, expect, it } from 'vitest';
import { createPersistence, DEFAULT_PREFERENCES, memoryStorage as fakeStorage, migrate, SAVE_FAILED, STORAGE_KEY } from './persistence';

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

  it('wrong-typed stored data gets the same notice as unreadable text, and a fresh start (issue 12)', async () => {
    const cases: [string, RegExp][] = [
      ['42', /the stored data is a number, not a saved session/],
      ['"str"', /the stored data is text, not a saved session/],
      ['[]', /the stored data is a list, not a saved session/],
      ['null', /the stored data is null, not a saved session/],
      ['{}', /the stored data has no "state"/],
      ['{"version":2}', /the stored data has no "state"/],
      ['{"state":"x","version":2}', /the stored "state" is text, not an object/],
      ['{"state":[],"version":2}', /the stored "state" is a list, not an object/],
      ['{"state":{},"version":"2"}', /the stored "version" is text, not a number/],
    ];
    for (const [raw, problem] of cases) {
      const storage = fakeStorage({ [STORAGE_KEY]: raw });
      const errors: string[] = [];
      const store = createPersistence((message) => errors.push(message), storage);
      await Promise.resolve();
      expect(errors, raw).toHaveLength(1);
      expect(errors[0]).toMatch(/^Your saved session could not be read \(/);
      expect(errors[0]).toMatch(problem);
      expect(store.getState().session).toBeNull();
      expect(storage.getItem(STORAGE_KEY)).toBeNull();
    }
  });

  it('a save the browser refuses (full storage) never throws, says so once, and keeps the session in memory', () => {
    const storage = fakeStorage();
    let full = false;
    const setItem = storage.setItem.bind(storage);
    storage.setItem = (key, value) => {
      if (full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      setItem(key, value);
    };
    const errors: string[] = [];
    const store = createPersistence((message) => errors.push(message), storage);
    full = true;
    const session = { scenario: { format: 'tokenscope/1', steps: [] }, ops: [{ kind: 'next' as const, n: 3 }] };
    expect(() => store.getState().setSession(session)).not.toThrow();
    store.getState().setPreferences({ theme: 'dark' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(`^${SAVE_FAILED} \\(QuotaExceededError: its storage is full or blocked\\)\\. .*Export it to keep a copy\\.$`),
    );
    expect(store.getState().session).toEqual(session);
    // Once a save works again, a later failure is said again.
    full = false;
    store.getState().setPreferences({ theme: 'light' });
    full = true;
    store.getState().setPreferences({ theme: 'dark' });
    expect(errors).toHaveLength(2);
  });

  it('migrates version 0 and refuses unknown versions', () => {
    expect(migrate({ session: null }, 0)).toEqual({ session: null, lessonSession: null, preferences: DEFAULT_PREFERENCES, branches: [] });
    expect(() => migrate({ session: null }, 7)).toThrow(/version 7/);
  });

  it('migrates version 1: the new preferences take their defaults, no branches', async () => {
    const session = { scenario: { format: 'tokenscope/1', steps: [] }, ops: [{ kind: 'next', n: 2 }] };
    const v1 = { state: { session, preferences: { theme: 'dark', speedIndex: 4, pauseOnKeyEvents: false } }, version: 1 };
    const storage = fakeStorage({ [STORAGE_KEY]: JSON.stringify(v1) });
    const errors: string[] = [];
    const store = createPersistence((message) => errors.push(message), storage);
    await Promise.resolve();
    expect(errors).toEqual([]);
    expect(store.getState().session).toEqual(session);
    expect(store.getState().preferences).toEqual({ ...DEFAULT_PREFERENCES, theme: 'dark', speedIndex: 4, pauseOnKeyEvents: false });
    expect(store.getState().branches).toEqual([]);
  });

  it('keeps presenter mode, the mode and branches; drops malformed ones', () => {
    const storage = fakeStorage();
    const a = createPersistence(() => undefined, storage);
    const session = { scenario: { format: 'tokenscope/1', steps: [] }, ops: [] };
    a.getState().setPreferences({ presenter: true, mode: 'compare' });
    a.getState().setBranches([
      { id: 'b1', label: 'Before the theft', t: 60, epochSeconds: 0, opCount: 2, title: 'Sandbox', auto: false, session },
    ]);
    const stored = JSON.parse(storage.getItem(STORAGE_KEY)!);
    stored.state.branches.push({ id: 7 }, null);
    stored.state.preferences.mode = 'teach';
    storage.setItem(STORAGE_KEY, JSON.stringify(stored));
    const b = createPersistence(() => undefined, storage);
    expect(b.getState().preferences.presenter).toBe(true);
    expect(b.getState().preferences.mode).toBe('sandbox');
    expect(b.getState().branches.map((x) => x.label)).toEqual(['Before the theft']);
  });

  it('refuses a stored session from an unknown future version with a notice', async () => {
    const storage = fakeStorage({ [STORAGE_KEY]: JSON.stringify({ state: { session: null }, version: 99 }) });
    const errors: string[] = [];
    createPersistence((message) => errors.push(message), storage);
    await Promise.resolve();
    expect(errors.join()).toMatch(/version 99/);
  });

  it('keeps the lesson world, the open lesson with its predictions, the compare choices and the welcome', () => {
    const storage = fakeStorage();
    const a = createPersistence(() => undefined, storage);
    const lessonSession = { scenario: { format: 'tokenscope/1', steps: [] }, ops: [{ kind: 'next' as const, n: 4 }] };
    a.getState().setLessonSession(lessonSession);
    a.getState().setPreferences({
      welcomed: true,
      lesson: { id: 'basic-cycle', answers: { 3: 1, 6: 0 }, open: true },
      compare: { script: 'compare-dpop', a: 'static-refresh', b: 'dpop-bound' },
    });
    const b = createPersistence(() => undefined, storage);
    expect(b.getState().lessonSession).toEqual(lessonSession);
    expect(b.getState().preferences.welcomed).toBe(true);
    expect(b.getState().preferences.lesson).toEqual({ id: 'basic-cycle', answers: { 3: 1, 6: 0 }, open: true });
    expect(b.getState().preferences.compare).toEqual({ script: 'compare-dpop', a: 'static-refresh', b: 'dpop-bound' });
  });

  it('drops malformed lesson answers and compare choices field by field', () => {
    const storage = fakeStorage();
    createPersistence(() => undefined, storage)
      .getState()
      .setPreferences({ welcomed: true });
    const stored = JSON.parse(storage.getItem(STORAGE_KEY)!);
    stored.state.preferences.lesson = { id: 'basic-cycle', answers: { 2: 1, x: 0, 4: -1, 5: 'a' }, open: 'yes' };
    stored.state.preferences.compare = { script: 'compare-dpop', a: 3 };
    storage.setItem(STORAGE_KEY, JSON.stringify(stored));
    const b = createPersistence(() => undefined, storage);
    expect(b.getState().preferences.lesson).toEqual({ id: 'basic-cycle', answers: { 2: 1 }, open: false });
    expect(b.getState().preferences.compare).toBeNull();
  });
});
