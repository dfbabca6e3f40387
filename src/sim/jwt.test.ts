import { describe, expect, it } from 'vitest';
import type { JSONWebKeySet, JWTPayload } from 'jose';
import { deriveKeyPair } from './crypto';
import { signJwt, verifyAccessTokenJwt } from './jwt';
import { ACCESS_TOKEN_TYPE, AUDIENCE, ISSUER, OTHER_AUDIENCE } from './protocol';

const T0 = 1_700_000_000;

async function setup() {
  const as = await deriveKeyPair(1, 'authorization-server');
  const jwks: JSONWebKeySet = { keys: [as.publicJwk] };
  const sign = (claims: JWTPayload, typ = ACCESS_TOKEN_TYPE) => signJwt(claims, { alg: 'EdDSA', typ, kid: as.kid }, as.privateKey);
  return { jwks, sign };
}

/** jose's own verdict, with no memo: a key set the memo has never seen. */
const fresh = (jwt: string, jwks: JSONWebKeySet, now: number, leeway: number) =>
  verifyAccessTokenJwt(jwt, structuredClone(jwks), now, leeway);

describe('verifyAccessTokenJwt remembers the signature of a token jose accepted; jose still checks its claims at every instant', () => {
  it('gives the same verdict as jose at every instant around a token’s life, for each leeway, in any order', async () => {
    const { jwks, sign } = await setup();
    const tokens = [
      await sign({ iss: ISSUER, aud: AUDIENCE, sub: 'alice', iat: T0, exp: T0 + 10 }),
      await sign({ iss: ISSUER, aud: AUDIENCE, sub: 'alice', iat: T0, nbf: T0 + 3, exp: T0 + 10 }),
      await sign({ iss: ISSUER, aud: [AUDIENCE, OTHER_AUDIENCE], sub: 'alice', iat: T0 }),
    ];
    // Forward, then backward (a step back asks about an earlier instant after a later one).
    const instants = Array.from({ length: 22 }, (_, i) => T0 - 5 + i);
    for (const order of [instants, [...instants].reverse()]) {
      for (const leeway of [0, 2]) {
        for (const jwt of tokens) {
          for (const now of order) {
            const remembered = await verifyAccessTokenJwt(jwt, jwks, now, leeway);
            const jose = await fresh(jwt, jwks, now, leeway);
            expect({ now, leeway, ...remembered }).toEqual({ now, leeway, ...jose });
          }
        }
      }
    }
  });

  it('agrees with jose at fractional and negative instants and with options jose refuses', async () => {
    const { jwks, sign } = await setup();
    const jwt = await sign({ iss: ISSUER, aud: AUDIENCE, nbf: -8, exp: -5 });
    expect((await verifyAccessTokenJwt(jwt, jwks, -6, 0)).ok).toBe(true);
    for (const now of [-5.0004, -5.9996, -5, -4.9996, -8.0004, -9, -7.5]) {
      for (const leeway of [0, 1, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        const remembered = await verifyAccessTokenJwt(jwt, jwks, now, leeway);
        expect({ now, leeway, ...remembered }).toEqual({ now, leeway, ...(await fresh(jwt, jwks, now, leeway)) });
      }
    }
    for (const now of [Number.NaN, 9e12]) {
      expect({ now, ...(await verifyAccessTokenJwt(jwt, jwks, now, 0)) }).toEqual({ now, ...(await fresh(jwt, jwks, now, 0)) });
    }
  });

  it('hands each verdict its own claims: a caller changing them changes no later verdict', async () => {
    const { jwks, sign } = await setup();
    const jwt = await sign({ iss: ISSUER, aud: [AUDIENCE], exp: T0 + 60 });
    await verifyAccessTokenJwt(jwt, jwks, T0, 0);
    const first = await verifyAccessTokenJwt(jwt, jwks, T0 + 1, 0);
    first.payload!.exp = T0 + 1_000_000;
    expect((await verifyAccessTokenJwt(jwt, jwks, T0 + 60, 0)).reason).toBe('expired');
  });

  it('never remembers a refusal: a wrong audience, type or signature is refused every time', async () => {
    const { jwks, sign } = await setup();
    const other = await deriveKeyPair(2, 'attacker');
    const forged = await signJwt({ iss: ISSUER, aud: AUDIENCE, exp: T0 + 60 }, { alg: 'EdDSA', typ: ACCESS_TOKEN_TYPE }, other.privateKey);
    const wrongAudience = await sign({ iss: ISSUER, aud: OTHER_AUDIENCE, exp: T0 + 60 });
    const wrongType = await sign({ iss: ISSUER, aud: AUDIENCE, exp: T0 + 60 }, 'JWT');
    for (const [jwt, reason] of [
      [forged, 'bad_signature'],
      [wrongAudience, 'wrong_audience'],
      [wrongType, 'wrong_type'],
    ] as const) {
      for (let i = 0; i < 3; i++) expect((await verifyAccessTokenJwt(jwt, jwks, T0, 0)).reason).toBe(reason);
    }
  });

  it('a remembered token is not accepted against another key set', async () => {
    const { jwks, sign } = await setup();
    const jwt = await sign({ iss: ISSUER, aud: AUDIENCE, exp: T0 + 60 });
    expect((await verifyAccessTokenJwt(jwt, jwks, T0, 0)).ok).toBe(true);
    const rotated = await deriveKeyPair(3, 'authorization-server');
    expect((await verifyAccessTokenJwt(jwt, { keys: [rotated.publicJwk] }, T0, 0)).reason).toBe('bad_signature');
  });
});
