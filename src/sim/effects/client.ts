// The user's app carrying out its part (SEMANTICS.md §4, §10): signing in (code + PKCE at the AS's
// page, or the password grant), refreshing, logging out, a BFF's proxied call, and behaviour.user's
// tick, each step as ../rules/client.ts decides.
import { newPkcePair } from '../rules/signin';
import {
  appDropsRefreshToken,
  bffRefreshesFirst,
  logoutToken,
  tokenUsable,
  userAppNext,
  type AppHolds,
  type AppStepDone,
} from '../rules/client';
import type { ActionResult, Party } from '../types';
import { attackerRedeems, copyFromPage } from './attacker';
import {
  codeExchange,
  endSignInSession,
  issueCode,
  passwordGrant,
  refreshGrant,
  revocationRequest,
  signInSessionLive,
  startOrRenewSignInSession,
} from './authorization-server';
import { notSent, respond, sendRequest, type WorldContext } from './context';
import { apiRequest } from './resource-server';

/**
 * The user signs in (client.login, and the app's last resort in behaviour.user): by the
 * password grant, or at the AS's sign-in page with code + PKCE.
 */
export async function userSignIn(w: WorldContext): Promise<ActionResult> {
  return w.config.login === 'password-grant' ? clientInteractiveLogin(w) : clientCodeLogin(w);
}

/**
 * Code + PKCE (RFC 6749 §4.1, RFC 7636): the browser goes to the AS's sign-in page with a
 * challenge; the user types the password there unless a live sign-in session makes it silent;
 * the AS checks the user's status, starts or renews the session and redirects back with a code,
 * which the app redeems at once with its verifier — unless an armed interception delivers the
 * code to the attacker (`no_code`), who redeems it at once.
 */
export async function clientCodeLogin(w: WorldContext): Promise<ActionResult> {
  const s = w.state;
  s.metrics.authServer.signInRequests++;
  const silent = signInSessionLive(w);
  if (!silent) s.metrics.user.passwordPrompts++;
  const pkce = w.config.pkce ? newPkcePair(s.signInRng) : null;
  const id = sendRequest(w, 'client', 'authServer', 'authorize', { token: null, ...(pkce && { pkceChallenge: pkce.challenge }) });
  // The password the user typed is the current one; then the user's status (SEMANTICS.md §4).
  if (s.authServer.phase === 'userSuspended') {
    const refused = respond(w, id, 'authServer', 'client', 'authorize', 400, 'invalid_grant', 'user_suspended');
    w.setClient({ type: 'LoginFailed' });
    return refused;
  }
  startOrRenewSignInSession(w, silent);
  const intercepted = s.attacker.interceptArmed;
  const to: Party = intercepted ? 'attacker' : 'client';
  const code = issueCode(w, 'client', pkce, to);
  respond(w, id, 'authServer', to, 'authorize', 302, null, null, [], undefined, undefined, { code: code.label, silent });
  if (intercepted) {
    // An intercepted silent sign-in counts as no silent sign-in; a typed password still counted.
    s.attacker = { ...w.state.attacker, interceptArmed: false };
    w.emit({ type: 'CodeIntercepted', code: code.label });
    w.setClient({ type: 'LoginFailed' });
    await attackerRedeems(w, code.label, null);
    return notSent('no_code');
  }
  const response = await codeExchange(w, 'client', code.label, pkce?.verifier ?? null, true);
  if (response.ok) {
    if (silent) {
      w.state.metrics.user.silentSignIns++;
      w.emit({ type: 'SilentSignIn', by: 'client' });
    }
    const [accessToken, refreshToken] = response.issued;
    w.setClient({ type: 'LoginSucceeded', accessToken: accessToken!, refreshToken: refreshToken ?? null, storedPassword: null });
    copyFromPage(w, accessToken!, refreshToken ?? null);
  } else {
    w.setClient({ type: 'LoginFailed' });
  }
  return response;
}

/**
 * attacker.callApi from the hijacked page under a BFF: the BFF sends it on with its own access
 * token, refreshing first when that is missing or expired (SEMANTICS.md §10 settled readings).
 */
export async function proxiedApiCall(w: WorldContext): Promise<ActionResult> {
  if (bffRefreshesFirst(appHolds(w))) await clientRefresh(w);
  return apiRequest(w, 'attacker', w.state.client.accessToken, undefined, 'bff');
}

export async function clientInteractiveLogin(w: WorldContext): Promise<ActionResult> {
  w.state.metrics.user.passwordPrompts++;
  return clientLogin(w, w.state.authServer.passwordVersion, true);
}

/** A login by the user's app: interactive (the user types the current password) or silent. */
export async function clientLogin(w: WorldContext, passwordVersion: number, interactive: boolean): Promise<ActionResult> {
  const response = await passwordGrant(w, 'client', passwordVersion, true);
  if (response.ok) {
    const [accessToken, refreshToken] = response.issued;
    const stores = w.config.client.storesPassword && interactive;
    w.setClient({
      type: 'LoginSucceeded',
      accessToken: accessToken!,
      refreshToken: refreshToken ?? null,
      storedPassword: stores ? passwordVersion : null,
    });
    if (stores) w.emit({ type: 'PasswordStored', by: 'client' });
    copyFromPage(w, accessToken!, refreshToken ?? null);
  } else {
    w.setClient({ type: 'LoginFailed' });
  }
  return response;
}

export async function clientRefresh(w: WorldContext): Promise<ActionResult> {
  const label = w.state.client.refreshToken;
  if (label === null) return notSent('no_token');
  const response = await refreshGrant(w, 'client', label, true);
  if (response.ok) {
    const [accessToken, refreshToken] = response.issued;
    w.setClient({ type: 'RefreshSucceeded', accessToken: accessToken!, refreshToken: refreshToken ?? label });
    // A rotated refresh token replaces its parent in a copying script's hands too.
    copyFromPage(w, accessToken!, refreshToken ?? null, refreshToken ? label : undefined);
  } else if (appDropsRefreshToken(response)) {
    w.emit({ type: 'TokenDropped', by: 'client', label, reason: response.reason! });
    w.setClient({ type: 'RefreshRejected' });
  }
  return response;
}

export async function clientLogout(w: WorldContext): Promise<ActionResult> {
  const { refreshToken, accessToken } = w.state.client;
  const label = logoutToken(w.state.client);
  if (label === null) {
    // Nothing to send, but a logout on the device still forgets a stored password.
    if (w.state.client.storedPassword !== null) {
      w.emit({ type: 'PasswordForgotten', by: 'client' });
      w.setClient({ type: 'PasswordForgotten' });
    }
    return notSent('no_token');
  }
  const response = await revocationRequest(w, 'client', label);
  // RP-initiated logout: the AS also ends the user's sign-in session (SEMANTICS.md §10).
  endSignInSession(w, 'logout');
  const labels = [accessToken, refreshToken].filter((l): l is string => l !== null);
  w.emit({ type: 'ClientForgotTokens', labels });
  w.setClient({ type: 'LoggedOut' });
  return response;
}

/** What the app holds now, as its decisions see it (rules/client.ts). */
export function appHolds(w: WorldContext): AppHolds {
  const { client } = w.state;
  const record = client.accessToken ? w.accessToken(client.accessToken) : undefined;
  return {
    tokenUsable: tokenUsable(record, w.state.t),
    refreshToken: client.refreshToken !== null,
    storedPassword: client.storedPassword !== null,
  };
}

/** behaviour.user's tick: the app's steps as rules/client.ts decides them, one at a time. */
export async function userAppTick(w: WorldContext): Promise<void> {
  const generation = w.state.behaviour.userGeneration;
  const done: AppStepDone[] = [];
  for (let step = userAppNext(done, appHolds(w)); step !== 'stop'; step = userAppNext(done, appHolds(w))) {
    done.push({ did: step, ...(await appStep(w, step)) });
  }
  const every = w.scenario.behaviour.user?.callApiEvery;
  if (every && w.state.client.present && w.state.behaviour.userGeneration === generation) {
    w.schedule({ kind: 'userTick', time: w.state.t + every, generation });
  }
}

export async function appStep(w: WorldContext, step: AppStepDone['did']): Promise<ActionResult> {
  const { client } = w.state;
  switch (step) {
    case 'callApi':
      return apiRequest(w, 'client', client.accessToken);
    case 'refresh':
      return clientRefresh(w);
    case 'storedPasswordLogin':
      return clientLogin(w, client.storedPassword!, false);
    case 'signIn':
      return userSignIn(w);
  }
}
