// The shared preconditions with plain state objects: what the UI disables and what the core
// answers without sending anything come from the same decision.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config';
import { initialState } from '../state';
import { createRng, createStream } from '../rng';
import type { Action, Config } from '../types';
import { precondition, type PreconditionState } from './preconditions';

function fresh(): PreconditionState {
  return initialState(createRng(1), createStream(1, 1));
}

const rotating: Config = resolveConfig({ preset: 'rotating-refresh' });
const bff: Config = resolveConfig({ preset: 'bff' });

describe('precondition', () => {
  it('login, API calls, password change and forging always apply', () => {
    for (const action of [
      { do: 'client.login' },
      { do: 'client.callApi' },
      { do: 'user.changePassword' },
      { do: 'attacker.forge' },
    ] as Action[]) {
      expect(precondition(fresh(), rotating, action)).toBeNull();
    }
  });

  it('refresh: no refresh tokens in this configuration, else none held; the core answers no_token', () => {
    const noRefresh = resolveConfig({ preset: 'short-access-only' });
    expect(precondition(fresh(), noRefresh, { do: 'client.refresh' })).toEqual({
      blocker: 'no_refresh_tokens_configured',
      notSent: 'no_token',
    });
    expect(precondition(fresh(), rotating, { do: 'client.refresh' })).toEqual({ blocker: 'client_no_refresh_token', notSent: 'no_token' });
    const state = fresh();
    state.client.refreshToken = 'RT#1';
    expect(precondition(state, rotating, { do: 'client.refresh' })).toBeNull();
  });

  it('logout applies while the app holds a token or a stored password', () => {
    const state = fresh();
    expect(precondition(state, rotating, { do: 'client.logout' })).toEqual({ blocker: 'client_holds_nothing', notSent: 'no_token' });
    state.client.storedPassword = 1;
    expect(precondition(state, rotating, { do: 'client.logout' })).toBeNull();
  });

  it('UI-only blockers: the core still runs the action (notSent null)', () => {
    const state = fresh();
    expect(precondition(state, rotating, { do: 'user.leave' })).toEqual({ blocker: 'user_absent', notSent: null });
    expect(precondition(state, rotating, { do: 'admin.reinstateUser' })).toEqual({ blocker: 'user_not_suspended', notSent: null });
    expect(precondition(state, rotating, { do: 'admin.revokeAll' })).toEqual({ blocker: 'no_active_grant', notSent: null });
    expect(precondition(state, rotating, { do: 'attacker.callApi' })).toEqual({ blocker: 'attacker_no_access_token', notSent: null });
    expect(precondition(state, rotating, { do: 'attacker.wipe' })).toEqual({ blocker: 'client_no_tokens', notSent: null });
    expect(precondition(state, rotating, { do: 'attacker.releasePage' })).toEqual({ blocker: 'page_not_held', notSent: null });
    state.client.present = true;
    expect(precondition(state, rotating, { do: 'user.arrive' })).toEqual({ blocker: 'user_present', notSent: null });
  });

  it('stealing: nothing kept → nothing_to_steal, named by what was asked; a BFF holds everything; the API logs apart', () => {
    const state = fresh();
    expect(precondition(state, rotating, { do: 'attacker.steal', what: 'refresh' })).toEqual({
      blocker: 'steal_no_refresh_token',
      notSent: 'nothing_to_steal',
    });
    expect(precondition(state, rotating, { do: 'attacker.steal', what: 'clientSecret' })).toMatchObject({ blocker: 'steal_public_client' });
    expect(precondition(state, rotating, { do: 'attacker.steal', what: 'all' })).toMatchObject({ blocker: 'steal_nothing_kept' });
    state.client.accessToken = 'AT#1';
    expect(precondition(state, rotating, { do: 'attacker.steal', what: 'both' })).toBeNull();
    expect(precondition(state, bff, { do: 'attacker.steal', what: 'access' })).toEqual({
      blocker: 'steal_bff',
      notSent: 'nothing_to_steal',
    });
    expect(precondition(state, bff, { do: 'attacker.steal', what: 'access', from: 'api-logs' })).toMatchObject({
      blocker: 'api_logs_empty',
    });
    state.resourceServer.lastAppToken = 'AT#1';
    expect(precondition(state, bff, { do: 'attacker.steal', what: 'access', from: 'api-logs' })).toBeNull();
  });

  it('the page: silent login and hijack need it (page_not_held); a closed page cannot be hijacked', () => {
    const state = fresh();
    expect(precondition(state, rotating, { do: 'attacker.silentLogin' })).toEqual({ blocker: 'page_not_held', notSent: 'page_not_held' });
    expect(precondition(state, rotating, { do: 'attacker.hijackPage' })).toBeNull();
    state.client.pageOpen = false;
    expect(precondition(state, rotating, { do: 'attacker.hijackPage' })).toEqual({ blocker: 'page_closed', notSent: 'page_not_held' });
    state.client.pageOpen = true;
    state.attacker.inPage = true;
    expect(precondition(state, rotating, { do: 'attacker.hijackPage' })).toEqual({ blocker: 'already_in_page', notSent: null });
    expect(precondition(state, rotating, { do: 'attacker.silentLogin' })).toBeNull();
    // Under a BFF the script in the page calls through the BFF, holding no token itself.
    expect(precondition(state, bff, { do: 'attacker.callApi' })).toBeNull();
  });

  it('the attacker needs what it uses; interception needs an authorization code', () => {
    const state = fresh();
    expect(precondition(state, rotating, { do: 'attacker.refresh' })).toEqual({
      blocker: 'attacker_no_refresh_token',
      notSent: 'no_token',
    });
    expect(precondition(state, rotating, { do: 'attacker.login' })).toEqual({ blocker: 'attacker_no_password', notSent: 'no_password' });
    const passwordGrant = resolveConfig({ preset: 'stored-password' });
    expect(precondition(state, passwordGrant, { do: 'attacker.interceptCode' })).toEqual({
      blocker: 'no_code_in_password_grant',
      notSent: 'nothing_to_steal',
    });
    expect(precondition(state, rotating, { do: 'attacker.interceptCode' })).toBeNull();
    state.attacker.interceptArmed = true;
    expect(precondition(state, rotating, { do: 'attacker.interceptCode' })).toEqual({ blocker: 'intercept_armed', notSent: null });
  });
});
