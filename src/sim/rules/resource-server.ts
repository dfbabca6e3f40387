// The resource server's answer to an API request (SEMANTICS.md §2, §6, §8) as a pure decision.
// The RS checks, in this order: a token at all (RFC 6750 §3.1), the JWT itself (signature, typ,
// iss, aud, exp: jose's verdict, crypto.ts), then for a DPoP-bound token a valid proof of its key
// (RFC 9449 §7: checked locally, so before any introspection), then, under introspection
// validation, the AS's answer (RFC 7662).
//
// The decision never does crypto or asks the AS itself: it says which fact it needs next
// (`verifyJwt`, `checkProof`, `introspect`), the world (world.ts) finds it out and asks again,
// until the decision is an answer (`accept` or `reject`).
import type { ChecksMade, DpopCheck, ErrorCode, ProofCheck, Reason } from '../types';

/** jose's verdict on the access token at the simulated instant (crypto.ts verifyAccessToken). */
export interface JwtVerdict {
  ok: boolean;
  reason: Reason | null;
  checks: ChecksMade;
}

/** What the RS knows about one API request so far; null: not found out yet. */
export interface ApiRequestFacts {
  /** The request carried an access token the RS could read, and the key it is bound to (cnf.jkt); null: no token. */
  token: { bound: string | null } | null;
  /** This configuration sender-constrains tokens (DPoP). */
  dpop: boolean;
  validation: 'local' | 'introspection';
  /** A DPoP proof came with the request. */
  proofSent: boolean;
  verdict: JwtVerdict | null;
  proof: ProofCheck | null;
  /** The AS's introspection answer (active or not). */
  active: boolean | null;
}

export type ApiDecision =
  | { kind: 'verifyJwt' }
  | { kind: 'checkProof' }
  | { kind: 'introspect' }
  | { kind: 'accept'; checks: ChecksMade }
  | { kind: 'reject'; status: 401; error: ErrorCode | null; reason: Reason; checks: ChecksMade | null; dpop?: DpopCheck };

const VERIFY_JWT: ApiDecision = { kind: 'verifyJwt' };
const CHECK_PROOF: ApiDecision = { kind: 'checkProof' };
const INTROSPECT: ApiDecision = { kind: 'introspect' };

/** The RS's next step on an API request: a fact to find out, or its answer. */
export function apiDecision(facts: ApiRequestFacts): ApiDecision {
  // RFC 6750 §3.1: a request without a token gets 401 and no error code.
  if (facts.token === null) return { kind: 'reject', status: 401, error: null, reason: 'no_token', checks: null };
  const { verdict } = facts;
  if (verdict === null) return VERIFY_JWT;
  // The DPoP configurations report the proof check too (null: not made).
  let checks: ChecksMade = facts.dpop ? { ...verdict.checks, dpop: null } : verdict.checks;
  if (!verdict.ok) return { kind: 'reject', status: 401, error: 'invalid_token', reason: verdict.reason!, checks };
  if (facts.dpop && facts.token.bound !== null) {
    // Without a proof the bound token was sent as a plain Bearer token (RFC 9449 §7.2).
    if (!facts.proofSent) {
      return {
        kind: 'reject',
        status: 401,
        error: 'invalid_token',
        reason: 'dpop_required',
        checks: { ...checks, dpop: false },
        dpop: 'missing',
      };
    }
    if (facts.proof === null) return CHECK_PROOF;
    const proof = facts.proof;
    if (!proof.ok) {
      return {
        kind: 'reject',
        status: 401,
        error: 'invalid_dpop_proof',
        reason: 'dpop_invalid',
        checks: { ...checks, dpop: false },
        dpop: proof.check,
      };
    }
    checks = { ...checks, dpop: true };
  }
  if (facts.validation === 'introspection') {
    if (facts.active === null) return INTROSPECT;
    checks = { ...checks, introspection: facts.active };
    if (!facts.active) return { kind: 'reject', status: 401, error: 'invalid_token', reason: 'inactive', checks };
  }
  return { kind: 'accept', checks };
}
