// The app shell: boots a simulator store (restoring the saved session when it can), mirrors the
// session into storage, and lays out the screen of PRODUCT.md.
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { parseScenario } from '../sim/scenario';
import type { Scenario } from '../sim/types';
import { nextExpiry } from './components/ClockBar';
import { Dialog } from './components/Dialog';
import { createPersistence, type Preferences } from './persistence';
import { JUMPS, containsKeyEvent } from './playback';
import { SHORTCUTS, useShortcuts } from './shortcuts';
import { SimProvider, useSim } from './SimContext';
import { createSimStore, readSession, type SimStore } from './store';
import { SimulatorView } from './views/SimulatorView';

const SettingsDialog = lazy(() => import('./components/SettingsDialog').then((m) => ({ default: m.SettingsDialog })));

// Lessons and compare load on first use: the first paint needs only the simulator.
const LessonsView = lazy(() => import('./views/LessonsView').then((m) => ({ default: m.LessonsView })));
const CompareView = lazy(() => import('./views/CompareView').then((m) => ({ default: m.CompareView })));

export type Mode = 'sandbox' | 'lessons' | 'compare';
const MODES: { id: Mode; label: string }[] = [
  { id: 'sandbox', label: 'Sandbox' },
  { id: 'lessons', label: 'Lessons' },
  { id: 'compare', label: 'Compare' },
];

/** The sandbox's starting point: the recommended setup, nothing scripted, the user signed out. */
export const SANDBOX_SCENARIO: Scenario = (() => {
  const parsed = parseScenario({ format: 'tokenscope/1', title: 'Sandbox', config: { preset: 'rotating-refresh' }, steps: [] });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.scenario;
})();

function useTheme(theme: Preferences['theme']) {
  useEffect(() => {
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

export function App() {
  const [notice, setNotice] = useState<string | null>(null);
  const persistence = useMemo(() => createPersistence((message) => setNotice(message)), []);
  const store = useMemo(() => createSimStore(), []);
  const [preferences, setPreferences] = useState<Preferences>(() => persistence.getState().preferences);
  useTheme(preferences.theme);

  useEffect(() => {
    let cancelled = false;
    const saved = persistence.getState().session;
    const boot = async () => {
      if (saved) {
        const read = readSession(saved);
        if (read.ok) {
          try {
            await store.getState().load(read.scenario, read.ops);
            return;
          } catch (error) {
            if (!cancelled) setNotice(`Your saved session could not be replayed (${error instanceof Error ? error.message : String(error)}), so a fresh one was started.`);
          }
        } else if (!cancelled) {
          setNotice(`Your saved session could not be read (${read.error}), so a fresh one was started.`);
        }
      }
      await store.getState().load(SANDBOX_SCENARIO);
    };
    void boot();
    // Mirror the session into storage, at most a few times a second.
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.session === previous.session || !state.session) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => persistence.getState().setSession(store.getState().session), 250);
    });
    return () => {
      cancelled = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [persistence, store]);

  const updatePreferences = (patch: Partial<Preferences>) => {
    persistence.getState().setPreferences(patch);
    setPreferences(persistence.getState().preferences);
  };

  return (
    <SimProvider store={store}>
      <Shell store={store} notice={notice} dismissNotice={() => setNotice(null)} preferences={preferences} updatePreferences={updatePreferences} />
    </SimProvider>
  );
}

const headerButton =
  'rounded-md border border-slate-400 bg-white px-2.5 py-1 text-sm font-medium text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-800 dark:text-slate-50 dark:hover:bg-slate-700';

function Shell({
  store,
  notice,
  dismissNotice,
  preferences,
  updatePreferences,
}: {
  store: SimStore;
  notice: string | null;
  dismissNotice: () => void;
  preferences: Preferences;
  updatePreferences: (patch: Partial<Preferences>) => void;
}) {
  const view = useSim((s) => s.view);
  const [playing, setPlaying] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [mode, setMode] = useState<Mode>('sandbox');
  const controls = { playing, setPlaying, preferences, updatePreferences };
  const selectToken = useSim((s) => s.selectToken);

  const stopWhen = preferences.pauseOnKeyEvents ? containsKeyEvent : undefined;
  const sim = store.getState;
  const toggleTheme = () => {
    const dark = document.documentElement.classList.contains('dark');
    updatePreferences({ theme: dark ? 'light' : 'dark' });
  };
  useShortcuts({
    Space: () => setPlaying((p) => !p),
    ArrowRight: () => void sim().nextEvent(),
    ArrowLeft: () => void sim().stepBack(),
    ...Object.fromEntries(JUMPS.map((j) => [j.key, () => void sim().advanceBy(j.seconds, stopWhen)])),
    e: () => {
      const v = sim().view;
      const at = v ? nextExpiry(v) : null;
      if (at !== null) void sim().advanceTo(at, stopWhen);
    },
    s: () => setSettingsOpen(true),
    t: toggleTheme,
    '?': () => setHelpOpen((open) => !open),
    Escape: () => selectToken(null),
  });

  return (
    <div className="min-h-screen bg-slate-100 text-slate-900 dark:bg-slate-950 dark:text-slate-50">
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-300 bg-white px-4 py-2 dark:border-slate-800 dark:bg-slate-900">
        <div className="flex items-center gap-4">
          <h1 className="text-xl font-bold tracking-tight">tokenscope</h1>
          <nav aria-label="Mode" className="flex gap-1">
            {MODES.map((m) => (
              <button
                key={m.id}
                type="button"
                aria-current={mode === m.id ? 'page' : undefined}
                onClick={() => {
                  setPlaying(false);
                  setMode(m.id);
                }}
                className={`rounded-md px-3 py-1 text-sm font-semibold ${mode === m.id ? 'bg-teal-800 text-white' : 'text-slate-800 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800'}`}
              >
                {m.label}
              </button>
            ))}
          </nav>
        </div>
        <div className="flex items-center gap-2">
          {view && (
            <span className="text-sm text-slate-700 dark:text-slate-300">
              {view.scenario.title ?? 'Untitled'} · <span className="font-medium">{view.config.preset}</span>
            </span>
          )}
          <button type="button" className={headerButton} onClick={() => setSettingsOpen(true)} aria-keyshortcuts="S">
            Settings
          </button>
          <button type="button" className={headerButton} onClick={toggleTheme} aria-keyshortcuts="T">
            Theme: {preferences.theme === 'system' ? 'system' : preferences.theme}
          </button>
          <button type="button" className={headerButton} onClick={() => setHelpOpen(true)} aria-keyshortcuts="?">
            ? Help
          </button>
        </div>
      </header>
      {notice && (
        <div role="status" className="mx-4 mt-2 flex items-center justify-between gap-2 rounded border border-amber-600 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-50">
          <span>⚠ {notice}</span>
          <button type="button" className="underline" onClick={dismissNotice}>
            Dismiss
          </button>
        </div>
      )}
      <main className="p-3">
        <Suspense fallback={<p role="status">Loading…</p>}>
          {mode === 'sandbox' && <SimulatorView {...controls} />}
          {mode === 'lessons' && <LessonsView {...controls} onExplore={() => setMode('sandbox')} />}
          {mode === 'compare' && <CompareView {...controls} />}
        </Suspense>
      </main>
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
        />
        </Suspense>
      )}
      <Dialog open={helpOpen} title="Keyboard shortcuts" onClose={() => setHelpOpen(false)}>
        <table className="w-full text-sm">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys} className="border-b border-slate-200 dark:border-slate-700">
                <th scope="row" className="py-1 pr-3 text-left font-mono">
                  {s.keys}
                </th>
                <td className="py-1">{s.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-2 text-sm">Shortcuts do nothing while you type in a field. Every control is also reachable with Tab.</p>
      </Dialog>
    </div>
  );
}
