// SEMANTICS.md §9: every measure, with hand-computed values. Exposure is the time during which
// the attacker could have made a successful API call with what it held, tried or not.
import { describe, expect, it } from 'vitest';
import { attackerCall, attackerRefresh, callApi, login, logout, refresh, run, steal, step, worldOf } from './test-helpers';

const HOUR = 3600;
const DAY = 86_400;

async function exposure(file: Record<string, unknown>): Promise<number> {
  return (await run(file)).metrics.attacker.exposureSeconds;
}

describe('exposureSeconds', () => {
  it('an access token: from the theft to exp (+ leeway), counted while the attacker stays quiet', async () => {
    expect(await exposure({ steps: [login(0), steal('1m', 'access')], until: '1h' })).toBe(240);
    expect(await exposure({ config: { resourceServer: { leeway: '30s' } }, steps: [login(0), steal('1m', 'access')], until: '1h' })).toBe(
      270,
    );
  });

  it('nothing before the theft, nothing for an expired token, nothing for forged ones', async () => {
    expect(await exposure({ steps: [login(0), steal('10m', 'access')], until: '1h' })).toBe(0);
    expect(await exposure({ steps: [step(0, 'attacker.forge'), step(0, 'attacker.forge', { kind: 'wrong-audience' })], until: '1h' })).toBe(
      0,
    );
  });

  it('is cut at the end of the run', async () => {
    expect(await exposure({ config: { preset: 'long-lived-access' }, steps: [login(0), steal('1h', 'access')], until: '1d' })).toBe(
      23 * HOUR,
    );
  });

  it('a static refresh token: until the absolute deadline', async () => {
    const value = await exposure({
      config: { preset: 'static-refresh', refreshToken: { absoluteTtl: '2h' } },
      steps: [login(0), steal('10m', 'refresh')],
      until: '3h',
    });
    expect(value).toBe(2 * HOUR - 600);
  });

  it('a static refresh token: until the idle deadline, which anyone’s refresh pushes back', async () => {
    const config = { preset: 'static-refresh', refreshToken: { absoluteTtl: null, idleTtl: '1h' } };
    expect(await exposure({ config, steps: [login(0), steal('10m', 'refresh')], until: '3h' })).toBe(50 * 60);
    expect(await exposure({ config, steps: [login(0), steal('10m', 'refresh'), refresh('30m')], until: '3h' })).toBe(80 * 60);
  });

  it('the earlier of the idle and absolute deadlines', async () => {
    const value = await exposure({
      config: { preset: 'static-refresh', refreshToken: { absoluteTtl: '1h', idleTtl: '40m' } },
      steps: [login(0), steal('10m', 'refresh'), step('30m', 'attacker.refresh')],
      until: '3h',
    });
    // Idle would end at 30m + 40m = 70m; the absolute lifetime ends at 60m. The refresh also gave
    // an access token valid 30m–35m, inside the window.
    expect(value).toBe(50 * 60);
  });

  it('rotation: the client refreshing first cuts the attacker off', async () => {
    expect(await exposure({ steps: [login(0), steal('10m', 'refresh'), refresh('12m')], until: '1h' })).toBe(120);
    // Both tokens stolen at 1m: the access token to 5m, the refresh token to 12m.
    expect(await exposure({ steps: [login(0), steal('1m', 'both'), refresh('12m')], until: '1h' })).toBe(660);
  });

  it('rotation: the attacker refreshing first keeps its fresh access token until exp under local validation', async () => {
    const steps = [login(0), steal('1m', 'refresh'), attackerRefresh('2m'), refresh('3m')];
    // Refresh token 1m–3m (reuse detection at 3m); the access token of 2m lives to 7m.
    expect(await exposure({ steps, until: '1h' })).toBe(360);
    // Introspection makes the revocation immediate.
    expect(await exposure({ config: { resourceServer: { validation: 'introspection' } }, steps, until: '1h' })).toBe(120);
  });

  it('rotation without the reuse detection: the attacker who rotated first keeps the family to its end', async () => {
    const value = await exposure({
      config: { refreshToken: { reuseDetection: false, absoluteTtl: '2h' } },
      steps: [login(0), steal('1m', 'refresh'), attackerRefresh('2m'), refresh('3m')],
      until: '3h',
    });
    expect(value).toBe(2 * HOUR - 60);
  });

  it('a consumed token inside the reuse interval still counts, until the window closes', async () => {
    const value = await exposure({
      config: { refreshToken: { reuseInterval: '1m' } },
      steps: [login(0), steal('5m', 'refresh'), refresh('10m')],
      until: '1h',
    });
    expect(value).toBe(6 * 60);
  });

  it('a password: until the password changes; suspension pauses it', async () => {
    const config = { preset: 'stored-password' };
    expect(await exposure({ config, steps: [login(0), steal('1h', 'password'), step('5h', 'user.changePassword')], until: '1d' })).toBe(
      4 * HOUR,
    );
    expect(
      await exposure({
        config,
        steps: [
          login(0),
          steal('1h', 'password'),
          step('3h', 'admin.suspendUser'),
          step('4h', 'admin.reinstateUser'),
          step('5h', 'user.changePassword'),
        ],
        until: '1d',
      }),
    ).toBe(3 * HOUR);
  });

  it('a confidential client: stolen refresh tokens and passwords count only once the secret is stolen too', async () => {
    const value = await exposure({
      config: { preset: 'static-refresh', client: { type: 'confidential' } },
      steps: [login(0), steal('10m', 'refresh'), steal('30m', 'clientSecret')],
      until: '1h',
    });
    expect(value).toBe(30 * 60);
  });

  it('introspection makes revocation immediate; local validation does not', async () => {
    const steps = [login(0), steal('1h', 'access'), logout('2h')];
    expect(await exposure({ config: { preset: 'introspected-access' }, steps, until: '1d' })).toBe(HOUR);
    expect(await exposure({ config: { preset: 'long-lived-access' }, steps, until: '1d' })).toBe(23 * HOUR);
  });

  it('suspension stops refresh tokens at once, and access tokens too under introspection', async () => {
    const steps = [login(0), steal('1m', 'both'), step('2m', 'admin.suspendUser')];
    expect(await exposure({ steps, until: '1h' })).toBe(240); // the access token, to 5m
    expect(await exposure({ config: { resourceServer: { validation: 'introspection' } }, steps, until: '1h' })).toBe(60);
  });

  it('persistent XSS with rotation: the whole absolute lifetime', async () => {
    const value = await exposure({
      config: { refreshToken: { absoluteTtl: '1d' } },
      steps: [login(0), steal('1h', 'refresh'), step('1h', 'attacker.wipe')],
      until: '2d',
    });
    expect(value).toBe(23 * HOUR);
  });

  it('the live outcome counts the window still open at the current instant', async () => {
    const world = await worldOf({ steps: [login(0), steal('1m', 'access')], until: '1h' });
    await world.advanceTo(120);
    expect(world.outcome().metrics.attacker.exposureSeconds).toBe(60);
    expect(world.outcome(200).metrics.attacker.exposureSeconds).toBe(140);
    expect((await world.run()).metrics.attacker.exposureSeconds).toBe(240);
  });
});

describe('revocationLagSeconds', () => {
  const longLived = { preset: 'long-lived-access' };

  it('is null without a stopping event', async () => {
    const outcome = await run({ config: longLived, steps: [login(0), steal('1m', 'access'), attackerCall('1h')] });
    expect(outcome.metrics.attacker.revocationLagSeconds).toBeNull();
  });

  it('is null when a logout sent nothing', async () => {
    const outcome = await run({ steps: [logout(0), login('1m'), steal('1m', 'access'), attackerCall('2m')] });
    expect(outcome.metrics.attacker.revocationLagSeconds).toBeNull();
  });

  it('is 0 when the attacker had no success after the stop', async () => {
    const outcome = await run({
      config: longLived,
      steps: [login(0), steal('1m', 'access'), attackerCall('5m'), logout('10m'), step('20m', 'attacker.forge')],
    });
    expect(outcome.metrics.attacker).toMatchObject({ revocationLagSeconds: 0, apiCallsOk: 1, apiCallsRejected: 1, lastApiCallOkAt: 300 });
  });

  it('runs from the first stopping event to the last successful call after it', async () => {
    const outcome = await run({
      config: longLived,
      steps: [login(0), steal('1m', 'access'), logout('10m'), step('20m', 'user.changePassword'), attackerCall('30m'), attackerCall('1h')],
    });
    expect(outcome.metrics.attacker.revocationLagSeconds).toBe(50 * 60);
  });

  it.each([
    ['logout', logout('10m')],
    ['password change', step('10m', 'user.changePassword')],
    ['revoke-all', step('10m', 'admin.revokeAll')],
    ['suspension', step('10m', 'admin.suspendUser')],
  ])('%s is a stopping event', async (_name, stop) => {
    const outcome = await run({ config: longLived, steps: [login(0), steal('1m', 'access'), stop, attackerCall('25m')] });
    expect(outcome.metrics.attacker.revocationLagSeconds).toBe(15 * 60);
  });

  it('reuse detection is a stopping event', async () => {
    const outcome = await run({
      steps: [login(0), steal('1m', 'refresh'), attackerRefresh('2m'), refresh('3m'), attackerCall('4m')],
    });
    expect(outcome.metrics.attacker.revocationLagSeconds).toBe(60);
  });

  it('counts automatic calls too', async () => {
    const outcome = await run({
      config: longLived,
      behaviour: { attacker: { callApiEvery: '10m' } },
      steps: [login(0), steal('1m', 'access'), logout('2m')],
      until: '1h',
    });
    // Calls at 11m, 21m, …, 51m all succeed (the token lives 30 days).
    expect(outcome.metrics.attacker).toMatchObject({ apiCallsOk: 5, lastApiCallOkAt: 51 * 60, revocationLagSeconds: 49 * 60 });
  });
});

describe('counts', () => {
  it('AS token requests, state lookups (token requests + introspections + revocations), RS requests and introspections', async () => {
    const outcome = await run({
      config: { resourceServer: { validation: 'introspection' }, client: { type: 'confidential' } },
      steps: [
        login(0),
        callApi('1m'),
        callApi('2m'),
        steal('2m', 'refresh'),
        attackerRefresh('3m'), // 401 invalid_client: still a token request
        refresh('4m'),
        callApi('10m'), // expired: no introspection
        logout('11m'), // one revocation
        refresh('12m'), // nothing sent
      ],
    });
    expect(outcome.metrics.authServer).toEqual({ tokenRequests: 3, stateLookups: 3 + 2 + 1, signInRequests: 1 });
    expect(outcome.metrics.resourceServer).toEqual({ requests: 3, introspections: 2 });
    expect(outcome.metrics.user).toEqual({ passwordPrompts: 1, silentSignIns: 0, apiCallsOk: 2, apiCallsRejected: 1 });
  });

  it('user and attacker API calls, scripted and automatic', async () => {
    const outcome = await run({
      config: { preset: 'static-refresh' },
      behaviour: { user: { callApiEvery: '5m' }, attacker: { callApiEvery: '5m' } },
      steps: [step(0, 'user.arrive'), step('1m', 'attacker.steal', { what: 'both' }), attackerCall('2m'), callApi('20m')],
      until: '20m',
    });
    // User: ticks at 0, 5m, 10m, 15m, 20m (all ok); the scripted call at 20m runs before the
    // tick, with the token of 15m that expires at 20m: rejected.
    // Attacker: scripted call at 2m (ok, AT#1 to 5m); ticks at 6m, 11m, 16m: the newest access
    // token expired → rejected, refresh, call ok.
    expect(outcome.metrics.user).toEqual({ passwordPrompts: 1, silentSignIns: 0, apiCallsOk: 5, apiCallsRejected: 1 });
    expect(outcome.metrics.attacker).toMatchObject({ apiCallsOk: 4, apiCallsRejected: 3, lastApiCallOkAt: 16 * 60 });
    expect(outcome.metrics.authServer.tokenRequests).toBe(1 + 4 + 3);
  });

  it('passwordPrompts counts interactive logins only', async () => {
    const outcome = await run({
      config: { preset: 'stored-password' },
      behaviour: { user: { callApiEvery: '5m' } },
      steps: [step(0, 'user.arrive'), login('1m')],
      until: '30m',
    });
    expect(outcome.metrics.user.passwordPrompts).toBe(2);
    // Logins at 0 (prompt), 1m (prompt), then silent ones at 10m, 15m, …, 30m (the token of 1m
    // still served the tick at 5m).
    expect(outcome.metrics.authServer.tokenRequests).toBe(2 + 5);
  });

  it('an hour-long idle run costs nothing', async () => {
    const outcome = await run({ steps: [login(0)], until: `${DAY}s` });
    expect(outcome.metrics.authServer).toEqual({ tokenRequests: 1, stateLookups: 1, signInRequests: 1 });
  });
});
