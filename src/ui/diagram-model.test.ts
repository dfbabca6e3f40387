import { describe, expect, it } from 'vitest';
import type { Reason } from '../sim/types';
import {
  GAP_THRESHOLD_SECONDS,
  TIMELINE,
  createSequenceItemsReader,
  createSequenceGrouper,
  createSequenceRowsReader,
  layoutSequence,
  layoutTimeline,
  resultText,
  sequenceItems,
  sequenceRows,
  timeTicks,
  timelineBars,
  visibleBars,
  windowStart,
  type SequenceItem,
  type SequenceRow,
  type TimelineSource,
  type TokenBar,
} from './diagram-model';
import { worldAt } from './test-support';
import { reasonText } from './vocabulary';

/** Runs a scenario file (format added) on the real core up to `until` (default: its end). */
async function run(file: Record<string, unknown>, until?: number) {
  const world = await worldAt(file, until);
  const { epochSeconds } = world.scenario;
  const source: TimelineSource = {
    events: world.trace,
    t: world.now,
    config: world.config,
    epochSeconds,
  };
  return { world, source, epochSeconds };
}

/** A short picture of rows: "gap", "repeat×12", "→ text", "⇠ text", "• text". */
function sketch(rows: readonly SequenceRow[]): string[] {
  return rows.map((row) => {
    switch (row.kind) {
      case 'gap':
        return `gap ${row.text}`;
      case 'repeat':
        return `repeat×${row.count} ${row.every}`;
      case 'arrow':
        return `${row.response ? '⇠' : '→'} ${row.text}`;
      case 'marker':
        return `• ${row.text}`;
    }
  });
}

function bar(bars: readonly TokenBar[], label: string): TokenBar {
  const found = bars.find((b) => b.label === label);
  if (!found) throw new Error(`no bar ${label}`);
  return found;
}

describe('result labels', () => {
  it('says the status and the reason in words, with ✓ or ✗', () => {
    expect(resultText({ status: 200, reason: null })).toBe('✓ 200');
    expect(resultText({ status: 401, reason: 'expired' })).toBe('✗ 401 expired');
    expect(resultText({ status: 401, reason: 'no_token' })).toBe('✗ 401 no token');
    expect(resultText({ status: 400, reason: 'reused' })).toBe('✗ 400 reuse detected — family revoked');
    expect(resultText({ status: 400, reason: 'revoked' })).toBe('✗ 400 family revoked');
    expect(resultText({ status: 400, reason: 'expired_idle' })).toBe('✗ 400 idle lifetime over');
    expect(resultText({ status: 401, reason: 'client_auth_failed' })).toBe('✗ 401 client authentication failed');
    expect(resultText({ status: 401, reason: 'inactive' })).toBe('✗ 401 inactive (auth server said no)');
  });

  it('lists issued tokens on a 200 token response, marking a static refresh token as unchanged', () => {
    expect(resultText({ status: 200, reason: null, issued: ['AT#4', 'RT#3'] })).toBe('✓ 200 → AT#4, RT#3');
    expect(resultText({ status: 200, reason: null, issued: ['AT#2', 'RT#1'], presented: 'RT#1' })).toBe('✓ 200 → AT#2, RT#1 (same)');
  });

  it('reads introspection answers as yes or no', () => {
    expect(resultText({ status: 200, reason: null, active: true })).toBe('✓ 200 active');
    expect(resultText({ status: 200, reason: 'inactive', active: false })).toBe('✗ 200 inactive');
  });

  it('has words for every reason code', () => {
    const reasons: Reason[] = [
      'no_token',
      'expired',
      'not_yet_valid',
      'bad_signature',
      'wrong_audience',
      'wrong_issuer',
      'wrong_type',
      'inactive',
      'dpop_required',
      'dpop_invalid',
      'unknown_token',
      'expired_idle',
      'expired_absolute',
      'revoked',
      'reused',
      'consumed',
      'user_suspended',
      'bad_password',
      'dpop_key_mismatch',
      'client_auth_failed',
      'no_password',
      'nothing_to_steal',
    ];
    for (const reason of reasons) {
      expect(reasonText(reason)).toMatch(/^[A-Za-z]/);
      expect(reasonText(reason)).not.toContain('_');
    }
  });
});

describe('sequence items', () => {
  it('draws every message of a real refresh-reuse run, with markers for theft and revocation', async () => {
    const { source } = await run({
      steps: [
        { at: '0s', do: 'client.login' },
        { at: '1m', do: 'attacker.steal', what: 'refresh' },
        { at: '2m', do: 'client.refresh' },
        { at: '3m', do: 'attacker.refresh' },
        { at: '4m', do: 'attacker.callApi' },
      ],
    });
    expect(
      sequenceItems(source.events).map(
        (i) => `${i.kind === 'arrow' ? `${i.from}>${i.to}` : i.lane} ${i.text.split(': ').slice(1).join(': ')}`,
      ),
    ).toEqual([
      'client>authServer to the AS’s sign-in page + PKCE challenge',
      'authServer>client ✓ 302 redirect → code AC#1 (the user typed the password at the AS)',
      'client>authServer exchange code AC#1 + PKCE verifier',
      'authServer>client ✓ 200 → AT#1, RT#1 (new family G1)',
      'attacker stole RT#1 from the client',
      'client>authServer refresh RT#1',
      'authServer>client ✓ 200 → AT#2, RT#2',
      'attacker>authServer refresh RT#1',
      'authServer family G1 revoked: reuse',
      'authServer>attacker ✗ 400 reuse detected — family revoked',
      'attacker dropped RT#1: reuse detected — family revoked',
      'attacker>resourceServer API call, no token',
      'resourceServer>attacker ✗ 401 no token',
    ]);
    const items = sequenceItems(source.events);
    const rejected = items.find((i) => i.kind === 'arrow' && i.verdict === 'rejected');
    expect(rejected?.tokens).toEqual([]);
    expect(items.find((i) => i.kind === 'marker' && i.lane === 'attacker')?.tokens).toEqual(['RT#1']);
  });

  it('draws introspection between the resource server and the AS', async () => {
    const { source } = await run({
      config: { preset: 'introspected-access' },
      steps: [
        { at: '0s', do: 'client.login' },
        { at: '1m', do: 'admin.suspendUser' },
        { at: '2m', do: 'client.callApi' },
      ],
    });
    const texts = sequenceItems(source.events).map((i) => i.text);
    expect(texts).toContain('Resource server to Authorization server: introspect AT#1');
    expect(texts).toContain('Authorization server answers Resource server: ✗ 200 inactive');
    expect(texts).toContain('Resource server answers Client: ✗ 401 inactive (auth server said no)');
    expect(texts).toContain('Authorization server: admin suspended the user');
  });

  it('says when an action sent nothing', async () => {
    const { source } = await run({ steps: [{ at: '0s', do: 'client.refresh' }] });
    expect(sequenceItems(source.events).map((i) => i.text)).toEqual(['Client: refresh: nothing sent (no token)']);
  });
});

describe('sequence rows: quiet gaps', () => {
  it(`collapses a gap of exactly ${GAP_THRESHOLD_SECONDS} s and not one of ${GAP_THRESHOLD_SECONDS - 1} s`, async () => {
    const { source } = await run({
      steps: [
        { at: 0, do: 'client.login' },
        { at: GAP_THRESHOLD_SECONDS - 1, do: 'client.callApi' },
        { at: 2 * GAP_THRESHOLD_SECONDS - 1, do: 'client.callApi' },
      ],
    });
    const rows = sequenceRows(source.events);
    expect(sketch(rows)).toEqual([
      '→ Client to Authorization server: to the AS’s sign-in page + PKCE challenge',
      '⇠ Authorization server answers Client: ✓ 302 redirect → code AC#1 (the user typed the password at the AS)',
      '→ Client to Authorization server: exchange code AC#1 + PKCE verifier',
      '⇠ Authorization server answers Client: ✓ 200 → AT#1, RT#1 (new family G1)',
      '→ Client to Resource server: API call AT#1',
      '⇠ Resource server answers Client: ✓ 200',
      'gap … 2 min pass …',
      '→ Client to Resource server: API call AT#1',
      '⇠ Resource server answers Client: ✓ 200',
    ]);
    const gap = rows.find((r) => r.kind === 'gap')!;
    expect([gap.t, gap.until]).toEqual([119, 239]);
  });

  it('words a long gap with formatSpan', async () => {
    const { source } = await run({
      steps: [
        { at: '0s', do: 'client.callApi' },
        { at: '59m', do: 'client.callApi' },
        { at: '2d1h59m', do: 'client.callApi' },
      ],
    });
    expect(
      sequenceRows(source.events)
        .filter((r) => r.kind === 'gap')
        .map((r) => r.text),
    ).toEqual(['… 59 min pass …', '… 2 d 1 h pass …']);
  });
});

describe('sequence rows: repeated automatic traffic', () => {
  const file = {
    behaviour: { user: { callApiEvery: '5m' } },
    steps: [{ at: '0s', do: 'user.arrive' }],
    until: '1h',
  };

  it('folds identical automatic exchanges into one repeat row followed by the latest', async () => {
    const { source } = await run(file);
    const rows = sequenceRows(source.events);
    expect(sketch(rows)).toEqual([
      '• Client: user arrives',
      '→ Client to Authorization server: to the AS’s sign-in page + PKCE challenge',
      '⇠ Authorization server answers Client: ✓ 302 redirect → code AC#1 (the user typed the password at the AS)',
      '→ Client to Authorization server: exchange code AC#1 + PKCE verifier',
      '⇠ Authorization server answers Client: ✓ 200 → AT#1, RT#1 (new family G1)',
      '→ Client to Resource server: API call AT#1',
      '⇠ Resource server answers Client: ✓ 200',
      'gap … 5 min pass …',
      'repeat×12 every 5 min',
      '→ Client to Authorization server: refresh RT#12',
      '⇠ Authorization server answers Client: ✓ 200 → AT#13, RT#13',
      '→ Client to Resource server: API call AT#13',
      '⇠ Resource server answers Client: ✓ 200',
    ]);
    const repeat = rows.find((r) => r.kind === 'repeat')!;
    expect(repeat).toMatchObject({ t: 300, until: 3600, count: 12, expanded: false });
    expect(repeat.tokens).toContain('RT#1');
    expect(repeat.tokens).toContain('AT#13');
    expect(rows.slice(-4).every((r) => r.group === repeat.key)).toBe(true);
  });

  it('shows every occurrence, with its gaps, when expanded', async () => {
    const { source } = await run(file);
    const key = sequenceRows(source.events).find((r) => r.kind === 'repeat')!.key;
    const rows = sequenceRows(source.events, new Set([key]));
    const inside = rows.filter((r) => r.group === key);
    expect(inside[0]).toMatchObject({ kind: 'repeat', expanded: true });
    expect(inside.filter((r) => r.kind === 'arrow')).toHaveLength(12 * 4);
    expect(inside.filter((r) => r.kind === 'gap')).toHaveLength(11);
  });

  it('folds only consecutive automatic exchanges with the same result, never scripted steps', async () => {
    const { source } = await run({
      behaviour: { attacker: { callApiEvery: '2m' } },
      steps: [
        { at: '0s', do: 'client.login' },
        { at: '1m', do: 'attacker.steal', what: 'access' },
        { at: '2m', do: 'client.callApi', repeat: { every: '1m', times: 3 } },
      ],
      until: '9m',
    });
    // Scripted calls at 2, 3, 4 min stay rows of their own; the attacker's tick at 3 min (200)
    // sits between them; its ticks at 5, 7 and 9 min (401 expired, nothing in between) fold.
    const rows = sequenceRows(source.events);
    expect(sketch(rows).slice(5)).toEqual([
      '→ Client to Resource server: API call AT#1',
      '⇠ Resource server answers Client: ✓ 200',
      '→ Client to Resource server: API call AT#1',
      '⇠ Resource server answers Client: ✓ 200',
      '→ Attacker to Resource server: API call AT#1',
      '⇠ Resource server answers Attacker: ✓ 200',
      '→ Client to Resource server: API call AT#1',
      '⇠ Resource server answers Client: ✓ 200',
      'repeat×3 every 2 min',
      '→ Attacker to Resource server: API call AT#1',
      '⇠ Resource server answers Attacker: ✗ 401 expired',
    ]);
    expect(rows.find((r) => r.kind === 'repeat')).toMatchObject({ t: 300, until: 540 });
  });

  it('groups the attacker’s repeated rejected calls with a range of intervals', async () => {
    const { source } = await run({
      behaviour: { attacker: { callApiEvery: '15m' } },
      steps: [
        { at: '0s', do: 'client.login' },
        { at: '1m', do: 'attacker.steal', what: 'access' },
      ],
      until: '2h',
    });
    const repeat = sequenceRows(source.events).find((r) => r.kind === 'repeat');
    // Ticks at 16, 31, …, 1 h 46 min, all after AT#1 expired at 5 min: seven "401 expired" fold.
    expect(repeat).toMatchObject({ count: 7, every: 'every 15 min' });
  });
});

describe('sequence layout', () => {
  it('labels the time once per instant, with the date when the day changes', async () => {
    const { source, epochSeconds } = await run({
      steps: [
        { at: '0s', do: 'client.login' },
        { at: '1d', do: 'client.callApi' },
      ],
    });
    const layout = layoutSequence(sequenceRows(source.events), { epochSeconds });
    expect(layout.rows.map((r) => r.timeLabel)).toEqual(['09:00:00', null, null, null, null, 'Tue 6 Jan 09:00:00', null]);
    expect(layout.rows.map((r) => r.placed.kind)).toEqual(['arrow', 'arrow', 'arrow', 'arrow', 'gap', 'arrow', 'arrow']);
    expect(layout.rows[4]!.srText).toBe('… 1 d pass …');
    expect(layout.rows[5]!.srText).toBe('Tue 6 Jan 09:00:00: Client to Resource server: API call AT#1');
    // Lifelines break across the gap row.
    expect(layout.lifelines.map((l) => l.broken)).toEqual([false, true, false]);
  });

  it('keeps labels inside the drawing and arrows between lanes', async () => {
    const { source, epochSeconds } = await run({
      steps: [
        { at: '0s', do: 'client.login' },
        { at: '1m', do: 'attacker.steal', what: 'both' },
        { at: '2m', do: 'client.refresh' },
        { at: '3m', do: 'attacker.refresh' },
      ],
    });
    const layout = layoutSequence(sequenceRows(source.events), { epochSeconds });
    for (const { placed } of layout.rows) {
      if (placed.kind !== 'arrow' && placed.kind !== 'marker') continue;
      const first = placed.label[0]!;
      const last = placed.label[placed.label.length - 1]!;
      expect(first.x).toBeGreaterThanOrEqual(150);
      expect(last.x + last.width).toBeLessThanOrEqual(layout.width);
    }
  });

  it('draws only the last rows, never starting inside a repeat', () => {
    const marker = (i: number, group: string | null): SequenceRow => ({
      kind: 'marker',
      key: `m${i}`,
      seq: i,
      t: i,
      cause: { kind: 'auto', who: 'user' },
      parts: [],
      tokens: [],
      text: '',
      signature: '',
      lane: 'client',
      tone: 'neutral',
      link: null,
      group,
    });
    const rows: SequenceRow[] = [
      marker(0, null),
      { kind: 'gap', key: 'g', t: 0, until: 200, text: '', group: null },
      marker(1, null),
      { kind: 'repeat', key: 'r', t: 10, until: 20, count: 2, every: '', who: '', expanded: false, tokens: [], text: '', group: 'r' },
      marker(2, 'r'),
      marker(3, 'r'),
    ];
    expect(windowStart(rows, 1)).toBe(3);
    expect(windowStart(rows, 3)).toBe(3);
    expect(windowStart(rows, 4)).toBe(2);
    // Never open on a gap row.
    expect(windowStart(rows, 5)).toBe(2);
    expect(windowStart(rows, 100)).toBe(0);
  });

  it('stays bounded on a long run', async () => {
    const { source, epochSeconds } = await run({
      behaviour: { user: { callApiEvery: '1m' } },
      steps: [
        { at: '0s', do: 'user.arrive' },
        { at: '1m', do: 'client.callApi', repeat: { every: '1m', times: 600 } },
      ],
    });
    const rows = sequenceRows(source.events);
    const layout = layoutSequence(rows, { epochSeconds, limit: 300 });
    expect(layout.rows.length).toBeLessThanOrEqual(301);
    expect(layout.hidden).toBe(rows.length - layout.rows.length);
    expect(layout.rows[0]!.timeLabel).not.toBeNull();
  });
});

describe('timeline bars', () => {
  const rotation = {
    steps: [
      { at: '0s', do: 'client.login' },
      { at: '1m', do: 'attacker.steal', what: 'both' },
      { at: '2m', do: 'client.refresh' },
      { at: '3m', do: 'attacker.refresh' },
    ],
    until: '10m',
  };

  it('runs access tokens from issue to expiry and refresh tokens to consumption or revocation', async () => {
    const { source } = await run(rotation);
    const bars = timelineBars(source);
    expect(bars.map((b) => b.label)).toEqual(['AT#1', 'RT#1', 'AT#2', 'RT#2']);
    expect(bar(bars, 'AT#1')).toMatchObject({ issuedAt: 0, end: 300, endReason: 'expiry', status: 'expired' });
    expect(bar(bars, 'AT#2')).toMatchObject({ issuedAt: 120, end: 420, endReason: 'expiry', status: 'expired' });
    expect(bar(bars, 'RT#1')).toMatchObject({
      issuedAt: 0,
      end: 120,
      endReason: 'consumed',
      openEnded: false,
      status: 'consumed (rotated); its family was revoked later',
    });
    expect(bar(bars, 'RT#2')).toMatchObject({ issuedAt: 120, end: 180, endReason: 'revoked', status: 'revoked' });
  });

  it('marks theft, rotation, reuse and revocation on the tokens they touch', async () => {
    const { source } = await run(rotation);
    const bars = timelineBars(source);
    const kinds = (label: string) => bar(bars, label).events.map((m) => `${m.kind}@${m.t}${m.byAttacker ? ':attacker' : ''}`);
    expect(kinds('RT#1')).toEqual(['stolen@60:attacker', 'rotated@120', 'reused@180:attacker']);
    // Revocation marks only tokens still alive then: not the consumed RT#1.
    expect(kinds('AT#1')).toEqual(['stolen@60:attacker', 'revoked@180']);
    expect(kinds('AT#2')).toEqual(['revoked@180']);
    expect(kinds('RT#2')).toEqual(['revoked@180']);
  });

  it('shades the attacker’s holding from the theft to expiry or consumption', async () => {
    const { source } = await run(rotation);
    const bars = timelineBars(source);
    expect(bar(bars, 'AT#1').held).toEqual([{ from: 60, to: 300, openEnded: false }]);
    // Rotated by the client at 2 min: the attacker's copy is dead from then on (its reuse at 3 min fails).
    expect(bar(bars, 'RT#1').held).toEqual([{ from: 60, to: 120, openEnded: false }]);
    expect(bar(bars, 'AT#2').held).toEqual([]);
    expect(bars.filter((b) => b.attacker).map((b) => b.label)).toEqual(['AT#1', 'RT#1']);
  });

  it('leaves an unexpired refresh token open-ended, and ends it at its idle deadline', async () => {
    const file = {
      config: { refreshToken: { idleTtl: '1h' } },
      steps: [
        { at: '0s', do: 'client.login' },
        { at: '10m', do: 'attacker.steal', what: 'refresh' },
      ],
      until: '3h',
    };
    const early = timelineBars((await run(file, 1800)).source);
    expect(bar(early, 'RT#1')).toMatchObject({ end: 1800, endReason: 'open', openEnded: true, deadline: 3600, status: 'active' });
    expect(bar(early, 'RT#1').held).toEqual([{ from: 600, to: 1800, openEnded: true }]);

    const late = timelineBars((await run(file, 7200)).source);
    expect(bar(late, 'RT#1')).toMatchObject({
      end: 3600,
      endReason: 'idle',
      openEnded: false,
      deadline: null,
      status: 'expired (idle lifetime)',
    });
    expect(bar(late, 'RT#1').held).toEqual([{ from: 600, to: 3600, openEnded: false }]);

    // Exactly at the deadline the family can no longer refresh (t < lastUse + idleTtl fails).
    const boundary = timelineBars((await run(file, 3600)).source);
    expect(bar(boundary, 'RT#1')).toMatchObject({ end: 3600, endReason: 'idle', openEnded: false });
  });

  it('ends a refresh token at its family’s absolute lifetime', async () => {
    const { source } = await run({
      config: { refreshToken: { absoluteTtl: '30m' } },
      steps: [
        { at: '0s', do: 'client.login' },
        { at: '10m', do: 'client.refresh' },
      ],
      until: '1h',
    });
    expect(bar(timelineBars(source), 'RT#2')).toMatchObject({ issuedAt: 600, end: 1800, endReason: 'absolute' });
  });

  it('ends the attacker’s holding when it drops a refused token, and starts one for tokens issued to it', async () => {
    const { source } = await run({
      config: { preset: 'static-refresh' },
      steps: [
        { at: '0s', do: 'client.login' },
        { at: '1m', do: 'attacker.steal', what: 'refresh' },
        { at: '2m', do: 'attacker.refresh' },
        { at: '4m', do: 'client.logout' },
        { at: '5m', do: 'attacker.refresh' },
      ],
      until: '10m',
    });
    const bars = timelineBars(source);
    expect(bar(bars, 'RT#1')).toMatchObject({ end: 240, endReason: 'revoked' });
    expect(bar(bars, 'RT#1').held).toEqual([{ from: 60, to: 240, openEnded: false }]);
    // AT#2 went to the attacker: held from issue to expiry, logout or not (local validation).
    expect(bar(bars, 'AT#2').held).toEqual([{ from: 120, to: 420, openEnded: false }]);
    expect(bar(bars, 'AT#2').events.map((m) => m.kind)).toEqual(['revoked']);
    expect(bar(bars, 'RT#1').events.map((m) => m.kind)).toEqual(['stolen', 'accepted', 'revoked', 'rejected']);
  });

  it('ends access tokens at revocation when the RS introspects', async () => {
    const { source } = await run({
      config: { preset: 'introspected-access', accessToken: { ttl: '1h' } },
      steps: [
        { at: '0s', do: 'client.login' },
        { at: '10m', do: 'user.changePassword' },
      ],
      until: '20m',
    });
    expect(bar(timelineBars(source), 'AT#1')).toMatchObject({
      end: 600,
      endReason: 'revoked',
      status: 'revoked (introspection says inactive)',
    });
  });

  it('includes forged tokens as the attacker’s', async () => {
    const { source } = await run({ steps: [{ at: '0s', do: 'attacker.forge' }] });
    const forged = bar(timelineBars(source), 'FT#1');
    expect(forged).toMatchObject({ forged: true, attacker: true, grantId: null, status: 'rejected by the RS: bad signature' });
    expect(forged.events.map((m) => m.kind)).toEqual(['rejected']);
  });
});

describe('timeline layout', () => {
  it('places the now line, the bars and their attacker shading on one axis', async () => {
    const { source } = await run({
      steps: [
        { at: '0s', do: 'client.login' },
        { at: '1m', do: 'attacker.steal', what: 'both' },
      ],
      until: '2m',
    });
    const layout = layoutTimeline(timelineBars(source), source, { showAll: false });
    // The axis reaches AT#1's expiry (5 min), which is within one "elapsed span" of now.
    expect(layout.start).toBe(0);
    expect(layout.end).toBeGreaterThanOrEqual(300);
    const tokens = layout.rows.flatMap((r) => (r.kind === 'token' ? [r] : []));
    const at = tokens.find((r) => r.bar.label === 'AT#1')!;
    const rt = tokens.find((r) => r.bar.label === 'RT#1')!;
    expect(at.past!.x2).toBeCloseTo(layout.nowX);
    expect(at.future!.x1).toBeCloseTo(layout.nowX);
    expect(at.future!.fade).toBe(false);
    expect(rt.future).toMatchObject({ fade: true });
    expect(rt.held).toHaveLength(1);
    expect(rt.held[0]!.fade).toBe(true);
    expect(layout.rows[0]).toMatchObject({ kind: 'family', title: 'Family G1 · client login, 09:00:00' });
  });

  it('clips a 30-day token at the right edge instead of stretching the axis', async () => {
    const { source } = await run({ config: { preset: 'long-lived-access' }, steps: [{ at: '0s', do: 'client.login' }], until: '10m' });
    const layout = layoutTimeline(timelineBars(source), source, { showAll: false });
    expect(layout.end).toBeLessThan(3600);
    const row = layout.rows.find((r) => r.kind === 'token')!;
    expect(row.kind === 'token' && row.future).toMatchObject({ fade: true });
  });

  it('shows the 60 most recent tokens plus the attacker’s, unless asked for all', async () => {
    const { source } = await run({
      behaviour: { user: { callApiEvery: '5m' } },
      steps: [
        { at: '0s', do: 'user.arrive' },
        { at: '1m', do: 'attacker.steal', what: 'access' },
      ],
      until: '4h',
    });
    const bars = timelineBars(source);
    expect(bars.length).toBeGreaterThan(60);
    const shown = visibleBars(bars, false);
    expect(shown.map((b) => b.label)).toContain('AT#1');
    expect(shown).toHaveLength(61);
    expect(visibleBars(bars, true)).toHaveLength(bars.length);
    const layout = layoutTimeline(bars, source, { showAll: false });
    expect(layout.hidden).toBe(bars.length - 61);
  });

  it('merges many markers at one spot into one with a count', async () => {
    const { source } = await run({
      config: { preset: 'long-lived-access' },
      steps: [
        { at: '0s', do: 'client.login' },
        { at: '1s', do: 'client.callApi', repeat: { every: '1s', times: 50 } },
        { at: '1d', do: 'client.callApi' },
      ],
    });
    const layout = layoutTimeline(timelineBars(source), source, { showAll: true });
    const row = layout.rows.find((r) => r.kind === 'token' && r.bar.label === 'AT#1');
    const markers = row && row.kind === 'token' ? row.markers : [];
    expect(markers.reduce((n, m) => n + m.count, 0)).toBe(51);
    expect(markers.length).toBeLessThan(5);
    expect(markers[0]!.text).toMatch(/^09:00:01 – 09:00:\d\d: \d+ × API call by the client: ✓ 200$/);
  });
});

describe('axis ticks', () => {
  const epoch = Date.UTC(2026, 0, 5, 9, 0, 0) / 1000;
  it('uses round clock times in minutes for an hour', () => {
    expect(timeTicks(0, 3600, epoch).map((t) => t.label)).toEqual(['09:00', '09:10', '09:20', '09:30', '09:40', '09:50', '10:00']);
  });
  it('uses seconds for a minute', () => {
    expect(timeTicks(0, 60, epoch).map((t) => t.label)).toEqual([
      '09:00:00',
      '09:00:10',
      '09:00:20',
      '09:00:30',
      '09:00:40',
      '09:00:50',
      '09:01:00',
    ]);
  });
  it('adds the date when a tick crosses midnight, and uses days for weeks', () => {
    expect(timeTicks(14 * 3600, 16 * 3600, epoch).map((t) => t.label)).toContain('Tue 6 Jan 00:00');
    expect(timeTicks(0, 14 * 86_400, epoch).map((t) => t.label)[0]).toBe('Tue 6 Jan');
  });
});

describe('incremental reading', () => {
  it('gives the same items as a full read while the trace grows, and starts over after a step back', async () => {
    const { world } = await run(
      {
        behaviour: { user: { callApiEvery: '5m' } },
        steps: [
          { at: '0s', do: 'user.arrive' },
          { at: '7m', do: 'client.login' },
        ],
        until: '30m',
      },
      0,
    );
    const read = createSequenceItemsReader();
    const seen: number[] = [];
    for (const t of [60, 420, 600, 1800]) {
      await world.advanceTo(t);
      const events = world.trace.slice();
      expect(read(events)).toEqual(sequenceItems(events));
      seen.push(events.length);
    }
    // The login at 7 min starts a family whose response names it: read across that boundary.
    expect(sequenceItems(world.trace).some((i) => i.text.includes('(new family G2)'))).toBe(true);
    await world.rewindTo(3);
    const events = world.trace.slice();
    expect(events.length).toBeLessThan(seen[seen.length - 1]!);
    expect(read(events)).toEqual(sequenceItems(events));
  });
});

describe('now row', () => {
  it('closes the diagram with the quiet time since the last message and a now line', async () => {
    const { source, epochSeconds } = await run({ steps: [{ at: '0s', do: 'client.login' }] });
    const rows = sequenceRows(source.events);
    expect(layoutSequence(rows, { epochSeconds, now: 119 }).now?.text).toBe('Now: 09:01:59');
    expect(layoutSequence(rows, { epochSeconds, now: 119 }).rows.map((r) => r.placed.kind)).toEqual(['arrow', 'arrow', 'arrow', 'arrow']);
    const later = layoutSequence(rows, { epochSeconds, now: 3600 });
    expect(later.rows.map((r) => r.srText).slice(-1)).toEqual(['… 1 h pass …']);
    expect(later.now).toMatchObject({ label: '10:00:00' });
  });
});

describe('timeline axis on long runs', () => {
  it('starts at the oldest recent token, keeping an old attacker token as a note', async () => {
    const { source } = await run({
      behaviour: { user: { callApiEvery: '5m' } },
      steps: [
        { at: '0s', do: 'user.arrive' },
        { at: '1m', do: 'attacker.steal', what: 'access' },
      ],
      until: '12h',
    });
    const bars = timelineBars(source);
    const layout = layoutTimeline(bars, source, { showAll: false });
    const recentStart = Math.min(...bars.slice(-60).map((b) => b.issuedAt));
    expect(layout.start).toBe(recentStart);
    const old = layout.rows.find((r) => r.kind === 'token' && r.bar.label === 'AT#1');
    expect(old).toMatchObject({
      clippedBefore: true,
      endedBefore: 'ended 09:05:00, before this range',
      past: null,
      after: null,
      held: [],
      markers: [],
    });
    // Showing all tokens puts the whole run back on the axis.
    expect(layoutTimeline(bars, source, { showAll: true }).start).toBe(0);
  });

  it('draws a clipped token that is still presented as a dotted line to its markers', async () => {
    const { source } = await run({
      behaviour: { user: { callApiEvery: '5m' }, attacker: { callApiEvery: '1h' } },
      steps: [
        { at: '0s', do: 'user.arrive' },
        { at: '1m', do: 'attacker.steal', what: 'access' },
      ],
      until: '12h',
    });
    const layout = layoutTimeline(timelineBars(source), source, { showAll: false });
    const old = layout.rows.find((r) => r.kind === 'token' && r.bar.label === 'AT#1');
    expect(old && old.kind === 'token' && old.endedBefore).toBeNull();
    expect(old && old.kind === 'token' && old.after?.x1).toBe(TIMELINE.plotX0);
    expect(old && old.kind === 'token' && old.markers.every((m) => m.kind === 'rejected' && m.byAttacker)).toBe(true);
  });
});

describe('sequence items: signing in (SEMANTICS.md §10)', () => {
  const lines = (events: Parameters<typeof sequenceItems>[0]) =>
    sequenceItems(events).map((i) => `${i.kind === 'arrow' ? `${i.from}>${i.to}` : i.lane} ${i.text.split(': ').slice(1).join(': ')}`);

  it('draws authorize → code → exchange, the password typed at the AS, and the code as a clickable token', async () => {
    const { source } = await run({ steps: [{ at: 0, do: 'client.login' }] });
    const items = sequenceItems(source.events);
    expect(lines(source.events).slice(0, 3)).toEqual([
      'client>authServer to the AS’s sign-in page + PKCE challenge',
      'authServer>client ✓ 302 redirect → code AC#1 (the user typed the password at the AS)',
      'client>authServer exchange code AC#1 + PKCE verifier',
    ]);
    expect(items[1]!.tokens).toEqual(['AC#1']);
    expect(items[2]!.tokens).toEqual(['AC#1']);
  });

  it('an intercepted code goes to the attacker, whose exchange PKCE refuses', async () => {
    const { source } = await run({
      steps: [
        { at: 0, do: 'attacker.interceptCode' },
        { at: 1, do: 'client.login' },
      ],
    });
    const text = lines(source.events);
    expect(text).toContain('authServer>attacker ✓ 302 redirect → code AC#1 (the user typed the password at the AS)');
    expect(text).toContain('attacker intercepted code AC#1 (meant for the app)');
    expect(text).toContain('attacker>authServer exchange code AC#1, no verifier');
    expect(text).toContain('authServer>attacker ✗ 400 PKCE check failed');
  });

  it('a silent sign-in from a live session skips the password; the password grant is labelled legacy', async () => {
    const session = await run({
      config: { authServer: { signInSession: { idleTtl: '1h', absoluteTtl: null } } },
      steps: [
        { at: 0, do: 'client.login' },
        { at: 60, do: 'attacker.hijackPage' },
        { at: 70, do: 'attacker.silentLogin' },
      ],
    });
    const text = lines(session.source.events);
    expect(text).toContain('attacker>authServer silent sign-in from the hijacked page + PKCE challenge');
    expect(text).toContain('authServer>attacker ✓ 302 redirect → code AC#2 (no password: live sign-in session)');
    const legacy = await run({ config: { preset: 'stored-password' }, steps: [{ at: 0, do: 'client.login' }] });
    expect(lines(legacy.source.events)[0]).toBe('client>authServer password grant (legacy): the app sends the password');
  });
});

describe('sequence items: where a theft came from', () => {
  it('a copy from the API’s logs is drawn from the resource server; steal all names the password too', async () => {
    const logs = await run({
      steps: [
        { at: 0, do: 'client.login' },
        { at: 1, do: 'client.callApi' },
        { at: 2, do: 'attacker.steal', what: 'access', from: 'api-logs' },
      ],
    });
    const copied = sequenceItems(logs.source.events).find((i) => i.kind === 'marker' && i.text.includes('copied'));
    expect(copied).toMatchObject({ kind: 'marker', link: 'resourceServer', text: 'Attacker: copied AT#1 from the API’s request logs' });
    const all = await run({
      config: { preset: 'stored-password' },
      steps: [
        { at: 0, do: 'client.login' },
        { at: 1, do: 'attacker.steal', what: 'all' },
      ],
    });
    const stole = sequenceItems(all.source.events).find((i) => i.kind === 'marker' && i.text.includes('stole'));
    expect(stole?.text).toBe('Attacker: stole AT#1, the password from the client');
  });
});

describe('sequence rows read incrementally', () => {
  it('gives the same rows as a full read while the trace grows, expanded or not, and after a step back', async () => {
    const file = {
      seed: 3,
      epoch: '2026-01-05T09:00:00Z',
      config: { preset: 'rotating-refresh' },
      behaviour: { user: { callApiEvery: '1m' }, attacker: { callApiEvery: '7m' } },
      steps: [
        { at: '0s', do: 'client.login' },
        { at: '3m', do: 'attacker.steal', what: 'both' },
        { at: '20m', do: 'client.refresh' },
        { at: '40m', do: 'user.leave' },
        { at: '50m', do: 'user.arrive' },
      ],
      until: '1h',
    };
    const world = await worldAt(file);
    const all = sequenceItems(world.trace);
    const group = createSequenceGrouper();
    const rowsOf = createSequenceRowsReader();
    const read = (items: readonly SequenceItem[], expanded: ReadonlySet<string>) => rowsOf(group(items), expanded);
    const repeatKey = sequenceRows(world.trace).find((r) => r.kind === 'repeat')!.key;
    for (const n of [1, 7, 40, 41, 90, all.length - 3, all.length]) {
      const items = all.slice(0, n);
      expect(read(items, new Set())).toEqual(sequenceRows([], new Set(), items));
      expect(read(items, new Set([repeatKey]))).toEqual(sequenceRows([], new Set([repeatKey]), items));
    }
    // A shorter list (a step back) starts over.
    expect(read(all.slice(0, 10), new Set())).toEqual(sequenceRows([], new Set(), all.slice(0, 10)));
  });
});
