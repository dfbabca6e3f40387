// The AS's decisions (SEMANTICS.md §3, §4, §6, §10) with plain objects: no keys, no jose, no world.
// Each test would fail if a check moved in the order.
import { describe, expect, it } from 'vitest';
import type { Grant } from '../state';
import type { AccessTokenRecord, AuthorizationCodeRecord, RefreshTokenConfig, RefreshTokenRecord } from '../types';
import {
  clientAuthFails,
  codeExchangeDecision,
  coveredByReuseInterval,
  introspectionActive,
  newGrantChecks,
  passwordGrantDecision,
  refreshBinding,
  refreshDecision,
  reuseIntervalEnd,
  revocationTarget,
  type CodeExchangeFacts,
  type NewGrantFacts,
  type RefreshFacts,
} from './authorization-server';

const RULES: RefreshTokenConfig = { rotation: true, reuseDetection: true, reuseInterval: 0, idleTtl: 3600, absoluteTtl: 86_400 };

function grant(over: Partial<Grant> = {}): Grant {
  return {
    id: 'G1',
    by: 'client',
    startedAt: 0,
    lastUse: 0,
    revoked: false,
    revokedAt: null,
    revokedCause: null,
    newest: 'RT#1',
    refreshTokens: ['RT#1'],
    accessTokens: ['AT#1'],
    ...over,
  };
}

function refreshToken(over: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
  return {
    label: 'RT#1',
    kind: 'refresh',
    value: 'v',
    grantId: 'G1',
    issuedAt: 0,
    parent: null,
    status: 'active',
    consumedAt: null,
    revokedAt: null,
    ...over,
  };
}

/** RT#1 consumed at `consumedAt`, RT#2 its child and the family's newest. */
function consumedFamily(consumedAt = 100) {
  const parent = refreshToken({ status: 'consumed', consumedAt });
  const child = refreshToken({ label: 'RT#2', parent: 'RT#1', issuedAt: consumedAt, value: 'w' });
  return { parent, child, grant: grant({ newest: 'RT#2', refreshTokens: ['RT#1', 'RT#2'], lastUse: consumedAt }) };
}

function facts(over: Partial<RefreshFacts> = {}): RefreshFacts {
  const g = grant();
  return {
    t: 10,
    rules: RULES,
    clientType: 'public',
    clientAuth: false,
    dpop: false,
    proofSent: false,
    proof: null,
    token: refreshToken(),
    grant: g,
    newest: refreshToken(),
    userSuspended: false,
    ...over,
  };
}

const reason = (d: ReturnType<typeof refreshDecision>) => (d.kind === 'refuse' ? d.reason : d.kind);

describe('clientAuthFails, refreshBinding', () => {
  it('only a confidential client without its secret fails; only a public client binds its refresh token', () => {
    expect([clientAuthFails('confidential', false), clientAuthFails('confidential', true), clientAuthFails('public', false)]).toEqual([
      true,
      false,
      false,
    ]);
    expect([refreshBinding('public', 'K'), refreshBinding('confidential', 'K'), refreshBinding('public', null)]).toEqual(['K', null, null]);
  });
});

describe('refreshDecision: SEMANTICS.md §3 order', () => {
  it('issues and rotates an active token within both lifetimes', () => {
    expect(refreshDecision(facts())).toEqual({ kind: 'issue', accessJkt: null, refreshJkt: null, rotate: true, viaReuseInterval: false });
    expect(refreshDecision(facts({ rules: { ...RULES, rotation: false, reuseDetection: false } }))).toMatchObject({ rotate: false });
  });

  it('client authentication comes first: a thief without the secret gets invalid_client, even for a consumed token and a bad proof', () => {
    const { parent, child, grant: g } = consumedFamily();
    const d = refreshDecision(
      facts({
        clientType: 'confidential',
        token: parent,
        grant: g,
        newest: child,
        dpop: true,
        proofSent: true,
        proof: { ok: false, check: 'signature' },
      }),
    );
    expect(d).toEqual({ kind: 'refuse', status: 401, error: 'invalid_client', reason: 'client_auth_failed' });
    expect(reason(refreshDecision(facts({ clientType: 'confidential', clientAuth: true })))).toBe('issue');
  });

  it('asks for the proof check right after client authentication, and an invalid proof wins over an unknown token', () => {
    expect(refreshDecision(facts({ dpop: true, proofSent: true, token: undefined, grant: undefined }))).toEqual({ kind: 'checkProof' });
    expect(refreshDecision(facts({ dpop: true, proofSent: true, proof: { ok: false, check: 'iat' }, token: undefined }))).toEqual({
      kind: 'refuse',
      status: 400,
      error: 'invalid_dpop_proof',
      reason: 'dpop_invalid',
      dpop: 'iat',
    });
  });

  it('unknown, then revoked (family or token), then suspended', () => {
    expect(reason(refreshDecision(facts({ token: undefined, grant: undefined, userSuspended: true })))).toBe('unknown_token');
    expect(reason(refreshDecision(facts({ rules: null })))).toBe('unknown_token');
    expect(reason(refreshDecision(facts({ grant: grant({ revoked: true }), userSuspended: true })))).toBe('revoked');
    expect(reason(refreshDecision(facts({ token: refreshToken({ status: 'revoked' }) })))).toBe('revoked');
    expect(reason(refreshDecision(facts({ userSuspended: true, t: 999_999 })))).toBe('user_suspended');
  });

  it('suspension is reported before an expired lifetime', () => {
    expect(reason(refreshDecision(facts({ userSuspended: true, t: 86_400 })))).toBe('user_suspended');
  });

  it('absolute lifetime: refused at exactly startedAt + absoluteTtl, before the idle check', () => {
    expect(reason(refreshDecision(facts({ t: 86_399, grant: grant({ lastUse: 86_000 }) })))).toBe('issue');
    expect(reason(refreshDecision(facts({ t: 86_400, grant: grant({ lastUse: 86_000 }) })))).toBe('expired_absolute');
    // Both lifetimes over: the absolute one is named.
    expect(reason(refreshDecision(facts({ t: 90_000 })))).toBe('expired_absolute');
  });

  it('idle lifetime: t < lastUse + idleTtl succeeds, t == lastUse + idleTtl fails (69m59s vs 70m)', () => {
    const g = () => grant({ lastUse: 600 });
    expect(reason(refreshDecision(facts({ t: 4199, grant: g() })))).toBe('issue');
    expect(reason(refreshDecision(facts({ t: 4200, grant: g() })))).toBe('expired_idle');
    expect(reason(refreshDecision(facts({ t: 10 ** 9, grant: g(), rules: { ...RULES, idleTtl: null, absoluteTtl: null } })))).toBe('issue');
  });

  it('an expired family is refused before reuse detection (no revocation)', () => {
    const { parent, child, grant: g } = consumedFamily(100);
    expect(refreshDecision(facts({ t: 100 + 3600, token: parent, grant: g, newest: child }))).toEqual({
      kind: 'refuse',
      status: 400,
      error: 'invalid_grant',
      reason: 'expired_idle',
    });
  });

  it('DPoP possession is checked BEFORE reuse detection: a consumed token without the bound key revokes nothing', () => {
    const { parent, child, grant: g } = consumedFamily();
    const bound = { ...parent, jkt: 'APP' };
    const base = facts({ dpop: true, token: bound, grant: g, newest: child, t: 200 });
    expect(refreshDecision({ ...base, proofSent: true, proof: { ok: true, jkt: 'THIEF' } })).toEqual({
      kind: 'refuse',
      status: 400,
      error: 'invalid_grant',
      reason: 'dpop_key_mismatch',
      dpop: 'key',
    });
    expect(refreshDecision(base)).toEqual({
      kind: 'refuse',
      status: 400,
      error: 'invalid_grant',
      reason: 'dpop_key_mismatch',
      dpop: 'missing',
    });
    // With the key, the same request reaches reuse detection and revokes the family.
    expect(refreshDecision({ ...base, proofSent: true, proof: { ok: true, jkt: 'APP' } })).toEqual({
      kind: 'refuse',
      status: 400,
      error: 'invalid_grant',
      reason: 'reused',
      revokeGrant: 'reuse',
      stoppingEvent: true,
    });
  });

  it('DPoP: an unbound token still needs a proof; the new access token is bound to the proof key, the refresh token keeps its own', () => {
    expect(refreshDecision(facts({ dpop: true }))).toEqual({
      kind: 'refuse',
      status: 400,
      error: 'invalid_dpop_proof',
      reason: 'dpop_invalid',
      dpop: 'missing',
    });
    expect(refreshDecision(facts({ dpop: true, proofSent: true, proof: { ok: true, jkt: 'K' } }))).toMatchObject({
      kind: 'issue',
      accessJkt: 'K',
      refreshJkt: null,
    });
    const bound = refreshToken({ jkt: 'K' });
    expect(refreshDecision(facts({ dpop: true, token: bound, proofSent: true, proof: { ok: true, jkt: 'K' } }))).toMatchObject({
      accessJkt: 'K',
      refreshJkt: 'K',
    });
  });

  it('a consumed token: reuse detection revokes the family; without detection it is just consumed', () => {
    const { parent, child, grant: g } = consumedFamily();
    expect(refreshDecision(facts({ t: 200, token: parent, grant: g, newest: child }))).toMatchObject({
      reason: 'reused',
      revokeGrant: 'reuse',
    });
    const d = refreshDecision(facts({ t: 200, token: parent, grant: g, newest: child, rules: { ...RULES, reuseDetection: false } }));
    expect(d).toEqual({ kind: 'refuse', status: 400, error: 'invalid_grant', reason: 'consumed' });
  });

  it('reuse interval: covered for consumedAt ≤ t < consumedAt + interval, issuing without revoking', () => {
    const { parent, child, grant: g } = consumedFamily(100);
    const rules = { ...RULES, reuseInterval: 30 };
    const at = (t: number) => refreshDecision(facts({ t, rules, token: parent, grant: g, newest: child }));
    expect(at(100)).toEqual({ kind: 'issue', accessJkt: null, refreshJkt: null, rotate: true, viaReuseInterval: true });
    expect(at(129)).toMatchObject({ viaReuseInterval: true });
    expect(at(130)).toMatchObject({ reason: 'reused', revokeGrant: 'reuse' });
  });
});

describe('reuse interval', () => {
  const rules = { ...RULES, reuseInterval: 30 };
  it('covers only the parent of the family newest token', () => {
    const { parent, child } = consumedFamily(100);
    expect(reuseIntervalEnd(parent, child, rules)).toBe(130);
    const grandchild = refreshToken({ label: 'RT#3', parent: 'RT#2' });
    expect(reuseIntervalEnd(parent, grandchild, rules)).toBeNull();
    expect(coveredByReuseInterval(parent, grandchild, rules, 101)).toBe(false);
  });

  it('needs a positive interval, refresh tokens and a consumed token', () => {
    const { parent, child } = consumedFamily(100);
    expect(reuseIntervalEnd(parent, child, RULES)).toBeNull();
    expect(reuseIntervalEnd(parent, child, null)).toBeNull();
    expect(reuseIntervalEnd(refreshToken(), child, rules)).toBeNull();
    expect(coveredByReuseInterval(parent, child, rules, 129)).toBe(true);
    expect(coveredByReuseInterval(parent, child, rules, 130)).toBe(false);
  });
});

describe('new grants: password grant and code exchange', () => {
  const base: NewGrantFacts = { clientType: 'public', clientAuth: false, dpop: false, proofSent: false, proof: null };

  it('newGrantChecks: client authentication, then (DPoP) a proof: missing, to be checked, invalid, or its key', () => {
    expect(newGrantChecks({ ...base, clientType: 'confidential', dpop: true })).toMatchObject({
      reason: 'client_auth_failed',
      status: 401,
    });
    expect(newGrantChecks(base)).toEqual({ kind: 'admit', jkt: null });
    expect(newGrantChecks({ ...base, dpop: true })).toMatchObject({ error: 'invalid_dpop_proof', dpop: 'missing' });
    expect(newGrantChecks({ ...base, dpop: true, proofSent: true })).toEqual({ kind: 'checkProof' });
    expect(newGrantChecks({ ...base, dpop: true, proofSent: true, proof: { ok: false, check: 'replay' } })).toMatchObject({
      dpop: 'replay',
    });
    expect(newGrantChecks({ ...base, dpop: true, proofSent: true, proof: { ok: true, jkt: 'K' } })).toEqual({ kind: 'admit', jkt: 'K' });
  });

  it('password grant: the password is checked before the user status; refresh tokens only when configured, bound for a public client', () => {
    const pw = { ...base, passwordOk: false, userSuspended: true, refreshTokens: true };
    expect(passwordGrantDecision(pw)).toMatchObject({ reason: 'bad_password' });
    expect(passwordGrantDecision({ ...pw, passwordOk: true })).toMatchObject({ reason: 'user_suspended' });
    expect(passwordGrantDecision({ ...pw, clientType: 'confidential', clientAuth: false })).toMatchObject({ reason: 'client_auth_failed' });
    const ok = { ...pw, passwordOk: true, userSuspended: false, dpop: true, proofSent: true, proof: { ok: true as const, jkt: 'K' } };
    expect(passwordGrantDecision(ok)).toEqual({ kind: 'issue', accessJkt: 'K', refresh: { jkt: 'K' } });
    expect(passwordGrantDecision({ ...ok, clientType: 'confidential', clientAuth: true })).toEqual({
      kind: 'issue',
      accessJkt: 'K',
      refresh: { jkt: null },
    });
    expect(passwordGrantDecision({ ...ok, refreshTokens: false })).toEqual({ kind: 'issue', accessJkt: 'K', refresh: null });
  });

  const code: AuthorizationCodeRecord = {
    label: 'AC#1',
    kind: 'code',
    value: 'c',
    issuedAt: 0,
    expiresAt: 60,
    challenge: 'ch',
    requestedBy: 'client',
    deliveredTo: 'client',
    usedAt: null,
    grantId: null,
  };
  const exchange = (over: Partial<CodeExchangeFacts>): CodeExchangeFacts => ({
    ...base,
    t: 0,
    code,
    codeGrant: undefined,
    verifierMatches: null,
    refreshTokens: true,
    ...over,
  });

  it('code exchange: client authentication before the code (an intercepted code of a confidential client: invalid_client)', () => {
    expect(codeExchangeDecision(exchange({ clientType: 'confidential', verifierMatches: false }))).toMatchObject({
      reason: 'client_auth_failed',
    });
    expect(codeExchangeDecision(exchange({}))).toEqual({ kind: 'checkVerifier' });
    expect(codeExchangeDecision(exchange({ verifierMatches: false }))).toMatchObject({ reason: 'pkce_failed' });
    expect(codeExchangeDecision(exchange({ verifierMatches: true }))).toEqual({ kind: 'issue', accessJkt: null, refresh: { jkt: null } });
  });

  it('code exchange: expired at exactly t = expiresAt (unknown_token); a second redemption revokes its grant once', () => {
    expect(codeExchangeDecision(exchange({ t: 59, verifierMatches: true }))).toMatchObject({ kind: 'issue' });
    expect(codeExchangeDecision(exchange({ t: 60, verifierMatches: true }))).toMatchObject({ reason: 'unknown_token' });
    const used = { ...code, usedAt: 5, grantId: 'G1' };
    expect(codeExchangeDecision(exchange({ code: used, codeGrant: grant(), verifierMatches: true }))).toEqual({
      kind: 'refuse',
      status: 400,
      error: 'invalid_grant',
      reason: 'code_used',
      revokeGrant: 'code_reuse',
    });
    expect(codeExchangeDecision(exchange({ code: used, codeGrant: grant({ revoked: true }), verifierMatches: true }))).toEqual({
      kind: 'refuse',
      status: 400,
      error: 'invalid_grant',
      reason: 'code_used',
    });
  });
});

describe('introspection and revocation', () => {
  const at: AccessTokenRecord = {
    label: 'AT#1',
    kind: 'access',
    jwt: 'x.y.z',
    header: {},
    claims: {},
    grantId: 'G1',
    issuedAt: 0,
    expiresAt: 300,
    genuine: true,
    audienceOk: true,
  };

  it('introspection: active strictly before expiresAt, with its grant unrevoked and the user not suspended', () => {
    expect(introspectionActive(at, grant(), 299, false)).toBe(true);
    expect(introspectionActive(at, grant(), 300, false)).toBe(false);
    expect(introspectionActive(at, grant({ revoked: true }), 0, false)).toBe(false);
    expect(introspectionActive(at, grant(), 0, true)).toBe(false);
    expect(introspectionActive(at, undefined, 0, false)).toBe(false);
    expect(introspectionActive({ ...at, audienceOk: false }, grant(), 0, false)).toBe(false);
    expect(introspectionActive({ ...at, genuine: false }, grant(), 0, false)).toBe(false);
  });

  it('revocation targets the grant of a refresh or access token; unknown or already revoked: nothing', () => {
    const g = grant();
    const grants = { G1: g };
    expect(revocationTarget('RT#1', { 'RT#1': refreshToken() }, undefined, grants)).toBe(g);
    expect(revocationTarget('AT#1', {}, at, grants)).toBe(g);
    expect(revocationTarget('RT#9', {}, undefined, grants)).toBeNull();
    expect(revocationTarget('RT#1', { 'RT#1': refreshToken() }, undefined, { G1: grant({ revoked: true }) })).toBeNull();
  });
});
