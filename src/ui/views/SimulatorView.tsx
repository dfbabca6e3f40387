// The simulator screen of PRODUCT.md: the clock bar, the four party panels, what happened
// (sequence diagram / token timeline) and the narration with the token inspector. The sandbox
// shows it as is; lessons put their script controls above it. In presenter mode the diagram takes
// the full width and the newest narration line shows as a caption bar.
import { lazy, Suspense, useDeferredValue, useEffect, useState, type ReactNode } from 'react';
import { ClockBar } from '../components/ClockBar';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { AttackerPanel, AuthServerPanel, ClientPanel, ResourceServerPanel } from '../components/PartyPanels';
import type { Preferences } from '../persistence';
import { SPEEDS } from '../playback';
import { useSim } from '../SimContext';

// Drawn after the first paint: the panels and the clock are what make the page usable.
const NarrationPanel = lazy(() => import('../components/NarrationPanel').then((m) => ({ default: m.NarrationPanel })));
const SequenceDiagram = lazy(() => import('../components/SequenceDiagram').then((m) => ({ default: m.SequenceDiagram })));
const TokenInspector = lazy(() => import('../components/TokenInspector').then((m) => ({ default: m.TokenInspector })));
const CaptionBar = lazy(() => import('../components/CaptionBar').then((m) => ({ default: m.CaptionBar })));
// The timeline's code is fetched when the browser is idle after the first paint, so a switch to
// its tab draws it at once: a lazy component shows "Loading…" first, and React then holds the
// fallback for about 300 ms before it reveals the content.
let timelineModule: typeof import('../components/TokenTimeline') | null = null;
const loadTimeline = () => import('../components/TokenTimeline').then((m) => (timelineModule = m));
const LazyTokenTimeline = lazy(() => loadTimeline().then((m) => ({ default: m.TokenTimeline })));

export interface PlaybackControls {
  playing: boolean;
  setPlaying: (playing: boolean) => void;
  preferences: Preferences;
  updatePreferences: (patch: Partial<Preferences>) => void;
}

/** The simulator's parts, for a frame to lay out: the clock bar, the four parties (in a grid with these column classes), the rest. */
export interface SimulatorParts {
  clock: ReactNode;
  parties: (columns: string) => ReactNode;
  rest: ReactNode;
}

function plainFrame({ clock, parties, rest }: SimulatorParts): ReactNode {
  return (
    <>
      {clock}
      {parties('md:grid-cols-2 xl:grid-cols-4')}
      {rest}
    </>
  );
}

export function SimulatorView({
  playing,
  setPlaying,
  preferences,
  updatePreferences,
  caption = true,
  frame = plainFrame,
}: PlaybackControls & {
  /** Presenter mode's caption bar (lessons show their own step text instead). */
  caption?: boolean;
  /** Lays the parts out (lessons: beside the lesson, veiled while a question is open); by default one after another. */
  frame?: (parts: SimulatorParts) => ReactNode;
}) {
  const status = useSim((s) => s.status);
  const view = useSim((s) => s.view);
  const selectedToken = useSim((s) => s.selectedToken);
  const selectToken = useSim((s) => s.selectToken);
  const verdict = useSim((s) => s.verdict);
  const [tab, setTab] = useState<'sequence' | 'timeline'>('sequence');
  useEffect(() => {
    if (timelineModule) return;
    const idle = typeof requestIdleCallback === 'function' ? requestIdleCallback : (run: () => void) => setTimeout(run, 1000);
    idle(() => void loadTimeline());
  }, []);
  const TokenTimeline = timelineModule?.TokenTimeline ?? LazyTokenTimeline;
  // The long views (diagram, timeline, narration) follow the clock and the panels in a render of
  // their own: React paints the new moment first and draws the long lists right after, in a
  // render it can pause between components, instead of holding the clock back behind them.
  const deferredView = useDeferredValue(view);

  if (status !== 'ready' || !view) {
    return (
      <p className="p-6" role="status">
        Starting the simulation…
      </p>
    );
  }
  // The first view is drawn at once (there is nothing to show before it).
  const listView = deferredView ?? view;
  const clock = (
    <ClockBar
      playing={playing}
      setPlaying={setPlaying}
      speedIndex={Math.min(preferences.speedIndex, SPEEDS.length - 1)}
      setSpeedIndex={(i) => updatePreferences({ speedIndex: i })}
      pauseOnKeyEvents={preferences.pauseOnKeyEvents}
      setPauseOnKeyEvents={(on) => updatePreferences({ pauseOnKeyEvents: on })}
    />
  );
  const parties = (columns: string) => (
    <ErrorBoundary label="party panels">
      <div className={`grid grid-cols-1 gap-3 ${columns}`}>
        <ClientPanel />
        <AttackerPanel />
        <AuthServerPanel />
        <ResourceServerPanel />
      </div>
    </ErrorBoundary>
  );
  const rest = (
    <>
      {/* Presenter mode: the diagram takes the full width (the caption bar shows the newest
          narration line; the full log follows below). */}
      <div className={`grid grid-cols-1 gap-3 ${preferences.presenter ? '' : 'lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]'}`}>
        <section
          aria-label="What happened"
          className="min-w-0 rounded-lg border border-slate-300 bg-white p-2 dark:border-slate-700 dark:bg-slate-900"
        >
          <div role="tablist" aria-label="Views of what happened" className="mb-2 flex gap-1">
            {(
              [
                ['sequence', 'Sequence diagram'],
                ['timeline', 'Token timeline'],
              ] as const
            ).map(([id, label]) => (
              <button
                key={id}
                type="button"
                role="tab"
                id={`tab-${id}`}
                aria-selected={tab === id}
                aria-controls={`panel-${id}`}
                tabIndex={tab === id ? 0 : -1}
                onClick={() => setTab(id)}
                onKeyDown={(e) => {
                  if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                    e.preventDefault();
                    const nextTab = tab === 'sequence' ? 'timeline' : 'sequence';
                    setTab(nextTab);
                    document.getElementById(`tab-${nextTab}`)?.focus();
                  }
                }}
                className={`rounded-t px-3 py-1 text-sm font-semibold ${tab === id ? 'border-b-4 border-teal-700 text-slate-900 dark:text-slate-50' : 'text-slate-600 dark:text-slate-400'}`}
              >
                {label}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
            <ErrorBoundary label={tab === 'sequence' ? 'sequence diagram' : 'token timeline'}>
              <Suspense fallback={<p>Loading…</p>}>
                {tab === 'sequence' ? (
                  <SequenceDiagram
                    events={listView.events}
                    groups={listView.reading?.sequenceGroups}
                    epochSeconds={listView.epochSeconds}
                    now={listView.t}
                    selectedToken={selectedToken}
                    onSelectToken={selectToken}
                    title={listView.scenario.title}
                  />
                ) : (
                  <TokenTimeline view={listView} selectedToken={selectedToken} onSelectToken={selectToken} />
                )}
              </Suspense>
            </ErrorBoundary>
          </div>
        </section>
        <div className="flex min-w-0 flex-col gap-3">
          {selectedToken && (
            <ErrorBoundary label="token inspector">
              <Suspense fallback={<p>Loading the inspector…</p>}>
                <TokenInspector view={view} label={selectedToken} verdict={verdict} onClose={() => selectToken(null)} />
              </Suspense>
            </ErrorBoundary>
          )}
          <ErrorBoundary label="narration">
            <Suspense fallback={<p>Loading the narration…</p>}>
              <NarrationPanel view={listView} selectedToken={selectedToken} onSelectToken={selectToken} />
            </Suspense>
          </ErrorBoundary>
        </div>
      </div>
    </>
  );
  return (
    <div className="relative flex flex-col gap-3">
      {frame({ clock, parties, rest })}
      {preferences.presenter && caption && (
        <>
          {/* Room to scroll the page's end above the caption bar, which is fixed at the bottom. */}
          <div aria-hidden="true" className="h-36" />
          <ErrorBoundary label="caption bar">
            <Suspense fallback={null}>
              <CaptionBar view={view} />
            </Suspense>
          </ErrorBoundary>
        </>
      )}
    </div>
  );
}
