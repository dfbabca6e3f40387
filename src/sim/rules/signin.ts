// Signing in at the authorization server (SEMANTICS.md §10) as named, pure decisions: the AS's
// sign-in session, the authorization code's redemption, and PKCE (RFC 7636). The world (world.ts)
// asks these and records what follows; nothing here reads the clock or changes state.
import { base64url, randomToken, type RngState } from '../rng';
import { sha256 } from '../sha256';
import type { AuthorizationCodeRecord, PkcePair, Reason, Seconds, SignInSessionConfig } from '../types';

/** The user's sign-in session at the AS: a cookie in the user's browser, apart from any grant. */
export interface SignInSession {
  id: string;
  startedAt: Seconds;
  /** The sign-in or the last silent authorization that renewed its idle time. */
  lastUse: Seconds;
}

/**
 * Whether a sign-in session is live at `t`: `t < startedAt + absoluteTtl` and
 * `t < lastUse + idleTtl` (null = unlimited). With no session configured, never.
 */
export function sessionLive(config: SignInSessionConfig | null, session: SignInSession | null, t: Seconds): boolean {
  if (config === null || session === null) return false;
  if (config.absoluteTtl !== null && t >= session.startedAt + config.absoluteTtl) return false;
  if (config.idleTtl !== null && t >= session.lastUse + config.idleTtl) return false;
  return true;
}

/** The instant (exclusive) a live session stops being live if nothing renews it; Infinity when never. */
export function sessionDeadline(config: SignInSessionConfig, session: SignInSession): number {
  let end = Infinity;
  if (config.absoluteTtl !== null) end = Math.min(end, session.startedAt + config.absoluteTtl);
  if (config.idleTtl !== null) end = Math.min(end, session.lastUse + config.idleTtl);
  return end;
}

/**
 * The token endpoint's verdict on a code exchange (RFC 6749 §4.1.3, RFC 7636 §4.6), after client
 * authentication and any DPoP proof: null when the code may be redeemed, else the reason.
 * Checked in this order: the code is known and unexpired (`t < expiresAt`, else `unknown_token`:
 * the AS has forgotten it); it was not redeemed before (`code_used`: the AS then also revokes the
 * grant issued from it); the verifier matches its challenge (`pkce_failed`).
 */
export function codeVerdict(code: AuthorizationCodeRecord | undefined, t: Seconds, verifierMatches: boolean): Reason | null {
  if (!code || t >= code.expiresAt) return 'unknown_token';
  if (code.usedAt !== null) return 'code_used';
  if (!verifierMatches) return 'pkce_failed';
  return null;
}

/** base64url(SHA-256(ASCII(verifier))): the S256 challenge (RFC 7636 §4.2). */
export function s256(verifier: string): string {
  return base64url(sha256(new TextEncoder().encode(verifier)));
}

/** A fresh PKCE pair: a 43-character verifier (32 random bytes, RFC 7636 §4.1) and its S256 challenge. */
export function newPkcePair(rng: RngState): PkcePair {
  const verifier = randomToken(rng, 32);
  return { verifier, challenge: s256(verifier), method: 'S256' };
}

/**
 * Whether a verifier satisfies a code's challenge: with a challenge, only its S256 verifier; a
 * code issued without one (PKCE off) needs none.
 */
export function verifierMatches(challenge: string | null, verifier: string | null): boolean {
  if (challenge === null) return true;
  return verifier !== null && s256(verifier) === challenge;
}
