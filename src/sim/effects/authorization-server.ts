// The authorization server carrying out its part (SEMANTICS.md §3, §4, §10): the sign-in page's
// codes and sessions, the token endpoint (password grant, code exchange, refresh grant), issuing
// tokens, grants, revocation (RFC 7009) and introspection (RFC 7662). What to answer is decided by
// ../rules/authorization-server.ts and ../rules/signin.ts; this module finds out the facts they
// ask for (DPoP proof checks, PKCE) and signs, issues, revokes and emits as they decide.
import { randomBytes, randomToken } from '../rng';
import {
  codeExchangeDecision,
  introspectionActive,
  passwordGrantDecision,
  refreshDecision,
  revocationTarget,
  type CodeExchangeFacts,
  type IssueNewGrant,
  type NewGrantFacts,
  type PasswordGrantFacts,
  type Refusal,
  type RefreshFacts,
} from '../rules/authorization-server';
import { sessionLive, verifierMatches } from '../rules/signin';
import { ACCESS_TOKEN_TYPE, AUDIENCE, CLIENT_ID, ISSUER, SCOPE, SUBJECT, TOKEN_ENDPOINT, TOKEN_METHOD } from '../protocol';
import type { Grant } from '../state';
import { CODE_LIFETIME } from '../types';
import type {
  AccessTokenRecord,
  ActionResult,
  AuthorizationCodeRecord,
  DpopProof,
  Party,
  PkcePair,
  ProofChoice,
  RevocationCause,
  SignInSessionEnd,
  TokenLabel,
} from '../types';
import { respond, sendRequest, type Response, type WorldContext } from './context';

export function signInSessionLive(w: WorldContext): boolean {
  return sessionLive(w.config.authServer.signInSession, w.state.authServer.signInSession, w.state.t);
}

/** The AS issues a one-time authorization code (60 s, single use) for this request's challenge. */
export function issueCode(
  w: WorldContext,
  requestedBy: 'client' | 'attacker',
  pkce: PkcePair | null,
  deliveredTo: Party,
): AuthorizationCodeRecord {
  const s = w.state;
  const code: AuthorizationCodeRecord = {
    label: `AC#${++s.counters.code}`,
    kind: 'code',
    value: randomToken(s.signInRng, 24),
    issuedAt: s.t,
    expiresAt: s.t + CODE_LIFETIME,
    challenge: pkce?.challenge ?? null,
    requestedBy,
    deliveredTo,
    usedAt: null,
    grantId: null,
  };
  s.authServer.codes[code.label] = code;
  w.emit({ type: 'AuthorizationCodeIssued', code: { ...code }, pkce });
  return code;
}

/**
 * The code exchange at the token endpoint (RFC 6749 §4.1.3): one token request and one AS
 * lookup, as a password-grant login. Client authentication first, then a DPoP proof, then the
 * code (rules/signin.ts codeVerdict); success starts a grant like any login (SEMANTICS.md §4).
 */
export async function codeExchange(
  w: WorldContext,
  from: 'client' | 'attacker',
  label: TokenLabel,
  verifier: string | null,
  clientAuth: boolean,
): Promise<Response> {
  countTokenRequest(w);
  const s = w.state;
  const proof = await w.proofFor(from, 'token', null, null);
  const id = sendRequest(
    w,
    from,
    'authServer',
    'token',
    {
      grantType: 'authorization_code',
      token: null,
      code: label,
      ...(verifier !== null && { codeVerifier: verifier }),
      ...clientAuthField(w, clientAuth),
    },
    proof,
  );
  const record = s.authServer.codes[label];
  const facts: CodeExchangeFacts = {
    ...newGrantFacts(w, proof, clientAuth),
    t: s.t,
    code: record,
    codeGrant: record?.grantId ? s.authServer.grants[record.grantId] : undefined,
    verifierMatches: null,
    refreshTokens: w.config.refreshToken !== null,
  };
  let decision = codeExchangeDecision(facts);
  while (decision.kind === 'checkProof' || decision.kind === 'checkVerifier') {
    if (decision.kind === 'checkProof') facts.proof = await tokenEndpointProof(w, proof!);
    else facts.verifierMatches = verifierMatches(record?.challenge ?? null, verifier);
    decision = codeExchangeDecision(facts);
  }
  if (decision.kind === 'refuse') return refuseToken(w, id, from, decision, facts.codeGrant);
  const grant = startGrant(w, from);
  s.authServer.codes[label] = { ...record!, usedAt: s.t, grantId: grant.id };
  return issueNewGrant(w, id, from, grant, decision);
}

/** A password sign-in starts the session; a silent one renews its idle time. None configured: nothing. */
export function startOrRenewSignInSession(w: WorldContext, silent: boolean): void {
  if (w.config.authServer.signInSession === null) return;
  const as = w.state.authServer;
  if (silent && as.signInSession) {
    w.state.authServer = { ...as, signInSession: { ...as.signInSession, lastUse: w.state.t } };
    w.emit({ type: 'SignInSessionRenewed', sessionId: as.signInSession.id });
    return;
  }
  const session = { id: `S${++w.state.counters.session}`, startedAt: w.state.t, lastUse: w.state.t };
  w.state.authServer = { ...as, signInSession: session };
  w.emit({ type: 'SignInSessionStarted', sessionId: session.id, startedAt: session.startedAt });
}

/** Logout, password change, revoke-all and suspension end the user's sign-in session. */
export function endSignInSession(w: WorldContext, why: SignInSessionEnd): void {
  const session = w.state.authServer.signInSession;
  if (session === null) return;
  const live = signInSessionLive(w);
  w.state.authServer = { ...w.state.authServer, signInSession: null };
  if (live) w.emit({ type: 'SignInSessionEnded', sessionId: session.id, why });
}

/** The token endpoint's proof check (RFC 9449 §5): htm POST, htu the token endpoint. */
export function tokenEndpointProof(w: WorldContext, proof: DpopProof) {
  return w.checkProof(w.state.authServer.dpopJtis, proof, { htm: TOKEN_METHOD, htu: TOKEN_ENDPOINT });
}

/** Only confidential clients authenticate; the trace says whether a request carried the secret. */
export function clientAuthField(w: WorldContext, withSecret: boolean): { clientAuth?: boolean } {
  return w.config.client.type === 'confidential' ? { clientAuth: withSecret } : {};
}

/** What the token endpoint knows about a request for a new grant before checking its proof. */
export function newGrantFacts(w: WorldContext, proof: DpopProof | undefined, clientAuth: boolean): NewGrantFacts {
  return { clientType: w.config.client.type, clientAuth, dpop: w.dpop, proofSent: proof !== undefined, proof: null };
}

/** Carries out a token-endpoint refusal: the grant it revokes (and a stopping event), then the response. */
export function refuseToken(
  w: WorldContext,
  id: number,
  from: 'client' | 'attacker',
  refusal: Refusal,
  grant: Grant | undefined,
): Response {
  if (refusal.revokeGrant && grant) revokeGrant(w, grant, refusal.revokeGrant);
  if (refusal.stoppingEvent) w.markStoppingEvent();
  return respond(w, id, 'authServer', from, 'token', refusal.status, refusal.error, refusal.reason, [], undefined, refusal.dpop);
}

/** A new grant's tokens (login, code exchange), as the decision says, and the 200 response. */
export async function issueNewGrant(
  w: WorldContext,
  id: number,
  from: 'client' | 'attacker',
  grant: Grant,
  decision: IssueNewGrant,
): Promise<Response> {
  const issued = [await issueAccessToken(w, grant, from, decision.accessJkt)];
  if (decision.refresh) issued.push(issueRefreshToken(w, grant, null, from, decision.refresh.jkt));
  return respond(w, id, 'authServer', from, 'token', 200, null, null, issued);
}

export function countTokenRequest(w: WorldContext): void {
  w.state.metrics.authServer.tokenRequests++;
  w.state.metrics.authServer.stateLookups++;
}

export async function passwordGrant(
  w: WorldContext,
  from: 'client' | 'attacker',
  passwordVersion: number,
  clientAuth: boolean,
): Promise<Response> {
  countTokenRequest(w);
  const s = w.state;
  const proof = await w.proofFor(from, 'token', null, null);
  const id = sendRequest(w, from, 'authServer', 'token', { grantType: 'password', token: null, ...clientAuthField(w, clientAuth) }, proof);
  const facts: PasswordGrantFacts = {
    ...newGrantFacts(w, proof, clientAuth),
    passwordOk: passwordVersion === s.authServer.passwordVersion,
    userSuspended: s.authServer.phase === 'userSuspended',
    refreshTokens: w.config.refreshToken !== null,
  };
  let decision = passwordGrantDecision(facts);
  if (decision.kind === 'checkProof') {
    facts.proof = await tokenEndpointProof(w, proof!);
    decision = passwordGrantDecision(facts);
  }
  if (decision.kind === 'checkProof') throw new Error('the password grant asked for the proof twice');
  if (decision.kind === 'refuse') return refuseToken(w, id, from, decision, undefined);
  return issueNewGrant(w, id, from, startGrant(w, from), decision);
}

export async function refreshGrant(
  w: WorldContext,
  from: 'client' | 'attacker',
  label: TokenLabel,
  clientAuth: boolean,
  choice?: ProofChoice,
): Promise<Response> {
  countTokenRequest(w);
  const s = w.state;
  const proof = await w.proofFor(from, 'token', s.authServer.refreshTokens[label]?.jkt ?? null, null, choice);
  const id = sendRequest(
    w,
    from,
    'authServer',
    'token',
    { grantType: 'refresh_token', token: label, ...clientAuthField(w, clientAuth) },
    proof,
  );
  // SEMANTICS.md §3's order (rules/authorization-server.ts refreshDecision); the proof's check is
  // made only when the decision gets that far (a thief without the secret changes nothing).
  const { refreshTokens, grants } = s.authServer;
  const record = refreshTokens[label];
  const grant = record ? grants[record.grantId] : undefined;
  const facts: RefreshFacts = {
    t: s.t,
    rules: w.config.refreshToken,
    clientType: w.config.client.type,
    clientAuth,
    dpop: w.dpop,
    proofSent: proof !== undefined,
    proof: null,
    token: record,
    grant,
    newest: grant?.newest ? refreshTokens[grant.newest] : undefined,
    userSuspended: s.authServer.phase === 'userSuspended',
  };
  let decision = refreshDecision(facts);
  if (decision.kind === 'checkProof') {
    facts.proof = await tokenEndpointProof(w, proof!);
    decision = refreshDecision(facts);
  }
  if (decision.kind === 'checkProof') throw new Error('the refresh grant asked for the proof twice');
  if (decision.kind === 'refuse') return refuseToken(w, id, from, decision, grant);
  // Issue as decided: a retry within the reuse interval leaves the consumed token as it was.
  if (decision.viaReuseInterval) w.emit({ type: 'ReuseIntervalUsed', label, grantId: grant!.id });
  grant!.lastUse = s.t;
  const issued = [await issueAccessToken(w, grant!, from, decision.accessJkt)];
  if (!decision.rotate) {
    issued.push(label);
  } else {
    if (!decision.viaReuseInterval) {
      refreshTokens[label] = { ...record!, status: 'consumed', consumedAt: s.t };
      w.emit({ type: 'RefreshTokenConsumed', label, grantId: grant!.id });
    }
    issued.push(issueRefreshToken(w, grant!, label, from, decision.refreshJkt));
  }
  return respond(w, id, 'authServer', from, 'token', 200, null, null, issued);
}

export function startGrant(w: WorldContext, by: Party): Grant {
  const s = w.state;
  const grant: Grant = {
    id: `G${++s.counters.grant}`,
    by,
    startedAt: s.t,
    lastUse: s.t,
    revoked: false,
    revokedAt: null,
    revokedCause: null,
    newest: null,
    refreshTokens: [],
    accessTokens: [],
  };
  s.authServer.grants[grant.id] = grant;
  s.authServer.grantOrder.push(grant.id);
  w.emit({ type: 'GrantStarted', grantId: grant.id, by });
  return grant;
}

export function randomId(w: WorldContext): string {
  return Array.from(randomBytes(w.state.rng, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Issues an access token; under DPoP it carries cnf.jkt, the proof key's thumbprint (RFC 9449 §6). */
export async function issueAccessToken(w: WorldContext, grant: Grant, to: Party, jkt: string | null = null): Promise<TokenLabel> {
  const s = w.state;
  const iat = w.unixNow();
  const claims = {
    iss: ISSUER,
    sub: SUBJECT,
    aud: AUDIENCE,
    client_id: CLIENT_ID,
    iat,
    exp: iat + w.config.accessToken.ttl,
    jti: randomId(w),
    scope: SCOPE,
    ...(jkt !== null ? { cnf: { jkt } } : {}),
  };
  const header = { alg: 'EdDSA', typ: ACCESS_TOKEN_TYPE, kid: w.crypto.asKid };
  s.work.signatures++;
  const jwt = await w.crypto.sign(header, claims, 'authServer');
  const record: AccessTokenRecord = {
    label: `AT#${++s.counters.accessToken}`,
    kind: 'access',
    jwt,
    header,
    claims,
    grantId: grant.id,
    issuedAt: s.t,
    expiresAt: s.t + w.config.accessToken.ttl,
    genuine: true,
    audienceOk: true,
  };
  w.logAccessToken(record);
  grant.accessTokens.push(record.label);
  w.emit({ type: 'AccessTokenIssued', token: record, to });
  return record.label;
}

export function issueRefreshToken(
  w: WorldContext,
  grant: Grant,
  parent: TokenLabel | null,
  to: Party,
  jkt: string | null = null,
): TokenLabel {
  const s = w.state;
  const label = `RT#${++s.counters.refreshToken}`;
  const value = randomToken(s.rng, 32);
  const record = {
    label,
    kind: 'refresh' as const,
    value,
    grantId: grant.id,
    issuedAt: s.t,
    parent,
    status: 'active' as const,
    consumedAt: null,
    revokedAt: null,
    ...(jkt !== null ? { jkt } : {}),
  };
  s.authServer.refreshTokens[label] = record;
  s.authServer.refreshByValue[value] = label;
  grant.refreshTokens.push(label);
  grant.newest = label;
  w.emit({ type: 'RefreshTokenIssued', token: { ...record }, to });
  return label;
}

export function revokeGrant(w: WorldContext, grant: Grant, cause: RevocationCause): void {
  const s = w.state;
  grant.revoked = true;
  grant.revokedAt = s.t;
  grant.revokedCause = cause;
  for (const label of grant.refreshTokens) {
    const record = s.authServer.refreshTokens[label]!;
    if (record.status !== 'revoked') s.authServer.refreshTokens[label] = { ...record, status: 'revoked', revokedAt: s.t };
  }
  w.emit({ type: 'GrantRevoked', grantId: grant.id, revocationCause: cause, labels: [...grant.refreshTokens, ...grant.accessTokens] });
}

/** A password change under `revokeGrantsOnPasswordChange: false`: the grants stay usable. */
export function keepGrants(w: WorldContext): void {
  const s = w.state;
  const grantIds = s.authServer.grantOrder.filter((id) => !s.authServer.grants[id]!.revoked);
  if (grantIds.length > 0) w.emit({ type: 'GrantsKept', grantIds });
}

export function revokeEveryGrant(w: WorldContext, cause: RevocationCause): void {
  const s = w.state;
  let any = false;
  for (const id of s.authServer.grantOrder) {
    const grant = s.authServer.grants[id]!;
    if (!grant.revoked) {
      revokeGrant(w, grant, cause);
      any = true;
    }
  }
  if (any) w.setUserStatus('GrantsRevoked');
}

/** RFC 7009: revoke the grant a token belongs to; unknown or revoked tokens still get 200. */
export async function revocationRequest(w: WorldContext, from: 'client', label: TokenLabel): Promise<ActionResult> {
  w.state.metrics.authServer.stateLookups++;
  const id = sendRequest(w, from, 'authServer', 'revocation', { token: label, ...clientAuthField(w, true) });
  const { refreshTokens, grants } = w.state.authServer;
  const target = revocationTarget(label, refreshTokens, w.accessToken(label), grants);
  if (target) revokeGrant(w, target, 'logout');
  // A sent logout is a stopping event even when its grant was already revoked: the user acted.
  w.markStoppingEvent();
  return respond(w, id, 'authServer', from, 'revocation', 200, null, null);
}

/** RFC 7662's answer about this token now (rules/authorization-server.ts introspectionActive). */
export function introspectionAnswer(w: WorldContext, record: AccessTokenRecord): boolean {
  const { authServer } = w.state;
  const grant = record.grantId ? authServer.grants[record.grantId] : undefined;
  return introspectionActive(record, grant, w.state.t, authServer.phase === 'userSuspended');
}
