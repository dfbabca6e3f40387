// The crypto adapter: the only module of the core that imports jose. It derives every key from
// the world's seed (Ed25519, whose signatures are deterministic, so a replay yields identical
// token strings), signs access tokens at absolute simulated instants, and verifies them with
// jwtVerify against the AS's published JWKS at the simulated instant (never the wall clock).
import {
  SignJWT,
  calculateJwkThumbprint,
  createLocalJWKSet,
  decodeJwt as decodeJwtPayload,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
} from 'jose';
import { base64url } from './rng';
import type { ChecksMade, Reason } from './types';

export const ISSUER = 'https://auth.tokenscope.example';
export const AUDIENCE = 'https://api.tokenscope.example';
export const OTHER_AUDIENCE = 'https://photos.tokenscope.example';
export const CLIENT_ID = 'tokenscope-app';
export const SUBJECT = 'user-alice';
export const SCOPE = 'api:read api:write';
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** PKCS #8 wrapping of a raw 32-byte Ed25519 private key (RFC 8410). */
const ED25519_PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

async function deriveSeedBytes(seed: number, purpose: string): Promise<Uint8Array> {
  const input = new TextEncoder().encode(`tokenscope/1 key ${purpose} seed ${seed}`);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', input));
}

export interface KeyPair {
  privateKey: CryptoKey;
  publicJwk: JWK;
  kid: string;
}

/** A non-random Ed25519 key pair: the private key is SHA-256(seed, purpose). */
export async function deriveKeyPair(seed: number, purpose: string): Promise<KeyPair> {
  const raw = await deriveSeedBytes(seed, purpose);
  const der = new Uint8Array(ED25519_PKCS8_PREFIX.length + raw.length);
  der.set(ED25519_PKCS8_PREFIX);
  der.set(raw, ED25519_PKCS8_PREFIX.length);
  const privateKey = await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, true, ['sign']);
  const { x } = (await crypto.subtle.exportKey('jwk', privateKey)) as JsonWebKey;
  const base = { kty: 'OKP', crv: 'Ed25519', x } as JWK;
  const kid = (await calculateJwkThumbprint(base)).slice(0, 16);
  return { privateKey, publicJwk: { ...base, kid, alg: 'EdDSA', use: 'sig' }, kid };
}

export interface WorldCrypto {
  /** The AS's published key set (the only key material the RS holds). */
  jwks: JSONWebKeySet;
  asKid: string;
  sign(header: Record<string, unknown>, claims: JWTPayload, by: 'authServer' | 'attacker'): Promise<string>;
  verifyAccessToken(jwt: string, nowUnix: number, leeway: number): Promise<VerifyResult>;
}

export interface VerifyResult {
  ok: boolean;
  reason: Reason | null;
  checks: ChecksMade;
  payload: JWTPayload | null;
}

/** The crypto context of one world. Immutable after creation, so snapshots need not copy it. */
export async function createWorldCrypto(seed: number): Promise<WorldCrypto> {
  const [authServer, attacker] = await Promise.all([
    deriveKeyPair(seed, 'authorization-server'),
    deriveKeyPair(seed, 'attacker'),
  ]);
  const jwks: JSONWebKeySet = { keys: [authServer.publicJwk] };
  const keySet = createLocalJWKSet(jwks);

  return {
    jwks,
    asKid: authServer.kid,
    async sign(header, claims, by) {
      const key = by === 'authServer' ? authServer.privateKey : attacker.privateKey;
      // Claims carry absolute iat/exp; SignJWT never fills them from the wall clock here.
      return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', ...header }).sign(key);
    },
    async verifyAccessToken(jwt, nowUnix, leeway) {
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
    },
  };
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

/** An unsigned token (alg "none"): what a naive attacker hopes a careless RS accepts. */
export function unsignedJwt(header: Record<string, unknown>, claims: JWTPayload): string {
  const encode = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));
  return `${encode({ alg: 'none', ...header })}.${encode(claims)}.`;
}

/** Decodes a compact JWS's header and payload without verifying (for the trace and inspector). */
export function decodeJwt(jwt: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  try {
    return { header: { ...decodeProtectedHeader(jwt) }, claims: { ...decodeJwtPayload(jwt) } };
  } catch {
    return { header: {}, claims: {} };
  }
}
