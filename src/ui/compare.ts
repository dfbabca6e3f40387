// The compare view's read model, as pure functions: the measures table of SEMANTICS.md §9 for
// two runs of one script (which value is better per row, and the difference in words), the
// attacker's exposure windows for the bars (computed exactly by re-running the core: in
// compare-run.ts, off the main thread), the events worth marking on the shared time axis, and the
// axis ticks. No React, no DOM, no wall clock.
import { PRESET_IDS, PRESETS } from '../sim/config';
import { withPreset } from '../sim/scenario';
import type { Metrics, PresetId, Scenario, Seconds, SimEvent } from '../sim/types';
import { formatElapsed, formatInstant, formatSpan } from './format';

export type Side = 'a' | 'b';
export const SIDES: readonly Side[] = ['a', 'b'];
export const SIDE_LETTER: Record<Side, 'A' | 'B'> = { a: 'A', b: 'B' };

// ---------------------------------------------------------------------------------------------
// Configurations a reader can pick

/** A preset, or the script's own configuration (a lesson's tuned settings, e.g. an idle lifetime). */
export type ConfigChoice = PresetId | 'script';

/** Presets the core can run: DPoP is listed only once the core implements sender constraints. */
export function comparablePresets(dpopSupported = false): PresetId[] {
  return PRESET_IDS.filter((id) => id !== 'dpop-bound' || dpopSupported);
}

/** Short names for sentences ("… longer under A (long-lived access token)"). */
export const PRESET_SHORT_NAMES: Readonly<Record<PresetId, string>> = {
  'long-lived-access': 'long-lived access token',
  'short-access-only': 'short access token only',
  'stored-password': 'stored password (legacy password grant)',
  'introspected-access': 'introspection on every call',
  'static-refresh': 'static refresh token',
  'rotating-refresh': 'rotating refresh token',
  'dpop-bound': 'DPoP-bound tokens',
  bff: 'tokens at a BFF',
};

/** The script as it will run on one side. */
export function scenarioFor(script: Scenario, choice: ConfigChoice): Scenario {
  return choice === 'script' ? script : withPreset(script, choice);
}

/** True when the script's own configuration differs from its preset (so "script" is worth offering). */
export function hasOwnSettings(script: Scenario): boolean {
  return JSON.stringify(script.config) !== JSON.stringify(PRESETS[script.config.preset]);
}

// ---------------------------------------------------------------------------------------------
// The measures table

export type MeasureId =
  | 'exposure'
  | 'attackerCallsOk'
  | 'attackerLastCallOk'
  | 'revocationLag'
  | 'passwordPrompts'
  | 'userCallsRejected'
  | 'userCallsOk'
  | 'tokenRequests'
  | 'stateLookups'
  | 'introspections';

export type MeasureGroup = 'Attacker' | 'User' | 'Load';

/** Which way a row is better. `earlier` is for an instant where "never" (null) is best. */
export type Direction = 'lower' | 'higher' | 'earlier';

export interface MeasureValue {
  /** The raw number from the metrics (seconds or a count); null where the metric is null. */
  raw: number | null;
  /** Exact, human-readable: "28 d 21 h 58 min", "2,775", "never", "Fri 30 Jan 2026 08:47:00". */
  text: string;
  /** A second, smaller line where it helps (e.g. the elapsed time of an instant), or null. */
  detail: string | null;
}

export interface MeasureRow {
  id: MeasureId;
  group: MeasureGroup;
  label: string;
  direction: Direction;
  /** Which direction is better, and why, in one sentence. */
  why: string;
  a: MeasureValue;
  b: MeasureValue;
  /** The better side; null when equal or not comparable. */
  better: Side | null;
  /** The difference in words. */
  words: string;
}

const NUMBER = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return NUMBER.format(n);
}

/** Every unit, largest first, nothing dropped: "28 d 21 h 58 min", "3 min", "0 s". */
export function formatExactSpan(seconds: number): string {
  let rest = Math.abs(Math.round(seconds));
  if (rest === 0) return '0 s';
  const out: string[] = [];
  for (const [name, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out.push(`${n} ${name}`);
    rest -= n * size;
  }
  return out.join(' ');
}

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

interface Names {
  a: string;
  b: string;
}

/** How one measure reads: its value, its direction and its sentences. */
interface MeasureSpec {
  id: MeasureId;
  group: MeasureGroup;
  label: string;
  direction: Direction;
  why: string;
  get: (m: Metrics) => number | null;
  show: (raw: number | null, epochSeconds: number) => Omit<MeasureValue, 'raw'>;
  /** Sentence when the two differ: `worse` is the side with the worse value. */
  differ: (ctx: { worse: string; better: string; worseRaw: number | null; betterRaw: number | null; epochSeconds: number }) => string;
  /** Sentence when the two are equal (or both null). */
  same: (raw: number | null, epochSeconds: number) => string;
  /** Sentence when exactly one value is null and the row cannot say which is better; null: null is a normal value. */
  incomparable?: (ctx: { withValue: string; withoutValue: string; raw: number; epochSeconds: number }) => string;
}

const span = (raw: number | null) => ({ text: raw === null ? '—' : formatExactSpan(raw), detail: null });
const count = (raw: number | null) => ({ text: raw === null ? '—' : formatCount(raw), detail: null });

const instant = (raw: number | null, epochSeconds: number) =>
  raw === null ? { text: 'never', detail: null } : { text: formatInstant(epochSeconds + raw), detail: formatElapsed(raw) };

/** A count row where lower is better. */
function countSpec(
  spec: Pick<MeasureSpec, 'id' | 'group' | 'label' | 'why' | 'get'> & {
    more: (n: number, who: string) => string;
    none: (who: string, other: string, n: number) => string;
    same: (n: number) => string;
  },
): MeasureSpec {
  return {
    ...spec,
    direction: 'lower',
    show: count,
    differ: ({ worse, better, worseRaw, betterRaw }) => {
      const w = worseRaw ?? 0;
      const b = betterRaw ?? 0;
      return b === 0 ? spec.none(better, worse, w) : spec.more(w - b, worse);
    },
    same: (raw) => spec.same(raw ?? 0),
  };
}

const MEASURES: readonly MeasureSpec[] = [
  {
    id: 'exposure',
    group: 'Attacker',
    label: 'Attacker exposure',
    direction: 'lower',
    why: 'Lower is better: the time in which the thief could have called the API successfully with what it held, whether it tried or not.',
    get: (m) => m.attacker.exposureSeconds,
    show: span,
    differ: ({ worse, better, worseRaw, betterRaw }) =>
      betterRaw === 0
        ? `The attacker never had access under ${better}; under ${worse} it had access for ${formatSpan(worseRaw ?? 0)}.`
        : `The attacker had access ${formatSpan((worseRaw ?? 0) - (betterRaw ?? 0))} longer under ${worse}.`,
    same: (raw) =>
      raw === 0
        ? 'The attacker never had access under either.'
        : `The attacker had access for the same time under both (${formatSpan(raw ?? 0)}).`,
  },
  countSpec({
    id: 'attackerCallsOk',
    group: 'Attacker',
    label: "Attacker's successful API calls",
    why: 'Lower is better: each one read or changed the user’s data on the thief’s behalf.',
    more: (n, who) => `The attacker got ${plural(n, 'more call', 'more calls')} through under ${who}.`,
    none: (who, other, n) => `The attacker got no call through under ${who}, and ${plural(n, 'call', 'calls')} under ${other}.`,
    same: (n) =>
      n === 0
        ? 'The attacker got no call through under either.'
        : `The attacker got the same number of calls through under both (${formatCount(n)}).`,
    get: (m) => m.attacker.apiCallsOk,
  }),
  {
    id: 'attackerLastCallOk',
    group: 'Attacker',
    label: "Attacker's last successful call",
    direction: 'earlier',
    why: 'Earlier is better, never is best: the moment the thief was finally shut out (of the calls it made).',
    get: (m) => m.attacker.lastApiCallOkAt,
    show: instant,
    differ: ({ worse, better, worseRaw, betterRaw, epochSeconds }) =>
      betterRaw === null
        ? `The attacker never got a call through under ${better}; under ${worse} its last successful call was at ${formatInstant(epochSeconds + (worseRaw ?? 0))}.`
        : `The attacker’s last successful call came ${formatSpan((worseRaw ?? 0) - betterRaw)} later under ${worse}.`,
    same: (raw, epochSeconds) =>
      raw === null
        ? 'The attacker never got a call through under either.'
        : `The attacker’s last successful call was at the same moment under both (${formatInstant(epochSeconds + raw)}).`,
  },
  {
    id: 'revocationLag',
    group: 'Attacker',
    label: 'Revocation lag',
    direction: 'lower',
    why: 'Lower is better: how long the attacker still got calls through after the first stopping event (logout, password change, revoke-all, suspension or reuse detection).',
    get: (m) => m.attacker.revocationLagSeconds,
    show: (raw) => (raw === null ? { text: 'no stopping event', detail: null } : span(raw)),
    differ: ({ worse, better, worseRaw, betterRaw }) =>
      betterRaw === 0
        ? `Under ${better} the first stopping event shut the attacker out at once; under ${worse} it still got calls through for ${formatSpan(worseRaw ?? 0)}.`
        : `Revocation took ${formatSpan((worseRaw ?? 0) - (betterRaw ?? 0))} longer to stop the attacker under ${worse}.`,
    same: (raw) =>
      raw === null
        ? 'Neither run had a stopping event, so there is no lag to compare.'
        : raw === 0
          ? 'Under both, the attacker got no call through after the first stopping event.'
          : `The same under both: the attacker still got calls through for ${formatSpan(raw)}.`,
    incomparable: ({ withValue, withoutValue, raw }) =>
      `Not comparable: nothing stopped the attacker under ${withoutValue}, while under ${withValue} the lag was ${formatSpan(raw)}.`,
  },
  countSpec({
    id: 'passwordPrompts',
    group: 'User',
    label: 'Password prompts',
    why: 'Lower is better: each prompt interrupts the user, and users who type their password often are easier to phish.',
    more: (n, who) => `The user was asked for the password ${plural(n, 'more time', 'more times')} under ${who}.`,
    none: (who, other, n) => `The user was never asked for the password under ${who}, and ${plural(n, 'time', 'times')} under ${other}.`,
    same: (n) => `The user was asked for the password as often under both (${plural(n, 'time', 'times')}).`,
    get: (m) => m.user.passwordPrompts,
  }),
  countSpec({
    id: 'userCallsRejected',
    group: 'User',
    label: "User's rejected API calls",
    why: 'Lower is better: each one is a request of the real user’s app that failed.',
    more: (n, who) => `The user’s app had ${plural(n, 'more call', 'more calls')} rejected under ${who}.`,
    none: (who, other, n) => `The user’s app had no call rejected under ${who}, and ${plural(n, 'call', 'calls')} under ${other}.`,
    same: (n) =>
      n === 0
        ? 'The user’s app had no call rejected under either.'
        : `The user’s app had as many calls rejected under both (${formatCount(n)}).`,
    get: (m) => m.user.apiCallsRejected,
  }),
  {
    id: 'userCallsOk',
    group: 'User',
    label: "User's successful API calls",
    direction: 'higher',
    why: 'Higher is better: the service the real user got. (The script decides how often the app calls.)',
    get: (m) => m.user.apiCallsOk,
    show: count,
    differ: ({ worse, worseRaw, betterRaw }) =>
      `The user’s app got ${plural((betterRaw ?? 0) - (worseRaw ?? 0), 'call', 'calls')} fewer through under ${worse}.`,
    same: (raw) => `The user’s app got the same service under both (${plural(raw ?? 0, 'call', 'calls')}).`,
  },
  countSpec({
    id: 'tokenRequests',
    group: 'Load',
    label: 'AS token requests',
    why: 'Lower is better: load on the authorization server’s token endpoint (logins and refreshes).',
    more: (n, who) => `The authorization server answered ${plural(n, 'more token request', 'more token requests')} under ${who}.`,
    none: (who, other, n) => `The authorization server answered no token request under ${who}, and ${formatCount(n)} under ${other}.`,
    same: (n) => `The authorization server answered as many token requests under both (${formatCount(n)}).`,
    get: (m) => m.authServer.tokenRequests,
  }),
  countSpec({
    id: 'stateLookups',
    group: 'Load',
    label: 'AS state lookups',
    why: 'Lower is better: every request that reads the authorization server’s store (token requests, introspections, revocations).',
    more: (n, who) => `The authorization server read its store ${plural(n, 'more time', 'more times')} under ${who}.`,
    none: (who, other, n) =>
      `The authorization server never read its store under ${who}, and ${plural(n, 'time', 'times')} under ${other}.`,
    same: (n) => `The authorization server read its store as often under both (${plural(n, 'time', 'times')}).`,
    get: (m) => m.authServer.stateLookups,
  }),
  countSpec({
    id: 'introspections',
    group: 'Load',
    label: 'RS introspections',
    why: 'Lower is better: each one is an API call that waited for a round trip to the authorization server.',
    more: (n, who) => `The resource server asked the authorization server ${plural(n, 'more time', 'more times')} under ${who}.`,
    none: (who, other, n) =>
      `The resource server never asked the authorization server under ${who}, and ${plural(n, 'time', 'times')} under ${other}.`,
    same: (n) =>
      n === 0
        ? 'The resource server never asked the authorization server under either.'
        : `The resource server asked as often under both (${formatCount(n)}).`,
    get: (m) => m.resourceServer.introspections,
  }),
];

/** Which side is better for one row, or null when equal or not comparable. */
export function betterSide(direction: Direction, a: number | null, b: number | null): Side | null {
  if (a === b) return null;
  if (direction === 'earlier') {
    // Never (null) beats any instant.
    if (a === null) return 'a';
    if (b === null) return 'b';
    return a < b ? 'a' : 'b';
  }
  if (a === null || b === null) return null;
  if (direction === 'lower') return a < b ? 'a' : 'b';
  return a > b ? 'a' : 'b';
}

/**
 * The measures table for two runs of one script. `names` are how sentences name the sides, e.g.
 * "A (long-lived access token)".
 */
export function measureRows(a: Metrics, b: Metrics, names: Names, epochSeconds: number): MeasureRow[] {
  return MEASURES.map((spec) => {
    const rawA = spec.get(a);
    const rawB = spec.get(b);
    const better = betterSide(spec.direction, rawA, rawB);
    let words: string;
    if (better) {
      const worse: Side = better === 'a' ? 'b' : 'a';
      words = spec.differ({
        worse: names[worse],
        better: names[better],
        worseRaw: worse === 'a' ? rawA : rawB,
        betterRaw: better === 'a' ? rawA : rawB,
        epochSeconds,
      });
    } else if (rawA === rawB) {
      words = spec.same(rawA, epochSeconds);
    } else {
      const withValue: Side = rawA === null ? 'b' : 'a';
      const raw = (withValue === 'a' ? rawA : rawB)!;
      words = spec.incomparable
        ? spec.incomparable({ withValue: names[withValue], withoutValue: names[withValue === 'a' ? 'b' : 'a'], raw, epochSeconds })
        : 'Not comparable.';
    }
    return {
      id: spec.id,
      group: spec.group,
      label: spec.label,
      direction: spec.direction,
      why: spec.why,
      a: { raw: rawA, ...spec.show(rawA, epochSeconds) },
      b: { raw: rawB, ...spec.show(rawB, epochSeconds) },
      better,
      words,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// The attacker's exposure windows

/** A half-open interval [from, to) of simulated time. */
export interface Interval {
  from: Seconds;
  to: Seconds;
}

/** Appends [from, to) to sorted, disjoint windows, merging it with the last one when they touch. */
export function appendWindow(windows: Interval[], from: Seconds, to: Seconds): void {
  if (to <= from) return;
  const last = windows[windows.length - 1];
  if (last && from <= last.to) last.to = Math.max(last.to, to);
  else windows.push({ from, to });
}

export function totalLength(windows: readonly Interval[]): number {
  return windows.reduce((sum, w) => sum + (w.to - w.from), 0);
}

export interface ComparisonRun {
  windows: Interval[];
  end: Seconds;
  /** The run's metrics at the end: the same numbers `npm run sim` prints. */
  metrics: Metrics;
  /** The run's full trace (for the markers). */
  events: readonly SimEvent[];
}

// ---------------------------------------------------------------------------------------------
// Events marked on the time axis

export type MarkerKind = 'theft' | 'passwordChange' | 'suspension' | 'reinstatement' | 'revokeAll' | 'logout' | 'reuse';

export interface AxisMarker {
  kind: MarkerKind;
  t: Seconds;
  /** Short label drawn on the axis: "tokens stolen". */
  label: string;
}

export const MARKER_WORDS: Record<MarkerKind, string> = {
  theft: 'stolen',
  passwordChange: 'password changed',
  suspension: 'user suspended',
  reinstatement: 'user reinstated',
  revokeAll: 'all grants revoked',
  logout: 'logout',
  reuse: 'reuse detected',
};

const STOLEN_WORDS = {
  access: 'access token stolen',
  refresh: 'refresh token stolen',
  both: 'tokens stolen',
  password: 'password stolen',
  clientSecret: 'client secret stolen',
  all: 'everything stolen',
} as const;

/** The events worth a marker, one per kind and instant (a password change revokes many grants at once). */
export function axisMarkers(events: readonly SimEvent[]): AxisMarker[] {
  const out: AxisMarker[] = [];
  const seen = new Set<string>();
  const add = (kind: MarkerKind, t: Seconds, label: string) => {
    const key = `${kind}@${t}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ kind, t, label });
  };
  for (const event of events) {
    switch (event.type) {
      case 'TokensStolen':
        add('theft', event.t, STOLEN_WORDS[event.what]);
        break;
      case 'PasswordChanged':
        add('passwordChange', event.t, MARKER_WORDS.passwordChange);
        break;
      case 'UserSuspended':
        add('suspension', event.t, MARKER_WORDS.suspension);
        break;
      case 'UserReinstated':
        add('reinstatement', event.t, MARKER_WORDS.reinstatement);
        break;
      case 'GrantRevoked':
        if (event.revocationCause === 'reuse') add('reuse', event.t, MARKER_WORDS.reuse);
        else if (event.revocationCause === 'revoke_all') add('revokeAll', event.t, MARKER_WORDS.revokeAll);
        else if (event.revocationCause === 'logout') add('logout', event.t, MARKER_WORDS.logout);
        break;
      default:
        break;
    }
  }
  return out;
}

/** Markers present in both runs (drawn across the whole axis) and those of one run only. */
export function splitMarkers(
  a: readonly AxisMarker[],
  b: readonly AxisMarker[],
): { shared: AxisMarker[]; onlyA: AxisMarker[]; onlyB: AxisMarker[] } {
  const key = (m: AxisMarker) => `${m.kind}@${m.t}@${m.label}`;
  const inB = new Set(b.map(key));
  const inA = new Set(a.map(key));
  return {
    shared: a.filter((m) => inB.has(key(m))),
    onlyA: a.filter((m) => !inB.has(key(m))),
    onlyB: b.filter((m) => !inA.has(key(m))),
  };
}

/** Markers of one kind close together in time, drawn as one ("access token stolen ×12"). */
export interface MarkerCluster extends AxisMarker {
  count: number;
  /** The last marker's instant (`t` is the first's). */
  last: Seconds;
}

/** Groups markers with the same label that follow each other within `within` seconds. */
export function clusterMarkers(markers: readonly AxisMarker[], within: Seconds): MarkerCluster[] {
  const out: MarkerCluster[] = [];
  for (const marker of [...markers].sort((p, q) => p.t - q.t)) {
    const open = out.findLast((c) => c.kind === marker.kind && c.label === marker.label);
    if (open && marker.t - open.last <= within) {
      open.count++;
      open.last = marker.t;
    } else {
      out.push({ ...marker, count: 1, last: marker.t });
    }
  }
  return out.map((c) => (c.count > 1 ? { ...c, label: `${c.label} ×${c.count}` } : c));
}

/** A marker (or cluster) in words, for the text twin and tooltips. */
export function markerInWords(marker: AxisMarker | MarkerCluster, epochSeconds: number): string {
  const when = (t: Seconds) => `${formatInstant(epochSeconds + t)} (${formatElapsed(t)})`;
  if ('count' in marker && marker.count > 1) {
    return `${marker.label.replace(/ ×\d+$/, '')} ${marker.count} times, from ${when(marker.t)} to ${when(marker.last)}`;
  }
  return `${marker.label} at ${when(marker.t)}`;
}

// ---------------------------------------------------------------------------------------------
// The time axis

const TICK_STEPS: readonly Seconds[] = [
  1,
  5,
  10,
  15,
  30,
  60,
  120,
  300,
  600,
  900,
  1800,
  3600,
  7200,
  10_800,
  21_600,
  43_200,
  86_400,
  2 * 86_400,
  5 * 86_400,
  7 * 86_400,
  10 * 86_400,
  30 * 86_400,
  90 * 86_400,
  365 * 86_400,
];

/** Round ticks from 0 to `end` in human units ("0", "5 d", "1 d 12 h"), at most `maxTicks` + 1 of them. */
export function axisTicks(end: Seconds, maxTicks = 8): { t: Seconds; label: string }[] {
  const length = Math.max(1, end);
  const step = TICK_STEPS.find((s) => length / s <= maxTicks) ?? TICK_STEPS[TICK_STEPS.length - 1]!;
  const ticks: { t: Seconds; label: string }[] = [];
  for (let t = 0; t <= length; t += step) ticks.push({ t, label: t === 0 ? '0' : formatSpan(t) });
  return ticks;
}

/** The unit the axis is read in, for its caption. */
export function axisUnit(end: Seconds): 'days' | 'hours' | 'minutes' | 'seconds' {
  if (end >= 2 * 86_400) return 'days';
  if (end >= 2 * 3600) return 'hours';
  if (end >= 120) return 'minutes';
  return 'seconds';
}

/** One phrase per window (the first `max`, then how many more), for the text twin of the picture. */
export function windowsInWords(windows: readonly Interval[], epochSeconds: number, max = 12): string[] {
  const words = windows
    .slice(0, max)
    .map((w) => `from ${formatInstant(epochSeconds + w.from)} (${formatElapsed(w.from)}) for ${formatExactSpan(w.to - w.from)}`);
  if (windows.length > max) words.push(`and ${windows.length - max} more`);
  return words;
}

// ---------------------------------------------------------------------------------------------
// Configurations in words

/** What a configuration means, in short phrases: "access token 30 d", "no refresh token", … */
export function configSummary(config: Scenario['config']): string[] {
  const out = [`access token lives ${formatSpan(config.accessToken.ttl)}`];
  const rt = config.refreshToken;
  if (!rt) out.push('no refresh token');
  else {
    const kind = rt.rotation
      ? rt.reuseDetection
        ? 'rotating refresh token with reuse detection'
        : 'rotating refresh token, no reuse detection'
      : 'static refresh token';
    const lifetimes = [
      rt.idleTtl !== null ? `idle ${formatSpan(rt.idleTtl)}` : null,
      rt.absoluteTtl !== null ? `absolute ${formatSpan(rt.absoluteTtl)}` : 'no absolute limit',
      rt.reuseInterval > 0 ? `reuse interval ${formatSpan(rt.reuseInterval)}` : null,
    ].filter((x): x is string => x !== null);
    out.push(`${kind} (${lifetimes.join(', ')})`);
  }
  if (config.client.storesPassword) out.push('the app collects the password (the legacy password grant) and stores it to log in silently');
  if (config.client.type === 'confidential') out.push('confidential client (client secret)');
  out.push(
    config.resourceServer.validation === 'introspection' ? 'the API asks the AS about every token' : 'the API checks tokens locally',
  );
  if (config.resourceServer.leeway > 0) out.push(`leeway ${formatSpan(config.resourceServer.leeway)}`);
  if (config.senderConstraint === 'dpop') out.push('tokens bound to the client’s key (DPoP)');
  return out;
}

// ---------------------------------------------------------------------------------------------
// Label placement on the axis

export interface PlacedLabel {
  /** 0 = the row nearest the axis line it labels; labels that would overlap go to later rows. */
  row: number;
  /** Where the text starts or ends (see `anchor`). */
  textX: number;
  anchor: 'start' | 'end';
}

/**
 * Places labels for markers at `x` (sorted or not): each label sits just right of its marker, or
 * just left when it would run past `maxX`, in the first row where it overlaps no other label.
 */
export function stackLabels(items: readonly { x: number; width: number }[], maxX: number, gap = 8): PlacedLabel[] {
  const rows: { from: number; to: number }[][] = [];
  const order = items.map((item, i) => ({ ...item, i })).sort((p, q) => p.x - q.x);
  const out: PlacedLabel[] = new Array(items.length);
  for (const item of order) {
    const right = item.x + 4 + item.width <= maxX;
    const from = right ? item.x : item.x - 4 - item.width;
    const to = right ? item.x + 4 + item.width : item.x;
    let row = rows.findIndex((taken) => taken.every((r) => to + gap <= r.from || from >= r.to + gap));
    if (row === -1) {
      row = rows.length;
      rows.push([]);
    }
    rows[row]!.push({ from, to });
    out[item.i] = { row, textX: right ? item.x + 4 : item.x - 4, anchor: right ? 'start' : 'end' };
  }
  return out;
}
