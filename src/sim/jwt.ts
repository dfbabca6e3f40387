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

/** One local key set per published JWKS (it caches the keys it imports). */
const keySets = new WeakMap<JSONWebKeySet, ReturnType<typeof createLocalJWKSet>>();

/** The resource server's check of an access token (jwtVerify against the AS's JWKS), with every check for display. */
export async function verifyAccessTokenJwt(jwt: string, jwks: JSONWebKeySet, nowUnix: number, leeway: number): Promise<VerifyResult> {
  let keySet = keySets.get(jwks);
  if (!keySet) {
    keySet = createLocalJWKSet(jwks);
    keySets.set(jwks, keySet);
  }
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
