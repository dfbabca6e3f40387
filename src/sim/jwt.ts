// jose's signing and verifying for a world's tokens: access tokens (signed by the AS or forged by
// the attacker), DPoP proofs, and the resource server's check of an access token against the AS's
// JWKS at the simulated instant (never the wall clock). crypto.ts loads this with `import()` on a
// world's first signature or check; a world's creation (keys, thumbprints) does not need it.
import { SignJWT, createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { ACCESS_TOKEN_TYPE, AUDIENCE, ISSUER } from './protocol';
import type { ChecksMade, Reason } from './types';

/** The resource server's verdict on an access token, with every check it made (for display). */
export interface VerifyResult {
  ok: boolean;
  reason: Reason | null;
  checks: ChecksMade;
  payload: JWTPayload | null;
}

/** Signs claims as a compact JWS. Claims carry absolute (simulated) iat/exp: SignJWT never fills them from the wall clock here. */
export function signJwt(claims: JWTPayload, header: Record<string, unknown> & { alg: string }, key: CryptoKey): Promise<string> {
  return new SignJWT(claims).setProtectedHeader(header).sign(key);
}

/** One local key set per published JWKS (it caches the keys it imports), and the tokens jose accepted against it. */
const keySets = new WeakMap<JSONWebKeySet, { keySet: ReturnType<typeof createLocalJWKSet>; accepted: Map<string, JWTPayload> }>();

/**
 * Accepted tokens remembered per key set, the least recently checked forgotten first: a few days of
 * tokens, while a token still presented (a thief's, long expired) stays remembered.
 */
const ACCEPTED_MEMO_SIZE = 2_048;

/**
 * The resource server's check of an access token (jwtVerify against the AS's JWKS), with every check for display.
 *
 * A token jose has accepted once is not sent through jose again: its signature, `typ`, `iss` and
 * `aud` checks do not depend on the instant (Ed25519 verification is deterministic), and with no
 * `maxTokenAge` jose's only checks that do are, in its order, `nbf <= now + tolerance` (else a
 * claim failure on `nbf`) and `exp > now - tolerance` (else JWTExpired), in validateClaimsSet
 * (jwt_claims_set.js). `timeVerdict` applies those two at the instant asked and answers as
 * `failure` words jose's error. The memo changes the time a check takes, never its outcome: the
 * tests compare it with jose at every instant around a token's life.
 */
export async function verifyAccessTokenJwt(jwt: string, jwks: JSONWebKeySet, nowUnix: number, leeway: number): Promise<VerifyResult> {
  let entry = keySets.get(jwks);
  if (!entry) {
    entry = { keySet: createLocalJWKSet(jwks), accepted: new Map() };
    keySets.set(jwks, entry);
  }
  const known = entry.accepted.get(jwt);
  // An instant or tolerance jose would refuse as an option (not finite, a negative tolerance, past
  // Date's range) goes to jose, whose TypeError decides, as for any token.
  const plain = Number.isFinite(leeway) && leeway >= 0 && Math.abs(nowUnix) <= MAX_DATE_SECONDS;
  if (known && plain) {
    entry.accepted.delete(jwt);
    entry.accepted.set(jwt, known);
    return timeVerdict(known, nowUnix, leeway);
  }
  const verdict = await verifyWithJose(jwt, entry.keySet, nowUnix, leeway);
  if (verdict.ok && verdict.payload) {
    if (entry.accepted.size >= ACCEPTED_MEMO_SIZE) entry.accepted.delete(entry.accepted.keys().next().value!);
    // Frozen: every later verdict of this token hands out the same claims.
    entry.accepted.set(jwt, deepFreeze(verdict.payload));
  }
  return verdict;
}

/** A Date holds at most ±8.64e15 ms (ECMAScript's time value range). */
const MAX_DATE_SECONDS = 8.64e12;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * jose's verdict on a token it has accepted before: its time-dependent checks, in its order. `now`
 * is jose's epoch() of `new Date(nowUnix * 1000)`: the Date drops a fraction of a millisecond
 * toward zero, then whole seconds are taken by flooring.
 */
function timeVerdict(payload: JWTPayload, nowUnix: number, tolerance: number): VerifyResult {
  const now = Math.floor(Math.trunc(nowUnix * 1000) / 1000);
  if (payload.nbf !== undefined && payload.nbf > now + tolerance) {
    return { ok: false, reason: 'not_yet_valid', checks: claimChecks(payload, true, nowUnix, tolerance), payload };
  }
  if (payload.exp !== undefined && payload.exp <= now - tolerance) {
    return { ok: false, reason: 'expired', checks: claimChecks(payload, true, nowUnix, tolerance), payload };
  }
  return { ok: true, reason: null, checks: claimChecks(payload, true, nowUnix, tolerance), payload };
}

async function verifyWithJose(
  jwt: string,
  keySet: ReturnType<typeof createLocalJWKSet>,
  nowUnix: number,
  leeway: number,
): Promise<VerifyResult> {
  try {
    const { payload } = await jwtVerify(jwt, keySet, {
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: ACCESS_TOKEN_TYPE,
      algorithms: ['EdDSA'],
      // jose takes the instant as a Date; it is built from simulated seconds, not read.
      // eslint-disable-next-line no-restricted-globals
      currentDate: new Date(nowUnix * 1000),
      clockTolerance: leeway,
    });
    return { ok: true, reason: null, checks: claimChecks(payload, true, nowUnix, leeway), payload };
  } catch (error) {
    return failure(error, nowUnix, leeway);
  }
}

/** Every check the RS makes, for display; jose's first failure decides the reason. */
function claimChecks(payload: JWTPayload, typeOk: boolean, nowUnix: number, leeway: number): ChecksMade {
  const aud = payload.aud;
  const audienceOk = Array.isArray(aud) ? aud.includes(AUDIENCE) : aud === AUDIENCE;
  return {
    signature: true,
    type: typeOk,
    issuer: payload.iss === ISSUER,
    audience: audienceOk,
    expiry: typeof payload.exp !== 'number' || nowUnix < payload.exp + leeway,
    introspection: null,
  };
}

function failure(error: unknown, nowUnix: number, leeway: number): VerifyResult {
  const noChecks: ChecksMade = {
    signature: false,
    type: null,
    issuer: null,
    audience: null,
    expiry: null,
    introspection: null,
  };
  if (error instanceof errors.JWTExpired) {
    return { ok: false, reason: 'expired', checks: claimChecks(error.payload, true, nowUnix, leeway), payload: error.payload };
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const reason: Reason =
      error.claim === 'aud'
        ? 'wrong_audience'
        : error.claim === 'iss'
          ? 'wrong_issuer'
          : error.claim === 'typ'
            ? 'wrong_type'
            : error.claim === 'nbf' || error.claim === 'iat'
              ? 'not_yet_valid'
              : 'bad_signature';
    return {
      ok: false,
      reason,
      checks: claimChecks(error.payload, error.claim !== 'typ', nowUnix, leeway),
      payload: error.payload,
    };
  }
  // Unknown key, wrong signature, alg "none", or not a JWS at all (an opaque refresh token).
  return { ok: false, reason: 'bad_signature', checks: noChecks, payload: null };
}
