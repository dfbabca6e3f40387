// jose's signing and verifying for a world's tokens: access tokens (signed by the AS or forged by
// the attacker), DPoP proofs, and the resource server's check of an access token against the AS's
// JWKS at the simulated instant (never the wall clock). crypto.ts loads this with `import()` on a
// world's first signature or check; a world's creation (keys, thumbprints) does not need it.
import { SignJWT, UnsecuredJWT, base64url, createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
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

/**
 * One local key set per published JWKS (it caches the keys it imports), and the tokens whose
 * signature jose has verified against it while accepting them, each with its unsigned twin ('' until needed).
 */
const keySets = new WeakMap<JSONWebKeySet, { keySet: ReturnType<typeof createLocalJWKSet>; signed: Map<string, string> }>();

/**
 * Tokens remembered per key set, the least recently checked forgotten first: a few days of tokens,
 * while a token still presented (a thief's, long expired) stays remembered.
 */
const SIGNED_MEMO_SIZE = 2_048;

/** jwtVerify's options for the resource server at an instant (simulated seconds, never read from a clock). */
function checkOptions(nowUnix: number, leeway: number) {
  return {
    issuer: ISSUER,
    audience: AUDIENCE,
    typ: ACCESS_TOKEN_TYPE,
    // jose takes the instant as a Date; it is built from simulated seconds, not read.
    // eslint-disable-next-line no-restricted-globals
    currentDate: new Date(nowUnix * 1000),
    clockTolerance: leeway,
  };
}

/**
 * The resource server's check of an access token (jwtVerify against the AS's JWKS), with every
 * check for display.
 *
 * jose verifies every check at the simulated instant. Only one part of its work is remembered:
 * the signature of a token it has accepted once, which is verified against a key set that never
 * changes with an algorithm (Ed25519) whose verification is deterministic, so its answer cannot
 * change. A later check of that token gives jose the same header (with `alg: "none"`) and claims
 * as an unsigned JWT, and `UnsecuredJWT.decode` runs the same claim validation jwtVerify runs
 * after a good signature (validateClaimsSet: typ, iss, aud, nbf, exp, with the tolerance), at
 * the instant asked. So the verdict is jose's, with no WebCrypto round trip; the tests compare
 * it with a key set seen for the first time at every instant around a token's life.
 */
export async function verifyAccessTokenJwt(jwt: string, jwks: JSONWebKeySet, nowUnix: number, leeway: number): Promise<VerifyResult> {
  let entry = keySets.get(jwks);
  if (!entry) {
    entry = { keySet: createLocalJWKSet(jwks), signed: new Map() };
    keySets.set(jwks, entry);
  }
  const known = entry.signed.get(jwt);
  if (known !== undefined) {
    // The twin is made on the token's second check (many are checked once).
    const twin = known || unsignedTwin(jwt);
    entry.signed.delete(jwt);
    entry.signed.set(jwt, twin);
    // A refusal (an expired token, presented again and again by a thief) is an error thrown by
    // jose; its stack trace is never read, and capturing it was most of a check's cost. The call
    // is synchronous, so the limit is restored before any other code runs.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      const { payload } = UnsecuredJWT.decode(twin, checkOptions(nowUnix, leeway));
      return { ok: true, reason: null, checks: claimChecks(payload, true, nowUnix, leeway), payload };
    } catch (error) {
      return failure(error, nowUnix, leeway);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }
  try {
    const { payload } = await jwtVerify(jwt, entry.keySet, { ...checkOptions(nowUnix, leeway), algorithms: ['EdDSA'] });
    if (entry.signed.size >= SIGNED_MEMO_SIZE) entry.signed.delete(entry.signed.keys().next().value!);
    entry.signed.set(jwt, '');
    return { ok: true, reason: null, checks: claimChecks(payload, true, nowUnix, leeway), payload };
  } catch (error) {
    return failure(error, nowUnix, leeway);
  }
}

/** The same protected header with `alg: "none"`, the same claims, no signature. */
function unsignedTwin(jwt: string): string {
  const [header = '', claims = ''] = jwt.split('.');
  const decoded = JSON.parse(new TextDecoder().decode(base64url.decode(header))) as Record<string, unknown>;
  return `${base64url.encode(JSON.stringify({ ...decoded, alg: 'none' }))}.${claims}.`;
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
