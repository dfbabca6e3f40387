// The clock bar: the simulated instant, play/pause with a named log-scale speed, next event,
// step back, and the jumps. Playback (usePlayback) is the only place wall time becomes
// simulated time.
import { useEffect, useId, useRef } from 'react';
import { formatClock, formatElapsed, formatInstant, formatSpan } from '../format';
import { JUMPS, SPEEDS, STOP_ON_KEY_EVENTS } from '../playback';
import { useSim, useSimStore } from '../SimContext';
import { refreshDeadline } from '../token-status';
import type { WorldView } from '../view';

const button =
  'rounded-md border border-slate-400 bg-white px-2.5 py-1 text-sm font-medium text-slate-900 hover:bg-slate-100 aria-disabled:cursor-not-allowed aria-disabled:opacity-60 dark:border-slate-500 dark:bg-slate-800 dark:text-slate-50 dark:hover:bg-slate-700';

/** The next instant at which a token held by the client or the attacker expires. */
export function nextExpiry(view: WorldView): number | null {
  const candidates: number[] = [];
  const labels = [view.state.client.accessToken, ...view.state.attacker.accessTokens].filter((l): l is string => l !== null);
  for (const label of labels) {
    const record = view.accessTokens.find((r) => r.label === label);
    if (record) candidates.push(record.expiresAt + view.config.resourceServer.leeway);
  }
  for (const label of [view.state.client.refreshToken, ...view.state.attacker.refreshTokens]) {
    const deadline = label ? refreshDeadline(view, label) : null;
    if (deadline !== null) candidates.push(deadline);
  }
  const future = candidates.filter((c) => c > view.t);
  return future.length ? Math.min(...future) : null;
}

/** Esc cancels the run in progress (the clock stays where it had got to), while one is. */
function useCancelKey(active: boolean, cancel: () => void): void {
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      e.preventDefault();
      cancel();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [active, cancel]);
}

export function usePlayback(playing: boolean, speed: number, pauseOnKeyEvents: boolean, onStop: () => void): void {
  const store = useSimStore();
  const onStopRef = useRef(onStop);
  useEffect(() => {
    onStopRef.current = onStop;
  });
  useEffect(() => {
    if (!playing) return;
    let frame = 0;
    let last = performance.now();
    let carry = 0;
    let inFlight = false;
    let cancelled = false;
    const stop = pauseOnKeyEvents ? STOP_ON_KEY_EVENTS : undefined;
    const tick = (time: number) => {
      if (cancelled) return;
      // Cap the backlog so a slow frame never snowballs into a long block.
      carry = Math.min(carry + ((time - last) / 1000) * speed, speed / 4 + 1);
      last = time;
      const whole = Math.floor(carry);
      if (whole >= 1 && !inFlight) {
        carry -= whole;
        inFlight = true;
        void store
          .getState()
          .advanceBy(whole, stop)
          .then((result) => {
            inFlight = false;
            if (result.stopped && !cancelled) onStopRef.current();
          });
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => {
      cancelled = true;
      cancelAnimationFrame(frame);
    };
  }, [playing, speed, pauseOnKeyEvents, store]);
}

export function ClockBar({
  playing,
  setPlaying,
  speedIndex,
  setSpeedIndex,
  pauseOnKeyEvents,
  setPauseOnKeyEvents,
}: {
  playing: boolean;
  setPlaying: (playing: boolean) => void;
  speedIndex: number;
  setSpeedIndex: (index: number) => void;
  pauseOnKeyEvents: boolean;
  setPauseOnKeyEvents: (on: boolean) => void;
}) {
  const view = useSim((s) => s.view)!;
  const progress = useSim((s) => s.progress);
  const { advanceBy, advanceTo, nextEvent, stepBack, cancel } = useSim((s) => s);
  const speedId = useId();
  const pauseId = useId();
  const speed = SPEEDS[speedIndex] ?? SPEEDS[2]!;
  usePlayback(playing, speed.simSecondsPerSecond, pauseOnKeyEvents, () => setPlaying(false));

  const now = view.epochSeconds + view.t;
  const next = view.next;
  const expiry = nextExpiry(view);
  const stop = pauseOnKeyEvents ? STOP_ON_KEY_EVENTS : undefined;
  useCancelKey(progress !== null, cancel);

  return (
    <section
      aria-label="Clock"
      className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-lg border border-slate-300 bg-slate-50 px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
    >
      <div className="flex flex-col">
        <span
          role="timer"
          aria-label="Simulated time"
          className="font-mono text-xl font-bold tabular-nums text-slate-900 dark:text-slate-50"
        >
          {formatInstant(now)}
        </span>
        <span className="text-sm text-slate-700 dark:text-slate-300">
          {formatElapsed(view.t)} since start{view.end > 0 ? ` · script ends ${formatClock(view.epochSeconds + view.end, now)}` : ''}
        </span>
      </div>
      <div className="flex flex-wrap items-center gap-1.5">
        <button type="button" className={`${button} min-w-20 font-bold`} onClick={() => setPlaying(!playing)} aria-keyshortcuts="Space">
          {playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <label htmlFor={speedId} className="text-sm">
          Speed
        </label>
        <input
          id={speedId}
          type="range"
          min={0}
          max={SPEEDS.length - 1}
          step={1}
          value={speedIndex}
          aria-valuetext={speed.name}
          onChange={(e) => setSpeedIndex(Number(e.target.value))}
          className="w-28 accent-teal-700"
        />
        <span className="w-24 text-sm tabular-nums">{speed.name}</span>
      </div>
      <div className="flex flex-wrap items-center gap-1.5">
        <button
          type="button"
          className={button}
          aria-keyshortcuts="ArrowLeft"
          aria-disabled={view.opCount === 0 || undefined}
          onClick={() => view.opCount > 0 && void stepBack()}
        >
          ← Step back
        </button>
        <button
          type="button"
          className={button}
          aria-keyshortcuts="ArrowRight"
          aria-disabled={!next || undefined}
          title={next ? `Next: ${formatClock(view.epochSeconds + next.time, now)}` : 'Nothing is scheduled'}
          onClick={() => next && void nextEvent()}
        >
          Next event →
        </button>
        {JUMPS.map((jump) => (
          <button
            key={jump.key}
            type="button"
            className={button}
            aria-keyshortcuts={jump.key}
            onClick={() => void advanceBy(jump.seconds, stop)}
          >
            {jump.label}
          </button>
        ))}
        <button
          type="button"
          className={button}
          aria-disabled={expiry === null || undefined}
          title={expiry === null ? 'No held token has an expiry ahead' : `Jump to ${formatClock(view.epochSeconds + expiry, now)}`}
          onClick={() => expiry !== null && void advanceTo(expiry, stop)}
        >
          To next expiry{expiry !== null ? ` (${formatSpan(expiry - view.t)})` : ''}
        </button>
      </div>
      <div className="flex items-center gap-1.5 text-sm">
        <input id={pauseId} type="checkbox" checked={pauseOnKeyEvents} onChange={(e) => setPauseOnKeyEvents(e.target.checked)} />
        <label htmlFor={pauseId}>
          Stop on key events<span className="presenter-hide"> (theft, rejection, revocation)</span>
        </label>
      </div>
      {progress && (
        <div className="flex w-full flex-wrap items-center gap-2 text-sm">
          <div role="status" className="flex items-center gap-2">
            <progress
              max={progress.to - progress.from}
              value={progress.at - progress.from}
              className="w-64"
              aria-label={progress.kind === 'replay' ? 'Replaying' : 'Simulating'}
            />
            {progress.kind === 'replay'
              ? `replaying… ${progress.at.toLocaleString('en')} of ${progress.to.toLocaleString('en')} events`
              : `simulating… ${formatSpan(progress.at - progress.from)} of ${formatSpan(progress.to - progress.from)}`}
          </div>
          <button type="button" className={button} aria-keyshortcuts="Escape" onClick={cancel}>
            Cancel<span className="presenter-hide"> (Esc)</span>
          </button>
        </div>
      )}
    </section>
  );
}
