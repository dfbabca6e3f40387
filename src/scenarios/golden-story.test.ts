import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../sim/config';
import { unsignedJwt } from '../sim/crypto';
import { AUDIENCE, CLIENT_ID, ISSUER, OTHER_AUDIENCE, SCOPE, SUBJECT } from '../sim/protocol';
import type { AccessTokenRecord, Metrics, Outcome, Scenario, SimEvent, SimEventBody, StepResult } from '../sim/types';
import { goldenStory, span } from './golden-story';

const EPOCH = 1_767_603_600; // 2026-01-05T09:00:00Z
const DAY = 86_400;

const scenario: Scenario = {
  format: 'tokenscope/1',
  title: 'Story test',
  seed: 7,
  epoch: '2026-01-05T09:00:00Z',
  epochSeconds: EPOCH,
  config: resolveConfig({ preset: 'rotating-refresh' }),
  behaviour: {},
  steps: [],
  until: null,
};

const metrics: Metrics = {
  attacker: { exposureSeconds: 240, apiCallsOk: 1, apiCallsRejected: 0, lastApiCallOkAt: 90, revocationLagSeconds: null },
  user: { passwordPrompts: 1, silentSignIns: 0, apiCallsOk: 0, apiCallsRejected: 0 },
  authServer: { tokenRequests: 1, stateLookups: 1, signInRequests: 1 },
  resourceServer: { requests: 1, introspections: 1 },
};

function accessToken(label: string, issuedAt: number, claims: Record<string, unknown> = {}): AccessTokenRecord {
  const all = {
    iss: ISSUER,
    sub: SUBJECT,
    aud: AUDIENCE,
    client_id: CLIENT_ID,
    scope: SCOPE,
    iat: EPOCH + issuedAt,
    exp: EPOCH + issuedAt + 300,
    jti: 'x',
    ...claims,
  };
  return {
    label,
    kind: 'access',
    jwt: unsignedJwt({ typ: 'at+jwt' }, all),
    header: {},
    claims: all,
    grantId: 'G1',
    issuedAt,
    expiresAt: issuedAt + 300,
    genuine: true,
    audienceOk: true,
  };
}

/** A trace from event bodies: seq in order, each at its own t, all caused by step 0 unless said. */
function trace(...bodies: (SimEventBody & { t: number; cause?: SimEvent['cause'] })[]): SimEvent[] {
  return bodies.map(({ t, cause, ...body }, seq) => ({ ...body, seq, t, cause: cause ?? { kind: 'step', index: 0 } }) as SimEvent);
}

function story(events: SimEvent[], steps: StepResult[] = [], end = 600): string {
  const outcome: Outcome = { format: 'tokenscope-outcome/1', end, steps, events, metrics };
  return goldenStory({ id: 'story-test', kind: 'lesson', scenario, outcome });
}

const traceOf = (text: string) => text.slice(text.indexOf('## trace')).split('\n').slice(1, -1);

describe('golden story: measures on top', () => {
  it('opens with the configuration, the usual claims, the metrics and each step result', () => {
    const text = story(
      [],
      [
        { index: 0, at: 0, do: 'client.login', ok: true, status: 200, error: null, reason: null },
        { index: 1, at: 60, do: 'client.callApi', ok: false, status: 401, error: 'invalid_token', reason: 'expired' },
        { index: 2, at: 61, do: 'client.refresh', ok: false, status: null, error: null, reason: 'no_token' },
      ],
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe('# story-test (lesson)');
    expect(lines[1]).toMatch(/^config rotating-refresh \{"accessToken":\{"ttl":300\}/);
    expect(lines[2]).toBe('seed 7 · starts 2026-01-05T09:00:00.000Z · ends 09:10:00 (10 min)');
    expect(lines[3]).toContain(`iss=${ISSUER} sub=${SUBJECT} aud=${AUDIENCE}`);
    expect(text).toContain(
      'attacker: exposureSeconds 240 s (4 min) · apiCallsOk 1 · apiCallsRejected 0 · lastApiCallOkAt 09:01:30 · revocationLagSeconds null',
    );
    expect(text).toContain('resourceServer: requests 1 · introspections 1');
    expect(text).toContain(
      [
        '09:00:00 #0 client.login → 200',
        '09:01:00 #1 client.callApi → 401 invalid_token expired',
        '09:01:01 #2 client.refresh ✗ not sent: no_token',
      ].join('\n'),
    );
    expect(text.endsWith('\n')).toBe(true);
  });
});

describe('golden story: one line per event', () => {
  it('puts a request and its answer on one line, with what happened meanwhile (a nested request too) under it', () => {
    const lines = traceOf(
      story(
        trace(
          { t: 90, type: 'ActionStarted', actor: 'attacker', action: { do: 'attacker.callApi' } },
          { t: 90, type: 'RequestSent', id: 1, from: 'attacker', to: 'resourceServer', endpoint: 'api', token: 'AT#1' },
          { t: 90, type: 'RequestSent', id: 2, from: 'resourceServer', to: 'authServer', endpoint: 'introspection', token: 'AT#1' },
          {
            t: 90,
            type: 'ResponseSent',
            requestId: 2,
            from: 'authServer',
            to: 'resourceServer',
            endpoint: 'introspection',
            status: 200,
            error: null,
            reason: null,
            issued: [],
            active: true,
          },
          {
            t: 90,
            type: 'ResponseSent',
            requestId: 1,
            from: 'resourceServer',
            to: 'attacker',
            endpoint: 'api',
            status: 200,
            error: null,
            reason: null,
            issued: [],
            checks: { signature: true, type: true, issuer: true, audience: true, expiry: true, introspection: true },
          },
          { t: 90, type: 'StateChanged', party: 'resourceServer', from: 'waiting', to: 'accepted', on: 'RequestAccepted' },
          {
            t: 90,
            type: 'ActionFinished',
            actor: 'attacker',
            action: { do: 'attacker.callApi' },
            ok: true,
            status: 200,
            error: null,
            reason: null,
          },
        ),
      ),
    );
    expect(lines).toEqual([
      '09:01:30 attacker → RS api AT#1 → 200 [sig✓ typ✓ iss✓ aud✓ exp✓ intro✓] · step 0',
      '            RS → AS introspect AT#1 → 200 active',
      '          RS: waiting → accepted (RequestAccepted)',
    ]);
  });

  it('tells access tokens by their decoded claims, relative to the line, naming only what is unusual', () => {
    const usual = accessToken('AT#1', 0);
    const odd = {
      ...accessToken('AT#2', 0, { aud: OTHER_AUDIENCE, exp: EPOCH + 30 * DAY, cnf: { jkt: 'abcdefghijklmnop' } }),
      audienceOk: false,
      expiresAt: 300,
    };
    const lines = traceOf(
      story(
        trace(
          {
            t: 0,
            type: 'RequestSent',
            id: 1,
            from: 'client',
            to: 'authServer',
            endpoint: 'token',
            grantType: 'password',
            token: null,
            clientAuth: false,
          },
          { t: 0, type: 'GrantStarted', grantId: 'G1', by: 'client' },
          { t: 0, type: 'AccessTokenIssued', token: usual, to: 'client' },
          {
            t: 0,
            type: 'ResponseSent',
            requestId: 1,
            from: 'authServer',
            to: 'client',
            endpoint: 'token',
            status: 200,
            error: null,
            reason: null,
            issued: ['AT#1'],
          },
          { t: 0, type: 'AccessTokenForged', token: odd, forgeKind: 'wrong-audience' },
        ),
      ),
    );
    expect(lines).toEqual([
      '09:00:00 client → AS password (without client secret) → 200 AT#1 · step 0',
      '          grant G1 started by client',
      '          AT#1 issued to client: iat now, exp now+5 min, G1, header alg="none"',
      '09:00:00 AT#2 forged (wrong-audience): iat now, exp now+30 d, G1, claims aud="https://photos.tokenscope.example", header alg="none", ' +
        'bound to key abcdefgh, recorded as expiring now+5 min, wrong audience · step 0',
    ]);
  });

  it('tells an action that sent nothing, and lists runs of labels briefly', () => {
    const lines = traceOf(
      story(
        trace(
          { t: 10, type: 'ActionStarted', actor: 'client', action: { do: 'client.refresh' } },
          {
            t: 10,
            type: 'ActionFinished',
            actor: 'client',
            action: { do: 'client.refresh' },
            ok: false,
            status: null,
            error: null,
            reason: 'no_token',
          },
          {
            t: 20,
            type: 'GrantRevoked',
            grantId: 'G1',
            revocationCause: 'reuse',
            labels: ['RT#1', 'RT#2', 'RT#3', 'RT#4', 'AT#1', 'AT#3'],
            cause: { kind: 'auto', who: 'attacker' },
          },
          { t: 30, type: 'UserLeft', hijackEnded: true, cause: { kind: 'command' } },
        ),
      ),
    );
    expect(lines).toEqual([
      '09:00:10 client.refresh ✗ not sent: no_token · step 0',
      '09:00:20 grant G1 revoked (reuse): RT#1…RT#4 AT#1 AT#3 · auto attacker',
      "09:00:30 user leaves (the page closes: the attacker's script in it ends) · command",
    ]);
  });
});

describe('golden story: nothing is lost', () => {
  it('shows a field no line words yet, on an event and on an answer, and a metric by its name', () => {
    const request = {
      t: 0,
      type: 'RequestSent',
      id: 1,
      from: 'attacker',
      to: 'resourceServer',
      endpoint: 'api',
      token: 'AT#1',
      futureField: 'x',
    };
    const response = {
      t: 0,
      type: 'ResponseSent',
      requestId: 1,
      from: 'resourceServer',
      to: 'attacker',
      endpoint: 'api',
      status: 200,
      error: null,
      reason: null,
      issued: [],
      futureAnswer: 'y',
    };
    const arrived = { t: 5, type: 'UserArrived', fresh: true };
    const events = trace(...([request, response, arrived] as unknown as (SimEventBody & { t: number })[]));
    const outcome: Outcome = {
      format: 'tokenscope-outcome/1',
      end: 60,
      steps: [],
      events,
      metrics: { ...metrics, user: { ...metrics.user, futureCount: 2 } as Metrics['user'] },
    };
    const text = goldenStory({ id: 'x', kind: 'lesson', scenario, outcome });
    expect(traceOf(text)).toEqual([
      '09:00:00 attacker → RS api AT#1 {futureField="x"} → 200 {futureAnswer="y"} · step 0',
      '09:00:05 user arrives {fresh=true} · step 0',
    ]);
    expect(text).toContain('user: passwordPrompts 1 · silentSignIns 0 · apiCallsOk 0 · apiCallsRejected 0 · futureCount 2');
  });
});

describe('golden story: repeats', () => {
  const call = (t: number, n: number): (SimEventBody & { t: number; cause: SimEvent['cause'] })[] => [
    {
      t,
      type: 'RequestSent',
      id: n,
      from: 'client',
      to: 'resourceServer',
      endpoint: 'api',
      token: `AT#${n}`,
      cause: { kind: 'auto', who: 'user' },
    },
    {
      t,
      type: 'ResponseSent',
      requestId: n,
      from: 'resourceServer',
      to: 'client',
      endpoint: 'api',
      status: 200,
      error: null,
      reason: null,
      issued: [],
      cause: { kind: 'auto', who: 'user' },
    },
  ];

  it('folds a block repeated at a constant interval with evenly counting numbers into its first and last time', () => {
    // From 23:50 on the first day to 00:10 on the next (the epoch is 09:00).
    const events = trace(...[0, 1, 2, 3, 4].flatMap((i) => call(15 * 3_600 - 600 + i * 300, i + 1)));
    expect(traceOf(story(events, [], 2 * DAY))).toEqual([
      'd1 23:50:00 client → RS api AT#1 → 200 · auto user',
      '          ⋮ 3 more times every 5 min, numbers counting on evenly; the last time:',
      'd2 00:10:00 client → RS api AT#5 → 200 · auto user',
    ]);
  });

  it('does not fold two repeats, a changing interval or numbers that jump', () => {
    const twice = trace(...call(0, 1), ...call(300, 2));
    expect(traceOf(story(twice))).toHaveLength(2);
    const uneven = trace(...call(0, 1), ...call(300, 2), ...call(660, 3));
    expect(traceOf(story(uneven))).toHaveLength(3);
    const jump = trace(...call(0, 1), ...call(300, 2), ...call(600, 4));
    expect(traceOf(story(jump))).toHaveLength(3);
  });
});

describe('golden story: words', () => {
  it('says durations in the largest units that fit', () => {
    expect([0, 59, 60, 3_660, 21 * DAY + 23 * 3_600 + 50 * 60, -30].map(span)).toEqual([
      '0 s',
      '59 s',
      '1 min',
      '1 h 1 min',
      '21 d 23 h 50 min',
      '-30 s',
    ]);
  });

  it('fails loudly on an event type it does not know', () => {
    const unknown = trace({ t: 0, type: 'SomethingNew' } as unknown as SimEventBody & { t: number });
    expect(() => story(unknown)).toThrow(/unhandled event/);
  });
});
