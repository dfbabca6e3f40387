import { describe, expect, it } from 'vitest';
import { BUILT_IN_SCENARIOS } from '../scenarios';
import { PRESETS } from '../sim/config';
import { parseScenario, withPreset } from '../sim/scenario';
import type { Metrics, PresetId, Scenario } from '../sim/types';
import { runScenario } from '../sim/world';
import { runWithExposure } from './compare-run';
import {
  appendWindow,
  axisMarkers,
  axisTicks,
  betterSide,
  clusterMarkers,
  comparablePresets,
  configSummary,
  formatExactSpan,
  hasOwnSettings,
  markerInWords,
  measureRows,
  scenarioFor,
  splitMarkers,
  stackLabels,
  totalLength,
  windowsInWords,
  type Interval,
} from './compare';

const EPOCH = 1767603600; // 2026-01-05T09:00:00Z

function builtIn(id: string): Scenario {
  const entry = BUILT_IN_SCENARIOS.find((s) => s.id === id);
  if (!entry) throw new Error(`no scenario ${id}`);
  const parsed = parseScenario(entry.json);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.scenario;
}

// The seed question's outcomes under the two default presets, as `npm run sim` prints them.
const LONG_LIVED: Metrics = {
  attacker: { exposureSeconds: 2498280, apiCallsOk: 2775, apiCallsRejected: 0, lastApiCallOkAt: 2591220, revocationLagSeconds: 2411220 },
  user: { passwordPrompts: 1, silentSignIns: 0, apiCallsOk: 2880, apiCallsRejected: 0 },
  authServer: { tokenRequests: 1, stateLookups: 1, signInRequests: 1 },
  resourceServer: { requests: 5655, introspections: 0 },
};
const ROTATING: Metrics = {
  attacker: { exposureSeconds: 180, apiCallsOk: 0, apiCallsRejected: 2775, lastApiCallOkAt: null, revocationLagSeconds: 0 },
  user: { passwordPrompts: 3, silentSignIns: 0, apiCallsOk: 2880, apiCallsRejected: 0 },
  authServer: { tokenRequests: 2883, stateLookups: 2883, signInRequests: 3 },
  resourceServer: { requests: 5655, introspections: 0 },
};
const NAMES = { a: 'A (long-lived access token)', b: 'B (rotating refresh token)' };

function metrics(patch: { attacker?: Partial<Metrics['attacker']>; user?: Partial<Metrics['user']> }): Metrics {
  return {
    attacker: { ...ROTATING.attacker, ...patch.attacker },
    user: { ...ROTATING.user, ...patch.user },
    authServer: { ...ROTATING.authServer },
    resourceServer: { ...ROTATING.resourceServer },
  };
}

describe('the measures table', () => {
  const rows = measureRows(LONG_LIVED, ROTATING, NAMES, EPOCH);
  const row = (id: string) => rows.find((r) => r.id === id)!;

  it('has a row for every measure of SEMANTICS.md §9, each saying which way is better and why', () => {
    expect(rows.map((r) => r.id)).toEqual([
      'exposure',
      'attackerCallsOk',
      'attackerLastCallOk',
      'revocationLag',
      'passwordPrompts',
      'userCallsRejected',
      'userCallsOk',
      'tokenRequests',
      'stateLookups',
      'introspections',
    ]);
    for (const r of rows) expect(r.why).toMatch(/^(Lower|Higher|Earlier) is better/);
    expect(row('userCallsOk').direction).toBe('higher');
    expect(row('attackerLastCallOk').direction).toBe('earlier');
  });

  it('marks the better side: less exposure and calls for the rotating token, fewer prompts and lookups for the long-lived one', () => {
    expect(row('exposure').better).toBe('b');
    expect(row('attackerCallsOk').better).toBe('b');
    expect(row('attackerLastCallOk').better).toBe('b');
    expect(row('revocationLag').better).toBe('b');
    expect(row('passwordPrompts').better).toBe('a');
    expect(row('tokenRequests').better).toBe('a');
    expect(row('stateLookups').better).toBe('a');
    // Equal rows name no winner.
    expect(row('userCallsRejected').better).toBeNull();
    expect(row('userCallsOk').better).toBeNull();
    expect(row('introspections').better).toBeNull();
  });

  it('shows exact values', () => {
    expect(row('exposure').a).toEqual({ raw: 2498280, text: '28 d 21 h 58 min', detail: null });
    expect(row('exposure').b.text).toBe('3 min');
    expect(row('attackerCallsOk').a.text).toBe('2,775');
    expect(row('attackerLastCallOk').a).toEqual({ raw: 2591220, text: 'Wed 4 Feb 2026 08:47:00', detail: '+29 d 23:47:00' });
    expect(row('attackerLastCallOk').b).toEqual({ raw: null, text: 'never', detail: null });
    expect(row('revocationLag').a.text).toBe('27 d 21 h 47 min');
    expect(row('revocationLag').b.text).toBe('0 s');
  });

  it('says the difference in words, naming the worse side', () => {
    expect(row('exposure').words).toBe('The attacker had access 28 d 21 h longer under A (long-lived access token).');
    expect(row('attackerCallsOk').words).toBe(
      'The attacker got no call through under B (rotating refresh token), and 2,775 calls under A (long-lived access token).',
    );
    expect(row('attackerLastCallOk').words).toBe(
      'The attacker never got a call through under B (rotating refresh token); under A (long-lived access token) its last successful call was at Wed 4 Feb 2026 08:47:00.',
    );
    expect(row('revocationLag').words).toBe(
      'Under B (rotating refresh token) the first stopping event shut the attacker out at once; under A (long-lived access token) it still got calls through for 27 d 21 h.',
    );
    expect(row('passwordPrompts').words).toBe('The user was asked for the password 2 more times under B (rotating refresh token).');
    expect(row('tokenRequests').words).toBe(
      'The authorization server answered 2,882 more token requests under B (rotating refresh token).',
    );
    expect(row('userCallsOk').words).toBe('The user’s app got the same service under both (2,880 calls).');
    expect(row('introspections').words).toBe('The resource server never asked the authorization server under either.');
  });

  it('handles one more, never, equal and not comparable', () => {
    const one = measureRows(metrics({ user: { passwordPrompts: 4 } }), ROTATING, NAMES, EPOCH).find((r) => r.id === 'passwordPrompts')!;
    expect(one.words).toBe('The user was asked for the password 1 more time under A (long-lived access token).');
    const both = measureRows(metrics({ attacker: { exposureSeconds: 600 } }), metrics({ attacker: { exposureSeconds: 0 } }), NAMES, EPOCH);
    expect(both[0]!.words).toBe(
      'The attacker never had access under B (rotating refresh token); under A (long-lived access token) it had access for 10 min.',
    );
    const earlier = measureRows(
      metrics({ attacker: { lastApiCallOkAt: 7200 } }),
      metrics({ attacker: { lastApiCallOkAt: 3600 } }),
      NAMES,
      EPOCH,
    );
    const last = earlier.find((r) => r.id === 'attackerLastCallOk')!;
    expect(last.better).toBe('b');
    expect(last.words).toBe('The attacker’s last successful call came 1 h later under A (long-lived access token).');
    const lag = measureRows(
      metrics({ attacker: { revocationLagSeconds: null } }),
      metrics({ attacker: { revocationLagSeconds: 900 } }),
      NAMES,
      EPOCH,
    ).find((r) => r.id === 'revocationLag')!;
    expect(lag.better).toBeNull();
    expect(lag.a.text).toBe('no stopping event');
    expect(lag.words).toBe(
      'Not comparable: nothing stopped the attacker under A (long-lived access token), while under B (rotating refresh token) the lag was 15 min.',
    );
    const same = measureRows(ROTATING, ROTATING, NAMES, EPOCH);
    expect(same.every((r) => r.better === null)).toBe(true);
    expect(same[0]!.words).toBe('The attacker had access for the same time under both (3 min).');
  });

  it('decides the better side per direction', () => {
    expect(betterSide('lower', 1, 2)).toBe('a');
    expect(betterSide('lower', 2, 1)).toBe('b');
    expect(betterSide('higher', 1, 2)).toBe('b');
    expect(betterSide('lower', 3, 3)).toBeNull();
    expect(betterSide('lower', null, 3)).toBeNull();
    expect(betterSide('earlier', null, 3)).toBe('a');
    expect(betterSide('earlier', 3, null)).toBe('b');
    expect(betterSide('earlier', 5, 3)).toBe('b');
    expect(betterSide('earlier', null, null)).toBeNull();
  });

  it('writes spans exactly', () => {
    expect(formatExactSpan(0)).toBe('0 s');
    expect(formatExactSpan(59)).toBe('59 s');
    expect(formatExactSpan(86_400 + 61)).toBe('1 d 1 min 1 s');
    expect(formatExactSpan(2498280)).toBe('28 d 21 h 58 min');
  });
});

describe('the exposure windows', () => {
  it('merges touching windows and keeps gaps', () => {
    const windows: Interval[] = [];
    appendWindow(windows, 0, 10);
    appendWindow(windows, 10, 20);
    appendWindow(windows, 30, 30);
    appendWindow(windows, 40, 45);
    expect(windows).toEqual([
      { from: 0, to: 20 },
      { from: 40, to: 45 },
    ]);
    expect(totalLength(windows)).toBe(25);
  });

  // Several scripts and configurations: each window set must add up to the runner's exposure,
  // and the run's metrics must be exactly what `npm run sim` prints.
  const cases: [string, PresetId | null][] = [
    ['stolen-access-token', null],
    ['stolen-access-token', 'introspected-access'],
    ['rotation-attacker-first', null],
    ['rotation-client-first', 'static-refresh'],
    ['reuse-interval', null],
    ['persistent-xss', null],
    ['walk-away-59-minutes', null],
    ['password-change', 'stored-password'],
    ['confidential-client', null],
    ['suspension-introspection', null],
    ['compare-suspension', 'introspected-access'],
    ['compare-suspension', 'long-lived-access'],
    ['compare-quiet-attacker', 'static-refresh'],
    // Sender-constrained tokens: only the hour the attacker runs inside the page counts.
    ...(BUILT_IN_SCENARIOS.some((s) => s.id === 'compare-dpop') ? ([['compare-dpop', 'dpop-bound']] as [string, PresetId][]) : []),
  ];
  for (const [id, preset] of cases) {
    it(`adds up to the runner's exposure: ${id} under ${preset ?? 'its own settings'}`, async () => {
      const base = builtIn(id);
      const scenario = preset ? withPreset(base, preset) : base;
      const expected = await runScenario(scenario);
      const run = (await runWithExposure(scenario))!;
      expect(run.metrics).toEqual(expected.metrics);
      expect(run.end).toBe(expected.end);
      expect(totalLength(run.windows)).toBe(expected.metrics.attacker.exposureSeconds);
      for (const [i, w] of run.windows.entries()) {
        expect(w.from).toBeGreaterThanOrEqual(0);
        expect(w.to).toBeLessThanOrEqual(run.end);
        expect(w.to).toBeGreaterThan(w.from);
        if (i > 0) expect(w.from).toBeGreaterThan(run.windows[i - 1]!.to);
      }
    });
  }

  it('finds the gap a suspension makes under introspection', async () => {
    const run = (await runWithExposure(withPreset(builtIn('compare-suspension'), 'introspected-access')))!;
    // Stolen at 3h2m; suspended 1d1h to 1d2h: the month-long token works before and after, not during.
    expect(run.windows).toEqual([
      { from: 3 * 3600 + 120, to: 86_400 + 3600 },
      { from: 86_400 + 2 * 3600, to: 5 * 86_400 },
    ]);
    expect(windowsInWords(run.windows, EPOCH)[0]).toBe('from Mon 5 Jan 2026 12:02:00 (+03:02:00) for 21 h 58 min');
  });

  it('stops when the checkpoint says so', async () => {
    let calls = 0;
    const run = await runWithExposure(builtIn('rotation-attacker-first'), () => ++calls < 3);
    expect(run).toBeNull();
    expect(calls).toBe(3);
  });
});

describe('the axis', () => {
  it('marks theft, password change and reuse detection once each', async () => {
    const events = (await runScenario(withPreset(builtIn('compare-seed-question'), 'rotating-refresh'))).events;
    const markers = axisMarkers(events);
    expect(markers.map((m) => [m.kind, m.t, m.label])).toEqual([
      ['theft', 86_400 + 2 * 3600 + 120, 'everything stolen'],
      ['reuse', 86_400 + 2 * 3600 + 17 * 60, 'reuse detected'],
      ['passwordChange', 2 * 86_400 + 2 * 3600, 'password changed'],
    ]);
    const longLived = axisMarkers((await runScenario(withPreset(builtIn('compare-seed-question'), 'long-lived-access'))).events);
    const split = splitMarkers(longLived, markers);
    expect(split.shared.map((m) => m.kind)).toEqual(['theft', 'passwordChange']);
    expect(split.onlyA).toEqual([]);
    expect(split.onlyB.map((m) => m.kind)).toEqual(['reuse']);
  });

  it('marks suspension and reinstatement', async () => {
    const events = (await runScenario(withPreset(builtIn('compare-suspension'), 'long-lived-access'))).events;
    expect(axisMarkers(events).map((m) => m.kind)).toEqual(['theft', 'suspension', 'reinstatement']);
  });

  it('draws repeated markers close together as one', () => {
    const stolen = (t: number) => ({ kind: 'theft' as const, t, label: 'access token stolen' });
    const clusters = clusterMarkers(
      [stolen(3900), stolen(0), stolen(600), stolen(300), { kind: 'passwordChange', t: 450, label: 'password changed' }],
      300,
    );
    expect(clusters.map((c) => [c.label, c.t, c.last, c.count])).toEqual([
      ['access token stolen ×3', 0, 600, 3],
      ['password changed', 450, 450, 1],
      ['access token stolen', 3900, 3900, 1],
    ]);
    expect(markerInWords(clusters[0]!, EPOCH)).toBe(
      'access token stolen 3 times, from Mon 5 Jan 2026 09:00:00 (+00:00:00) to Mon 5 Jan 2026 09:10:00 (+00:10:00)',
    );
    expect(markerInWords(clusters[1]!, EPOCH)).toBe('password changed at Mon 5 Jan 2026 09:07:30 (+00:07:30)');
  });

  it('ticks in human units', () => {
    expect(axisTicks(30 * 86_400).map((t) => t.label)).toEqual(['0', '5 d', '10 d', '15 d', '20 d', '25 d', '30 d']);
    expect(axisTicks(5 * 86_400).map((t) => t.label)).toEqual(['0', '1 d', '2 d', '3 d', '4 d', '5 d']);
    expect(axisTicks(600).map((t) => t.label)).toEqual(['0', '2 min', '4 min', '6 min', '8 min', '10 min']);
    expect(axisTicks(0).map((t) => t.label)).toEqual(['0', '1 s']);
  });

  it('stacks overlapping labels and flips those at the right edge', () => {
    const placed = stackLabels(
      [
        { x: 100, width: 80 },
        { x: 120, width: 80 },
        { x: 400, width: 80 },
        { x: 990, width: 80 },
      ],
      1000,
    );
    expect(placed.map((p) => p.row)).toEqual([0, 1, 0, 0]);
    expect(placed[3]).toEqual({ row: 0, textX: 986, anchor: 'end' });
  });
});

describe('configurations', () => {
  it('lists the presets the core can run', () => {
    expect(comparablePresets()).not.toContain('dpop-bound');
    expect(comparablePresets()).toContain('introspected-access');
    expect(comparablePresets(true)).toContain('dpop-bound');
  });

  it('knows when a script has settings of its own', () => {
    expect(hasOwnSettings(builtIn('compare-seed-question'))).toBe(false);
    expect(hasOwnSettings(builtIn('walk-away-59-minutes'))).toBe(true);
    const walk = builtIn('walk-away-59-minutes');
    expect(scenarioFor(walk, 'script')).toBe(walk);
    expect(scenarioFor(walk, 'static-refresh').config).toEqual(PRESETS['static-refresh']);
  });

  it('says what a configuration means', () => {
    expect(configSummary(PRESETS['long-lived-access'])).toEqual([
      'access token lives 30 d',
      'no refresh token',
      'the API checks tokens locally',
    ]);
    expect(configSummary(PRESETS['rotating-refresh'])).toEqual([
      'access token lives 5 min',
      'rotating refresh token with reuse detection (absolute 30 d)',
      'the API checks tokens locally',
    ]);
    expect(configSummary(builtIn('walk-away-59-minutes').config)[1]).toBe(
      'rotating refresh token with reuse detection (idle 1 h, absolute 8 h)',
    );
    expect(configSummary(PRESETS['introspected-access'])[2]).toBe('the API asks the AS about every token');
  });
});
