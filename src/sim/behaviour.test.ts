// SCENARIO-FORMAT.md "Behaviour", "Order at one instant", `repeat` and `until`: the automatic
// user app and attacker, and when things happen. Times are hand-computed (access token 5 min
// unless a test says otherwise).
import { describe, expect, it } from 'vitest';
import {
  apiCalls,
  attackerRefresh,
  eventsOf,
  login,
  logout,
  refresh,
  results,
  run,
  steal,
  step,
  stepResult,
  tokenCalls,
  worldOf,
} from './test-helpers';
import type { Outcome } from './types';

const arrive = (at: string | number) => step(at, 'user.arrive');
const leave = (at: string | number) => step(at, 'user.leave');

function autoEvents(outcome: Outcome, who: 'user' | 'attacker') {
  return outcome.events.filter((e) => e.cause.kind === 'auto' && e.cause.who === who);
}

describe('behaviour.user', () => {
  it('calls at arrival and then every interval while present; refreshes when t ≥ iat + expires_in', async () => {
    const outcome = await run({
      behaviour: { user: { callApiEvery: '5m' } },
      steps: [arrive(0), leave('12m'), arrive('20m')],
      until: '30m',
    });
    expect(apiCalls(outcome.events, 'client')).toEqual([
      [0, 200, null],
      [300, 200, null],
      [600, 200, null],
      [1200, 200, null],
      [1500, 200, null],
      [1800, 200, null],
    ]);
    // A prompt at first arrival, then a refresh whenever the token reached iat + expires_in.
    expect(tokenCalls(outcome.events, 'client').map(([t]) => t)).toEqual([0, 300, 600, 1200, 1500, 1800]);
    expect(outcome.metrics.user).toEqual({ passwordPrompts: 1, silentSignIns: 0, apiCallsOk: 6, apiCallsRejected: 0 });
    expect(eventsOf(outcome.events, 'UserArrived').map((e) => e.t)).toEqual([0, 1200]);
    expect(eventsOf(outcome.events, 'UserLeft').map((e) => e.t)).toEqual([720]);
  });

  it('starts absent: without user.arrive the app does nothing', async () => {
    const outcome = await run({ behaviour: { user: { callApiEvery: '1m' } }, steps: [login(0)], until: '1h' });
    expect(outcome.metrics.resourceServer.requests).toBe(0);
  });

  it('keeps an unexpired token (no early refresh)', async () => {
    const outcome = await run({
      config: { accessToken: { ttl: '6m' } },
      behaviour: { user: { callApiEvery: '5m' } },
      steps: [arrive(0)],
      until: '10m',
    });
    expect(tokenCalls(outcome.events, 'client').map(([t]) => t)).toEqual([0, 600]);
    expect(apiCalls(outcome.events, 'client').map(([t, status]) => [t, status])).toEqual([
      [0, 200],
      [300, 200],
      [600, 200],
    ]);
  });

  it('a second arrival while present changes nothing; leave then arrive restarts at the arrival', async () => {
    const outcome = await run({
      behaviour: { user: { callApiEvery: '5m' } },
      steps: [arrive(0), arrive('1m'), leave('7m'), arrive('7m')],
      until: '13m',
    });
    expect(apiCalls(outcome.events, 'client').map(([t]) => t)).toEqual([0, 300, 420, 720]);
  });

  it('without a refresh token or stored password it prompts', async () => {
    const outcome = await run({
      config: { preset: 'short-access-only' },
      behaviour: { user: { callApiEvery: '4m' } },
      steps: [arrive(0)],
      until: '12m',
    });
    // Ticks at 0, 4m, 8m, 12m: the token of 0 lasts to 5m, the one of 8m to 13m.
    expect(outcome.metrics.user).toEqual({ passwordPrompts: 2, silentSignIns: 0, apiCallsOk: 4, apiCallsRejected: 0 });
  });

  it('falls back from a refused refresh to a silent login with the stored password', async () => {
    const outcome = await run({
      config: { preset: 'stored-password', refreshToken: {} },
      behaviour: { user: { callApiEvery: '5m' } },
      steps: [arrive(0), steal('1m', 'refresh'), attackerRefresh('2m')],
      until: '5m',
    });
    expect(tokenCalls(outcome.events, 'client')).toEqual([
      [0, 200, null],
      [300, 400, 'reused'],
      [300, 200, null],
    ]);
    expect(
      eventsOf(outcome.events, 'RequestSent')
        .filter((e) => e.from === 'client' && e.endpoint === 'token')
        .map((e) => e.grantType),
    ).toEqual(['password', 'refresh_token', 'password']);
    expect(outcome.metrics.user.passwordPrompts).toBe(1);
  });

  it('falls back from a refused refresh to a prompt without a stored password', async () => {
    const outcome = await run({
      behaviour: { user: { callApiEvery: '5m' } },
      steps: [arrive(0), steal('1m', 'refresh'), attackerRefresh('2m')],
      until: '5m',
    });
    expect(tokenCalls(outcome.events, 'client').map(([t, status, reason]) => [t, status, reason])).toEqual([
      [0, 200, null],
      [300, 400, 'reused'],
      [300, 200, null],
    ]);
    expect(outcome.metrics.user).toEqual({ passwordPrompts: 2, silentSignIns: 0, apiCallsOk: 2, apiCallsRejected: 0 });
  });

  it('a suspended user: a refresh refused for suspension gives up (no prompt, no call)', async () => {
    const outcome = await run({
      behaviour: { user: { callApiEvery: '5m' } },
      steps: [arrive(0), step('1m', 'admin.suspendUser')],
      until: '10m',
    });
    expect(tokenCalls(outcome.events, 'client')).toEqual([
      [0, 200, null],
      [300, 400, 'user_suspended'],
      // The refresh token was dropped; the next tick prompts, and the prompt is refused too.
      [600, 400, 'user_suspended'],
    ]);
    expect(outcome.metrics.user).toEqual({ passwordPrompts: 2, silentSignIns: 0, apiCallsOk: 1, apiCallsRejected: 0 });
  });

  it('a suspended user with a stored password: the silent login is refused and the app gives up without prompting', async () => {
    const outcome = await run({
      config: { preset: 'stored-password' },
      behaviour: { user: { callApiEvery: '5m' } },
      steps: [arrive(0), step('1m', 'admin.suspendUser'), step('7m', 'admin.reinstateUser')],
      until: '10m',
    });
    expect(tokenCalls(outcome.events, 'client')).toEqual([
      [0, 200, null],
      [300, 400, 'user_suspended'],
      [600, 200, null],
    ]);
    expect(outcome.metrics.user).toEqual({ passwordPrompts: 1, silentSignIns: 0, apiCallsOk: 2, apiCallsRejected: 0 });
  });

  it('on a 401 it gets a new token once and retries once', async () => {
    const outcome = await run({
      config: { preset: 'introspected-access' },
      behaviour: { user: { callApiEvery: '5m' } },
      steps: [arrive(0), step('2m', 'admin.revokeAll')],
      until: '5m',
    });
    expect(apiCalls(outcome.events, 'client')).toEqual([
      [0, 200, null],
      [300, 401, 'inactive'],
      [300, 200, null],
    ]);
    expect(outcome.metrics.user).toEqual({ passwordPrompts: 2, silentSignIns: 0, apiCallsOk: 2, apiCallsRejected: 1 });
  });

  it('on a 401 when no new token can be had, it does not retry', async () => {
    const outcome = await run({
      config: { preset: 'introspected-access' },
      behaviour: { user: { callApiEvery: '5m' } },
      steps: [arrive(0), step('2m', 'admin.suspendUser')],
      until: '5m',
    });
    expect(apiCalls(outcome.events, 'client')).toEqual([
      [0, 200, null],
      [300, 401, 'inactive'],
    ]);
    expect(tokenCalls(outcome.events, 'client')).toEqual([
      [0, 200, null],
      [300, 400, 'user_suspended'],
    ]);
  });

  it('retries only once even when the retry is rejected too', async () => {
    // A long-lived token revoked by the attacker's reuse: introspection says inactive; the app
    // refreshes (revoked), prompts and retries with the new token, which works.
    const outcome = await run({
      config: { accessToken: { ttl: '1h' }, resourceServer: { validation: 'introspection' } },
      behaviour: { user: { callApiEvery: '5m' } },
      steps: [arrive(0), steal('1m', 'refresh'), step('2m', 'admin.revokeAll')],
      until: '5m',
    });
    expect(apiCalls(outcome.events, 'client')).toEqual([
      [0, 200, null],
      [300, 401, 'inactive'],
      [300, 200, null],
    ]);
    expect(tokenCalls(outcome.events, 'client')).toEqual([
      [0, 200, null],
      [300, 400, 'revoked'],
      [300, 200, null],
    ]);
  });

  it('automatic actions are in the events, not in the steps', async () => {
    const outcome = await run({ behaviour: { user: { callApiEvery: '5m' } }, steps: [arrive(0)], until: '10m' });
    expect(outcome.steps).toHaveLength(1);
    // A code + PKCE login is two requests (sign-in page, code exchange), then 5 API calls.
    expect(autoEvents(outcome, 'user').filter((e) => e.type === 'RequestSent')).toHaveLength(7);
  });
});

describe('behaviour.attacker', () => {
  it('acts first one interval after it first holds something, then every interval while holding anything', async () => {
    const outcome = await run({
      behaviour: { attacker: { callApiEvery: '10m' } },
      steps: [login(0), steal('2m', 'access'), steal('3m', 'access')],
      until: '45m',
    });
    // It keeps the (expired) access token, so it keeps trying.
    expect(apiCalls(outcome.events, 'attacker')).toEqual([
      [720, 401, 'expired'],
      [1320, 401, 'expired'],
      [1920, 401, 'expired'],
      [2520, 401, 'expired'],
    ]);
  });

  it('when the call is rejected it refreshes, and calls once more with the new token', async () => {
    const outcome = await run({
      config: { preset: 'static-refresh' },
      behaviour: { attacker: { callApiEvery: '10m' } },
      steps: [login(0), steal('1m', 'both')],
      until: '30m',
    });
    expect(apiCalls(outcome.events, 'attacker')).toEqual([
      [660, 401, 'expired'],
      [660, 200, null],
      [1260, 401, 'expired'],
      [1260, 200, null],
    ]);
    expect(tokenCalls(outcome.events, 'attacker')).toEqual([
      [660, 200, null],
      [1260, 200, null],
    ]);
    expect(autoEvents(outcome, 'attacker').length).toBeGreaterThan(0);
  });

  it('holding no access token, it refreshes first; failing that (and holding nothing), it stops', async () => {
    const outcome = await run({
      behaviour: { attacker: { callApiEvery: '10m' } },
      steps: [login(0), steal('1m', 'refresh'), refresh('2m'), steal('30m', 'access')],
      until: '1h',
    });
    expect(tokenCalls(outcome.events, 'attacker')).toEqual([[660, 400, 'reused']]);
    // Holding nothing after 11m, it is quiet until it steals again at 30m, then acts at 40m, 50m, 60m.
    expect(apiCalls(outcome.events, 'attacker').map(([t]) => t)).toEqual([2400, 3000, 3600]);
  });

  it('with a stolen password it logs in when it has no usable token', async () => {
    const outcome = await run({
      config: { preset: 'stored-password' },
      behaviour: { attacker: { callApiEvery: '10m' } },
      steps: [login(0), steal('1m', 'password'), step('25m', 'user.changePassword')],
      until: '35m',
    });
    expect(tokenCalls(outcome.events, 'attacker')).toEqual([
      [660, 200, null],
      [1260, 200, null],
      [1860, 400, 'bad_password'],
    ]);
    expect(apiCalls(outcome.events, 'attacker')).toEqual([
      [660, 200, null],
      [1260, 401, 'expired'],
      [1260, 200, null],
      [1860, 401, 'expired'],
    ]);
  });

  it('prefers its refresh token to the password', async () => {
    const outcome = await run({
      config: { preset: 'stored-password', refreshToken: {} },
      behaviour: { attacker: { callApiEvery: '10m' } },
      steps: [login(0), steal('1m', 'password'), steal('1m', 'refresh')],
      until: '11m',
    });
    expect(
      eventsOf(outcome.events, 'RequestSent')
        .filter((e) => e.from === 'attacker' && e.endpoint === 'token')
        .map((e) => e.grantType),
    ).toEqual(['refresh_token']);
  });

  it('falls back to the password when the refresh is refused', async () => {
    const outcome = await run({
      config: { preset: 'stored-password', refreshToken: {} },
      behaviour: { attacker: { callApiEvery: '10m' } },
      steps: [login(0), steal('1m', 'password'), steal('1m', 'refresh'), refresh('2m')],
      until: '11m',
    });
    expect(tokenCalls(outcome.events, 'attacker')).toEqual([
      [660, 400, 'reused'],
      [660, 200, null],
    ]);
    expect(apiCalls(outcome.events, 'attacker')).toEqual([[660, 200, null]]);
  });
});

describe('order at one instant', () => {
  it('scripted occurrences run before automatic ones (a logout at the tick beats the attacker)', async () => {
    const outcome = await run({
      behaviour: { attacker: { callApiEvery: '10m' } },
      steps: [login(0), steal('1m', 'refresh'), logout('11m')],
      until: '11m',
    });
    expect(tokenCalls(outcome.events, 'attacker')).toEqual([[660, 400, 'revoked']]);
  });

  it("scripted occurrences run before the user's tick at the same instant", async () => {
    const outcome = await run({
      behaviour: { user: { callApiEvery: '5m' } },
      steps: [arrive(0), logout('5m')],
      until: '5m',
    });
    // The tick at 5m finds no tokens after the scripted logout: it prompts.
    expect(outcome.metrics.user.passwordPrompts).toBe(2);
  });

  it('the arrival tick runs after every scripted step at that instant', async () => {
    const outcome = await run({
      behaviour: { user: { callApiEvery: '5m' } },
      steps: [arrive(0), step(0, 'admin.suspendUser')],
      until: '0s',
    });
    expect(tokenCalls(outcome.events, 'client')).toEqual([[0, 400, 'user_suspended']]);
  });

  it('automatic actions at one instant run in the order they were scheduled', async () => {
    // The attacker's tick at 10m was scheduled by the steal at 5m (a scripted step); the user's
    // tick at 10m by the user's tick at 5m, which ran after that steal.
    const outcome = await run({
      config: { preset: 'static-refresh' },
      behaviour: { user: { callApiEvery: '5m' }, attacker: { callApiEvery: '5m' } },
      steps: [arrive(0), steal('5m', 'access')],
      until: '10m',
    });
    const at600 = eventsOf(outcome.events, 'RequestSent').filter((e) => e.t === 600 && e.endpoint === 'api');
    expect(at600.map((e) => e.from)).toEqual(['attacker', 'client']);
  });
});

describe('repeat and until', () => {
  it('a repeated step gives one result per occurrence, with the same index', async () => {
    const outcome = await run({
      steps: [login(0), step('1m', 'client.callApi', { repeat: { every: '2m', times: 3 } }), refresh('3m')],
    });
    expect(outcome.steps.map((s) => [s.index, s.at, s.do])).toEqual([
      [0, 0, 'client.login'],
      [1, 60, 'client.callApi'],
      [1, 180, 'client.callApi'],
      [2, 180, 'client.refresh'],
      [1, 300, 'client.callApi'],
    ]);
    expect(outcome.end).toBe(300);
    expect(stepResult(outcome, 1, 2)).toMatchObject({ at: 300, ok: true });
  });

  it('events at t = until still happen', async () => {
    const outcome = await run({
      behaviour: { user: { callApiEvery: '5m' } },
      steps: [arrive(0), step('1h', 'attacker.forge')],
      until: '1h',
    });
    expect(outcome.end).toBe(3600);
    expect(stepResult(outcome, 1).at).toBe(3600);
    expect(apiCalls(outcome.events, 'client').at(-1)![0]).toBe(3600);
    expect(outcome.events.every((e) => e.t <= 3600)).toBe(true);
  });

  it('measures cover [0, until): a theft at until adds no exposure', async () => {
    const outcome = await run({ steps: [login(0), steal('4m', 'access')], until: '4m' });
    expect(outcome.metrics.attacker.exposureSeconds).toBe(0);
  });

  it('the default until is the last occurrence, repeats included', async () => {
    const outcome = await run({
      behaviour: { user: { callApiEvery: '1m' } },
      steps: [arrive(0), step('1m', 'attacker.forge', { repeat: { every: '10m', times: 3 } })],
    });
    expect(outcome.end).toBe(1260);
    expect(apiCalls(outcome.events, 'client')).toHaveLength(22);
  });

  it('no steps: the run ends at 0 with nothing in it', async () => {
    const outcome = await run({});
    expect(outcome).toMatchObject({ format: 'tokenscope-outcome/1', end: 0, steps: [], events: [] });
  });
});

describe('direct commands', () => {
  it('act() applies an action now, with cause "command"', async () => {
    const world = await worldOf({ steps: [login(0)], until: '10m' });
    await world.advanceTo(120);
    const result = await world.act({ do: 'client.refresh' });
    expect(result).toEqual({ ok: true, status: 200, error: null, reason: null });
    expect(world.trace.filter((e) => e.t === 120).every((e) => e.cause.kind === 'command')).toBe(true);
    expect(results(world.outcome())).toHaveLength(1);
  });
});
