// The World engine's API (create, advanceTo, stepNext, act, rewindTo, stepBack, wouldAccept,
// outcome), the parties' pure transitions, and a golden trace of the format's own example.
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { attackerTransition, authServerTransition, clientTransition, resourceServerTransition } from './parties';
import { initialState } from './state';
import { createRng } from './rng';
import { FORMAT_EXAMPLE, attackerRefresh, callApi, login, plain, refresh, run, scenarioOf, steal, step, worldOf } from './test-helpers';
import type { SimEvent } from './types';
import { World, runScenario } from './world';

/** One line per event, for golden traces that read like a story. */
function story(events: readonly SimEvent[]): string[] {
  return events.map((e) => {
    const at = `${e.t}`.padStart(4);
    switch (e.type) {
      case 'RequestSent':
        return `${at} ${e.from} → ${e.to} ${e.endpoint}${e.grantType ? ` (${e.grantType})` : ''} ${e.token ?? '-'}`;
      case 'ResponseSent':
        return `${at} ${e.from} → ${e.to} ${e.status}${e.reason ? ` ${e.reason}` : ''}${e.issued.length ? ` [${e.issued.join(' ')}]` : ''}`;
      case 'AccessTokenIssued':
      case 'RefreshTokenIssued':
        return `${at} ${e.type} ${e.token.label} → ${e.to}`;
      case 'StateChanged':
        return `${at} ${e.party}: ${e.from} → ${e.to}`;
      case 'ActionStarted':
      case 'ActionFinished':
        return `${at} ${e.type} ${e.action.do}`;
      case 'GrantRevoked':
        return `${at} GrantRevoked ${e.grantId} (${e.revocationCause})`;
      default:
        return `${at} ${e.type}`;
    }
  });
}

describe('golden trace', () => {
  it("the format's example: the client refreshes first and the thief trips reuse detection", async () => {
    const outcome = await run(FORMAT_EXAMPLE);
    expect(story(outcome.events)).toEqual([
      '   0 ActionStarted client.login',
      // Code + PKCE (SEMANTICS.md §10): the sign-in page, its redirect with the code, the exchange.
      '   0 client → authServer authorize -',
      '   0 AuthorizationCodeIssued',
      '   0 authServer → client 302',
      '   0 client → authServer token (authorization_code) -',
      '   0 GrantStarted',
      '   0 AccessTokenIssued AT#1 → client',
      '   0 RefreshTokenIssued RT#1 → client',
      '   0 authServer → client 200 [AT#1 RT#1]',
      '   0 client: signedOut → signedIn',
      '   0 ActionFinished client.login',
      ' 600 ActionStarted attacker.steal',
      ' 600 TokensStolen',
      ' 600 attacker: empty → holding',
      ' 600 ActionFinished attacker.steal',
      ' 720 ActionStarted client.refresh',
      ' 720 client → authServer token (refresh_token) RT#1',
      ' 720 AccessTokenIssued AT#2 → client',
      ' 720 RefreshTokenConsumed',
      ' 720 RefreshTokenIssued RT#2 → client',
      ' 720 authServer → client 200 [AT#2 RT#2]',
      ' 720 ActionFinished client.refresh',
      ' 780 ActionStarted attacker.refresh',
      ' 780 attacker → authServer token (refresh_token) RT#1',
      ' 780 GrantRevoked G1 (reuse)',
      ' 780 authServer → attacker 400 reused',
      ' 780 TokenDropped',
      ' 780 attacker: holding → empty',
      ' 780 ActionFinished attacker.refresh',
    ]);
    expect(outcome.steps.map((s) => [s.index, s.at, s.do, s.ok, s.status, s.error, s.reason])).toEqual([
      [0, 0, 'client.login', true, 200, null, null],
      [1, 600, 'attacker.steal', true, null, null, null],
      [2, 720, 'client.refresh', true, 200, null, null],
      [3, 780, 'attacker.refresh', false, 400, 'invalid_grant', 'reused'],
    ]);
    expect(outcome.metrics).toEqual({
      attacker: { exposureSeconds: 120, apiCallsOk: 0, apiCallsRejected: 0, lastApiCallOkAt: null, revocationLagSeconds: 0 },
      user: { passwordPrompts: 1, silentSignIns: 0, apiCallsOk: 0, apiCallsRejected: 0 },
      authServer: { tokenRequests: 3, stateLookups: 3, signInRequests: 1 },
      resourceServer: { requests: 0, introspections: 0 },
    });
    expect(outcome.end).toBe(3600);
  });

  it('decoded claims of every issued token', async () => {
    const world = await worldOf({ steps: [login(0), refresh('5m')] });
    await world.run();
    const claims = world.issuedAccessTokens.map((t) => {
      const { jti, ...rest } = decodeJwt(t.jwt);
      expect(jti).toMatch(/^[0-9a-f]{16}$/);
      return rest;
    });
    const iat = 1_767_603_600;
    const common = {
      iss: 'https://auth.tokenscope.example',
      sub: 'user-alice',
      aud: 'https://api.tokenscope.example',
      client_id: 'tokenscope-app',
      scope: 'api:read api:write',
    };
    expect(claims).toEqual([
      { ...common, iat, exp: iat + 300 },
      { ...common, iat: iat + 300, exp: iat + 600 },
    ]);
  });
});

describe('World', () => {
  it('advanceTo runs every item up to and including t, then sets the clock', async () => {
    const world = await worldOf({ steps: [login(0), callApi('1m'), callApi('2m')] });
    expect(world.peekNext()).toMatchObject({ time: 0, kind: 'step' });
    await world.advanceTo(60);
    expect(world.now).toBe(60);
    expect(world.results.map((r) => r.at)).toEqual([0, 60]);
    await world.advanceTo(90);
    expect(world.now).toBe(90);
    expect(world.peekNext()).toMatchObject({ time: 120 });
    await world.advanceTo(30); // never backwards
    expect(world.now).toBe(90);
  });

  it('stepNext processes one item and moves the clock to it; null when nothing is left', async () => {
    const world = await worldOf({ steps: [login('10s'), callApi('20s')] });
    expect(await world.stepNext()).toMatchObject({ time: 10 });
    expect(world.now).toBe(10);
    expect(await world.stepNext()).toMatchObject({ time: 20 });
    expect(await world.stepNext()).toBeNull();
  });

  it('advanceTo stops where stopWhen says', async () => {
    const world = await worldOf({ steps: [login(0), callApi('1m'), callApi('6m'), callApi('7m')] });
    const { stopped } = await world.advanceTo(3600, {
      stopWhen: (events) => events.some((e) => e.type === 'ResponseSent' && e.status === 401),
    });
    expect(stopped).toBe(true);
    expect(world.now).toBe(360);
  });

  it('refuses a second command while one is running', async () => {
    const world = await worldOf({ steps: [login(0)] });
    const first = world.advanceTo(10);
    await expect(world.act({ do: 'client.callApi' })).rejects.toThrow(/busy/);
    await first;
    await expect(world.act({ do: 'client.callApi' })).resolves.toMatchObject({ ok: true });
  });

  it('wouldAccept answers like the RS without changing anything', async () => {
    const world = await worldOf({
      config: { resourceServer: { validation: 'introspection' } },
      steps: [login(0), step('1m', 'admin.revokeAll')],
      until: '10m',
    });
    await world.advanceTo(30);
    const before = world.trace.length;
    expect(await world.wouldAccept('AT#1')).toMatchObject({ ok: true, reason: null });
    expect(world.trace.length).toBe(before);
    await world.advanceTo(60);
    expect(await world.wouldAccept('AT#1')).toMatchObject({ ok: false, reason: 'inactive' });
    await world.advanceTo(300);
    expect(await world.wouldAccept('AT#1')).toMatchObject({ ok: false, reason: 'expired' });
    expect(await world.wouldAccept('AT#99')).toMatchObject({ ok: false });
    expect(world.outcome().metrics.resourceServer.introspections).toBe(0);
  });

  it('stepBack undoes one op at a time, and acting afterwards starts a new branch', async () => {
    const world = await worldOf({ steps: [login(0), steal('1m', 'refresh'), refresh('2m'), attackerRefresh('3m')] });
    const straight = plain(await world.run());
    // The run ends at its last step, so there is no final clock move.
    expect(world.history.map((op) => op.kind)).toEqual(['next', 'next', 'next', 'next']);
    await world.stepBack(); // the attacker's refresh
    expect(world.now).toBe(120);
    expect(world.results).toHaveLength(3);
    expect(world.current.authServer.grants['G1']!.revoked).toBe(false);
    // A new branch: the attacker refreshes first this time.
    await world.rewindTo(2);
    expect(world.now).toBe(60);
    await world.act({ do: 'attacker.refresh' });
    const branch = await world.run();
    expect(branch.steps.map((s) => s.reason)).toEqual([null, null, 'reused', 'revoked']);
    // Back to the start and forward again: the original run.
    await world.rewindTo(0);
    expect(world.now).toBe(0);
    expect(world.trace).toHaveLength(0);
    await world.rewindTo(0);
    const again = await world.run();
    expect(plain(again)).toEqual(straight);
  });

  it('rewinding a long history restores from checkpoints exactly', async () => {
    const world = await worldOf({
      behaviour: { user: { callApiEvery: '1m' }, attacker: { callApiEvery: '2m' } },
      steps: [step(0, 'user.arrive'), steal('1m', 'both')],
      until: '6h',
    });
    const straight = plain(await world.run());
    const jwts = world.issuedAccessTokens.map((t) => t.jwt);
    const total = world.opCount;
    expect(total).toBeGreaterThan(500);
    for (const target of [total - 1, Math.floor(total * 0.7), 65, 64, 63, 1]) {
      await world.rewindTo(target);
      expect(world.opCount).toBe(target);
      const again = plain(await world.run());
      expect(again).toEqual(straight);
      expect(world.issuedAccessTokens.map((t) => t.jwt)).toEqual(jwts);
    }
  });

  it('runScenario equals World.create + run', async () => {
    const scenario = scenarioOf(FORMAT_EXAMPLE);
    const world = await World.create(scenario);
    expect(plain(await runScenario(scenario))).toEqual(plain(await world.run()));
  });

  it('the live outcome reports the metrics so far', async () => {
    const world = await worldOf({ steps: [login(0), callApi('1m'), callApi('2m')] });
    await world.advanceTo(60);
    expect(world.outcome()).toMatchObject({ end: 60, metrics: { user: { apiCallsOk: 1 } } });
    expect(world.outcome().steps).toHaveLength(2);
  });
});

describe('party transitions are pure', () => {
  function deepFreeze<T>(value: T): T {
    if (value && typeof value === 'object') {
      Object.values(value).forEach(deepFreeze);
      Object.freeze(value);
    }
    return value;
  }

  it('never mutate their (frozen) input and move only along declared transitions', () => {
    const state = deepFreeze(initialState(createRng(1), createRng(2)));
    const signedIn = clientTransition(
      state.client,
      { type: 'LoginSucceeded', accessToken: 'AT#1', refreshToken: 'RT#1', storedPassword: 1 },
      5,
    );
    expect(signedIn).toMatchObject({ phase: 'signedIn', accessToken: 'AT#1', refreshToken: 'RT#1', storedPassword: 1 });
    expect(state.client.phase).toBe('signedOut');
    const rejected = clientTransition(deepFreeze(signedIn), { type: 'RefreshRejected' }, 6);
    expect(rejected).toMatchObject({
      phase: 'reauthRequired',
      accessToken: 'AT#1',
      refreshToken: null,
      lastTransition: { from: 'signedIn', on: 'RefreshRejected', to: 'reauthRequired', t: 6 },
    });
    expect(() => clientTransition(state.client, { type: 'RefreshSucceeded', accessToken: 'AT#2', refreshToken: 'RT#2' }, 7)).toThrow(
      /no transition/,
    );

    const suspended = authServerTransition(state.authServer, 'UserSuspended', 1);
    expect(suspended.phase).toBe('userSuspended');
    expect(authServerTransition(deepFreeze(suspended), 'PasswordChanged', 2)).toMatchObject({ phase: 'userSuspended', passwordVersion: 2 });

    const accepted = resourceServerTransition(
      state.resourceServer,
      {
        type: 'RequestAccepted',
        token: 'AT#1',
        checks: { signature: true, type: true, issuer: true, audience: true, expiry: true, introspection: null },
      },
      3,
    );
    expect(accepted).toMatchObject({ phase: 'accepted', accepted: 1, rejected: 0 });

    const holding = attackerTransition(state.attacker, { type: 'Acquired', accessToken: 'AT#1', refreshToken: 'RT#1' }, 4);
    expect(holding).toMatchObject({ phase: 'holding', accessTokens: ['AT#1'], refreshTokens: ['RT#1'] });
    const rotated = attackerTransition(
      deepFreeze(holding),
      { type: 'Acquired', accessToken: 'AT#2', refreshToken: 'RT#2', replaces: 'RT#1' },
      5,
    );
    expect(rotated).toMatchObject({ accessTokens: ['AT#1', 'AT#2'], refreshTokens: ['RT#2'] });
    const dropped = attackerTransition(deepFreeze(rotated), { type: 'Dropped', refreshToken: 'RT#2' }, 6);
    expect(dropped).toMatchObject({ phase: 'holding', refreshTokens: [], accessTokens: ['AT#1', 'AT#2'] });
    const onlyRefresh = attackerTransition(state.attacker, { type: 'Acquired', refreshToken: 'RT#1' }, 4);
    expect(attackerTransition(deepFreeze(onlyRefresh), { type: 'Dropped', refreshToken: 'RT#1' }, 5).phase).toBe('empty');
  });
});
