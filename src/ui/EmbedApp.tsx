// The embed layout (`?embed=1`, README "Embed it in a page"): what a course page or a blog post
// shows in an <iframe>. No app header: a slim bar with the title and "Open in tokenscope" (the
// full app in a new tab), then the lesson (#lesson=<id>), the comparison (#compare=…), the shared
// session (#s=…) or the sandbox. boot.ts gave it storage in memory only, so it neither reads nor
// writes the visitor's saved session or preferences; the fragment stays, so reloading the frame
// reopens the same thing.
import { lazy, Suspense, useCallback, useEffect, useLayoutEffect, useState } from 'react';
import type { Boot } from './boot';
import type { Announce } from './announce';
import { deepLinkFragment, readDeepLink } from './deep-link';
import { appUrls } from './embed-link';
import { DEFAULT_PREFERENCES, type Mode, type Preferences } from './persistence';
import { useStore } from 'zustand';
import { sandboxWithSettingsOf } from './script';
import { SimProvider } from './SimContext';
import { SimulatorView } from './views/SimulatorView';

const LessonsView = lazy(() => import('./views/LessonsView').then((m) => ({ default: m.LessonsView })));
const CompareView = lazy(() => import('./views/CompareView').then((m) => ({ default: m.CompareView })));

/** The colour scheme of the visitor's system (an embed has no theme setting of its own). */
function useSystemTheme() {
  useLayoutEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => document.documentElement.classList.toggle('dark', media.matches);
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, []);
}

export function EmbedApp({ boot }: { boot: Boot }) {
  const { store } = boot;
  const [link] = useState(() => readDeepLink(window.location.hash));
  const [mode, setMode] = useState<Mode>(link?.kind === 'lesson' ? 'lessons' : link?.kind === 'compare' ? 'compare' : 'sandbox');
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [preferences, setPreferences] = useState<Preferences>({ ...DEFAULT_PREFERENCES, mode });
  const [playing, setPlaying] = useState(false);
  const updatePreferences = useCallback((patch: Partial<Preferences>) => setPreferences((p) => ({ ...p, ...patch })), []);
  useSystemTheme();

  // Only errors are shown: a shared link's "opened" message speaks of Branches, which an embed has not.
  const announce = useCallback<Announce>((text, tone) => {
    if (tone === 'error') setError(text);
  }, []);

  useEffect(() => boot.onNotice(setError), [boot]);
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      await boot.ready;
      if (link?.kind === 'share') {
        const { openShareLink } = await import('./share-open');
        await openShareLink(link.fragment, () => store, { announce, setMode, cancelled: () => cancelled });
      } else if (window.location.hash && !link) {
        announce(`✗ This embed's link could not be read (${window.location.hash.slice(0, 40)}); the sandbox is shown instead.`, 'error');
      }
      if (!cancelled) setReady(true);
    })();
    return () => {
      cancelled = true;
    };
  }, [boot, store, link, announce]);

  const scenarioTitle = useStore(store, (s) => s.view?.scenario.title);
  const title = mode === 'compare' ? 'Compare two setups' : scenarioTitle;
  const controls = { playing, setPlaying, preferences, updatePreferences };
  const openHref = `${appUrls(window.location).app}${link ? deepLinkFragment(link) : ''}`;

  return (
    <SimProvider store={store}>
      <div className="min-h-screen bg-slate-100 text-slate-900 dark:bg-slate-950 dark:text-slate-50">
        <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 border-b border-slate-300 bg-white px-3 py-1.5 dark:border-slate-800 dark:bg-slate-900">
          <h1 className="min-w-0 truncate text-sm">
            <span className="font-bold">tokenscope</span>
            {title && <span> · {title}</span>}
          </h1>
          <a
            href={openHref}
            target="_blank"
            rel="noopener"
            className="text-sm font-semibold text-teal-800 underline hover:text-teal-950 dark:text-teal-300 dark:hover:text-teal-100"
          >
            Open in tokenscope<span aria-hidden="true"> ↗</span>
            <span className="sr-only"> (opens in a new tab)</span>
          </a>
        </div>
        <div role="alert">
          {error && (
            <div className="mx-2 mt-2 flex items-center justify-between gap-2 rounded border border-red-700 bg-red-50 px-3 py-2 text-sm text-red-950 dark:border-red-400 dark:bg-red-950 dark:text-red-50">
              <span className="min-w-0 break-words">{error}</span>
              <button type="button" className="shrink-0 underline" onClick={() => setError(null)}>
                Dismiss
              </button>
            </div>
          )}
        </div>
        {/* Named, so several embeds on one page are landmarks a screen-reader user can tell apart. */}
        <main className="p-2" aria-label={`tokenscope${title ? `: ${title}` : ''}`}>
          {!ready ? (
            <p role="status">Starting the simulation…</p>
          ) : (
            <Suspense fallback={<p role="status">Loading…</p>}>
              {mode === 'sandbox' && <SimulatorView {...controls} />}
              {mode === 'lessons' && (
                <LessonsView
                  {...controls}
                  startLessonId={link?.kind === 'lesson' ? link.id : undefined}
                  resumeLoaded={link?.kind === 'share'}
                  ready={ready}
                  // One world in an embed: exploring leaves the script there; "keep exploring" empties it.
                  onExplore={() =>
                    void store
                      .getState()
                      .detachScript()
                      .then(() => setMode('sandbox'))
                  }
                  onKeepExploring={(scenario) =>
                    void store
                      .getState()
                      .load(sandboxWithSettingsOf(scenario))
                      .then(() => setMode('sandbox'))
                  }
                />
              )}
              {mode === 'compare' && <CompareView {...controls} initial={link?.kind === 'compare' ? link : undefined} />}
            </Suspense>
          )}
        </main>
      </div>
    </SimProvider>
  );
}
