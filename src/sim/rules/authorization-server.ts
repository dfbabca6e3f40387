// The authorization server's rules (SEMANTICS.md §3, §4, §6, §8, §10) as pure decisions: the
// token endpoint's check order for the refresh grant, the first checks before a new grant
// (password grant, code exchange), the reuse interval, the introspection answer (RFC 7662) and
// revocation's target (RFC 7009).
//
// A decision never does crypto: it says which fact it needs next (`checkProof`, `checkVerifier`),
// the world (world.ts) finds it out and asks again, until the decision is a refusal or says what
// to issue. The world then carries it out (signs, issues, revokes, emits the trace).
import type { Grant } from '../state';
import type {
  AccessTokenRecord,
  AuthorizationCodeRecord,
  ClientType,
  DpopCheck,
  ErrorCode,
  ProofCheck,
  Reason,
  RefreshTokenConfig,
  RefreshTokenRecord,
  RevocationCause,
  Seconds,
  TokenLabel,
} from '../types';
import { familyDeadlines } from './family';
import { codeVerdict } from './signin';

/** The token endpoint refuses: the response, and a grant to revoke with it (reuse detection, a code redeemed twice). */
export interface Refusal {
  kind: 'refuse';
  status: 400 | 401;
  error: ErrorCode;
  reason: Reason;
  dpop?: DpopCheck;
  revokeGrant?: RevocationCause;
  /** A stopping event for revocationLagSeconds (SEMANTICS.md §9: reuse detection). */
  stoppingEvent?: true;
}

/** The decision needs a DPoP proof's check (dpop.ts checkProof at the token endpoint). */
export interface NeedProofCheck {
  kind: 'checkProof';
}

const CHECK_PROOF: NeedProofCheck = { kind: 'checkProof' };

function refuse(
  status: 400 | 401,
  error: ErrorCode,
  reason: Reason,
  more: Partial<Pick<Refusal, 'dpop' | 'revokeGrant' | 'stoppingEvent'>> = {},
): Refusal {
  return { kind: 'refuse', status, error, reason, ...more };
}

/** Only a confidential client authenticates (RFC 6749 §2.3, §3.2.1): true when a request must be refused for lack of the secret. */
export function clientAuthFails(clientType: ClientType, clientAuth: boolean): boolean {
  return clientType === 'confidential' && !clientAuth;
}

/** RFC 9449 §5: a public client's refresh tokens are bound to the DPoP key; a confidential client's are not. */
export function refreshBinding(clientType: ClientType, jkt: string | null): string | null {
  return clientType === 'public' ? jkt : null;
}

// ---- a new grant: password grant and code exchange --------------------------------------------

/** What the token endpoint knows about a request for a new grant so far; `proof` null: not checked yet. */
export interface NewGrantFacts {
  clientType: ClientType;
  /** The request carried the client secret. */
  clientAuth: boolean;
  /** This configuration sender-constrains tokens (DPoP). */
  dpop: boolean;
  /** A DPoP proof came with the request. */
  proofSent: boolean;
  proof: ProofCheck | null;
}

/**
 * The token endpoint's first checks before a new grant (code exchange, password grant): a
 * confidential client authenticates (RFC 6749 §3.2.1), then, under DPoP, a valid proof is
 * required (RFC 9449 §5). Admits with the key the new tokens are bound to (null without DPoP).
 */
export function newGrantChecks(facts: NewGrantFacts): NeedProofCheck | Refusal | { kind: 'admit'; jkt: string | null } {
  if (clientAuthFails(facts.clientType, facts.clientAuth)) return refuse(401, 'invalid_client', 'client_auth_failed');
  if (!facts.dpop) return { kind: 'admit', jkt: null };
  if (!facts.proofSent) return refuse(400, 'invalid_dpop_proof', 'dpop_invalid', { dpop: 'missing' });
  if (facts.proof === null) return CHECK_PROOF;
  return facts.proof.ok
    ? { kind: 'admit', jkt: facts.proof.jkt }
    : refuse(400, 'invalid_dpop_proof', 'dpop_invalid', { dpop: facts.proof.check });
}

/** A new grant's tokens: an access token bound to `accessJkt`, and a refresh token (bound to its `jkt`) when configured. */
export interface IssueNewGrant {
  kind: 'issue';
  accessJkt: string | null;
  refresh: { jkt: string | null } | null;
}

function newGrant(clientType: ClientType, refreshTokens: boolean, jkt: string | null): IssueNewGrant {
  return { kind: 'issue', accessJkt: jkt, refresh: refreshTokens ? { jkt: refreshBinding(clientType, jkt) } : null };
}

export interface PasswordGrantFacts extends NewGrantFacts {
  /** The password sent is the user's current one. */
  passwordOk: boolean;
  userSuspended: boolean;
  /** The configuration issues refresh tokens. */
  refreshTokens: boolean;
}

/** The password grant (RFC 6749 §4.3): the first checks, then the password before the user's status (SEMANTICS.md §4). */
export function passwordGrantDecision(facts: PasswordGrantFacts): NeedProofCheck | Refusal | IssueNewGrant {
  const admitted = newGrantChecks(facts);
  if (admitted.kind !== 'admit') return admitted;
  if (!facts.passwordOk) return refuse(400, 'invalid_grant', 'bad_password');
  if (facts.userSuspended) return refuse(400, 'invalid_grant', 'user_suspended');
  return newGrant(facts.clientType, facts.refreshTokens, admitted.jkt);
}

export interface CodeExchangeFacts extends NewGrantFacts {
  t: Seconds;
  code: AuthorizationCodeRecord | undefined;
  /** The grant issued from this code before, if it was redeemed. */
  codeGrant: Grant | undefined;
  /** The code_verifier matches the code's challenge (rules/signin.ts verifierMatches); null: not checked yet. */
  verifierMatches: boolean | null;
  refreshTokens: boolean;
}

/**
 * The code exchange (RFC 6749 §4.1.3): the first checks, then the code (rules/signin.ts
 * codeVerdict). A code redeemed twice also revokes the grant issued from it (RFC 6749 §4.1.2).
 */
export function codeExchangeDecision(facts: CodeExchangeFacts): NeedProofCheck | { kind: 'checkVerifier' } | Refusal | IssueNewGrant {
  const admitted = newGrantChecks(facts);
  if (admitted.kind !== 'admit') return admitted;
  if (facts.verifierMatches === null) return { kind: 'checkVerifier' };
  const verdict = codeVerdict(facts.code, facts.t, facts.verifierMatches);
  if (verdict === 'code_used') {
    const grant = facts.codeGrant;
    return refuse(400, 'invalid_grant', verdict, grant && !grant.revoked ? { revokeGrant: 'code_reuse' } : {});
  }
  if (verdict !== null) return refuse(400, 'invalid_grant', verdict);
  return newGrant(facts.clientType, facts.refreshTokens, admitted.jkt);
}

// ---- the refresh grant (SEMANTICS.md §3) ------------------------------------------------------

/**
 * SEMANTICS.md §3 reuse interval: the instant (exclusive) until which this consumed token is taken
 * for a benign concurrent retry — only the parent of the family's newest token, and only with a
 * reuse interval — or null when it never is.
 */
export function reuseIntervalEnd(
  token: RefreshTokenRecord,
  newest: RefreshTokenRecord | undefined,
  rules: RefreshTokenConfig | null,
): Seconds | null {
  if (!rules || token.status !== 'consumed' || token.consumedAt === null || rules.reuseInterval <= 0) return null;
  if (newest?.parent !== token.label) return null;
  return token.consumedAt + rules.reuseInterval;
}

/** Whether a consumed token presented at `t` is covered by the reuse interval: `consumedAt ≤ t < consumedAt + reuseInterval`. */
export function coveredByReuseInterval(
  token: RefreshTokenRecord,
  newest: RefreshTokenRecord | undefined,
  rules: RefreshTokenConfig | null,
  t: Seconds,
): boolean {
  const end = reuseIntervalEnd(token, newest, rules);
  return end !== null && t < end;
}

/** What the token endpoint knows about a refresh request so far; `proof` null: not checked yet. */
export interface RefreshFacts {
  t: Seconds;
  rules: RefreshTokenConfig | null;
  clientType: ClientType;
  clientAuth: boolean;
  dpop: boolean;
  proofSent: boolean;
  proof: ProofCheck | null;
  /** The presented token's record, its grant and the grant's newest refresh token (undefined: unknown). */
  token: RefreshTokenRecord | undefined;
  grant: Grant | undefined;
  newest: RefreshTokenRecord | undefined;
  userSuspended: boolean;
}

/**
 * A successful refresh: a new access token bound to `accessJkt`; with `rotate`, a new refresh
 * token (child of the presented one, bound to `refreshJkt`), and the presented one is consumed
 * unless `viaReuseInterval` (it already was: a benign retry, SEMANTICS.md §3); without, the same
 * refresh token is returned.
 */
export interface IssueRefresh {
  kind: 'issue';
  accessJkt: string | null;
  refreshJkt: string | null;
  rotate: boolean;
  viaReuseInterval: boolean;
}

/**
 * The refresh grant (SEMANTICS.md §3), checked in this order, the first that fails giving the
 * reason: client authentication (a thief without the secret changes nothing); a proof that came
 * with the request is valid (RFC 9449 §5); the token is known and its family not revoked; the
 * user is not suspended; the absolute, then the idle lifetime; possession of the bound key
 * (checked BEFORE reuse detection: whoever cannot prove it never reaches it, §6); then a consumed
 * token is a retry within the reuse interval, reuse (the family is revoked) or just consumed.
 */
export function refreshDecision(facts: RefreshFacts): NeedProofCheck | Refusal | IssueRefresh {
  // 1. A confidential client authenticates; nothing else is checked or changed.
  if (clientAuthFails(facts.clientType, facts.clientAuth)) return refuse(401, 'invalid_client', 'client_auth_failed');
  // DPoP: a proof that came with the request must be valid, whatever the token.
  let proofJkt: string | null = null;
  if (facts.dpop && facts.proofSent) {
    if (facts.proof === null) return CHECK_PROOF;
    if (!facts.proof.ok) return refuse(400, 'invalid_dpop_proof', 'dpop_invalid', { dpop: facts.proof.check });
    proofJkt = facts.proof.jkt;
  }
  const { rules, token, grant, t } = facts;
  // 2. Known, and its family not revoked.
  if (!token || !grant || !rules) return refuse(400, 'invalid_grant', 'unknown_token');
  if (grant.revoked || token.status === 'revoked') return refuse(400, 'invalid_grant', 'revoked');
  // 3. The user is not suspended.
  if (facts.userSuspended) return refuse(400, 'invalid_grant', 'user_suspended');
  // 4. Absolute lifetime (rotation never extends it); 5. idle lifetime.
  const { absolute, idle } = familyDeadlines(rules, grant);
  if (absolute !== null && t >= absolute) return refuse(400, 'invalid_grant', 'expired_absolute');
  if (idle !== null && t >= idle) return refuse(400, 'invalid_grant', 'expired_idle');
  // 7. Possession of the bound key, before 6: a thief without the key never triggers reuse detection.
  if (facts.dpop) {
    if (token.jkt !== undefined && proofJkt !== token.jkt)
      return refuse(400, 'invalid_grant', 'dpop_key_mismatch', { dpop: facts.proofSent ? 'key' : 'missing' });
    if (proofJkt === null) return refuse(400, 'invalid_dpop_proof', 'dpop_invalid', { dpop: 'missing' });
  }
  const refreshJkt = token.jkt ?? null;
  // 6. Active, or a consumed token covered by the reuse interval; else reuse detection.
  if (token.status === 'consumed') {
    if (coveredByReuseInterval(token, facts.newest, rules, t)) {
      return { kind: 'issue', accessJkt: proofJkt, refreshJkt, rotate: true, viaReuseInterval: true };
    }
    if (rules.reuseDetection) return refuse(400, 'invalid_grant', 'reused', { revokeGrant: 'reuse', stoppingEvent: true });
    return refuse(400, 'invalid_grant', 'consumed');
  }
  return { kind: 'issue', accessJkt: proofJkt, refreshJkt, rotate: rules.rotation, viaReuseInterval: false };
}

// ---- introspection and revocation -------------------------------------------------------------

/**
 * RFC 7662: active only while unexpired, its grant unrevoked and the user not suspended. The AS
 * applies no leeway (node-oidc-provider: active only before exp), so a token inside the RS's
 * leeway is already inactive under introspection. Forged tokens and other APIs' are never active.
 */
export function introspectionActive(record: AccessTokenRecord, grant: Grant | undefined, t: Seconds, userSuspended: boolean): boolean {
  return record.genuine && record.audienceOk && grant !== undefined && !grant.revoked && t < record.expiresAt && !userSuspended;
}

/**
 * RFC 7009 §2.1: the grant a revocation request revokes — the one the token (refresh or access)
 * belongs to — or null: unknown token, or its grant already revoked. The answer is 200 either way.
 */
export function revocationTarget(
  label: TokenLabel,
  refreshTokens: Readonly<Record<TokenLabel, RefreshTokenRecord>>,
  accessToken: AccessTokenRecord | undefined,
  grants: Readonly<Record<string, Grant>>,
): Grant | null {
  const grantId = refreshTokens[label]?.grantId ?? accessToken?.grantId ?? null;
  const grant = grantId ? grants[grantId] : undefined;
  return grant && !grant.revoked ? grant : null;
}
