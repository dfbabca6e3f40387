// The app shell: takes the simulator store boot.ts started (the saved session, else the sandbox),
// applies a share link on top, keeps the preferences, and lays out the screen of PRODUCT.md: the
// header (modes, share / import / export, branches, presenter mode, settings), messages, and the
// current mode's view. Presenter mode puts a class on <html> (index.css); the simulator view adds
// the caption bar.
import { lazy, Suspense, useCallback, useEffect, useLayoutEffect, useState, type ReactNode } from 'react';
import { PRESET_NAMES } from '../sim/preset-names';
import type { Scenario } from '../sim/types';
import type { Announce } from './announce';
import type { Boot } from './boot';
import { nextExpiry } from './components/ClockBar';
import { readDeepLink, type DeepLink } from './deep-link';
import { SAVE_FAILED, type Mode, type Preferences } from './persistence';
import { JUMPS, STOP_ON_KEY_EVENTS } from './playback';
import { useShortcuts } from './shortcuts';
import { SimProvider, useSim, useSimStore } from './SimContext';
import type { SimStore } from './store';
import { SimulatorView } from './views/SimulatorView';
// The first visit's welcome is part of that visit's first frame (arriving later, it would push
// the panels down), so it is in the page's first script: about 0.5 kB.
import { Welcome } from './components/Welcome';

// Settings' Apply (settings-apply.ts: the presets, a script's occurrences) loads with the dialog.
let settingsApply: typeof import('./settings-apply') | null = null;
const SettingsDialog = lazy(() =>
  Promise.all([import('./components/SettingsDialog'), import('./settings-apply')]).then(([m, apply]) => {
    settingsApply = apply;
    return { default: m.SettingsDialog };
  }),
);
const HelpDialog = lazy(() => import('./components/HelpDialog').then((m) => ({ default: m.HelpDialog })));
// The compact menu (presenter mode, a phone) loads when first needed.
const MoreMenu = lazy(() => import('./components/MoreMenu').then((m) => ({ default: m.MoreMenu })));
const BranchesDialog = lazy(() => import('./components/Branches').then((m) => ({ default: m.BranchesDialog })));

// The header's Share, Import and Export and the page's drop zone: their code is in files of their
// own, fetched as this module starts, while the engine's first view is on its way (main.tsx waits
// for it before React's first render), so they are usually drawn in the first frame without being
// part of the page's first script. Should the view come first, each button is drawn the same,
// marked unavailable, until its code is in.
const useShareMenu = loadAside(() => import('./components/ShareMenu').then((m) => m.ShareMenu));
const useImportExport = loadAside(() => import('./components/ImportExport'));

/** Starts loading `load` now; the hook gives its value once it is in (null until then). */
function loadAside<T>(load: () => Promise<T>): () => T | null {
  let loaded: T | null = null;
  let loading: Promise<T> | null = null;
  const get = () =>
    (loading ??= load().then(
      (value) => (loaded = value),
      (error: unknown) => {
        loading = null; // not kept: the next mount tries again (e.g. after a network error)
        throw error;
      },
    ));
  void get().catch(() => undefined);
  return function useLoaded() {
    const [value, setValue] = useState<T | null>(() => loaded);
    useEffect(() => {
      if (value) return;
      let live = true;
      get().then(
        (v) => live && setValue(() => v),
        () => undefined,
      );
      return () => {
        live = false;
      };
    }, [value]);
    return value;
  };
}

/**
 * A header button while its code loads: the same look and name, marked unavailable until the
 * working one replaces it.
 */
function Pending({ className, label }: { className: string; label: string }) {
  return (
    <button type="button" className={className} aria-disabled="true">
      {label}
    </button>
  );
}

// Lessons and compare load on first use: the first paint needs only the simulator.
const LessonsView = lazy(() => import('./views/LessonsView').then((m) => ({ default: m.LessonsView })));
const CompareView = lazy(() => import('./views/CompareView').then((m) => ({ default: m.CompareView })));

const MODES: { id: Mode; label: string }[] = [
  { id: 'sandbox', label: 'Sandbox' },
  { id: 'lessons', label: 'Lessons' },
  { id: 'compare', label: 'Compare' },
];

// Layout effects: the classes are on <html> before the first frame is painted (the first render
// already shows the panels), so that frame has the right theme and size.
function useTheme(theme: Preferences['theme']) {
  useLayoutEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => {
      const dark = theme === 'dark' || (theme === 'system' && media.matches);
      document.documentElement.classList.toggle('dark', dark);
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
}

/** Whether the media query matches now; follows its changes. */
function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const media = window.matchMedia(query);
    const update = () => setMatches(media.matches);
    update();
    media.addEventListener('change', update);
    return () => media.removeEventListener('change', update);
  }, [query]);
  return matches;
}

function usePresenterClass(on: boolean) {
  useLayoutEffect(() => {
    document.documentElement.classList.toggle('presenter', on);
  }, [on]);
}

export type Message = { text: string; tone: 'ok' | 'error' };

export function App({ boot }: { boot: Boot }) {
  // The store and the stored data come from boot.ts, which started loading before React did.
  const { persistence, store, lessonStore } = boot;
  const [notice, setNotice] = useState<string | null>(boot.notice);
  const [message, setMessage] = useState<Message | null>(null);
  const [preferences, setPreferences] = useState<Preferences>(() => persistence.getState().preferences);
  useTheme(preferences.theme);
  usePresenterClass(preferences.presenter);

  const updatePreferences = useCallback(
    (patch: Partial<Preferences>) => {
      persistence.getState().setPreferences(patch);
      setPreferences(persistence.getState().preferences);
    },
    [persistence],
  );
  const announce = useCallback<Announce>((text, tone) => setMessage({ text, tone }), []);

  useEffect(() => boot.onNotice(setNotice), [boot]);
  useEffect(() => store.getState().setWhileRunning(preferences.whileRunning), [store, preferences.whileRunning]);
  const [deepLink, setDeepLink] = useState<DeepLink | null>(null);

  useEffect(() => {
    let cancelled = false;
    const openLink = async () => {
      await boot.ready;
      // A share link (#s=…) takes precedence over the saved session, which is kept as a branch.
      const hash = window.location.hash;
      // #lesson=<id> and #compare=… (deep-link.ts) open that mode's view on the thing named.
      const link = readDeepLink(hash);
      if (!cancelled && (link?.kind === 'lesson' || link?.kind === 'compare')) {
        window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
        setDeepLink(link);
        updatePreferences({ mode: link.kind === 'lesson' ? 'lessons' : 'compare' });
        return;
      }
      if (cancelled || !hash.startsWith('#s=')) return;
      // Clear the fragment whatever happens, so a reload does not apply the link again.
      window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
      // The link's decoder and the opening load only when there is a link to open.
      const { openShareLink } = await import('./share-open');
      await openShareLink(hash, (mode) => (mode === 'lessons' ? lessonStore : store), {
        announce,
        setMode: (mode) => updatePreferences({ mode }),
        cancelled: () => cancelled,
      });
    };
    void openLink();
    return () => {
      cancelled = true;
    };
  }, [boot, store, lessonStore, announce, updatePreferences]);

  // The lesson world's saved moment is restored after the sandbox's: until then the lessons view waits.
  const [booted, setBooted] = useState(false);
  useEffect(() => {
    let live = true;
    void boot.ready.then(() => live && setBooted(true));
    return () => {
      live = false;
    };
  }, [boot]);

  // Good news fades; errors stay until dismissed or replaced.
  useEffect(() => {
    if (message?.tone !== 'ok') return;
    const timer = setTimeout(() => setMessage((m) => (m === message ? null : m)), 12_000);
    return () => clearTimeout(timer);
  }, [message]);

  return (
    // Lessons run in their own world; the sandbox (and import, branches) always uses the sandbox's.
    <SimProvider store={preferences.mode === 'lessons' ? lessonStore : store}>
      <Shell
        store={store}
        lessonStore={lessonStore}
        booted={booted}
        notice={notice}
        dismissNotice={() => setNotice(null)}
        message={message}
        announce={announce}
        dismissMessage={() => setMessage(null)}
        preferences={preferences}
        updatePreferences={updatePreferences}
        deepLink={deepLink}
        clearDeepLink={() => setDeepLink(null)}
      />
    </SimProvider>
  );
}

const buttonShape = 'rounded-md border px-2.5 py-1 text-sm font-medium';
const headerButton = `${buttonShape} border-slate-400 bg-white text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-800 dark:text-slate-50 dark:hover:bg-slate-700`;
/** A toggle that is on: filled, so the state shows without relying on colour alone (aria-pressed too). */
const pressedButton = `${buttonShape} border-teal-900 bg-teal-800 text-white hover:bg-teal-900 dark:border-teal-200 dark:bg-teal-300 dark:text-black dark:hover:bg-teal-200`;

function Shell({
  store,
  lessonStore,
  booted,
  notice,
  dismissNotice,
  message,
  announce,
  dismissMessage,
  preferences,
  updatePreferences,
  deepLink,
  clearDeepLink,
}: {
  store: SimStore;
  lessonStore: SimStore;
  booted: boolean;
  notice: string | null;
  dismissNotice: () => void;
  message: Message | null;
  announce: Announce;
  dismissMessage: () => void;
  preferences: Preferences;
  updatePreferences: (patch: Partial<Preferences>) => void;
  /** A #lesson= or #compare= link, for its view to open once (switching modes drops it). */
  deepLink: DeepLink | null;
  clearDeepLink: () => void;
}) {
  const mode = preferences.mode;
  const active = useSimStore();
  const view = useSim((s) => s.view);
  const [playing, setPlaying] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [branchesOpen, setBranchesOpen] = useState(false);
  /** The welcome's "Start the first lesson" was pressed: the lessons view starts it once loaded. */
  const [startFirstLesson, setStartFirstLesson] = useState(false);
  const presenter = preferences.presenter;
  const setMode = (next: Mode) => {
    setPlaying(false);
    clearDeepLink();
    updatePreferences({ mode: next });
  };
  const controls = { playing, setPlaying, preferences, updatePreferences };
  const selectToken = useSim((s) => s.selectToken);
  // A file always opens in the sandbox, whichever mode is on.
  const importFile = async (file: File) => {
    const { importScenarioFile } = await import('./components/import-export-actions');
    await importScenarioFile(store, file, announce, () => {
      setPlaying(false);
      updatePreferences({ mode: 'sandbox' });
    });
  };

  /** An empty sandbox with the settings of `from`; the sandbox's line so far is kept under Branches. */
  const newSandbox = async (from: Scenario, label: string, said: string) => {
    setPlaying(false);
    const { startNewSandbox } = await import('./sandbox-commands');
    const text = await startNewSandbox(store, from, label, said);
    updatePreferences({ mode: 'sandbox' });
    announce(text, 'ok');
  };
  /** "Explore from here": the lesson's moment, script left, becomes the sandbox (the sandbox's line kept under Branches). */
  const exploreLesson = async () => {
    setPlaying(false);
    const { exploreLessonMoment } = await import('./sandbox-commands');
    const text = await exploreLessonMoment(store, lessonStore);
    if (text === null) return;
    updatePreferences({ mode: 'sandbox' });
    announce(text, 'ok');
  };

  const stop = preferences.pauseOnKeyEvents ? STOP_ON_KEY_EVENTS : undefined;
  const sim = active.getState;
  const toggleTheme = () => {
    const dark = document.documentElement.classList.contains('dark');
    updatePreferences({ theme: dark ? 'light' : 'dark' });
  };
  const togglePresenter = () => updatePreferences({ presenter: !presenter });
  useShortcuts({
    Space: () => setPlaying((p) => !p),
    ArrowRight: () => void sim().nextEvent(),
    ArrowLeft: () => void sim().stepBack(),
    ...Object.fromEntries(JUMPS.map((j) => [j.key, () => void sim().advanceBy(j.seconds, stop)])),
    e: () => {
      const v = sim().view;
      const at = v ? nextExpiry(v) : null;
      if (at !== null) void sim().advanceTo(at, stop);
    },
    s: () => setSettingsOpen(true),
    t: toggleTheme,
    p: togglePresenter,
    '?': () => setHelpOpen((open) => !open),
    Escape: () => selectToken(null),
    // A presentation clicker sends PageDown / PageUp. In lessons, the lesson view handles them.
    ...(mode === 'sandbox' && {
      PageDown: () => void sim().nextEvent(),
      PageUp: () => void sim().stepBack(),
      b: () => setBranchesOpen(true),
    }),
  });

  const narrow = useMediaQuery('(max-width: 767px)');
  const ShareMenu = useShareMenu();
  const io = useImportExport();
  const settingsName = view ? PRESET_NAMES[view.config.preset] : '';
  const presenterButton = (
    <button
      type="button"
      className={presenter ? pressedButton : headerButton}
      aria-pressed={presenter}
      aria-keyshortcuts="P"
      onClick={togglePresenter}
    >
      {presenter && <span aria-hidden="true">✓ </span>}
      Presenter mode
    </button>
  );
  // Secondary commands: in the header normally, in a compact menu in presenter mode and on a phone.
  const secondary: { key: string; node: ReactNode }[] = [
    {
      key: 'import',
      node: io ? (
        <io.ImportButton className={headerButton} onFile={(file) => void importFile(file)} />
      ) : (
        <Pending className={headerButton} label="Import" />
      ),
    },
    {
      key: 'export',
      node: io ? <io.ExportButton className={headerButton} announce={announce} /> : <Pending className={headerButton} label="Export" />,
    },
    ...(mode === 'sandbox'
      ? [
          {
            key: 'new-sandbox',
            node: (
              <button
                type="button"
                className={headerButton}
                onClick={() => {
                  const current = store.getState().view;
                  if (current)
                    void newSandbox(current.scenario, 'Sandbox before “New sandbox”', 'A new, empty sandbox with the same settings.');
                }}
              >
                New sandbox
              </button>
            ),
          },
          {
            key: 'branches',
            node: (
              <button type="button" className={headerButton} onClick={() => setBranchesOpen(true)} aria-keyshortcuts="B">
                Branches
              </button>
            ),
          },
        ]
      : []),
    {
      key: 'settings',
      node: (
        <button type="button" className={headerButton} onClick={() => setSettingsOpen(true)} aria-keyshortcuts="S">
          Settings
        </button>
      ),
    },
    {
      key: 'theme',
      node: (
        <button type="button" className={headerButton} onClick={toggleTheme} aria-keyshortcuts="T">
          Theme: {preferences.theme === 'system' ? 'system' : preferences.theme}
        </button>
      ),
    },
    {
      key: 'help',
      node: (
        <button type="button" className={headerButton} onClick={() => setHelpOpen(true)} aria-keyshortcuts="?">
          ? Help
        </button>
      ),
    },
  ];

  return (
    <div className="min-h-screen bg-slate-100 text-slate-900 dark:bg-slate-950 dark:text-slate-50">
      <header className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-slate-300 bg-white px-4 py-2 dark:border-slate-800 dark:bg-slate-900">
        <div className="flex flex-1 flex-wrap items-center gap-x-4 gap-y-1">
          <h1 className="text-xl font-bold tracking-tight">tokenscope</h1>
          <nav aria-label="Mode" className="flex gap-1">
            {MODES.map((m) => (
              <button
                key={m.id}
                type="button"
                aria-current={mode === m.id ? 'page' : undefined}
                onClick={() => setMode(m.id)}
                className={`rounded-md px-3 py-1 text-sm font-semibold ${mode === m.id ? 'bg-teal-800 text-white' : 'text-slate-800 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800'}`}
              >
                {m.label}
              </button>
            ))}
          </nav>
          {view && mode !== 'compare' && (
            // One line, cut with an ellipsis when the header is short of room;
            // contained, so its length never widens the header (a phone wraps the header instead).
            <span className="min-w-0 flex-1 basis-40 truncate text-sm text-slate-700 [contain:inline-size] dark:text-slate-300">
              {view.scenario.title ?? 'Untitled'} · <span className="font-medium">{settingsName}</span>
            </span>
          )}
        </div>
        <div className="ml-auto flex flex-wrap items-center justify-end gap-2">
          {ShareMenu ? (
            <ShareMenu mode={mode} className={headerButton} announce={announce} />
          ) : (
            <Pending className={headerButton} label="Share" />
          )}
          {presenter || narrow ? (
            <Suspense fallback={null}>
              <MoreMenu className={headerButton} label={narrow ? 'Menu' : 'More'}>
                {[...secondary, ...(narrow ? [{ key: 'presenter', node: presenterButton }] : [])].map((s) => (
                  <div key={s.key}>{s.node}</div>
                ))}
              </MoreMenu>
            </Suspense>
          ) : (
            secondary.map((s) => (
              <span key={s.key} className="contents">
                {s.node}
              </span>
            ))
          )}
          {!narrow && presenterButton}
        </div>
      </header>
      {notice && (
        <div
          role="status"
          className="mx-4 mt-2 flex items-center justify-between gap-2 rounded border border-amber-600 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-50"
        >
          <span>⚠ {notice}</span>
          <span className="flex shrink-0 items-center gap-3">
            {/* Nothing is lost when the browser cannot save: the session can be downloaded. */}
            {notice.startsWith(SAVE_FAILED) &&
              (io ? (
                <io.ExportButton className="font-semibold underline" announce={announce} label="Export a copy" />
              ) : (
                <Pending className="font-semibold underline" label="Export a copy" />
              ))}
            <button type="button" className="underline" onClick={dismissNotice}>
              Dismiss
            </button>
          </span>
        </div>
      )}
      {!preferences.welcomed && (
        <Welcome
          primaryClass={pressedButton}
          secondaryClass={headerButton}
          onStart={() => {
            updatePreferences({ welcomed: true });
            setStartFirstLesson(true);
            setMode('lessons');
          }}
          onDismiss={() => updatePreferences({ welcomed: true })}
        />
      )}
      <MessageBar message={message} onDismiss={dismissMessage} />
      <main className="p-3">
        <Suspense fallback={<p role="status">Loading…</p>}>
          {mode === 'sandbox' && <SimulatorView {...controls} />}
          {mode === 'lessons' && (
            <LessonsView
              {...controls}
              ready={booted}
              startFirst={startFirstLesson}
              onStartedFirst={() => setStartFirstLesson(false)}
              startLessonId={deepLink?.kind === 'lesson' ? deepLink.id : undefined}
              onExplore={() => void exploreLesson()}
              onKeepExploring={(scenario) =>
                void newSandbox(
                  scenario,
                  'Sandbox before a lesson',
                  'A new, empty sandbox with the lesson’s settings: nothing of its script is in it.',
                )
              }
            />
          )}
          {mode === 'compare' && (
            <CompareView key={deepLink ? 'link' : 'own'} {...controls} initial={deepLink?.kind === 'compare' ? deepLink : undefined} />
          )}
        </Suspense>
      </main>
      {io && <io.DropZone onFile={(file) => void importFile(file)} announce={announce} />}
      {view && settingsOpen && (
        <Suspense fallback={null}>
          <SettingsDialog
            open={settingsOpen}
            scenario={view.scenario}
            onClose={() => setSettingsOpen(false)}
            onApply={(scenario) => {
              setSettingsOpen(false);
              setPlaying(false);
              // The dialog is on screen, so its module and settings-apply.ts have loaded.
              void active.getState().restart(settingsApply!.scenarioAfterSettings(mode, view, scenario));
            }}
            whileRunning={preferences.whileRunning}
            setWhileRunning={(whileRunning) => updatePreferences({ whileRunning })}
          />
        </Suspense>
      )}
      {branchesOpen && (
        <Suspense fallback={null}>
          <BranchesDialog open={branchesOpen} onClose={() => setBranchesOpen(false)} announce={announce} />
        </Suspense>
      )}
      {helpOpen && (
        <Suspense fallback={null}>
          <HelpDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
        </Suspense>
      )}
    </div>
  );
}

/** Results of share / import / export / branches: polite for good news, an alert for errors. */
function MessageBar({ message, onDismiss }: { message: Message | null; onDismiss: () => void }) {
  const box = (m: Message) => (
    <div
      className={`mx-4 mt-2 flex items-center justify-between gap-2 rounded border px-3 py-2 text-sm ${
        m.tone === 'error'
          ? 'border-red-700 bg-red-50 text-red-950 dark:border-red-400 dark:bg-red-950 dark:text-red-50'
          : 'border-emerald-700 bg-emerald-50 text-emerald-950 dark:border-emerald-400 dark:bg-emerald-950 dark:text-emerald-50'
      }`}
    >
      <span className="min-w-0 break-words">{m.text}</span>
      <button type="button" className="shrink-0 underline" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
  return (
    <>
      <div role="status">{message?.tone === 'ok' && box(message)}</div>
      <div role="alert">{message?.tone === 'error' && box(message)}</div>
    </>
  );
}
