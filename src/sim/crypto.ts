// The crypto adapter: the only module of the core that imports jose. It derives every key from
// the world's seed (Ed25519, whose signatures are deterministic, so a replay yields identical
// token strings), signs access tokens at absolute simulated instants, and verifies them with
// jwtVerify against the AS's published JWKS at the simulated instant (never the wall clock).
// DPoP (RFC 9449): the app's key pair (non-extractable) and the attacker's sign proof JWTs here;
// building the proofs and checking them at the servers is in dpop.ts, loaded only for DPoP
// configurations. The protocol's names (issuer, audience, endpoints) are in protocol.ts.
import type { JSONWebKeySet, JWK, JWTPayload } from 'jose';
import type { VerifyResult } from './jwt';
import { DPOP_PROOF_TYPE } from './protocol';
import { base64url, fromBase64url } from './rng';

/** PKCS #8 wrapping of a raw 32-byte Ed25519 private key (RFC 8410). */
const ED25519_PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

/**
 * RFC 7638 thumbprint of an Ed25519 public JWK: base64url(SHA-256) of its required members (crv,
 * kty, x) in lexicographic order, as jose's calculateJwkThumbprint computes it (without the
 * generic key handling every key type needs, which the first page would otherwise load).
 */
export async function okpThumbprint(jwk: JWK): Promise<string> {
  const members = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(members))));
}

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
  const kid = (await okpThumbprint(base)).slice(0, 16);
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
}

/**
 * jose's signing and verifying (jwt.ts), loaded on the first token a world signs or checks: a
 * world's creation needs only WebCrypto and thumbprints, so the first page (a signed-out sandbox)
 * does without them. The promise is kept: a simulated day makes hundreds of signatures and
 * checks, and each `import()` of a built chunk goes through the bundler's preload helper again.
 * A failed load (e.g. offline) is not kept, so the next call tries again.
 */
let jwtModule: Promise<typeof import('./jwt')> | undefined;
function jwtCode(): Promise<typeof import('./jwt')> {
  return (jwtModule ??= import('./jwt').catch((error: unknown) => {
    jwtModule = undefined;
    throw error;
  }));
}

/**
 * Loads jose's signing and verifying ahead of a world's first signature (the engine's worker does,
 * once its first world is published), so the session's first signed step does not wait for the
 * code. Nothing is signed or computed; a failed load is retried on first use.
 */
export function preloadSigning(): Promise<void> {
  return jwtCode().then(
    () => undefined,
    () => undefined,
  );
}

/** The crypto context of one world. Immutable after creation, so snapshots need not copy it. */
export async function createWorldCrypto(seed: number): Promise<WorldCrypto> {
  const [authServer, attacker, clientDpop] = await Promise.all([
    deriveKeyPair(seed, 'authorization-server'),
    deriveKeyPair(seed, 'attacker'),
    deriveKeyPair(seed, 'client-dpop', false),
  ]);
  const jwks: JSONWebKeySet = { keys: [authServer.publicJwk] };
  // The attacker proves possession with the same key it forges with; the app with its own.
  const proofKeys: Record<ProofSigner, KeyPair> = { client: clientDpop, attacker };
  const proofJwk = (pair: KeyPair): JWK => ({ kty: pair.publicJwk.kty, crv: pair.publicJwk.crv, x: pair.publicJwk.x }) as JWK;
  const [clientJkt, attackerJkt] = await Promise.all([okpThumbprint(proofJwk(clientDpop)), okpThumbprint(proofJwk(attacker))]);
  const jkt = { client: clientJkt, attacker: attackerJkt };

  return {
    jwks,
    asKid: authServer.kid,
    jkt,
    async signProof(by, claims) {
      const header = { typ: DPOP_PROOF_TYPE, alg: 'EdDSA', jwk: proofJwk(proofKeys[by]) };
      const jwt = await (await jwtCode()).signJwt(claims, header, proofKeys[by].privateKey);
      return { jwt, header, jkt: jkt[by] };
    },
    async sign(header, claims, by) {
      const key = by === 'authServer' ? authServer.privateKey : attacker.privateKey;
      return (await jwtCode()).signJwt(claims, { alg: 'EdDSA', ...header }, key);
    },
    async verifyAccessToken(jwt, nowUnix, leeway) {
      return (await jwtCode()).verifyAccessTokenJwt(jwt, jwks, nowUnix, leeway);
    },
  };
}

/** An unsigned token (alg "none"): what a naive attacker hopes a careless RS accepts. */
export function unsignedJwt(header: Record<string, unknown>, claims: JWTPayload): string {
  const encode = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));
  return `${encode({ alg: 'none', ...header })}.${encode(claims)}.`;
}

/** Decodes a compact JWS's header and payload without verifying (for the trace and inspector). */
export function decodeJwt(jwt: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  // Hand-written rather than jose's decoders: this runs on the first page, jose's JWT code does not.
  const [header, payload] = jwt.split('.');
  return { header: decodePart(header), claims: decodePart(payload) };
}

function decodePart(part: string | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(fromBase64url(part ?? '')));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
  } catch {
    return {};
  }
}
