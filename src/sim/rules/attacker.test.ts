// The attacker's decisions (SEMANTICS.md §7, §10) with plain objects.
import { describe, expect, it } from 'vitest';
import {
  attackerDropsPassword,
  attackerDropsRefreshToken,
  attackerTickNext,
  stealLoot,
  type AttackerHolds,
  type AttackerStepDone,
} from './attacker';

const holds = (over: Partial<AttackerHolds> = {}): AttackerHolds => ({
  accessToken: false,
  refreshToken: false,
  password: false,
  anything: true,
  ...over,
});
const done = (did: AttackerStepDone['did'], ok: boolean): AttackerStepDone => ({
  did,
  ok,
  status: ok ? 200 : did === 'callApi' ? 401 : 400,
  error: ok ? null : did === 'callApi' ? 'invalid_token' : 'invalid_grant',
  reason: ok ? null : did === 'callApi' ? 'expired' : 'revoked',
});

describe('attackerTickNext', () => {
  it('does nothing holding nothing', () => {
    expect(attackerTickNext([], holds({ anything: false }))).toBe('stop');
  });

  it('calls with its newest access token first; a success ends the tick', () => {
    expect(attackerTickNext([], holds({ accessToken: true, refreshToken: true, password: true }))).toBe('callApi');
    expect(attackerTickNext([done('callApi', true)], holds({ accessToken: true, refreshToken: true }))).toBe('stop');
  });

  it('a failed call: refresh first, then login, then one more call with the new token', () => {
    const failed = [done('callApi', false)];
    expect(attackerTickNext(failed, holds({ accessToken: true, refreshToken: true, password: true }))).toBe('refresh');
    expect(attackerTickNext([...failed, done('refresh', false)], holds({ accessToken: true, password: true }))).toBe('login');
    expect(attackerTickNext([...failed, done('refresh', false), done('login', true)], holds({ accessToken: true }))).toBe('callApi');
    expect(attackerTickNext([...failed, done('refresh', true)], holds({ accessToken: true }))).toBe('callApi');
    expect(
      attackerTickNext([...failed, done('refresh', true), done('callApi', false)], holds({ accessToken: true, refreshToken: true })),
    ).toBe('stop');
  });

  it('no access token: straight to refresh or login; a failed login ends the tick', () => {
    expect(attackerTickNext([], holds({ refreshToken: true }))).toBe('refresh');
    expect(attackerTickNext([], holds({ password: true }))).toBe('login');
    expect(attackerTickNext([done('login', false)], holds({ refreshToken: true }))).toBe('stop');
    expect(attackerTickNext([done('refresh', false)], holds())).toBe('stop');
    // Only a client secret: nothing to try.
    expect(attackerTickNext([], holds())).toBe('stop');
  });
});

describe('what the attacker drops', () => {
  it('keeps a refresh token refused for a suspended user; drops it for any other invalid_grant, not for other errors', () => {
    expect(attackerDropsRefreshToken({ error: 'invalid_grant', reason: 'user_suspended' })).toBe(false);
    expect(attackerDropsRefreshToken({ error: 'invalid_grant', reason: 'reused' })).toBe(true);
    expect(attackerDropsRefreshToken({ error: 'invalid_grant', reason: 'dpop_key_mismatch' })).toBe(true);
    expect(attackerDropsRefreshToken({ error: 'invalid_client', reason: 'client_auth_failed' })).toBe(false);
  });

  it('drops a stolen password only when it is refused as a bad password', () => {
    expect(attackerDropsPassword({ reason: 'bad_password' })).toBe(true);
    expect(attackerDropsPassword({ reason: 'user_suspended' })).toBe(false);
  });
});

describe('stealLoot', () => {
  const client = { accessToken: 'AT#1', refreshToken: 'RT#1', storedPassword: 2 };
  const browser = { clientType: 'public' as const, tokenStorage: 'browser' as const };

  it('takes what is asked for from the app, in the trace order', () => {
    expect(stealLoot('both', 'app', { client, apiLog: null }, browser)).toEqual({
      accessToken: 'AT#1',
      refreshToken: 'RT#1',
      labels: ['AT#1', 'RT#1'],
    });
    expect(stealLoot('refresh', 'app', { client, apiLog: null }, browser)).toEqual({ refreshToken: 'RT#1', labels: ['RT#1'] });
    expect(stealLoot('password', 'app', { client, apiLog: null }, browser)).toEqual({ password: 2, labels: [] });
    expect(stealLoot('all', 'app', { client, apiLog: null }, { ...browser, clientType: 'confidential' })).toEqual({
      accessToken: 'AT#1',
      refreshToken: 'RT#1',
      password: 2,
      clientSecret: true,
      labels: ['AT#1', 'RT#1'],
    });
  });

  it('nothing to steal: an empty app, a public client’s secret, anything under a BFF', () => {
    const empty = { accessToken: null, refreshToken: null, storedPassword: null };
    expect(stealLoot('all', 'app', { client: empty, apiLog: null }, browser)).toBeNull();
    expect(stealLoot('clientSecret', 'app', { client, apiLog: null }, browser)).toBeNull();
    expect(stealLoot('all', 'app', { client, apiLog: 'AT#1' }, { clientType: 'confidential', tokenStorage: 'bff' })).toBeNull();
  });

  it('from the API logs: the newest access token the app sent, even under a BFF', () => {
    expect(stealLoot('access', 'api-logs', { client, apiLog: 'AT#3' }, { clientType: 'confidential', tokenStorage: 'bff' })).toEqual({
      accessToken: 'AT#3',
      labels: ['AT#3'],
    });
    expect(stealLoot('access', 'api-logs', { client, apiLog: null }, browser)).toBeNull();
  });
});
