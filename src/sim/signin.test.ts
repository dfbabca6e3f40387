// SEMANTICS.md §10 (and the rules §4–§9 it changed), one test per rule, boundaries included:
// code + PKCE, the AS sign-in session, code interception, the BFF, a script in the page.
import { describe, expect, it } from 'vitest';
import { base64url } from './rng';
import { codeVerdict, s256, sessionDeadline, sessionLive, verifierMatches } from './rules/signin';
import { apiCalls, eventsOf, login, logout, results, run, step, stepResult, worldOf } from './test-helpers';
import { CODE_LIFETIME, type AuthorizationCodeRecord } from './types';

const SESSION = { authServer: { signInSession: { idleTtl: '10m', absoluteTtl: '1h' } } };
const hijack = (at: string | number) => step(at, 'attacker.hijackPage');
const release = (at: string | number) => step(at, 'attacker.releasePage');
const silentLogin = (at: string | number) => step(at, 'attacker.silentLogin');
const intercept = (at: string | number) => step(at, 'attacker.interceptCode');
const attackerCall = (at: string | number) => step(at, 'attacker.callApi');

function code(fields: Partial<AuthorizationCodeRecord> = {}): AuthorizationCodeRecord {
  return {
    label: 'AC#1',
    kind: 'code',
    value: 'v',
    issuedAt: 100,
    expiresAt: 100 + CODE_LIFETIME,
    challenge: null,
    requestedBy: 'client',
    deliveredTo: 'client',
    usedAt: null,
    grantId: null,
    ...fields,
  };
}

describe('rules/signin.ts: the pure decisions', () => {
  it('a code lives 60 s: redeemable at +59 s, unknown_token at +60 s', () => {
    expect(codeVerdict(code(), 159, true)).toBeNull();
    expect(codeVerdict(code(), 160, true)).toBe('unknown_token');
    expect(codeVerdict(undefined, 100, true)).toBe('unknown_token');
  });

  it('a code is single use (code_used), checked before PKCE; then the verifier (pkce_failed)', () => {
    expect(codeVerdict(code({ usedAt: 100 }), 110, false)).toBe('code_used');
    expect(codeVerdict(code(), 110, false)).toBe('pkce_failed');
  });

  it('PKCE S256: the RFC 7636 appendix B example, and only the matching verifier passes', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(s256(verifier)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(verifierMatches('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', verifier)).toBe(true);
    expect(verifierMatches('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', `${verifier.slice(0, -1)}l`)).toBe(false);
    expect(verifierMatches('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', null)).toBe(false);
    expect(verifierMatches(null, null)).toBe(true);
  });

  it('S256 is WebCrypto’s SHA-256 of the exact verifier, base64url-encoded', async () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const webCrypto = async (v: string) => base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(v))));
    expect(s256(`${verifier.slice(0, -1)}l`)).not.toBe(s256(verifier));
    const many = Array.from({ length: 100 }, (_, i) => `${verifier.slice(0, 40)}${String(i).padStart(3, '0')}`);
    for (const v of many) expect(s256(v)).toBe(await webCrypto(v));
  });

  it('a session is live while t < start + absoluteTtl and t < lastUse + idleTtl (null: unlimited)', () => {
    const config = { idleTtl: 600, absoluteTtl: 3600 };
    const session = { id: 'S1', startedAt: 0, lastUse: 3000 };
    expect(sessionLive(config, session, 3599)).toBe(true);
    expect(sessionLive(config, session, 3600)).toBe(false);
    expect(sessionLive(config, { ...session, lastUse: 0 }, 599)).toBe(true);
    expect(sessionLive(config, { ...session, lastUse: 0 }, 600)).toBe(false);
    expect(sessionLive({ idleTtl: null, absoluteTtl: null }, session, 1e9)).toBe(true);
    expect(sessionLive(null, session, 1)).toBe(false);
    expect(sessionDeadline(config, session)).toBe(3600);
  });
});

describe('§10 code + PKCE login', () => {
  it('authorize → code → exchange: one token request, one lookup, one sign-in request, one prompt', async () => {
    const outcome = await run({ steps: [login(0)] });
    const requests = eventsOf(outcome.events, 'RequestSent');
    expect(requests.map((e) => [e.endpoint, e.grantType ?? null])).toEqual([
      ['authorize', null],
      ['token', 'authorization_code'],
    ]);
    const issued = eventsOf(outcome.events, 'AuthorizationCodeIssued')[0]!;
    expect(requests[0]!.pkceChallenge).toBe(issued.pkce!.challenge);
    expect(requests[1]!.codeVerifier).toBe(issued.pkce!.verifier);
    expect(s256(issued.pkce!.verifier)).toBe(issued.pkce!.challenge);
    expect(outcome.metrics.authServer).toEqual({ tokenRequests: 1, stateLookups: 1, signInRequests: 1 });
    expect(outcome.metrics.user.passwordPrompts).toBe(1);
  });

  it('pkce false: no challenge, no verifier; the password grant visits no sign-in page', async () => {
    const noPkce = await run({ config: { pkce: false }, steps: [login(0)] });
    expect(eventsOf(noPkce.events, 'RequestSent').every((e) => e.pkceChallenge === undefined && e.codeVerifier === undefined)).toBe(true);
    const grant = await run({ config: { login: 'password-grant' }, steps: [login(0)] });
    expect(eventsOf(grant.events, 'RequestSent').map((e) => e.grantType)).toEqual(['password']);
    expect(grant.metrics.authServer).toEqual({ tokenRequests: 1, stateLookups: 1, signInRequests: 0 });
  });

  it('a sign-in refused at the page (suspended) never reaches the token endpoint, and the prompt counts', async () => {
    const outcome = await run({ steps: [step(0, 'admin.suspendUser'), login(0)] });
    expect(stepResult(outcome, 1)).toMatchObject({ ok: false, status: 400, error: 'invalid_grant', reason: 'user_suspended' });
    expect(outcome.metrics.authServer).toEqual({ tokenRequests: 0, stateLookups: 0, signInRequests: 1 });
    expect(outcome.metrics.user.passwordPrompts).toBe(1);
  });

  it('token strings of the main stream are those of the password grant (PKCE draws from its own stream)', async () => {
    const code = await worldOf({ config: { preset: 'static-refresh' }, steps: [login(0)] });
    const grant = await worldOf({ config: { preset: 'static-refresh', login: 'password-grant' }, steps: [login(0)] });
    await code.run();
    await grant.run();
    expect(code.issuedAccessTokens.map((t) => t.jwt)).toEqual(grant.issuedAccessTokens.map((t) => t.jwt));
  });
});

describe('§10 the AS sign-in session', () => {
  it('a live session makes client.login silent (no prompt, a silent sign-in) and renews its idle time', async () => {
    const outcome = await run({ config: SESSION, steps: [login(0), login('9m59s'), login('19m58s'), login('30m')] });
    expect(outcome.metrics.user).toMatchObject({ passwordPrompts: 2, silentSignIns: 2 });
    // 0 typed; 9m59s silent (idle < 10 min); 19m58s silent (renewed at 9m59s); 30m: idle ran out.
    expect(
      eventsOf(outcome.events, 'ResponseSent')
        .filter((e) => e.endpoint === 'authorize')
        .map((e) => e.silent),
    ).toEqual([false, true, true, false]);
  });

  it('the idle boundary: 10 min after the last use the session is over', async () => {
    const outcome = await run({ config: SESSION, steps: [login(0), login('10m')] });
    expect(outcome.metrics.user).toMatchObject({ passwordPrompts: 2, silentSignIns: 0 });
  });

  it('the absolute boundary: renewals never extend it past start + absoluteTtl', async () => {
    const steps = [login(0), step('9m', 'client.login', { repeat: { every: '9m', times: 6 } }), login('1h')];
    const outcome = await run({ config: SESSION, steps });
    // 9m … 54m silent; at 1h the absolute lifetime (from 0) is over.
    expect(outcome.metrics.user).toMatchObject({ passwordPrompts: 2, silentSignIns: 6 });
  });

  it('logout that sends something, password change, revoke-all and suspension end it', async () => {
    for (const [end, why] of [
      [logout('1m'), 'logout'],
      [step('1m', 'user.changePassword'), 'password_change'],
      [step('1m', 'admin.revokeAll'), 'revoke_all'],
      [step('1m', 'admin.suspendUser'), 'suspension'],
    ] as const) {
      const outcome = await run({ config: SESSION, steps: [login(0), end, step('1m', 'admin.reinstateUser'), login('2m')] });
      expect(eventsOf(outcome.events, 'SignInSessionEnded').map((e) => e.why)).toEqual([why]);
      expect(outcome.metrics.user).toMatchObject({ passwordPrompts: 2, silentSignIns: 0 });
    }
  });

  it('client.logout holding no token sends nothing: the session stays', async () => {
    const outcome = await run({ config: SESSION, steps: [login(0), step('1m', 'attacker.wipe'), logout('2m'), login('3m')] });
    expect(stepResult(outcome, 2)).toMatchObject({ ok: false, status: null, reason: 'no_token' });
    expect(outcome.metrics.user).toMatchObject({ passwordPrompts: 1, silentSignIns: 1 });
  });

  it('the user app signs in silently when its refresh token ran out and a session is live', async () => {
    const outcome = await run({
      config: { ...SESSION, authServer: { signInSession: { idleTtl: null, absoluteTtl: null } }, refreshToken: { absoluteTtl: '10m' } },
      behaviour: { user: { callApiEvery: '5m' } },
      steps: [step(0, 'user.arrive')],
      until: '30m',
    });
    // Each family ends 10 min after its sign-in: at 10m, 20m and 30m the app's refresh is refused
    // (expired_absolute) and it signs in silently, never by a prompt.
    expect(outcome.metrics.user).toMatchObject({ passwordPrompts: 1, silentSignIns: 3, apiCallsRejected: 0 });
  });
});

describe('§10 code interception', () => {
  it('with PKCE: the app gets no_code (the prompt still counts), the attacker pkce_failed', async () => {
    const outcome = await run({ steps: [intercept(0), login('1m'), login('2m')] });
    expect(results(outcome).map((r) => [r.do, r.ok, r.reason])).toEqual([
      ['attacker.interceptCode', true, null],
      ['client.login', false, 'no_code'],
      ['client.login', true, null],
    ]);
    const attacker = eventsOf(outcome.events, 'ResponseSent').filter((e) => e.to === 'attacker' && e.endpoint === 'token');
    expect(attacker.map((e) => [e.status, e.reason])).toEqual([[400, 'pkce_failed']]);
    expect(outcome.metrics.user.passwordPrompts).toBe(2);
  });

  it('without PKCE a public client loses a grant; a confidential client’s secret stops it first (invalid_client)', async () => {
    const open = await run({ config: { pkce: false }, steps: [intercept(0), login('1m'), attackerCall('2m')] });
    expect(stepResult(open, 2)).toMatchObject({ ok: true, status: 200 });
    expect(eventsOf(open.events, 'GrantStarted').map((e) => e.by)).toEqual(['attacker']);
    const confidential = await run({ config: { client: { type: 'confidential' } }, steps: [intercept(0), login('1m')] });
    const answer = eventsOf(confidential.events, 'ResponseSent').find((e) => e.to === 'attacker')!;
    expect(answer).toBeDefined();
    const redeemed = eventsOf(confidential.events, 'ResponseSent').filter((e) => e.to === 'attacker' && e.endpoint === 'token');
    expect(redeemed.map((e) => [e.status, e.reason])).toEqual([[401, 'client_auth_failed']]);
  });

  it('stays armed until a code is issued: a refused sign-in does not use it up', async () => {
    const outcome = await run({
      steps: [intercept(0), step(0, 'admin.suspendUser'), login('1m'), step('2m', 'admin.reinstateUser'), login('3m'), login('4m')],
    });
    expect(
      results(outcome)
        .filter((r) => r.do === 'client.login')
        .map((r) => r.reason),
    ).toEqual(['user_suspended', 'no_code', null]);
  });

  it('an intercepted silent sign-in counts as no silent sign-in; the password grant has no code', async () => {
    const outcome = await run({ config: SESSION, steps: [login(0), intercept('1m'), login('2m')] });
    expect(outcome.metrics.user).toMatchObject({ passwordPrompts: 1, silentSignIns: 0 });
    expect(stepResult(outcome, 2).reason).toBe('no_code');
    const grant = await run({ config: { login: 'password-grant' }, steps: [intercept(0)] });
    expect(stepResult(grant, 0)).toMatchObject({ ok: false, status: null, reason: 'nothing_to_steal' });
  });
});

describe('§10 a script in the page', () => {
  it('copies the app’s tokens at hijack and each new one as it arrives; a rotated one replaces its parent', async () => {
    const world = await worldOf({ steps: [login(0), hijack('1m'), step('2m', 'client.refresh')] });
    const outcome = await world.run();
    expect(eventsOf(outcome.events, 'TokensCopied').map((e) => e.labels)).toEqual([
      ['AT#1', 'RT#1'],
      ['AT#2', 'RT#2'],
    ]);
    expect(world.current.attacker).toMatchObject({ accessTokens: ['AT#1', 'AT#2'], refreshTokens: ['RT#2'] });
  });

  it('silentLogin needs the page (page_not_held) and a live session (login_required)', async () => {
    const outcome = await run({ steps: [login(0), silentLogin('1m'), hijack('2m'), silentLogin('3m')] });
    expect(stepResult(outcome, 1)).toMatchObject({ ok: false, status: null, reason: 'page_not_held' });
    expect(stepResult(outcome, 3)).toMatchObject({ ok: false, status: 400, error: 'invalid_grant', reason: 'login_required' });
    expect(outcome.metrics.authServer.signInRequests).toBe(2);
  });

  it('silentLogin starts the attacker’s own grant, usable after the page closes; app logout revokes only the app’s', async () => {
    const outcome = await run({
      config: SESSION,
      steps: [
        login(0),
        hijack('1m'),
        silentLogin('2m'),
        step('3m', 'user.leave'),
        logout('4m'),
        attackerCall('5m'),
        step('6m', 'attacker.refresh'),
      ],
    });
    expect(stepResult(outcome, 2)).toMatchObject({ ok: true, status: 200 });
    expect(eventsOf(outcome.events, 'GrantStarted').map((e) => [e.grantId, e.by])).toEqual([
      ['G1', 'client'],
      ['G2', 'attacker'],
    ]);
    expect(stepResult(outcome, 5).ok).toBe(true);
    expect(stepResult(outcome, 6).ok).toBe(true);
    // Not the user's silent sign-in; one more visit to the sign-in page.
    expect(outcome.metrics.user.silentSignIns).toBe(0);
    expect(outcome.metrics.authServer.signInRequests).toBe(2);
  });

  it('under DPoP the silent sign-in binds the attacker’s grant to the attacker’s own key', async () => {
    const world = await worldOf({
      config: { ...SESSION, preset: 'dpop-bound' },
      steps: [login(0), hijack('1m'), silentLogin('2m'), release('3m'), attackerCall('4m')],
    });
    const outcome = await world.run();
    const own = world.issuedAccessTokens.find((t) => t.grantId === 'G2')!;
    expect((own.claims.cnf as { jkt: string }).jkt).toBe(world.dpopKeys.attacker);
    expect(stepResult(outcome, 4)).toMatchObject({ ok: true, status: 200 });
  });

  it('a confidential browser client: the attacker’s silent sign-in needs the stolen secret', async () => {
    const confidential = { ...SESSION, client: { type: 'confidential' } };
    const without = await run({ config: confidential, steps: [login(0), hijack('1m'), silentLogin('2m')] });
    expect(stepResult(without, 2)).toMatchObject({ ok: false, status: 401, reason: 'client_auth_failed' });
    const withSecret = await run({
      config: confidential,
      steps: [login(0), step('1m', 'attacker.steal', { what: 'clientSecret' }), hijack('1m'), silentLogin('2m')],
    });
    expect(stepResult(withSecret, 3)).toMatchObject({ ok: true, status: 200 });
  });

  it('hijackPage on a closed page is page_not_held; user.arrive reopens the page without the script', async () => {
    const outcome = await run({
      steps: [login(0), hijack(0), step('1m', 'user.leave'), hijack('2m'), step('3m', 'user.arrive'), silentLogin('4m')],
    });
    expect(stepResult(outcome, 3)).toMatchObject({ ok: false, reason: 'page_not_held' });
    expect(stepResult(outcome, 5)).toMatchObject({ ok: false, reason: 'page_not_held' });
  });
});

describe('§10 tokens at a BFF', () => {
  it('bff implies a confidential client; steal from the app finds nothing, wipe does nothing', async () => {
    const world = await worldOf({
      config: { client: { tokenStorage: 'bff' } },
      steps: [login(0), step('1m', 'attacker.steal', { what: 'all' }), step('1m', 'attacker.wipe'), step('2m', 'client.callApi')],
    });
    expect(world.config.client.type).toBe('confidential');
    const outcome = await world.run();
    expect(stepResult(outcome, 1)).toMatchObject({ ok: false, reason: 'nothing_to_steal' });
    expect(stepResult(outcome, 2)).toMatchObject({ ok: true });
    expect(stepResult(outcome, 3)).toMatchObject({ ok: true, status: 200 });
  });

  it('the API logs still leak the BFF’s access token (the newest request the RS got from the app)', async () => {
    const logs = (at: string) => step(at, 'attacker.steal', { what: 'access', from: 'api-logs' });
    const outcome = await run({
      config: { preset: 'bff' },
      steps: [login(0), logs('1m'), step('2m', 'client.callApi'), logs('3m'), attackerCall('4m'), attackerCall('7m')],
    });
    expect(stepResult(outcome, 1)).toMatchObject({ ok: false, reason: 'nothing_to_steal' });
    expect(eventsOf(outcome.events, 'TokensStolen').map((e) => [e.from, e.labels])).toEqual([['api-logs', ['AT#1']]]);
    expect(apiCalls(outcome.events, 'attacker')).toEqual([
      [240, 200, null],
      [420, 401, 'expired'],
    ]);
    expect(outcome.metrics.attacker.exposureSeconds).toBe(120);
  });

  it('a hijacked page proxies through the BFF, which refreshes when its token expired; exposure only while the script runs', async () => {
    const outcome = await run({
      config: { preset: 'bff' },
      steps: [login(0), hijack('1m'), attackerCall('10m'), step('20m', 'user.leave'), attackerCall('21m')],
      until: '1h',
    });
    const sent = eventsOf(outcome.events, 'RequestSent').filter((e) => e.t === 600);
    expect(sent.map((e) => [e.from, e.endpoint, e.grantType ?? e.via ?? null])).toEqual([
      ['client', 'token', 'refresh_token'],
      ['attacker', 'api', 'bff'],
    ]);
    expect(stepResult(outcome, 2)).toMatchObject({ ok: true, status: 200 });
    expect(stepResult(outcome, 4)).toMatchObject({ ok: false, reason: 'no_token' });
    expect(outcome.metrics.attacker.exposureSeconds).toBe(20 * 60 - 60);
  });

  it('silentLogin under bff: the BFF redeems the code and keeps the tokens; the attacker gets nothing_to_steal', async () => {
    const world = await worldOf({ config: { preset: 'bff', ...SESSION }, steps: [login(0), hijack('1m'), silentLogin('2m')] });
    const outcome = await world.run();
    expect(stepResult(outcome, 2)).toMatchObject({ ok: false, status: null, reason: 'nothing_to_steal' });
    expect(world.current.client.accessToken).toBe('AT#2');
    expect(world.current.attacker.accessTokens).toEqual([]);
    expect(outcome.metrics.authServer.signInRequests).toBe(2);
  });
});

describe('§4, §7 changed rules', () => {
  it('steal all takes every token, the stored password and the client secret', async () => {
    const world = await worldOf({
      config: { preset: 'stored-password', client: { type: 'confidential' } },
      steps: [login(0), step('1m', 'attacker.steal', { what: 'all' })],
    });
    const outcome = await world.run();
    expect(eventsOf(outcome.events, 'TokensStolen')[0]).toMatchObject({
      what: 'all',
      labels: ['AT#1'],
      password: true,
      clientSecret: true,
    });
    expect(world.current.attacker).toMatchObject({ accessTokens: ['AT#1'], password: 1, clientSecret: true });
  });

  it('the attacker keeps a refresh token refused with user_suspended, and uses it after reinstatement', async () => {
    const outcome = await run({
      config: { preset: 'static-refresh' },
      steps: [
        login(0),
        step('1m', 'attacker.steal', { what: 'refresh' }),
        step('2m', 'admin.suspendUser'),
        step('3m', 'attacker.refresh'),
        step('4m', 'admin.reinstateUser'),
        step('5m', 'attacker.refresh'),
      ],
    });
    expect(stepResult(outcome, 3).reason).toBe('user_suspended');
    expect(eventsOf(outcome.events, 'TokenDropped')).toEqual([]);
    expect(stepResult(outcome, 5)).toMatchObject({ ok: true, status: 200 });
  });

  it('client.logout holding no token still forgets a stored password', async () => {
    const world = await worldOf({ config: { preset: 'stored-password' }, steps: [login(0), step('1m', 'attacker.wipe'), logout('2m')] });
    const outcome = await world.run();
    expect(stepResult(outcome, 2)).toMatchObject({ ok: false, status: null, reason: 'no_token' });
    expect(world.current.client.storedPassword).toBeNull();
    expect(eventsOf(outcome.events, 'PasswordForgotten')).toHaveLength(1);
  });

  it('revokeGrantsOnPasswordChange false: grants survive, and the change is still a stopping event', async () => {
    const outcome = await run({
      config: { authServer: { revokeGrantsOnPasswordChange: false } },
      steps: [
        login(0),
        step('1m', 'attacker.steal', { what: 'refresh' }),
        step('2m', 'user.changePassword'),
        step('3m', 'attacker.refresh'),
        attackerCall('4m'),
      ],
    });
    expect(eventsOf(outcome.events, 'GrantRevoked')).toEqual([]);
    expect(stepResult(outcome, 3)).toMatchObject({ ok: true });
    expect(outcome.metrics.attacker.revocationLagSeconds).toBe(120);
  });

  it('repeat.every 0: several occurrences at one instant, in file order', async () => {
    const outcome = await run({ steps: [login(0), step('1m', 'client.callApi', { repeat: { every: 0, times: 3 } })] });
    expect(apiCalls(outcome.events, 'client')).toEqual([
      [60, 200, null],
      [60, 200, null],
      [60, 200, null],
    ]);
  });
});
