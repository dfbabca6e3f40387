// The attacker carrying out its part (SEMANTICS.md §7, §10): thefts, its own refresh and login,
// forged tokens, the script in the page (hijack, copies, silent sign-in, code redemption) and
// behaviour.attacker's tick, each as ../rules/attacker.ts decides.
import { decodeJwt, unsignedJwt } from '../crypto';
import { ACCESS_TOKEN_TYPE, AUDIENCE, CLIENT_ID, ISSUER, OTHER_AUDIENCE, SCOPE, SUBJECT } from '../protocol';
import { attackerHoldsAnything } from '../parties';
import {
  attackerDropsPassword,
  attackerDropsRefreshToken,
  attackerTickNext,
  stealLoot,
  type AttackerHolds,
  type AttackerStepDone,
} from '../rules/attacker';
import { newPkcePair } from '../rules/signin';
import type { AccessTokenRecord, ActionResult, ForgeKind, Party, ProofChoice, StealFrom, StealWhat, TokenLabel } from '../types';
import {
  codeExchange,
  issueCode,
  passwordGrant,
  randomId,
  refreshGrant,
  signInSessionLive,
  startOrRenewSignInSession,
} from './authorization-server';
import { OK, notSent, respond, sendRequest, type Response, type WorldContext } from './context';
import { apiRequest } from './resource-server';

/**
 * attacker.hijackPage (SEMANTICS.md §10; dispatch has checked the page is open): the script starts
 * running in the page. In browser
 * storage it copies every token the app holds now (and each new one as it arrives: clientGot);
 * under a BFF there is nothing to copy. RFC 9449 §11.4: in the page it can use the app's key.
 */
export function hijackPage(w: WorldContext): ActionResult {
  const s = w.state;
  if (!s.attacker.inPage) {
    s.attacker = { ...s.attacker, inPage: true };
    w.emit({ type: 'PageHijacked' });
  }
  copyFromPage(w, s.client.accessToken, s.client.refreshToken);
  return OK;
}

/** The script in the page copies tokens the app holds (browser storage only). */
export function copyFromPage(
  w: WorldContext,
  accessToken: TokenLabel | null,
  refreshToken: TokenLabel | null,
  replaces?: TokenLabel,
): void {
  if (!w.state.attacker.inPage || w.bff) return;
  const labels = [accessToken, refreshToken].filter((l): l is TokenLabel => l !== null);
  if (labels.length === 0) return;
  w.emit({ type: 'TokensCopied', labels });
  const held = replaces !== undefined && w.state.attacker.refreshTokens.includes(replaces) ? replaces : undefined;
  w.setAttacker({
    type: 'Acquired',
    ...(accessToken && { accessToken }),
    ...(refreshToken && { refreshToken }),
    ...(held && { replaces: held }),
  });
}

/**
 * attacker.silentLogin (SEMANTICS.md §10, BBA §5.1.3): from the hijacked page, an authorization
 * in a hidden frame with the attacker's own PKCE verifier (and, under DPoP, its own key). It
 * needs the page (checked in dispatch) and a live sign-in session. Under a BFF the code reaches the BFF's redirect,
 * which redeems it and keeps the tokens.
 */
export async function attackerSilentLogin(w: WorldContext): Promise<ActionResult> {
  const s = w.state;
  s.metrics.authServer.signInRequests++;
  // Under a BFF the BFF starts the authorization (its PKCE pair); else the attacker's own pair.
  const pkce = !w.bff || w.config.pkce ? newPkcePair(s.signInRng) : null;
  const id = sendRequest(w, 'attacker', 'authServer', 'authorize', {
    token: null,
    ...(pkce && { pkceChallenge: pkce.challenge }),
    silent: true,
  });
  if (!signInSessionLive(w)) return respond(w, id, 'authServer', 'attacker', 'authorize', 400, 'invalid_grant', 'login_required');
  if (s.authServer.phase === 'userSuspended')
    return respond(w, id, 'authServer', 'attacker', 'authorize', 400, 'invalid_grant', 'user_suspended');
  // The AS sees a normal silent sign-in: it renews the session's idle time.
  startOrRenewSignInSession(w, true);
  const to: Party = w.bff ? 'client' : 'attacker';
  const code = issueCode(w, 'attacker', pkce, to);
  respond(w, id, 'authServer', to, 'authorize', 302, null, null, [], undefined, undefined, { code: code.label, silent: true });
  if (w.bff) {
    const response = await codeExchange(w, 'client', code.label, pkce?.verifier ?? null, true);
    if (response.ok) {
      const [accessToken, refreshToken] = response.issued;
      w.setClient({ type: 'LoginSucceeded', accessToken: accessToken!, refreshToken: refreshToken ?? null, storedPassword: null });
    }
    return notSent('nothing_to_steal');
  }
  const response = await attackerRedeems(w, code.label, pkce!.verifier);
  if (response.ok) w.emit({ type: 'SilentSignIn', by: 'attacker' });
  return response;
}

/** The attacker redeems a code it holds: with a stolen client secret if it has one. */
export async function attackerRedeems(w: WorldContext, label: TokenLabel, verifier: string | null): Promise<Response> {
  const response = await codeExchange(w, 'attacker', label, verifier, w.state.attacker.clientSecret);
  if (response.ok) {
    const [accessToken, refreshToken] = response.issued;
    w.setAttacker({ type: 'Acquired', accessToken, refreshToken });
  }
  return response;
}

/**
 * attacker.steal (SEMANTICS.md §7, §10): from what the app keeps in the page — nothing under a
 * BFF — or, from the API's logs, the access token of the newest request the RS got from the app.
 */
export function steal(w: WorldContext, what: StealWhat, from: StealFrom): ActionResult {
  const loot = stealLoot(
    what,
    from,
    { client: w.state.client, apiLog: w.state.resourceServer.lastAppToken },
    { clientType: w.config.client.type, tokenStorage: w.config.client.tokenStorage },
  );
  if (loot === null) return notSent('nothing_to_steal');
  const { labels, accessToken, refreshToken, password, clientSecret } = loot;
  if (from === 'api-logs') {
    w.emit({ type: 'TokensStolen', what, labels, from });
  } else {
    const extras =
      what === 'all' ? { ...(password !== undefined && { password: true as const }), ...(clientSecret && { clientSecret }) } : {};
    w.emit({ type: 'TokensStolen', what, labels, ...extras });
  }
  w.setAttacker({
    type: 'Acquired',
    ...(accessToken && { accessToken }),
    ...(refreshToken && { refreshToken }),
    ...(password !== undefined && { password }),
    ...(clientSecret && { clientSecret }),
  });
  return OK;
}

export async function attackerRefresh(w: WorldContext, choice?: ProofChoice): Promise<ActionResult> {
  const label = w.state.attacker.refreshTokens.at(-1);
  if (label === undefined) return notSent('no_token');
  const response = await refreshGrant(w, 'attacker', label, w.state.attacker.clientSecret, choice);
  if (response.ok) {
    const [accessToken, refreshToken] = response.issued;
    w.setAttacker({ type: 'Acquired', accessToken, refreshToken: refreshToken ?? label, replaces: refreshToken ? label : undefined });
  } else if (attackerDropsRefreshToken(response)) {
    w.emit({ type: 'TokenDropped', by: 'attacker', label, reason: response.reason! });
    w.setAttacker({ type: 'Dropped', refreshToken: label });
  }
  return response;
}

export async function attackerLogin(w: WorldContext): Promise<ActionResult> {
  const password = w.state.attacker.password;
  if (password === null) return notSent('no_password');
  const response = await passwordGrant(w, 'attacker', password, w.state.attacker.clientSecret);
  if (response.ok) {
    const [accessToken, refreshToken] = response.issued;
    w.setAttacker({ type: 'Acquired', accessToken, refreshToken });
  } else if (attackerDropsPassword(response)) {
    w.emit({ type: 'TokenDropped', by: 'attacker', label: 'password', reason: 'bad_password' });
    w.setAttacker({ type: 'Dropped', password: true });
  }
  return response;
}

export async function forge(w: WorldContext, kind: ForgeKind): Promise<ActionResult> {
  const s = w.state;
  const iat = w.unixNow();
  const claims = {
    iss: ISSUER,
    sub: SUBJECT,
    aud: kind === 'wrong-audience' ? OTHER_AUDIENCE : AUDIENCE,
    client_id: CLIENT_ID,
    iat,
    // A forger picks a generous lifetime; a genuine other-API token has the AS's usual one.
    exp: iat + (kind === 'wrong-audience' ? w.config.accessToken.ttl : 365 * 86_400),
    jti: randomId(w),
    scope: SCOPE,
  };
  const header = { typ: ACCESS_TOKEN_TYPE, kid: w.crypto.asKid };
  if (kind !== 'alg-none') s.work.signatures++;
  const jwt =
    kind === 'alg-none'
      ? unsignedJwt({ typ: ACCESS_TOKEN_TYPE }, claims)
      : await w.crypto.sign(header, claims, kind === 'own-key' ? 'attacker' : 'authServer');
  const decoded = decodeJwt(jwt);
  const record: AccessTokenRecord = {
    label: `FT#${++s.counters.forged}`,
    kind: 'access',
    jwt,
    header: decoded.header,
    claims: decoded.claims,
    grantId: null,
    issuedAt: s.t,
    expiresAt: claims.exp - w.scenario.epochSeconds,
    genuine: kind === 'wrong-audience',
    audienceOk: kind !== 'wrong-audience',
  };
  w.logForgedToken(record);
  w.emit({ type: 'AccessTokenForged', token: record, forgeKind: kind });
  return apiRequest(w, 'attacker', record.label);
}

/** behaviour.attacker's tick: its steps as rules/attacker.ts decides them, one at a time. */
export async function attackerTick(w: WorldContext): Promise<void> {
  w.state.behaviour.attackerTickPending = false;
  const holds = (): AttackerHolds => {
    const a = w.state.attacker;
    return {
      accessToken: a.accessTokens.length > 0,
      refreshToken: a.refreshTokens.length > 0,
      password: a.password !== null,
      anything: attackerHoldsAnything(a),
    };
  };
  const done: AttackerStepDone[] = [];
  for (let step = attackerTickNext(done, holds()); step !== 'stop'; step = attackerTickNext(done, holds())) {
    const result =
      step === 'callApi'
        ? await apiRequest(w, 'attacker', w.state.attacker.accessTokens.at(-1) ?? null)
        : step === 'refresh'
          ? await attackerRefresh(w)
          : await attackerLogin(w);
    done.push({ did: step, ...result });
  }
  const every = w.scenario.behaviour.attacker?.callApiEvery;
  if (every && attackerHoldsAnything(w.state.attacker) && !w.state.behaviour.attackerTickPending) {
    w.scheduleAttackerTick(w.state.t + every);
  }
}
