// The crypto adapter: the only module of the core that imports jose. It derives every key from
// the world's seed (Ed25519, whose signatures are deterministic, so a replay yields identical
// token strings), signs access tokens at absolute simulated instants, and verifies them with
// jwtVerify against the AS's published JWKS at the simulated instant (never the wall clock).
// DPoP (RFC 9449): the app's key pair (non-extractable) and the attacker's sign proof JWTs, and
// the servers verify them with jwtVerify and the key embedded in the proof's header.
import {
  EmbeddedJWK,
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
import type { ChecksMade, DpopCheck, Reason } from './types';

export const ISSUER = 'https://auth.tokenscope.example';
export const AUDIENCE = 'https://api.tokenscope.example';
export const OTHER_AUDIENCE = 'https://photos.tokenscope.example';
export const CLIENT_ID = 'tokenscope-app';
export const SUBJECT = 'user-alice';
export const SCOPE = 'api:read api:write';
export const ACCESS_TOKEN_TYPE = 'at+jwt';

// DPoP (RFC 9449): where proofs point (htm + htu), their type, and how far a proof's iat may be
// from the server's clock. A proof is accepted only while |now - iat| ≤ DPOP_IAT_WINDOW (§11.1);
// its jti is remembered for as long, so a replay inside the window is caught by the jti and one
// outside it by the iat.
export const TOKEN_ENDPOINT = `${ISSUER}/token`;
export const API_ENDPOINT = `${AUDIENCE}/me`;
export const TOKEN_METHOD = 'POST';
export const API_METHOD = 'GET';
export const DPOP_PROOF_TYPE = 'dpop+jwt';
export const DPOP_IAT_WINDOW = 60;

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

/**
 * A non-random Ed25519 key pair: the private key is SHA-256(seed, purpose). With `extractable`
 * false the private key is imported again as non-extractable once its public half is known, the
 * way a browser app keeps a DPoP key (WebCrypto `extractable: false`): usable, never exportable.
 */
export async function deriveKeyPair(seed: number, purpose: string, extractable = true): Promise<KeyPair> {
  const raw = await deriveSeedBytes(seed, purpose);
  const der = new Uint8Array(ED25519_PKCS8_PREFIX.length + raw.length);
  der.set(ED25519_PKCS8_PREFIX);
  der.set(raw, ED25519_PKCS8_PREFIX.length);
  const exportable = await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, true, ['sign']);
  const { x } = (await crypto.subtle.exportKey('jwk', exportable)) as JsonWebKey;
  const privateKey = extractable ? exportable : await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign']);
  const base = { kty: 'OKP', crv: 'Ed25519', x } as JWK;
  const kid = (await calculateJwkThumbprint(base)).slice(0, 16);
  return { privateKey, publicJwk: { ...base, kid, alg: 'EdDSA', use: 'sig' }, kid };
}

/** Who can sign a DPoP proof: the app (its own key) or the attacker (its own, different key). */
export type ProofSigner = 'client' | 'attacker';

/** A proof as signed: the compact JWS, its protected header, and its key's thumbprint. */
export interface SignedProof {
  jwt: string;
  header: Record<string, unknown>;
  jkt: string;
}

/** What a server needs to check a proof against (RFC 9449 §4.3). */
export interface ProofExpectation {
  htm: string;
  htu: string;
  nowUnix: number;
  /** At the resource server: the access token sent with it (its hash must be the proof's ath). */
  accessToken?: string;
  /** At the resource server: the thumbprint the access token is bound to (its cnf.jkt). */
  boundJkt?: string;
  /** True when this server has already seen a proof with this jti (its replay cache). */
  seen(jti: string): boolean;
}

export type ProofVerdict =
  | { ok: true; jti: string; iat: number; jkt: string }
  /** `remember`: the proof passed the replay check, so its jti must be remembered all the same. */
  | { ok: false; check: DpopCheck; jti: string | null; iat: number | null; remember: boolean };

export interface WorldCrypto {
  /** The AS's published key set (the only key material the RS holds). */
  jwks: JSONWebKeySet;
  asKid: string;
  sign(header: Record<string, unknown>, claims: JWTPayload, by: 'authServer' | 'attacker'): Promise<string>;
  verifyAccessToken(jwt: string, nowUnix: number, leeway: number): Promise<VerifyResult>;
  /** Thumbprints (RFC 7638) of the app's DPoP key and of the attacker's own key. */
  jkt: Readonly<Record<ProofSigner, string>>;
  /** Signs a DPoP proof (typ dpop+jwt, the signer's public key in the `jwk` header). */
  signProof(by: ProofSigner, claims: JWTPayload): Promise<SignedProof>;
  /** Checks a DPoP proof in RFC 9449 §4.3 order: JWS, typ, iat window, htm, htu, jti, ath, key. */
  verifyProof(jwt: string, expect: ProofExpectation): Promise<ProofVerdict>;
}

export interface VerifyResult {
  ok: boolean;
  reason: Reason | null;
  checks: ChecksMade;
  payload: JWTPayload | null;
}

/** The crypto context of one world. Immutable after creation, so snapshots need not copy it. */
export async function createWorldCrypto(seed: number): Promise<WorldCrypto> {
  const [authServer, attacker, clientDpop] = await Promise.all([
    deriveKeyPair(seed, 'authorization-server'),
    deriveKeyPair(seed, 'attacker'),
    deriveKeyPair(seed, 'client-dpop', false),
  ]);
  const jwks: JSONWebKeySet = { keys: [authServer.publicJwk] };
  const keySet = createLocalJWKSet(jwks);
  // The attacker proves possession with the same key it forges with; the app with its own.
  const proofKeys: Record<ProofSigner, KeyPair> = { client: clientDpop, attacker };
  const proofJwk = (pair: KeyPair): JWK => ({ kty: pair.publicJwk.kty, crv: pair.publicJwk.crv, x: pair.publicJwk.x }) as JWK;
  const [clientJkt, attackerJkt] = await Promise.all([calculateJwkThumbprint(proofJwk(clientDpop)), calculateJwkThumbprint(proofJwk(attacker))]);
  const jkt = { client: clientJkt, attacker: attackerJkt };
  // Proofs embed one of two or three public keys: importing each once saves a WebCrypto import
  // per request. The cache maps a header's (jwk, alg) to what EmbeddedJWK returned for it.
  const embeddedKeys = new Map<string, CryptoKey>();

  return {
    jwks,
    asKid: authServer.kid,
    jkt,
    async signProof(by, claims) {
      const header = { typ: DPOP_PROOF_TYPE, alg: 'EdDSA', jwk: proofJwk(proofKeys[by]) };
      // Claims carry the simulated iat; SignJWT never fills it from the wall clock here.
      const jwt = await new SignJWT(claims).setProtectedHeader(header).sign(proofKeys[by].privateKey);
      return { jwt, header, jkt: jkt[by] };
    },
    verifyProof: (jwt, expect) => verifyDpopProof(jwt, expect, embeddedKeys),
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

/** base64url(SHA-256(ASCII(access token))): a DPoP proof's `ath` (RFC 9449 §4.2). */
export async function accessTokenHash(accessToken: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken))));
}

/**
 * RFC 9449 §4.3, at the simulated instant: a JWS signed with the key in its own `jwk` header,
 * `typ` dpop+jwt, EdDSA, the claims jti/htm/htu/iat present, and iat within ±DPOP_IAT_WINDOW of
 * now (jose: maxTokenAge 0 with that clock tolerance); then htm, htu, a jti not seen before, the
 * access token's hash in ath (at the resource server) and the bound key.
 */
export async function verifyDpopProof(jwt: string, expect: ProofExpectation, keyCache?: Map<string, CryptoKey>): Promise<ProofVerdict> {
  let payload: JWTPayload;
  let jkt: string;
  const embedded: typeof EmbeddedJWK = async (header, token) => {
    if (!keyCache) return EmbeddedJWK(header, token);
    const id = JSON.stringify([header?.jwk, header?.alg]);
    let key = keyCache.get(id);
    if (!key) {
      key = (await EmbeddedJWK(header, token)) as CryptoKey;
      keyCache.set(id, key);
    }
    return key;
  };
  try {
    const verified = await jwtVerify(jwt, embedded, {
      typ: DPOP_PROOF_TYPE,
      algorithms: ['EdDSA'],
      requiredClaims: ['jti', 'htm', 'htu', 'iat'],
      // jose takes the instant as a Date; it is built from simulated seconds, not read.
      // eslint-disable-next-line no-restricted-globals
      currentDate: new Date(expect.nowUnix * 1000),
      maxTokenAge: 0,
      clockTolerance: DPOP_IAT_WINDOW,
    });
    payload = verified.payload;
    jkt = await calculateJwkThumbprint(verified.protectedHeader.jwk as JWK);
  } catch (error) {
    const claims = error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired ? error.payload : null;
    const refused = (check: DpopCheck): ProofVerdict => ({
      ok: false,
      check,
      jti: typeof claims?.jti === 'string' ? claims.jti : null,
      iat: typeof claims?.iat === 'number' ? claims.iat : null,
      remember: false,
    });
    if (error instanceof errors.JWSSignatureVerificationFailed) return refused('signature');
    if (error instanceof errors.JWTExpired) return refused('iat');
    if (error instanceof errors.JWTClaimValidationFailed) {
      if (error.claim === 'typ') return refused('type');
      if (error.claim === 'iat' && error.reason === 'check_failed') return refused('iat');
    }
    // Not a JWS, no usable embedded key, another alg, a private key, missing or mistyped claims.
    return refused('malformed');
  }
  const { jti, htm, htu } = payload;
  const iat = payload.iat as number;
  if (typeof jti !== 'string' || jti === '' || typeof htm !== 'string' || typeof htu !== 'string') {
    return { ok: false, check: 'malformed', jti: null, iat, remember: false };
  }
  const refuse = (check: DpopCheck, remember: boolean): ProofVerdict => ({ ok: false, check, jti, iat, remember });
  if (htm !== expect.htm) return refuse('method', false);
  if (htu !== expect.htu) return refuse('url', false);
  if (expect.seen(jti)) return refuse('replay', false);
  if (expect.accessToken !== undefined && payload.ath !== (await accessTokenHash(expect.accessToken))) return refuse('ath', true);
  if (expect.boundJkt !== undefined && jkt !== expect.boundJkt) return refuse('key', true);
  return { ok: true, jti, iat, jkt };
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
