// Properties over random valid scenarios (fast-check): the invariants SEMANTICS.md promises
// whatever the script, plus determinism of replay, step back and side-by-side worlds. Each run is
// kept small (bounded steps and behaviour ticks) so the whole file stays within a few seconds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRESET_IDS } from './config';
import { PARTY_MACHINES, type Machine } from './machines';
import type { WorldState } from './state';
import { plain, scenarioOf } from './test-helpers';
import { API_ENDPOINT, API_METHOD, TOKEN_ENDPOINT, TOKEN_METHOD } from './protocol';
import type { DpopProof, Outcome, Party, Reason, Scenario, SimEvent, TokenLabel } from './types';
import { World, type Op } from './world';

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

// ---- the arbitrary: random valid scenario files --------------------------------------------------
// Two shapes: "wide" runs over every action and configuration for up to three days, and "dense"
// attack stories (steals, refreshes and calls by both sides within half an hour) that reach the
// interesting rules — reuse, intervals, idle limits — far more often.

type Weighted = Array<[Record<string, unknown>, number]>;

const forges = [{ do: 'attacker.forge' }, ...['own-key', 'alg-none', 'wrong-audience'].map((kind) => ({ do: 'attacker.forge', kind }))];

/**
 * Weights per action name; `attacker.steal/<what>` weighs one kind of theft, and
 * `attacker.callApi/<proof>`, `attacker.refresh/<proof>` one way of proving possession (DPoP).
 */
function weightedAction(weights: Record<string, number>): fc.Arbitrary<Record<string, unknown>> {
  const entries: Weighted = Object.entries(weights).flatMap(([name, weight]): Weighted => {
    if (name === 'attacker.steal/api-logs') return [[{ do: 'attacker.steal', what: 'access', from: 'api-logs' }, weight]];
    if (name.startsWith('attacker.steal/')) return [[{ do: 'attacker.steal', what: name.slice('attacker.steal/'.length) }, weight]];
    const [action, proof] = name.split('/');
    if (proof !== undefined) return [[{ do: action, proof }, weight]];
    if (name === 'attacker.forge') return forges.map((a) => [a, weight]);
    return [[{ do: name }, weight]];
  });
  return fc.oneof(...entries.map(([action, weight]) => ({ arbitrary: fc.constant(action), weight })));
}

const everyAction = weightedAction({
  'client.login': 3,
  'client.callApi': 2,
  'client.refresh': 3,
  'client.logout': 1,
  'user.changePassword': 1,
  'user.arrive': 2,
  'user.leave': 1,
  'admin.suspendUser': 1,
  'admin.reinstateUser': 1,
  'admin.revokeAll': 1,
  'attacker.wipe': 1,
  'attacker.callApi': 2,
  'attacker.refresh': 3,
  'attacker.login': 1,
  'attacker.steal/access': 1,
  'attacker.steal/refresh': 1,
  'attacker.steal/both': 1,
  'attacker.steal/password': 1,
  'attacker.steal/clientSecret': 1,
  'attacker.forge': 1,
  'attacker.hijackPage': 1,
  'attacker.releasePage': 1,
  'attacker.callApi/own-key': 1,
  'attacker.refresh/replay': 1,
  'attacker.steal/all': 1,
  'attacker.steal/api-logs': 1,
  'attacker.interceptCode': 1,
  'attacker.silentLogin': 2,
});

const attackAction = weightedAction({
  'client.login': 2,
  'client.callApi': 4,
  'client.refresh': 8,
  'client.logout': 1,
  'user.changePassword': 1,
  'admin.suspendUser': 1,
  'admin.reinstateUser': 1,
  'admin.revokeAll': 1,
  'attacker.wipe': 1,
  'attacker.callApi': 4,
  'attacker.refresh': 8,
  'attacker.login': 2,
  'attacker.steal/access': 1,
  'attacker.steal/refresh': 3,
  'attacker.steal/both': 3,
  'attacker.steal/password': 1,
  'attacker.steal/clientSecret': 1,
  'attacker.hijackPage': 2,
  'attacker.releasePage': 1,
  'user.leave': 1,
  'user.arrive': 1,
  'attacker.callApi/own-key': 1,
  'attacker.callApi/replay': 2,
  'attacker.refresh/own-key': 1,
  'attacker.refresh/replay': 2,
  'attacker.steal/all': 2,
  'attacker.steal/api-logs': 1,
  'attacker.interceptCode': 1,
  'attacker.silentLogin': 2,
});

const actionArb = everyAction;

const refreshTokenObjectArb = fc.constantFrom(true, true, false).chain((rotation) =>
  fc.record({
    rotation: fc.constant(rotation),
    reuseDetection: rotation ? fc.constantFrom(true, true, false) : fc.constant(false),
    reuseInterval: rotation ? fc.constantFrom(0, 30, 2 * MINUTE) : fc.constant(0),
    idleTtl: fc.constantFrom(null, 10 * MINUTE),
    absoluteTtl: fc.constantFrom(null, 15 * MINUTE, 30 * DAY),
  }),
);

const refreshTokenArb = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean().chain((rotation) =>
    fc.record({
      rotation: fc.constant(rotation),
      reuseDetection: rotation ? fc.boolean() : fc.constant(false),
      reuseInterval: rotation ? fc.constantFrom(0, 30, 2 * MINUTE, 5 * MINUTE) : fc.constant(0),
      idleTtl: fc.constantFrom(null, 10 * MINUTE, HOUR),
      absoluteTtl: fc.constantFrom(null, 15 * MINUTE, HOUR, DAY, 30 * DAY),
    }),
  ),
);

function configArb(presets: readonly string[], ttls: readonly number[], refreshToken: fc.Arbitrary<unknown>) {
  return fc
    .record(
      {
        preset: fc.constantFrom(...presets),
        accessToken: fc.record({ ttl: fc.constantFrom(...ttls) }),
        refreshToken,
        client: fc.record(
          {
            type: fc.constantFrom('public', 'public', 'confidential'),
            storesPassword: fc.boolean(),
            tokenStorage: fc.constantFrom('browser', 'browser', 'bff'),
          },
          { requiredKeys: [] },
        ),
        resourceServer: fc.record(
          { validation: fc.constantFrom('local', 'introspection'), leeway: fc.constantFrom(0, 1, 30, 60) },
          { requiredKeys: [] },
        ),
        pkce: fc.boolean(),
        authServer: fc.record(
          {
            signInSession: fc.oneof(
              fc.constant(null),
              fc.record({ idleTtl: fc.constantFrom(null, 5 * MINUTE, HOUR), absoluteTtl: fc.constantFrom(null, 30 * MINUTE, DAY) }),
            ),
            revokeGrantsOnPasswordChange: fc.boolean(),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: ['preset'] },
    )
    .map((config) => {
      // Only the password grant stores the password; a BFF is a confidential client (SEMANTICS.md §10).
      const stores =
        config.client?.storesPassword === true || (config.preset === 'stored-password' && config.client?.storesPassword !== false);
      const login = config.preset === 'stored-password' || stores ? { login: 'password-grant' } : {};
      const bff = config.preset === 'bff' || config.client?.tokenStorage === 'bff';
      const client = bff && config.client?.type === 'public' ? { ...config.client, type: 'confidential' } : config.client;
      // The password grant takes neither pkce nor a sign-in session (SEMANTICS.md §10).
      const { pkce, authServer, ...rest } = config;
      const signIn = login.login
        ? { ...(authServer && { authServer: { ...authServer, signInSession: null } }) }
        : { pkce, ...(authServer && { authServer }) };
      return { ...rest, ...login, ...signIn, ...(client && { client }) };
    });
}

/** Instants that like to sit on or next to whole minutes and token lifetimes' edges. */
function instantArb(horizon: number, grid: boolean): fc.Arbitrary<number> {
  // Dense stories put steps on a 30-second grid (± 1 s), so refreshes meet lifetimes' edges.
  if (grid) {
    return fc
      .tuple(fc.integer({ min: 0, max: Math.floor(horizon / 30) }), fc.constantFrom(-1, 0, 0, 0, 0, 1))
      .map(([k, d]) => Math.min(horizon, Math.max(0, k * 30 + d)));
  }
  return fc.oneof(
    fc.integer({ min: 0, max: horizon }),
    fc.integer({ min: 0, max: Math.floor(horizon / 60) }).map((m) => m * 60),
    fc
      .tuple(fc.integer({ min: 0, max: Math.floor(horizon / 300) }), fc.constantFrom(-1, 0, 0, 1))
      .map(([k, d]) => Math.min(horizon, Math.max(0, k * 300 + d))),
  );
}

interface Shape {
  horizons: number[];
  presets: readonly string[];
  ttls: number[];
  refreshToken: fc.Arbitrary<unknown>;
  action: fc.Arbitrary<Record<string, unknown>>;
  maxSteps: number;
  /** The first step (at 0), if any: most lessons start with the user signing in. */
  starts: Array<string | null>;
}

const WIDE: Shape = {
  horizons: [10 * MINUTE, 2 * HOUR, DAY, 3 * DAY],
  presets: PRESET_IDS,
  ttls: [1, 30, 5 * MINUTE, HOUR, 30 * DAY],
  refreshToken: refreshTokenArb,
  action: everyAction,
  maxSteps: 14,
  starts: ['client.login', 'client.login', 'user.arrive', null],
};

const DENSE: Shape = {
  horizons: [30 * MINUTE],
  presets: ['rotating-refresh', 'stored-password', 'introspected-access', 'dpop-bound', 'dpop-bound'],
  ttls: [2 * MINUTE, 5 * MINUTE, 5 * MINUTE, 10 * MINUTE],
  refreshToken: refreshTokenObjectArb,
  action: attackAction,
  maxSteps: 16,
  starts: ['client.login'],
};

function fileArb(shape: Shape): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .constantFrom(...shape.horizons)
    .chain((horizon) => {
      // Behaviour ticks are capped at about 150 per run, so every run stays fast.
      const everyArb = fc.constantFrom(MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR).map((e) => Math.max(e, Math.ceil(horizon / 150)));
      const stepArb = fc.record({
        at: instantArb(horizon, shape === DENSE),
        action: shape.action,
        repeat: fc.oneof(
          { arbitrary: fc.constant(undefined), weight: 4 },
          {
            arbitrary: fc.record({
              every: fc.integer({ min: 1, max: Math.max(1, Math.floor(horizon / 4)) }),
              times: fc.integer({ min: 1, max: 3 }),
            }),
            weight: 1,
          },
        ),
      });
      return fc.record({
        seed: fc.integer({ min: 0, max: 2 ** 40 }),
        config: configArb(shape.presets, shape.ttls, shape.refreshToken),
        behaviour: fc.record(
          {
            user: fc.option(fc.record({ callApiEvery: everyArb }), { nil: undefined, freq: 3 }),
            attacker: fc.option(fc.record({ callApiEvery: everyArb }), { nil: undefined, freq: 3 }),
          },
          { requiredKeys: [] },
        ),
        steps: fc.array(stepArb, { minLength: 1, maxLength: shape.maxSteps, size: 'max' }),
        start: fc.constantFrom(...shape.starts),
        withUntil: fc.boolean(),
        horizon: fc.constant(horizon),
      });
    })
    .map(({ seed, config, behaviour, steps, start, withUntil, horizon }) => {
      const first = start === null ? [] : [{ at: 0, action: { do: start }, repeat: undefined }];
      const sorted = [...first, ...steps].sort((a, b) => a.at - b.at);
      const last = sorted.reduce((max, s) => Math.max(max, s.at + (s.repeat ? s.repeat.every * (s.repeat.times - 1) : 0)), 0);
      const file = {
        format: 'tokenscope/1',
        seed,
        config,
        behaviour,
        steps: sorted.map((s) => ({ at: s.at, ...s.action, ...(s.repeat ? { repeat: s.repeat } : {}) })),
        ...(withUntil ? { until: Math.max(horizon, last) } : {}),
      };
      // JSON drops the undefined optional fields, as a file would not have them.
      return JSON.parse(JSON.stringify(file)) as Record<string, unknown>;
    });
}

/**
 * Theft stories: sign in, steal the refresh token, then both sides refresh and call, a few
 * seconds to ten minutes apart — gaps chosen to land on lifetimes' and reuse windows' edges.
 */
const storyFileArb: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    seed: fc.integer({ min: 0, max: 2 ** 40 }),
    config: configArb(
      ['rotating-refresh', 'stored-password', 'introspected-access', 'dpop-bound'],
      [2 * MINUTE, 5 * MINUTE],
      refreshTokenObjectArb,
    ),
    stealAt: fc.integer({ min: 0, max: 10 }).map((k) => k * 30),
    what: fc.constantFrom('refresh', 'both'),
    moves: fc.array(
      fc.record({
        gap: fc.constantFrom(0, 1, 29, 30, 60, 119, 120, 300, 599, 600),
        action: weightedAction({
          'client.refresh': 6,
          'attacker.refresh': 6,
          'client.callApi': 2,
          'attacker.callApi': 2,
          'client.login': 1,
          'attacker.steal/refresh': 1,
          'attacker.wipe': 1,
          'client.logout': 1,
          'admin.suspendUser': 1,
          'admin.reinstateUser': 1,
          'admin.revokeAll': 1,
          'attacker.hijackPage': 1,
          'attacker.releasePage': 1,
          'user.leave': 1,
          'attacker.callApi/replay': 1,
          'attacker.refresh/replay': 1,
        }),
      }),
      { minLength: 2, maxLength: 12 },
    ),
    attacker: fc.option(fc.record({ callApiEvery: fc.constantFrom(MINUTE, 5 * MINUTE) }), { nil: undefined, freq: 2 }),
  })
  .map(({ seed, config, stealAt, what, moves, attacker }) => {
    let at = stealAt;
    const steps = [
      { at: 0, do: 'client.login' },
      { at: stealAt, do: 'attacker.steal', what },
      ...moves.map(({ gap, action }) => {
        at += gap;
        return { at, ...action };
      }),
    ];
    return JSON.parse(JSON.stringify({ format: 'tokenscope/1', seed, config, behaviour: { attacker }, steps })) as Record<string, unknown>;
  });

const scenarioFileArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(fileArb(WIDE), fileArb(DENSE), storyFileArb);

const scenarioArb: fc.Arbitrary<Scenario> = scenarioFileArb.map((file) => scenarioOf(file));

// PROPERTY_RUNS=1000 npx vitest run src/sim/properties.test.ts hunts harder than the default.
const SCALE = Number(process.env.PROPERTY_RUNS ?? 60) / 60;
const runs = (n: number) => ({ numRuns: Math.max(1, Math.round(n * SCALE)) });
const RUNS = runs(100);

// ---- reading a trace --------------------------------------------------------------------------

function requestsById(events: readonly SimEvent[]): Map<number, Extract<SimEvent, { type: 'RequestSent' }>> {
  const map = new Map<number, Extract<SimEvent, { type: 'RequestSent' }>>();
  for (const e of events) if (e.type === 'RequestSent') map.set(e.id, e);
  return map;
}

/** SEMANTICS.md §8: the reasons each kind of answer may carry (the DPoP ones only under DPoP). */
function conformsToTable(endpoint: string, status: number, error: string | null, reason: Reason | null, dpop: boolean): boolean {
  const rs401 = [
    'expired',
    'not_yet_valid',
    'bad_signature',
    'wrong_audience',
    'wrong_issuer',
    'wrong_type',
    'inactive',
    ...(dpop ? ['dpop_required'] : []),
  ];
  const grant = [
    'unknown_token',
    'expired_idle',
    'expired_absolute',
    'revoked',
    'reused',
    'consumed',
    'user_suspended',
    'bad_password',
    'pkce_failed',
    'code_used',
    ...(dpop ? ['dpop_key_mismatch'] : []),
  ];
  const badProof = dpop && status !== 200 && error === 'invalid_dpop_proof' && reason === 'dpop_invalid';
  if (status === 200) return error === null && reason === null;
  // The AS's sign-in page (SEMANTICS.md §8, §10): a redirect with the code, or a refusal.
  if (endpoint === 'authorize') {
    return (
      (status === 302 && error === null && reason === null) ||
      (status === 400 && error === 'invalid_grant' && ['bad_password', 'user_suspended', 'login_required'].includes(reason ?? ''))
    );
  }
  if (endpoint === 'api') {
    return (
      status === 401 &&
      ((error === null && reason === 'no_token') || (error === 'invalid_token' && rs401.includes(reason ?? '')) || badProof)
    );
  }
  if (endpoint === 'token') {
    return (
      (status === 400 && error === 'invalid_grant' && grant.includes(reason ?? '')) ||
      (status === 401 && error === 'invalid_client' && reason === 'client_auth_failed') ||
      (status === 400 && badProof)
    );
  }
  return false;
}

function declares(machine: Machine<string, string>, from: string, on: string, to: string): boolean {
  return machine.transitions.some((t) => t.from === from && t.on === on && t.to === to);
}

async function runWorld(scenario: Scenario): Promise<{ world: World; outcome: Outcome }> {
  const world = await World.create(scenario);
  const outcome = await world.run();
  return { world, outcome };
}

/** Everything a replay must reproduce: the outcome and every token string. */
function fingerprint(world: World, outcome: Outcome) {
  return plain({
    outcome,
    accessTokens: world.issuedAccessTokens.map((t) => t.jwt),
    refreshTokens: Object.values(world.current.authServer.refreshTokens).map((r) => r.value),
    state: world.current,
  });
}

// ---- properties ------------------------------------------------------------------------------

describe('properties over random scenarios', () => {
  it('the trace is well formed and every answer follows the §8 table', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const { world, outcome } = await runWorld(scenario);
        const events = outcome.events;
        const requests = requestsById(events);
        const answered = new Set<number>();
        events.forEach((e, i) => {
          expect(e.seq).toBe(i);
          expect(e.t).toBeLessThanOrEqual(world.end);
          if (i > 0) expect(e.t).toBeGreaterThanOrEqual(events[i - 1]!.t);
          if (e.type === 'ResponseSent') {
            const request = requests.get(e.requestId)!;
            expect(request.endpoint).toBe(e.endpoint);
            // A sign-in page's redirect may carry the code elsewhere: to the attacker who intercepts
            // it, or to the BFF for the attacker's silent sign-in (SEMANTICS.md §10).
            if (e.endpoint === 'authorize' && e.status === 302) expect(request.to).toBe(e.from);
            else expect([request.from, request.to]).toEqual([e.to, e.from]);
            expect(answered.has(e.requestId)).toBe(false);
            answered.add(e.requestId);
            if (e.endpoint !== 'introspection') {
              expect(conformsToTable(e.endpoint, e.status, e.error, e.reason, scenario.config.senderConstraint === 'dpop')).toBe(true);
            }
            // A proof is sent only under DPoP, and a DPoP check is named only on a DPoP refusal.
            if (e.dpop !== undefined) expect(e.reason?.startsWith('dpop_')).toBe(true);
          }
        });
        expect(answered.size).toBe(requests.size);
        for (const result of outcome.steps) {
          if (result.status === null) {
            expect(result.error).toBeNull();
            expect(
              result.reason === null
                ? result.ok
                : ['no_token', 'no_password', 'nothing_to_steal', 'no_code', 'page_not_held'].includes(result.reason),
            ).toBe(true);
          } else {
            expect(result.ok).toBe(result.status === 200);
          }
        }
        expect(outcome.steps.map((s) => s.at)).toEqual([...outcome.steps.map((s) => s.at)].sort((a, b) => a - b));
      }),
      RUNS,
    );
  });

  it('the RS never accepts a token at or after exp + leeway, nor a forged one, nor (introspecting) a revoked one', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const { world, outcome } = await runWorld(scenario);
        const requests = requestsById(outcome.events);
        const revokedGrants = new Set<string>();
        let suspended = false;
        for (const e of outcome.events) {
          if (e.type === 'GrantRevoked') revokedGrants.add(e.grantId);
          if (e.type === 'UserSuspended') suspended = true;
          if (e.type === 'UserReinstated') suspended = false;
          if (e.type !== 'ResponseSent' || e.endpoint !== 'api' || e.status !== 200) continue;
          const record = world.accessToken(requests.get(e.requestId)!.token!)!;
          expect(record.genuine && record.audienceOk).toBe(true);
          expect(e.t).toBeLessThan(record.expiresAt + scenario.config.resourceServer.leeway);
          expect(e.t).toBeGreaterThanOrEqual(record.issuedAt);
          if (scenario.config.resourceServer.validation === 'introspection') {
            expect(e.t).toBeLessThan(record.expiresAt);
            expect(revokedGrants.has(record.grantId!)).toBe(false);
            expect(suspended).toBe(false);
          }
        }
      }),
      RUNS,
    );
  });

  it('no refresh or login succeeds for a revoked family or a suspended user; a revoked family stays revoked', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const { world, outcome } = await runWorld(scenario);
        const requests = requestsById(outcome.events);
        const familyOf = new Map<TokenLabel, string>();
        const revoked = new Set<string>();
        let suspended = false;
        for (const e of outcome.events) {
          if (e.type === 'RefreshTokenIssued') familyOf.set(e.token.label, e.token.grantId);
          if (e.type === 'GrantRevoked') {
            expect(revoked.has(e.grantId)).toBe(false);
            revoked.add(e.grantId);
          }
          if (e.type === 'UserSuspended') suspended = true;
          if (e.type === 'UserReinstated') suspended = false;
          if (e.type === 'GrantStarted') expect(suspended).toBe(false);
          if (e.type !== 'ResponseSent' || e.endpoint !== 'token' || e.status !== 200) continue;
          expect(suspended).toBe(false);
          const request = requests.get(e.requestId)!;
          if (request.grantType === 'refresh_token') expect(revoked.has(familyOf.get(request.token!)!)).toBe(false);
        }
        const { grants, refreshTokens } = world.current.authServer;
        for (const grant of Object.values(grants)) {
          expect(grant.revoked).toBe(revoked.has(grant.id));
          if (grant.revoked) for (const label of grant.refreshTokens) expect(refreshTokens[label]!.status).toBe('revoked');
        }
      }),
      RUNS,
    );
  });

  it('every RS answer and every refresh answer is what the rules (§2, §3 in order) say, replayed from the trace', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const { outcome } = await runWorld(scenario);
        const expected = expectedAnswers(scenario, outcome.events);
        for (const e of outcome.events) {
          if (e.type === 'ResponseSent' && expected.has(e.requestId)) {
            expect({ t: e.t, request: e.requestId, reason: e.reason }).toEqual({
              t: e.t,
              request: e.requestId,
              reason: expected.get(e.requestId),
            });
          }
        }
      }),
      runs(250),
    );
  });

  it('the RS never receives a refresh token, and only the AS ever sees one', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const { outcome } = await runWorld(scenario);
        for (const e of outcome.events) {
          if (e.type !== 'RequestSent') continue;
          if (e.endpoint === 'api' || e.endpoint === 'introspection') expect(e.token === null || /^(AT|FT)#\d+$/.test(e.token)).toBe(true);
          if (e.token?.startsWith('RT#')) expect(e.to).toBe('authServer');
          if (e.proof) expect(scenario.config.senderConstraint).toBe('dpop');
        }
      }),
      RUNS,
    );
  });

  it('exposure is within [0, run length] and equals a second-by-second count of what the attacker could do', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const world = await World.create(scenario);
        const end = world.end;
        let oracle = 0;
        for (;;) {
          const next = world.peekNext();
          const until = next && next.time <= end ? next.time : end;
          for (let s = world.now; s < until; s++) if (attackerCouldSucceed(world, s)) oracle++;
          if (!next || next.time > end) break;
          await world.stepNext();
        }
        await world.advanceTo(end);
        const exposure = world.outcome(end).metrics.attacker.exposureSeconds;
        expect(exposure).toBeGreaterThanOrEqual(0);
        expect(exposure).toBeLessThanOrEqual(end);
        expect(exposure).toBe(oracle);
      }),
      runs(150),
    );
  });

  it('the metrics agree with the trace', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const { outcome } = await runWorld(scenario);
        const { metrics, events } = outcome;
        const sent = (endpoint: string) => events.filter((e) => e.type === 'RequestSent' && e.endpoint === endpoint).length;
        expect(metrics.authServer.tokenRequests).toBe(sent('token'));
        expect(metrics.authServer.stateLookups).toBe(sent('token') + sent('introspection') + sent('revocation'));
        expect(metrics.resourceServer).toEqual({ requests: sent('api'), introspections: sent('introspection') });
        const api = (to: Party, ok: boolean) =>
          events.filter((e) => e.type === 'ResponseSent' && e.endpoint === 'api' && e.to === to && (e.status === 200) === ok);
        expect([metrics.user.apiCallsOk, metrics.user.apiCallsRejected]).toEqual([api('client', true).length, api('client', false).length]);
        expect([metrics.attacker.apiCallsOk, metrics.attacker.apiCallsRejected]).toEqual([
          api('attacker', true).length,
          api('attacker', false).length,
        ]);
        expect(metrics.attacker.lastApiCallOkAt).toBe(api('attacker', true).at(-1)?.t ?? null);
        // Interactive logins: the user's password-grant requests that were not silent logins, and
        // the user's sign-in page visits that a live sign-in session did not make silent.
        const passwordGrants = events.filter(
          (e) => e.type === 'RequestSent' && e.endpoint === 'token' && e.from === 'client' && e.grantType === 'password',
        ).length;
        const signInPage = events.filter(
          (e): e is Extract<SimEvent, { type: 'ResponseSent' }> => e.type === 'ResponseSent' && e.endpoint === 'authorize',
        );
        const typed = signInPage.filter((e) => requestsById(events).get(e.requestId)!.from === 'client' && e.silent !== true).length;
        expect(metrics.user.passwordPrompts).toBeLessThanOrEqual(passwordGrants + typed);
        if (!scenario.config.client.storesPassword) expect(metrics.user.passwordPrompts).toBe(passwordGrants + typed);
        expect(metrics.authServer.signInRequests).toBe(sent('authorize'));
        expect(metrics.user.silentSignIns).toBe(events.filter((e) => e.type === 'SilentSignIn' && e.by === 'client').length);
        // Revocation lag from the trace: the first stopping event, then the last attacker success.
        const stopIndex = events.findIndex(
          (e) =>
            (e.type === 'RequestSent' && e.endpoint === 'revocation') ||
            e.type === 'PasswordChanged' ||
            e.type === 'UserSuspended' ||
            (e.type === 'ActionStarted' && e.action.do === 'admin.revokeAll') ||
            (e.type === 'GrantRevoked' && e.revocationCause === 'reuse'),
        );
        if (stopIndex < 0) {
          expect(metrics.attacker.revocationLagSeconds).toBeNull();
        } else {
          const lastOk = api('attacker', true)
            .filter((e) => e.seq > stopIndex)
            .at(-1);
          expect(metrics.attacker.revocationLagSeconds).toBe(lastOk ? lastOk.t - events[stopIndex]!.t : 0);
        }
      }),
      RUNS,
    );
  });

  it('every party phase is one its machine declares, reached by a declared transition', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const { world, outcome } = await runWorld(scenario);
        const phases: Record<Party, string> = {
          client: 'signedOut',
          authServer: 'userActive',
          resourceServer: 'waiting',
          attacker: 'empty',
        };
        for (const [party, machine] of Object.entries(PARTY_MACHINES) as Array<[Party, Machine<string, string>]>) {
          expect(machine.initial).toBe(phases[party]);
        }
        for (const e of outcome.events) {
          if (e.type !== 'StateChanged') continue;
          const machine = PARTY_MACHINES[e.party] as Machine<string, string>;
          expect(e.from).toBe(phases[e.party]);
          expect(declares(machine, e.from, e.on, e.to)).toBe(true);
          phases[e.party] = e.to;
        }
        const state = world.current;
        expect({
          client: state.client.phase,
          authServer: state.authServer.phase,
          resourceServer: state.resourceServer.phase,
          attacker: state.attacker.phase,
        }).toEqual(phases);
        for (const [party, machine] of Object.entries(PARTY_MACHINES) as Array<[Party, Machine<string, string>]>) {
          expect(machine.states).toContain(phases[party]);
        }
        // The attacker is "holding" exactly when it holds something.
        const holds =
          state.attacker.accessTokens.length + state.attacker.refreshTokens.length > 0 ||
          state.attacker.password !== null ||
          state.attacker.clientSecret;
        expect(state.attacker.phase).toBe(holds ? 'holding' : 'empty');
      }),
      RUNS,
    );
  });

  it('a run replayed from its scenario gives the identical trace and token strings', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const first = await runWorld(scenario);
        const second = await runWorld(structuredClone(scenario));
        expect(fingerprint(second.world, second.outcome)).toEqual(fingerprint(first.world, first.outcome));
      }),
      runs(30),
    );
  });

  it('stepping back to any earlier op count and running forward again gives the straight run', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarioArb,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 }),
        async (scenario, cuts) => {
          const { world, outcome } = await runWorld(scenario);
          const straight = fingerprint(world, outcome);
          const total = world.opCount;
          for (const cut of cuts) {
            const target = Math.floor(cut * total);
            await world.rewindTo(target);
            expect(world.opCount).toBe(target);
            const again = await world.run();
            expect(fingerprint(world, again)).toEqual(straight);
          }
          if (await world.stepBack()) expect(fingerprint(world, await world.run())).toEqual(straight);
        },
      ),
      runs(30),
    );
  });

  it('rewinding a history of direct commands and replaying its ops gives the same moment', async () => {
    const commandArb = fc.oneof(
      actionArb.map((action) => ({ kind: 'act' as const, action })),
      fc.integer({ min: 1, max: 2 * HOUR }).map((dt) => ({ kind: 'advance' as const, dt })),
      fc.constant({ kind: 'next' as const }),
    );
    await fc.assert(
      fc.asyncProperty(
        scenarioArb,
        fc.array(commandArb, { maxLength: 25 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (scenario, commands, cut) => {
          const world = await World.create(scenario);
          for (const command of commands) {
            if (command.kind === 'act') await world.act(command.action as never);
            else if (command.kind === 'next') await world.stepNext();
            else await world.advanceTo(world.now + command.dt);
          }
          const history: Op[] = [...world.history];
          const straight = fingerprint(world, world.outcome());
          const target = Math.floor(cut * history.length);
          await world.rewindTo(target);
          for (const op of history.slice(target)) {
            if (op.kind === 'act') await world.act(op.action);
            else if (op.kind === 'next') await world.stepNext();
            else if (op.kind === 'clock') await world.advanceTo(op.to);
            else await world.detachScript();
          }
          expect(world.history).toEqual(history);
          expect(fingerprint(world, world.outcome())).toEqual(straight);
        },
      ),
      runs(30),
    );
  });

  it('two worlds run concurrently in one process give the same results as run alone', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, scenarioArb, async (a, b) => {
        const aloneA = await runWorld(a);
        const aloneB = await runWorld(b);
        const [togetherA, togetherB] = await Promise.all([runWorld(a), runWorld(b)]);
        expect(fingerprint(togetherA.world, togetherA.outcome)).toEqual(fingerprint(aloneA.world, aloneA.outcome));
        expect(fingerprint(togetherB.world, togetherB.outcome)).toEqual(fingerprint(aloneB.world, aloneB.outcome));
      }),
      runs(15),
    );
  });
});

/**
 * An independent statement of SEMANTICS.md §9 at one instant `s`, from the world's state: could
 * the attacker make an API call succeed right now with anything it holds?
 */
function attackerCouldSucceed(world: World, s: number): boolean {
  const state: Readonly<WorldState> = world.current;
  const { config } = world;
  const { attacker, authServer } = state;
  const suspended = authServer.phase === 'userSuspended';
  const introspecting = config.resourceServer.validation === 'introspection';
  const canAuthenticate = config.client.type === 'public' || attacker.clientSecret;
  // DPoP: a bound token only with its key — the attacker's own always, the app's only from inside
  // the app's page. Unbound refresh tokens (a confidential client's) take any key.
  const keys = world.dpopKeys;
  const hasKey = (jkt: unknown) =>
    config.senderConstraint !== 'dpop' || jkt === undefined || jkt === keys.attacker || (jkt === keys.client && attacker.inPage);
  const acceptedToken = (label: string, keyOk: (jkt: unknown) => boolean) => {
    const token = world.accessToken(label);
    if (!token || !token.genuine || !token.audienceOk) return false;
    if (!keyOk((token.claims.cnf as { jkt?: string } | undefined)?.jkt)) return false;
    if (s >= token.expiresAt + config.resourceServer.leeway) return false;
    if (!introspecting) return true;
    return s < token.expiresAt && !suspended && !authServer.grants[token.grantId!]!.revoked;
  };
  const rules = config.refreshToken;
  const refreshableToken = (label: string, keyOk: (jkt: unknown) => boolean) => {
    if (rules === null || suspended) return false;
    const token = authServer.refreshTokens[label]!;
    const grant = authServer.grants[token.grantId]!;
    if (grant.revoked || token.status === 'revoked') return false;
    if (!keyOk(token.jkt)) return false;
    if (rules.absoluteTtl !== null && s >= grant.startedAt + rules.absoluteTtl) return false;
    if (rules.idleTtl !== null && s >= grant.lastUse + rules.idleTtl) return false;
    if (token.status === 'active') return true;
    const newest = grant.newest === null ? null : authServer.refreshTokens[grant.newest]!;
    return newest?.parent === label && token.consumedAt !== null && s < token.consumedAt + rules.reuseInterval;
  };
  if (attacker.accessTokens.some((label) => acceptedToken(label, hasKey))) return true;
  // A BFF proxies the page's requests with its own tokens, key and secret (SEMANTICS.md §10).
  if (config.client.tokenStorage === 'bff' && attacker.inPage) {
    const { client } = state;
    const any = () => true;
    if (client.accessToken !== null && acceptedToken(client.accessToken, any)) return true;
    if (client.refreshToken !== null && refreshableToken(client.refreshToken, any)) return true;
  }
  if (!canAuthenticate || suspended) return false;
  const refreshable = attacker.refreshTokens.some((label) => refreshableToken(label, hasKey));
  return refreshable || attacker.password === authServer.passwordVersion;
}

/**
 * An independent reading of the trace against SEMANTICS.md: for each API request and each refresh
 * request, the reason the rules give (null for success), computed from the facts before it.
 */
function expectedAnswers(scenario: Scenario, events: readonly SimEvent[]): Map<number, Reason | null> {
  const { config } = scenario;
  const rules = config.refreshToken;
  const dpop = config.senderConstraint === 'dpop';
  const answers = new Map<number, Reason | null>();
  const accessTokens = new Map<TokenLabel, { expiresAt: number; grantId: string | null; forged: string | null; jkt: string | null }>();
  const grants = new Map<string, { startedAt: number; lastUse: number; revoked: boolean }>();
  const refreshTokens = new Map<
    TokenLabel,
    { grantId: string; parent: TokenLabel | null; consumedAt: number | null; jkt: string | null }
  >();
  const newest = new Map<string, TokenLabel>();
  const pendingRefresh = new Map<number, string>();
  let suspended = false;
  for (const e of events) {
    switch (e.type) {
      case 'GrantStarted':
        grants.set(e.grantId, { startedAt: e.t, lastUse: e.t, revoked: false });
        break;
      case 'GrantRevoked':
        grants.get(e.grantId)!.revoked = true;
        break;
      case 'UserSuspended':
        suspended = true;
        break;
      case 'UserReinstated':
        suspended = false;
        break;
      case 'AccessTokenIssued': {
        const cnf = e.token.claims.cnf as { jkt: string } | undefined;
        accessTokens.set(e.token.label, { expiresAt: e.token.expiresAt, grantId: e.token.grantId, forged: null, jkt: cnf?.jkt ?? null });
        break;
      }
      case 'AccessTokenForged':
        accessTokens.set(e.token.label, { expiresAt: e.token.expiresAt, grantId: null, forged: e.forgeKind, jkt: null });
        break;
      case 'RefreshTokenIssued':
        refreshTokens.set(e.token.label, { grantId: e.token.grantId, parent: e.token.parent, consumedAt: null, jkt: e.token.jkt ?? null });
        newest.set(e.token.grantId, e.token.label);
        break;
      case 'RefreshTokenConsumed':
        refreshTokens.get(e.label)!.consumedAt = e.t;
        break;
      case 'RequestSent':
        if (e.endpoint === 'api') answers.set(e.id, apiAnswer(e.token, e.t, e.proof));
        if (e.endpoint === 'token' && e.grantType === 'refresh_token') {
          const reason = refreshAnswer(e.token!, e.t, e.clientAuth, e.proof);
          answers.set(e.id, reason);
          if (reason === null) pendingRefresh.set(e.id, refreshTokens.get(e.token!)!.grantId);
        }
        break;
      case 'ResponseSent': {
        const grantId = pendingRefresh.get(e.requestId);
        if (grantId !== undefined && e.status === 200) grants.get(grantId)!.lastUse = e.t;
        break;
      }
      default:
        break;
    }
  }
  return answers;

  /**
   * DPoP, as the rules promise it: a proof passes when it is freshly made (never a resent one:
   * the server saw its jti, or its iat is stale, or it was for another URL or token) with the
   * expected method and URL at the current instant, the token's hash where there is one — and,
   * at the RS, with the bound key.
   */
  function freshProof(proof: DpopProof, t: number, endpoint: 'api' | 'token'): boolean {
    const { htm, htu, iat } = proof.claims;
    const where = endpoint === 'api' ? [API_METHOD, API_ENDPOINT] : [TOKEN_METHOD, TOKEN_ENDPOINT];
    return proof.source !== 'replayed' && htm === where[0] && htu === where[1] && iat === scenario.epochSeconds + t;
  }

  function apiAnswer(label: TokenLabel | null, t: number, proof: DpopProof | undefined): Reason | null {
    if (label === null) return 'no_token';
    const token = accessTokens.get(label)!;
    if (token.forged === 'own-key' || token.forged === 'alg-none') return 'bad_signature';
    if (token.forged === 'wrong-audience') return 'wrong_audience';
    if (t >= token.expiresAt + config.resourceServer.leeway) return 'expired';
    if (dpop && token.jkt !== null) {
      if (!proof) return 'dpop_required';
      if (!freshProof(proof, t, 'api') || proof.jkt !== token.jkt) return 'dpop_invalid';
    }
    if (config.resourceServer.validation === 'local') return null;
    return t >= token.expiresAt || suspended || grants.get(token.grantId!)!.revoked ? 'inactive' : null;
  }

  function refreshAnswer(label: TokenLabel, t: number, clientAuth: boolean | undefined, proof: DpopProof | undefined): Reason | null {
    if (config.client.type === 'confidential' && clientAuth !== true) return 'client_auth_failed';
    if (dpop && proof && !freshProof(proof, t, 'token')) return 'dpop_invalid';
    const token = refreshTokens.get(label);
    if (!token || !rules) return 'unknown_token';
    const grant = grants.get(token.grantId)!;
    if (grant.revoked) return 'revoked';
    if (suspended) return 'user_suspended';
    if (rules.absoluteTtl !== null && t >= grant.startedAt + rules.absoluteTtl) return 'expired_absolute';
    if (rules.idleTtl !== null && t >= grant.lastUse + rules.idleTtl) return 'expired_idle';
    // Possession before reuse: a presenter without the bound key never trips reuse detection.
    if (dpop && token.jkt !== null && proof?.jkt !== token.jkt) return 'dpop_key_mismatch';
    if (dpop && !proof) return 'dpop_invalid';
    if (token.consumedAt === null) return null;
    const parentOfNewest = refreshTokens.get(newest.get(token.grantId)!)!.parent === label;
    if (parentOfNewest && t < token.consumedAt + rules.reuseInterval) return null;
    return rules.reuseDetection ? 'reused' : 'consumed';
  }
}
