// The app's start, before React: reads the stored session and preferences, starts the simulator
// store (the saved session, else the sandbox) and mirrors the session and branches into storage.
// main.tsx imports this module first, so on a cold start the engine's worker is asked for the
// sandbox world (its keys: a few ms of WebCrypto there) as soon as the page's script has run; a
// saved session is sent to the worker as stored, to be checked and replayed there. A share link
// is applied by App.tsx once this start has settled.
import { isEmbed } from './deep-link';
import { createPersistence, memoryStorage, type PersistenceStore } from './persistence';
import type { Session } from './session-format';
import { createSimStore, type SimStore } from './store';

export interface Boot {
  persistence: PersistenceStore;
  store: SimStore;
  /**
   * The lessons' own world: a lesson never runs in the sandbox's store, so the sandbox stays the
   * user's own (only "Explore from here" carries a lesson's moment over). Empty until a lesson starts.
   */
  lessonStore: SimStore;
  /** Settles once the saved session (or, failing that, the sandbox) is loaded, and a saved lesson after it. */
  ready: Promise<void>;
  /** The latest notice not yet shown (a saved session that could not be read or replayed). */
  notice(): string | null;
  /** Sends notices to `show` from now on, the pending one at once; returns the unsubscribe. */
  onNotice(show: (text: string) => void): () => void;
}

export function startBoot(storage?: Storage): Boot {
  let pending: string | null = null;
  let listener: ((text: string) => void) | null = null;
  const notify = (text: string) => {
    if (listener) listener(text);
    else pending = text;
  };
  const persistence = createPersistence(notify, storage);
  const store = createSimStore();
  const lessonStore = createSimStore();
  store.getState().setBranches(persistence.getState().branches);

  // Mirror the sessions and the branches into storage, at most a few times a second.
  const flushes: (() => void)[] = [];
  const mirror = (from: SimStore, save: (session: Session | null) => void) => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      save(from.getState().session);
    };
    from.subscribe((state, previous) => {
      if (state.session === previous.session || !state.session) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(flush, 250);
    });
    flushes.push(() => {
      if (timer === null) return;
      clearTimeout(timer);
      flush();
    });
  };
  store.subscribe((state, previous) => {
    // A run that reached the work budget (store.ts): said as a notice, the session kept.
    if (state.error !== previous.error && state.error) notify(state.error);
    if (state.branches !== previous.branches) persistence.getState().setBranches(state.branches);
  });
  mirror(store, (session) => persistence.getState().setSession(session));
  mirror(lessonStore, (session) => persistence.getState().setLessonSession(session));
  // A page closed or reloaded within the quarter second still saves what was done last.
  globalThis.addEventListener?.('pagehide', () => flushes.forEach((flush) => flush()));

  const saved = persistence.getState().session;
  const savedLesson = persistence.getState().lessonSession;
  const ready = (async () => {
    let restored = false;
    if (saved) {
      const notice = await (await import('./boot-saved')).restoreSession(store, saved);
      if (notice === null) restored = true;
      else notify(notice);
    }
    if (!restored) await store.getState().loadSandbox();
    if (savedLesson) {
      const notice = await (await import('./boot-saved')).restoreSession(lessonStore, savedLesson, 'lesson');
      if (notice !== null) {
        persistence.getState().setLessonSession(null);
        notify(notice);
      }
    }
  })().catch((error: unknown) => {
    // E.g. the code for a saved session could not be fetched, or WebCrypto lacks Ed25519.
    notify(`The simulator could not start (${error instanceof Error ? error.message : String(error)}). Reload the page to try again.`);
  });

  return {
    persistence,
    store,
    lessonStore,
    ready,
    notice: () => pending,
    onNotice(show) {
      listener = show;
      if (pending !== null) show(pending);
      pending = null;
      return () => {
        if (listener === show) listener = null;
      };
    },
  };
}

/** The browser's localStorage; memory where it is missing or reading it throws (storage blocked by settings). */
function browserStorage(): Storage {
  try {
    return globalThis.localStorage ?? memoryStorage();
  } catch {
    return memoryStorage();
  }
}

/** Opened as an embed (`?embed=1`): EmbedApp.tsx instead of App.tsx. */
export const embedded = isEmbed(globalThis.location?.search ?? '');

/**
 * The app's one start, begun as soon as this module is evaluated. An embed keeps its session and
 * preferences in memory only: it never reads the visitor's saved session and never writes one, so
 * embeds on one page (and the full app in another tab) cannot change each other.
 */
export const boot: Boot = startBoot(embedded ? memoryStorage() : browserStorage());
