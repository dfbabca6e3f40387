// The app shell: takes the simulator store boot.ts started (the saved session, else the sandbox),
// applies a share link on top, keeps the preferences, and lays out the screen of PRODUCT.md: the
// header (modes, share / import / export, branches, presenter mode, settings), messages, and the
// current mode's view. Presenter mode puts a class on <html> (index.css); the simulator view adds
// the caption bar.
import { lazy, Suspense, useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { Announce } from './announce';
import type { Boot } from './boot';
import { nextExpiry } from './components/ClockBar';
import { readDeepLink, type DeepLink } from './deep-link';
import { DropZone, ExportButton, ImportButton, useImportFile } from './components/ImportExport';
import { ShareMenu } from './components/ShareMenu';
import { SAVE_FAILED, type Mode, type Preferences } from './persistence';
import { JUMPS, STOP_ON_KEY_EVENTS } from './playback';
import { useShortcuts } from './shortcuts';
import { SimProvider, useSim } from './SimContext';
import type { SimStore } from './store';
import { SimulatorView } from './views/SimulatorView';

const SettingsDialog = lazy(() => import('./components/SettingsDialog').then((m) => ({ default: m.SettingsDialog })));
const HelpDialog = lazy(() => import('./components/HelpDialog').then((m) => ({ default: m.HelpDialog })));
const BranchesDialog = lazy(() => import('./components/Branches').then((m) => ({ default: m.BranchesDialog })));

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

function usePresenterClass(on: boolean) {
  useLayoutEffect(() => {
    document.documentElement.classList.toggle('presenter', on);
  }, [on]);
}

export type Message = { text: string; tone: 'ok' | 'error' };

export function App({ boot }: { boot: Boot }) {
  // The store and the stored data come from boot.ts, which started loading before React did.
  const { persistence, store } = boot;
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
      await openShareLink(hash, store, { announce, setMode: (mode) => updatePreferences({ mode }), cancelled: () => cancelled });
    };
    void openLink();
    return () => {
      cancelled = true;
    };
  }, [boot, store, announce, updatePreferences]);

  // Good news fades; errors stay until dismissed or replaced.
  useEffect(() => {
    if (message?.tone !== 'ok') return;
    const timer = setTimeout(() => setMessage((m) => (m === message ? null : m)), 12_000);
    return () => clearTimeout(timer);
  }, [message]);

  return (
    <SimProvider store={store}>
      <Shell
        store={store}
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
  const view = useSim((s) => s.view);
  const [playing, setPlaying] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [branchesOpen, setBranchesOpen] = useState(false);
  const mode = preferences.mode;
  const presenter = preferences.presenter;
  const setMode = (next: Mode) => {
    setPlaying(false);
    clearDeepLink();
    updatePreferences({ mode: next });
  };
  const controls = { playing, setPlaying, preferences, updatePreferences };
  const selectToken = useSim((s) => s.selectToken);
  const importFile = useImportFile(announce, () => {
    setPlaying(false);
    updatePreferences({ mode: 'sandbox' });
  });

  const stop = preferences.pauseOnKeyEvents ? STOP_ON_KEY_EVENTS : undefined;
  const sim = store.getState;
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

  // Secondary commands: in the header normally, in a compact "More" menu in presenter mode.
  const secondary: { key: string; node: ReactNode }[] = [
    { key: 'import', node: <ImportButton className={headerButton} onFile={(file) => void importFile(file)} /> },
    { key: 'export', node: <ExportButton className={headerButton} announce={announce} /> },
    ...(mode === 'sandbox'
      ? [
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
        <div className="flex items-center gap-4">
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
            <span className="text-sm text-slate-700 dark:text-slate-300">
              {view.scenario.title ?? 'Untitled'} · <span className="font-medium">{view.config.preset}</span>
            </span>
          )}
        </div>
        <div className="ml-auto flex flex-wrap items-center justify-end gap-2">
          <ShareMenu mode={mode} className={headerButton} announce={announce} />
          {presenter ? (
            <MoreMenu className={headerButton}>{secondary.map((s) => <div key={s.key}>{s.node}</div>)}</MoreMenu>
          ) : (
            secondary.map((s) => <span key={s.key} className="contents">{s.node}</span>)
          )}
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
        </div>
      </header>
      {notice && (
        <div role="status" className="mx-4 mt-2 flex items-center justify-between gap-2 rounded border border-amber-600 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-50">
          <span>⚠ {notice}</span>
          <span className="flex shrink-0 items-center gap-3">
            {/* Nothing is lost when the browser cannot save: the session can be downloaded. */}
            {notice.startsWith(SAVE_FAILED) && <ExportButton className="font-semibold underline" announce={announce} label="Export a copy" />}
            <button type="button" className="underline" onClick={dismissNotice}>
              Dismiss
            </button>
          </span>
        </div>
      )}
      <MessageBar message={message} onDismiss={dismissMessage} />
      <main className="p-3">
        <Suspense fallback={<p role="status">Loading…</p>}>
          {mode === 'sandbox' && <SimulatorView {...controls} />}
          {mode === 'lessons' && (
            <LessonsView {...controls} startLessonId={deepLink?.kind === 'lesson' ? deepLink.id : undefined} onExplore={() => setMode('sandbox')} />
          )}
          {mode === 'compare' && (
            <CompareView key={deepLink ? 'link' : 'own'} {...controls} initial={deepLink?.kind === 'compare' ? deepLink : undefined} />
          )}
        </Suspense>
      </main>
      <DropZone onFile={(file) => void importFile(file)} announce={announce} />
      {view && settingsOpen && (
        <Suspense fallback={null}>
          <SettingsDialog
            open={settingsOpen}
            scenario={view.scenario}
            onClose={() => setSettingsOpen(false)}
            onApply={(scenario) => {
              setSettingsOpen(false);
              setPlaying(false);
              void store.getState().restart(scenario);
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

/** Presenter mode's compact menu for the secondary commands (a disclosure, not an ARIA menu). */
function MoreMenu({ className, children }: { className: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);
  return (
    <div ref={ref} className="relative">
      <button ref={buttonRef} type="button" className={className} aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        More ▾
      </button>
      <div
        id={id}
        hidden={!open}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            setOpen(false);
            buttonRef.current?.focus();
          }
        }}
        onClick={(e) => {
          // A command was chosen: close the menu (dialogs it opens take the focus).
          if ((e.target as HTMLElement).closest('button')) setOpen(false);
        }}
        className="absolute right-0 z-40 mt-1 flex min-w-48 flex-col items-stretch gap-1.5 rounded-lg border-2 border-slate-500 bg-white p-2 shadow-lg dark:border-slate-400 dark:bg-slate-900 [&_button]:w-full [&_button]:text-left"
      >
        {children}
      </div>
    </div>
  );
}
