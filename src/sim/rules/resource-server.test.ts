// The RS's check order (SEMANTICS.md §2, §6, §8) with plain objects: no keys, no jose.
import { describe, expect, it } from 'vitest';
import type { ChecksMade } from '../types';
import { apiDecision, type ApiRequestFacts, type JwtVerdict } from './resource-server';

const passed: ChecksMade = { signature: true, type: true, issuer: true, audience: true, expiry: true, introspection: null };
const OK_JWT: JwtVerdict = { ok: true, reason: null, checks: passed };
const EXPIRED: JwtVerdict = { ok: false, reason: 'expired', checks: { ...passed, expiry: false } };

function facts(over: Partial<ApiRequestFacts> = {}): ApiRequestFacts {
  return { token: { bound: null }, dpop: false, validation: 'local', proofSent: false, verdict: null, proof: null, active: null, ...over };
}

describe('apiDecision', () => {
  it('refuses a request without a token before anything else: 401, no error code (RFC 6750 §3.1)', () => {
    expect(apiDecision(facts({ token: null, verdict: EXPIRED }))).toEqual({
      kind: 'reject',
      status: 401,
      error: null,
      reason: 'no_token',
      checks: null,
    });
  });

  it('asks for the JWT verdict first, and answers with it when it fails', () => {
    expect(apiDecision(facts())).toEqual({ kind: 'verifyJwt' });
    expect(apiDecision(facts({ verdict: EXPIRED }))).toMatchObject({ kind: 'reject', error: 'invalid_token', reason: 'expired' });
    expect(apiDecision(facts({ verdict: OK_JWT }))).toEqual({ kind: 'accept', checks: passed });
  });

  it('a failed JWT is refused before the proof and before introspection (neither is asked)', () => {
    const d = apiDecision(facts({ dpop: true, token: { bound: 'K' }, proofSent: true, validation: 'introspection', verdict: EXPIRED }));
    expect(d).toEqual({
      kind: 'reject',
      status: 401,
      error: 'invalid_token',
      reason: 'expired',
      checks: { ...EXPIRED.checks, dpop: null },
    });
  });

  it('DPoP: a bound token sent without a proof is dpop_required, and the AS is never asked', () => {
    const d = apiDecision(facts({ dpop: true, token: { bound: 'K' }, validation: 'introspection', verdict: OK_JWT }));
    expect(d).toEqual({
      kind: 'reject',
      status: 401,
      error: 'invalid_token',
      reason: 'dpop_required',
      checks: { ...passed, dpop: false },
      dpop: 'missing',
    });
  });

  it('DPoP: the proof is checked before introspection; a bad one is invalid_dpop_proof', () => {
    const base = facts({ dpop: true, token: { bound: 'K' }, proofSent: true, validation: 'introspection', verdict: OK_JWT });
    expect(apiDecision(base)).toEqual({ kind: 'checkProof' });
    expect(apiDecision({ ...base, proof: { ok: false, check: 'ath' } })).toEqual({
      kind: 'reject',
      status: 401,
      error: 'invalid_dpop_proof',
      reason: 'dpop_invalid',
      checks: { ...passed, dpop: false },
      dpop: 'ath',
    });
    expect(apiDecision({ ...base, proof: { ok: true, jkt: 'K' } })).toEqual({ kind: 'introspect' });
  });

  it('DPoP: an unbound token needs no proof, and the checks still report dpop: null', () => {
    expect(apiDecision(facts({ dpop: true, verdict: OK_JWT }))).toEqual({ kind: 'accept', checks: { ...passed, dpop: null } });
  });

  it('introspection: inactive is refused as invalid_token / inactive; active is accepted with the answer in the checks', () => {
    const base = facts({ validation: 'introspection', verdict: OK_JWT });
    expect(apiDecision(base)).toEqual({ kind: 'introspect' });
    expect(apiDecision({ ...base, active: false })).toEqual({
      kind: 'reject',
      status: 401,
      error: 'invalid_token',
      reason: 'inactive',
      checks: { ...passed, introspection: false },
    });
    expect(apiDecision({ ...base, active: true })).toEqual({ kind: 'accept', checks: { ...passed, introspection: true } });
  });

  it('local validation never asks the AS', () => {
    expect(
      apiDecision(facts({ verdict: OK_JWT, dpop: true, token: { bound: 'K' }, proofSent: true, proof: { ok: true, jkt: 'K' } })),
    ).toEqual({
      kind: 'accept',
      checks: { ...passed, dpop: true },
    });
  });
});
