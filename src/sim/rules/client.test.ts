// The app's decisions (SEMANTICS.md §3, §10; SCENARIO-FORMAT.md "Behaviour") with plain objects.
import { describe, expect, it } from 'vitest';
import type { Reason } from '../types';
import { appDropsRefreshToken, bffRefreshesFirst, logoutToken, tokenUsable, userAppNext, type AppHolds, type AppStepDone } from './client';

const holds = (over: Partial<AppHolds> = {}): AppHolds => ({ tokenUsable: false, refreshToken: false, storedPassword: false, ...over });
const ok = (did: AppStepDone['did']): AppStepDone => ({ did, ok: true, status: 200, error: null, reason: null });
const refused = (did: AppStepDone['did'], reason: Reason, status = 400): AppStepDone => ({
  did,
  ok: false,
  status,
  error: status === 401 && did === 'callApi' ? 'invalid_token' : 'invalid_grant',
  reason,
});

describe('tokenUsable', () => {
  it('usable strictly before expiresAt (t == expiry is expired), never without a token', () => {
    expect(tokenUsable({ expiresAt: 300 }, 299)).toBe(true);
    expect(tokenUsable({ expiresAt: 300 }, 300)).toBe(false);
    expect(tokenUsable(undefined, 0)).toBe(false);
  });
});

describe('userAppNext: the tick', () => {
  it('calls the API at once with a usable token, and stops after a success', () => {
    expect(userAppNext([], holds({ tokenUsable: true, refreshToken: true }))).toBe('callApi');
    expect(userAppNext([ok('callApi')], holds({ tokenUsable: true }))).toBe('stop');
  });

  it('§10 fallback order without a usable token: refresh, then a stored password, then a sign-in', () => {
    const all = holds({ refreshToken: true, storedPassword: true });
    expect(userAppNext([], all)).toBe('refresh');
    expect(userAppNext([refused('refresh', 'expired_idle')], holds({ storedPassword: true }))).toBe('storedPasswordLogin');
    expect(userAppNext([refused('refresh', 'expired_idle'), refused('storedPasswordLogin', 'bad_password')], holds())).toBe('signIn');
    expect(userAppNext([], holds({ storedPassword: true }))).toBe('storedPasswordLogin');
    expect(userAppNext([], holds())).toBe('signIn');
    expect(userAppNext([refused('refresh', 'reused')], holds())).toBe('signIn');
  });

  it('a suspended user: a refused refresh or stored-password login stops the tick (no prompt)', () => {
    expect(userAppNext([refused('refresh', 'user_suspended')], holds({ storedPassword: true }))).toBe('stop');
    expect(userAppNext([refused('storedPasswordLogin', 'user_suspended')], holds())).toBe('stop');
    expect(userAppNext([refused('signIn', 'bad_password')], holds())).toBe('stop');
  });

  it('a token obtained is used for the call', () => {
    expect(userAppNext([ok('refresh')], holds({ tokenUsable: true }))).toBe('callApi');
    expect(userAppNext([refused('refresh', 'expired_absolute'), ok('signIn')], holds({ tokenUsable: true }))).toBe('callApi');
  });

  it('a first call refused with 401 gets a token again and calls once more; a second 401 stops', () => {
    const first = refused('callApi', 'inactive', 401);
    expect(userAppNext([first], holds({ tokenUsable: true, refreshToken: true }))).toBe('refresh');
    expect(userAppNext([first, ok('refresh')], holds({ tokenUsable: true }))).toBe('callApi');
    expect(userAppNext([first, ok('refresh'), refused('callApi', 'inactive', 401)], holds({ tokenUsable: true, refreshToken: true }))).toBe(
      'stop',
    );
    // A first call refused otherwise (no 401) is not retried.
    expect(userAppNext([{ ...first, status: 500 }], holds({ refreshToken: true }))).toBe('stop');
  });

  it('the first call may come after getting a token, and its 401 is still retried once', () => {
    const done = [ok('refresh'), refused('callApi', 'inactive', 401)];
    expect(userAppNext(done, holds({ refreshToken: true }))).toBe('refresh');
  });
});

describe('the app’s other decisions', () => {
  it('a BFF refreshes before a proxied call only when its token is not usable and it holds a refresh token', () => {
    expect(bffRefreshesFirst(holds({ refreshToken: true }))).toBe(true);
    expect(bffRefreshesFirst(holds({ refreshToken: true, tokenUsable: true }))).toBe(false);
    expect(bffRefreshesFirst(holds())).toBe(false);
  });

  it('logout revokes the refresh token, else the access token', () => {
    expect(logoutToken({ accessToken: 'AT#1', refreshToken: 'RT#1' })).toBe('RT#1');
    expect(logoutToken({ accessToken: 'AT#1', refreshToken: null })).toBe('AT#1');
    expect(logoutToken({ accessToken: null, refreshToken: null })).toBeNull();
  });

  it('the app drops its refresh token on any invalid_grant (user_suspended too), not on invalid_client or a bad proof', () => {
    expect(appDropsRefreshToken({ error: 'invalid_grant' })).toBe(true);
    expect(appDropsRefreshToken({ error: 'invalid_client' })).toBe(false);
    expect(appDropsRefreshToken({ error: 'invalid_dpop_proof' })).toBe(false);
  });
});
