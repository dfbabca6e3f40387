import { describe, expect, it } from 'vitest';
import { BUILT_IN_SCENARIOS } from '../scenarios';
import { createProjector, heldAt, holdersAt, lifeStatus, project, type Projection, type TokenLife } from './projection';
import { parseScenario } from './scenario';
import { World } from './world';

async function worldFor(file: Record<string, unknown>, t?: number): Promise<World> {
  const parsed = parseScenario({ format: 'tokenscope/1', ...file });
  if (!parsed.ok) throw new Error(parsed.error);
  const w = await World.create(parsed.scenario);
  await w.advanceTo(t ?? w.end);
  return w;
}

function life(p: Projection, label: string): TokenLife {
  const found = p.token(label);
  if (!found) throw new Error(`no ${label}`);
  return found;
}

const rotating = (steps: unknown[], extra: Record<string, unknown> = {}) => ({
  seed: 7,
  epoch: '2026-01-05T09:00:00Z',
  config: { preset: 'rotating-refresh' },
  behaviour: {},
  steps,
  ...extra,
});

describe('the projection of the trace', () => {
  it('follows a refresh token through rotation: consumed, replaced in the client’s hands, its grant’s last use moved', async () => {
    const w = await worldFor(
      rotating([
        { at: '0s', do: 'client.login' },
        { at: '2m', do: 'client.refresh' },
      ]),
    );
    const p = project(w.trace);
    const rt1 = life(p, 'RT#1');
    expect(rt1).toMatchObject({ kind: 'refresh', issuedAt: 0, issuedTo: 'client', consumedAt: 120, revoked: null });
    expect(rt1.holdings).toEqual([{ party: 'client', from: 0, to: 120, how: 'issued' }]);
    expect(rt1.marks).toEqual([expect.objectContaining({ kind: 'used', t: 120, by: 'client', status: 200, rotated: true })]);
    expect(holdersAt(life(p, 'RT#2'), 120)).toEqual(['client']);
    expect(holdersAt(life(p, 'AT#1'), 120)).toEqual([]);
    expect(p.grant(rt1.grantId!)).toMatchObject({ startedAt: 0, lastUse: 120, tokens: ['AT#1', 'RT#1', 'AT#2', 'RT#2'] });
    expect(lifeStatus(rt1, 120, p, w.config.refreshToken)).toBe('consumed');
    expect(lifeStatus(life(p, 'RT#2'), 120, p, w.config.refreshToken)).toBe('active');
  });

  it('reuse detection: the family is revoked, live tokens carry the mark, the consumed parent does not', async () => {
    const w = await worldFor(
      rotating([
        { at: '0s', do: 'client.login' },
        { at: '1m', do: 'attacker.steal', what: 'refresh' },
        { at: '2m', do: 'client.refresh' },
        { at: '3m', do: 'attacker.refresh' },
      ]),
    );
    const p = project(w.trace);
    const rt1 = life(p, 'RT#1');
    expect(rt1.revoked).toMatchObject({ t: 180, cause: 'reuse' });
    expect(rt1.marks.map((m) => m.kind)).toEqual(['stolen', 'used', 'used', 'dropped']);
    expect(rt1.marks[2]).toMatchObject({ by: 'attacker', status: 400, reason: 'reused' });
    // Stolen at 1 min, dropped when refused at 3 min.
    expect(rt1.holdings.filter((h) => h.party === 'attacker')).toEqual([{ party: 'attacker', from: 60, to: 180, how: 'stolen' }]);
    const rt2 = life(p, 'RT#2');
    expect(rt2.revoked).toMatchObject({ t: 180, cause: 'reuse' });
    expect(rt2.marks).toEqual([expect.objectContaining({ kind: 'revoked', t: 180, cause: 'reuse' })]);
    expect(lifeStatus(rt2, 180, p, w.config.refreshToken)).toBe('revoked');
    expect(p.grant(rt2.grantId!)!.revoked).toEqual({ t: 180, cause: 'reuse' });
    // Agrees with the AS's own records.
    expect(w.current.authServer.refreshTokens['RT#2']!.status).toBe('revoked');
  });

  it('an access token has expired at exactly t = exp, not a second before', async () => {
    const w = await worldFor(rotating([{ at: '0s', do: 'client.login' }], { until: '10m' }));
    const p = project(w.trace);
    const at1 = life(p, 'AT#1');
    expect(at1.expiresAt).toBe(300);
    expect(lifeStatus(at1, 299, p, w.config.refreshToken)).toBe('active');
    expect(lifeStatus(at1, 300, p, w.config.refreshToken)).toBe('expired');
  });

  it('a token the attacker drops ends its holding; stolen again, a new one starts', async () => {
    const w = await worldFor(
      rotating([
        { at: '0s', do: 'client.login' },
        { at: '1m', do: 'attacker.steal', what: 'refresh' },
        { at: '2m', do: 'client.refresh' },
        { at: '3m', do: 'attacker.refresh' },
      ]),
    );
    const p = project(w.trace);
    const rt1 = life(p, 'RT#1');
    expect(rt1.marks).toContainEqual({ kind: 'dropped', t: 180, by: 'attacker', reason: 'reused' });
    expect(heldAt(rt1, 'attacker', 179)).toBe(true);
    expect(heldAt(rt1, 'attacker', 180)).toBe(false);
  });

  it('an intercepted code: delivered to the attacker, redeemed by it, never held by the app', async () => {
    const scenario = BUILT_IN_SCENARIOS.find((s) => s.id === 'code-interception-without-pkce')!;
    const w = await worldFor(scenario.json as Record<string, unknown>);
    const p = project(w.trace);
    const ac1 = life(p, 'AC#1');
    expect(ac1).toMatchObject({ kind: 'code', issuedTo: 'attacker', expiresAt: ac1.issuedAt + 60 });
    expect(ac1.consumedAt).not.toBeNull();
    expect(ac1.holdings.map((h) => [h.party, h.how])).toEqual([['attacker', 'intercepted']]);
    expect(ac1.marks[0]).toMatchObject({ kind: 'used', by: 'attacker', endpoint: 'token', status: 200 });
    expect(lifeStatus(ac1, ac1.consumedAt!, p, null)).toBe('consumed');
    // The grant it bought is the attacker's, and so are its first tokens.
    const grant = p.grants.find((g) => g.startedAt === ac1.consumedAt)!;
    expect(grant.by).toBe('attacker');
    expect(grant.tokens.map((label) => life(p, label).issuedTo)).toContain('attacker');
  });

  it('reads only the new events, keeps older snapshots as they were, and starts over after a rewind', async () => {
    const w = await worldFor(
      rotating([
        { at: '0s', do: 'client.login' },
        { at: '2m', do: 'client.refresh' },
      ]),
      1,
    );
    const projector = createProjector();
    const events = [...w.trace];
    const early = projector(events);
    expect(life(early, 'RT#1').consumedAt).toBeNull();
    await w.advanceTo(w.end);
    const grown = [...w.trace];
    const late = projector(grown);
    expect(late.length).toBe(grown.length);
    expect(life(late, 'RT#1').consumedAt).toBe(120);
    // The earlier snapshot is unchanged and knows nothing of later tokens.
    expect(life(early, 'RT#1').consumedAt).toBeNull();
    expect(early.token('RT#2')).toBeUndefined();
    expect(projector(grown)).toBe(late);
    // A shorter trace (a step back) is read from the start.
    const rewound = projector(events.slice(0, 3));
    expect(rewound.length).toBe(3);
    expect(rewound.token('RT#1')).toBeUndefined();
  });

  it('agrees with the engine’s own state at the end of every built-in scenario', async () => {
    for (const scenario of BUILT_IN_SCENARIOS) {
      const w = await worldFor(scenario.json as Record<string, unknown>);
      const p = project(w.trace);
      const as = w.current.authServer;
      for (const [label, record] of Object.entries(as.refreshTokens)) {
        const l = life(p, label);
        expect(l.consumedAt, `${scenario.id} ${label}`).toBe(record.consumedAt);
        expect(l.revoked !== null, `${scenario.id} ${label} revoked`).toBe(record.status === 'revoked');
      }
      for (const grant of Object.values(as.grants)) {
        const g = p.grant(grant.id)!;
        expect({ startedAt: g.startedAt, lastUse: g.lastUse, revoked: g.revoked !== null }, `${scenario.id} ${grant.id}`).toEqual({
          startedAt: grant.startedAt,
          lastUse: grant.lastUse,
          revoked: grant.revoked,
        });
      }
      // What the client and the attacker hold now.
      const held = (party: 'client' | 'attacker', kind: 'access' | 'refresh') =>
        p.tokens.filter((l) => l.kind === kind && !l.forged && heldAt(l, party, w.now)).map((l) => l.label);
      const client = w.current.client;
      expect(held('client', 'access'), `${scenario.id} client AT`).toEqual(client.accessToken ? [client.accessToken] : []);
      expect(held('client', 'refresh'), `${scenario.id} client RT`).toEqual(client.refreshToken ? [client.refreshToken] : []);
      expect(held('attacker', 'refresh').sort(), `${scenario.id} attacker RT`).toEqual([...w.current.attacker.refreshTokens].sort());
      expect(p.attackerInPage, `${scenario.id} in page`).toBe(w.current.attacker.inPage);
    }
  }, 60_000);
});
