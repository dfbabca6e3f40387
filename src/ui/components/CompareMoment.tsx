// The shared clock of a comparison: both worlds stopped at the same simulated instant, and what
// the attacker holds in each at that moment, side by side. Each side is its own store instance
// (its own World, in its own engine worker); moving the clock forward continues both runs, moving
// it back rebuilds them.
import { useEffect, useId, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { Scenario, Seconds, TokenLabel } from '../../sim/types';
import { clusterMarkers, SIDE_LETTER, SIDES, type AxisMarker, type Side } from '../compare';
import { formatElapsed, formatInstant, formatSpan } from '../format';
import { HORIZON } from '../engine/protocol';
import { createSimStore, type SimStore } from '../store';
import { accessRecord, refreshStatus } from '../token-status';
import type { WorldView } from '../view';

export interface CompareMomentProps {
  scenarios: Record<Side, Scenario>;
  /** How each side is named in headings. */
  names: Record<Side, string>;
  end: Seconds;
  markers: readonly AxisMarker[];
  /** Tells the picture which moment is shown (null: none yet). */
  onMoment: (t: Seconds | null) => void;
}

const button =
  'rounded-md border border-slate-500 bg-white px-2.5 py-1 text-sm font-medium text-slate-900 hover:bg-slate-100 aria-disabled:cursor-wait aria-disabled:opacity-70 dark:border-slate-400 dark:bg-slate-800 dark:text-slate-50 dark:hover:bg-slate-700';

/** A slider step that gives a few hundred positions over the run, in whole minutes when long. */
function sliderStep(end: Seconds): Seconds {
  if (end <= 600) return 1;
  return Math.max(60, Math.round(end / 600 / 60) * 60);
}

function accessWords(view: WorldView, label: TokenLabel): { ok: boolean | null; text: string } {
  const record = accessRecord(view, label);
  if (!record) return { ok: false, text: 'unknown' };
  if (!record.genuine || !record.audienceOk) return { ok: false, text: 'not a token this API accepts' };
  const until = record.expiresAt + view.config.resourceServer.leeway;
  if (view.t >= until) return { ok: false, text: `expired ${formatSpan(view.t - until)} ago` };
  // Sender-constrained: whether the thief can use it depends on the key, which the line above says.
  if (record.claims.cnf)
    return {
      ok: null,
      text: `bound to a DPoP key: accepted for ${formatSpan(until - view.t)} more, but only with a proof signed by that key`,
    };
  if (view.config.resourceServer.validation === 'introspection') {
    const grant = record.grantId ? view.state.authServer.grants[record.grantId] : undefined;
    if (!grant || grant.revoked) return { ok: false, text: 'not expired, but the AS says inactive (revoked)' };
    if (view.state.authServer.phase === 'userSuspended')
      return { ok: false, text: 'not expired, but the AS says inactive (user suspended)' };
  }
  return { ok: true, text: `accepted for ${formatSpan(until - view.t)} more` };
}

const REFRESH_WORDS = {
  active: { ok: true, text: 'active at the AS' },
  consumed: { ok: false, text: 'already used (rotated)' },
  revoked: { ok: false, text: 'revoked at the AS' },
  expired: { ok: false, text: 'past its lifetime' },
} as const;

function Holding({ label, ok, text }: { label: string; ok: boolean | null; text: string }) {
  return (
    <li>
      <span className="font-mono font-semibold">{label}</span> {ok !== null && <span aria-hidden="true">{ok ? '✓' : '✗'}</span>} {text}
    </li>
  );
}

function AttackerAtMoment({ side, name, view, remaining }: { side: Side; name: string; view: WorldView; remaining: Seconds }) {
  const headingId = useId();
  const { attacker, authServer } = view.state;
  const canCall = remaining > 0;
  const m = view.metrics.attacker;
  const suspended = authServer.phase === 'userSuspended';
  return (
    <section aria-labelledby={headingId} className="rounded-md border-2 border-red-700 p-2 dark:border-red-400">
      <h4 id={headingId} className="text-sm font-bold">
        {SIDE_LETTER[side]} · {name}
      </h4>
      <p
        className={`mt-1 rounded px-2 py-1 text-sm font-semibold ${
          canCall
            ? 'bg-red-100 text-red-950 dark:bg-red-950 dark:text-red-50'
            : 'bg-emerald-50 text-emerald-950 dark:bg-emerald-950 dark:text-emerald-50'
        }`}
      >
        {canCall
          ? `⚠ The attacker could call the API now${remaining < HORIZON ? `, for ${formatSpan(remaining)} more unless something changes` : ', with no end in sight'}.`
          : '✓ The attacker could not call the API successfully now.'}
      </p>
      <ul className="mt-1 text-sm">
        {attacker.accessTokens.length + attacker.refreshTokens.length === 0 && attacker.password === null && <li>It holds nothing.</li>}
        {attacker.accessTokens.slice(-2).map((label) => (
          <Holding key={label} label={label} {...accessWords(view, label)} />
        ))}
        {attacker.refreshTokens.slice(-2).map((label) => {
          const status = refreshStatus(view, label);
          const words = status ? REFRESH_WORDS[status] : { ok: false, text: 'unknown' };
          return (
            <Holding
              key={label}
              label={label}
              ok={words.ok && !suspended}
              text={suspended && words.ok ? `${words.text}, but the user is suspended` : words.text}
            />
          );
        })}
        {attacker.password !== null && (
          <Holding
            label="password"
            ok={attacker.password === authServer.passwordVersion && !suspended}
            text={attacker.password === authServer.passwordVersion ? 'still the user’s password' : 'changed since'}
          />
        )}
      </ul>
      <p className="mt-1 text-sm text-slate-800 dark:text-slate-200">
        So far: exposed {formatSpan(m.exposureSeconds)}; {m.apiCallsOk} successful and {m.apiCallsRejected} rejected API calls.
      </p>
    </section>
  );
}

function SideView({ store, side, name, remaining }: { store: SimStore; side: Side; name: string; remaining: Seconds }) {
  const view = useStore(store, (s) => s.view);
  if (!view) return null;
  return <AttackerAtMoment side={side} name={name} view={view} remaining={remaining} />;
}

export function CompareMoment({ scenarios, names, end, markers, onMoment }: CompareMomentProps) {
  const [stores] = useState<Record<Side, SimStore>>(() => ({ a: createSimStore(), b: createSimStore() }));
  const [target, setTarget] = useState<Seconds>(0);
  const [shown, setShown] = useState<{ t: Seconds; remaining: Record<Side, Seconds> } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const request = useRef(0);
  const sliderId = useId();
  const headingId = useId();
  const progressA = useStore(stores.a, (s) => s.progress);
  const progressB = useStore(stores.b, (s) => s.progress);

  // A new comparison: forget the old moment.
  const firstMarker = markers[0]?.t ?? 0;
  useEffect(() => {
    request.current++;
    for (const side of SIDES) stores[side].getState().cancel();
    setShown(null);
    setBusy(false);
    setTarget(Math.min(end, firstMarker + 60));
    onMoment(null);
  }, [scenarios, onMoment, end, firstMarker, stores]);
  // Leaving stops both engines.
  useEffect(
    () => () => {
      request.current++;
      for (const side of SIDES) stores[side].getState().dispose();
    },
    [stores],
  );

  async function show(t: Seconds) {
    const id = ++request.current;
    setBusy(true);
    setError(null);
    setTarget(t);
    try {
      await Promise.all(
        SIDES.map(async (side) => {
          const store = stores[side];
          const view = store.getState().view;
          // Going back (or a new script) rebuilds the world; going forward continues it.
          if (!view || view.scenario !== scenarios[side] || view.t > t) await store.getState().load(scenarios[side]);
          await store.getState().advanceTo(t);
        }),
      );
      if (request.current !== id) return;
      const remaining = (side: Side) => stores[side].getState().view?.remainingExposure ?? 0;
      setShown({ t, remaining: { a: remaining('a'), b: remaining('b') } });
      onMoment(t);
    } catch (e) {
      if (request.current === id) setError(e instanceof Error ? e.message : String(e));
    } finally {
      if (request.current === id) setBusy(false);
    }
  }

  /** Buttons stay focusable while busy (aria-disabled), so a click then does nothing. */
  const go = (t: Seconds) => {
    if (!busy) void show(t);
  };
  const step = sliderStep(end);
  // One button per group of repeats (a theft every 5 minutes is one jump), at most eight.
  const jumps = clusterMarkers(markers, end / 100).slice(0, 8);
  const percent = (p: typeof progressA) => (p && p.to > p.from ? Math.round(((p.at - p.from) / (p.to - p.from)) * 100) : null);

  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-2 border-t border-slate-300 pt-3 dark:border-slate-700">
      <h3 id={headingId} className="text-base font-bold">
        Both worlds at one moment
      </h3>
      <p className="text-sm text-slate-800 dark:text-slate-200">
        Stop both runs at the same simulated instant and see what the attacker holds in each.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={sliderId} className="text-sm font-semibold">
          Moment
        </label>
        <input
          id={sliderId}
          type="range"
          min={0}
          max={end}
          step={step}
          value={target}
          onChange={(e) => setTarget(Number(e.target.value))}
          aria-valuetext={`${formatInstant(scenarios.a.epochSeconds + target)} (${formatElapsed(target)})`}
          className="w-full max-w-md accent-teal-700"
        />
        <output htmlFor={sliderId} className="text-sm tabular-nums">
          {formatInstant(scenarios.a.epochSeconds + target)} ({formatElapsed(target)})
        </output>
        <button type="button" className={button} aria-disabled={busy} onClick={() => go(target)}>
          Show both at this moment
        </button>
      </div>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-semibold">{jumps.length > 0 ? 'Jump to a minute after:' : 'Jump to:'}</span>
        {jumps.map((m) => (
          <button
            key={`${m.label}@${m.t}`}
            type="button"
            className={button}
            aria-disabled={busy}
            onClick={() => go(Math.min(end, m.t + 60))}
          >
            {m.label} ({formatElapsed(m.t)})
          </button>
        ))}
        <button type="button" className={button} aria-disabled={busy} onClick={() => go(end)}>
          the end
        </button>
      </div>
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <p role="status">
          {busy
            ? `Simulating both worlds to ${formatElapsed(target)}…`
            : error
              ? `Could not simulate that moment: ${error}`
              : shown !== null
                ? `Both worlds at ${formatInstant(scenarios.a.epochSeconds + shown.t)} (${formatElapsed(shown.t)}).`
                : ''}
        </p>
        {/* Progress is shown, not announced: the status above says what is going on. */}
        {busy && (
          <p aria-hidden="true" className="tabular-nums text-slate-700 dark:text-slate-300">
            {SIDES.map((side, i) => {
              const p = percent(i === 0 ? progressA : progressB);
              return `${SIDE_LETTER[side]}: ${p === null ? '…' : `${p} %`}`;
            }).join('  ·  ')}
          </p>
        )}
      </div>
      {shown !== null && (
        <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
          {SIDES.map((side) => (
            <SideView key={side} store={stores[side]} side={side} name={names[side]} remaining={shown.remaining[side]} />
          ))}
        </div>
      )}
    </section>
  );
}
