// DPoP (RFC 9449, SEMANTICS.md §6): building the proofs a party attaches to a request and
// checking them at the servers. Only DPoP configurations need this, so World.create loads it
// with `import()` for them alone (the first page, a Bearer sandbox, never does). Pure like the
// rest of the core: the simulated instant comes from the world, never the wall clock.
import { EmbeddedJWK, calculateJwkThumbprint, errors, jwtVerify, type JWK, type JWTPayload } from 'jose';
import type { ProofSigner, WorldCrypto } from './crypto';
import { attackerHoldsKey } from './exposure';
import { API_ENDPOINT, API_METHOD, DPOP_IAT_WINDOW, DPOP_PROOF_TYPE, TOKEN_ENDPOINT, TOKEN_METHOD } from './protocol';
import { base64url, randomToken } from './rng';
import { sha256 } from './sha256';
import type { JtiCache, WorldState } from './state';
import type { DpopCheck, DpopProof, ProofCheck, ProofChoice, ProofSource } from './types';

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

/**
 * RFC 7638 thumbprints of proofs' embedded public keys (jose's calculateJwkThumbprint), kept by the
 * key's JSON: the same two or three keys sign every proof, and each WebCrypto digest is a round
 * trip to its thread pool. A pure memo: the answer is the same either way.
 */
const thumbprints = new Map<string, string>();
async function thumbprintOf(jwk: JWK): Promise<string> {
  const id = JSON.stringify(jwk);
  let jkt = thumbprints.get(id);
  if (jkt === undefined) {
    jkt = await calculateJwkThumbprint(jwk);
    if (thumbprints.size >= 64) thumbprints.clear();
    thumbprints.set(id, jkt);
  }
  return jkt;
}

/** base64url(SHA-256(ASCII(access token))): a DPoP proof's `ath` (RFC 9449 §4.2). */
export function accessTokenHash(accessToken: string): string {
  return base64url(sha256(new TextEncoder().encode(accessToken)));
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
    jkt = await thumbprintOf(verified.protectedHeader.jwk as JWK);
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
  if (expect.accessToken !== undefined && payload.ath !== accessTokenHash(expect.accessToken)) return refuse('ath', true);
  if (expect.boundJkt !== undefined && jkt !== expect.boundJkt) return refuse('key', true);
  return { ok: true, jti, iat, jkt };
}

/** What the world lends the DPoP code for one request: its state, its keys and the simulated instant. */
export interface DpopContext {
  state: WorldState;
  crypto: WorldCrypto;
  nowUnix: number;
  /** The app keeps its tokens in a BFF: its key is on the server, never in the page. */
  bff: boolean;
}

/**
 * The DPoP proof a party attaches to a request, or undefined (none: plain Bearer). The app signs
 * every token request, and every API call that carries a token, with its own key. The attacker:
 * with `replay`, the newest proof the app sent; with `own-key`, its own key; by default, a key it
 * can use for that token — its own for tokens bound to it and for unbound ones at the token
 * endpoint (a login, a confidential client's refresh token), the app's only while it runs in the
 * app's page and the app keeps its key there (not under a BFF) — else no proof.
 */
export async function buildProof(
  { state, crypto, nowUnix, bff }: DpopContext,
  from: 'client' | 'attacker',
  endpoint: 'token' | 'api',
  bound: string | null,
  accessJwt: string | null,
  choice?: ProofChoice,
): Promise<DpopProof | undefined> {
  const keys = crypto.jkt;
  let signer: ProofSigner;
  let source: ProofSource;
  if (from === 'client') {
    if (endpoint === 'api' && accessJwt === null) return undefined;
    [signer, source] = ['client', 'app'];
  } else if (choice === 'replay') {
    const captured = state.client.lastProof;
    return captured ? { ...captured, source: 'replayed' } : undefined;
  } else if (choice === 'own-key' || bound === keys.attacker || (bound === null && endpoint === 'token')) {
    [signer, source] = ['attacker', 'attackerKey'];
  } else if (bound !== null && attackerHoldsKey(state, keys, bound, bff)) {
    // Not its own key (above): the app's, from the app's page (never under a BFF).
    [signer, source] = ['client', 'hijackedPage'];
  } else {
    return undefined;
  }
  const claims: Record<string, unknown> = {
    jti: randomToken(state.rng, 12),
    htm: endpoint === 'api' ? API_METHOD : TOKEN_METHOD,
    htu: endpoint === 'api' ? API_ENDPOINT : TOKEN_ENDPOINT,
    iat: nowUnix,
  };
  if (endpoint === 'api' && accessJwt !== null) claims.ath = accessTokenHash(accessJwt);
  const signed = await crypto.signProof(signer, claims);
  return { jwt: signed.jwt, header: signed.header, claims, jkt: signed.jkt, source };
}

/**
 * A server checks a proof against its replay cache (dropping entries whose iat has left the
 * window: such a proof fails the iat check anyway) and remembers its jti once it got that far.
 * `keyCache`: the world's imported proof keys (a proof embeds one of two or three public keys;
 * importing each once saves a WebCrypto import per request).
 */
export async function checkProof(
  cache: JtiCache,
  proof: DpopProof,
  expect: { htm: string; htu: string; accessToken?: string; boundJkt?: string },
  nowUnix: number,
  keyCache: Map<string, CryptoKey>,
): Promise<ProofCheck> {
  for (const [jti, iat] of Object.entries(cache)) if (iat < nowUnix - DPOP_IAT_WINDOW) delete cache[jti];
  const verdict = await verifyDpopProof(proof.jwt, { ...expect, nowUnix, seen: (jti) => Object.hasOwn(cache, jti) }, keyCache);
  if (verdict.ok || verdict.remember) cache[verdict.jti!] = verdict.iat!;
  return verdict.ok ? { ok: true, jkt: verdict.jkt } : { ok: false, check: verdict.check };
}
