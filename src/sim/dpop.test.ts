// SEMANTICS.md §6 (DPoP, RFC 9449) and its §8 reason codes: one test (or a few) per rule, driven
// through scenarios where the world can reach the rule, and against the proof verifier itself for
// the checks no party of the simulation ever fails (a tampered signature, a wrong typ or URL, an
// iat in the future, a bad ath). Times are hand-computed; the configuration is the dpop-bound
// preset (access token 5 min, rotating refresh tokens with reuse detection, a public client).
import { createHash } from 'node:crypto';
import { EmbeddedJWK, SignJWT, calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { createWorldCrypto, deriveKeyPair } from './crypto';
import { accessTokenHash, verifyDpopProof, type ProofExpectation } from './dpop';
import { API_ENDPOINT, DPOP_IAT_WINDOW, TOKEN_ENDPOINT } from './protocol';
import { parseScenario, scenarioToJson } from './scenario';
import {
  apiCalls,
  attackerCall,
  attackerLogin,
  attackerRefresh,
  callApi,
  eventsOf,
  login,
  plain,
  refresh,
  results,
  run,
  scenarioOf,
  steal,
  step,
  stepResult,
  tokenCalls,
  worldOf,
} from './test-helpers';
import type { Outcome, SimEvent } from './types';
import { World } from './world';

const EPOCH = 1_767_603_600;
const DPOP = { preset: 'dpop-bound' };

const hijack = (at: string | number) => step(at, 'attacker.hijackPage');
const release = (at: string | number) => step(at, 'attacker.releasePage');
const leave = (at: string | number) => step(at, 'user.leave');
const arrive = (at: string | number) => step(at, 'user.arrive');
const attackerCallWith = (at: string | number, proof: 'own-key' | 'replay') => step(at, 'attacker.callApi', { proof });
const attackerRefreshWith = (at: string | number, proof: 'own-key' | 'replay') => step(at, 'attacker.refresh', { proof });

/** Every request as [t, from, endpoint, proof source or "none"]. */
function proofsSent(events: readonly SimEvent[]): Array<[number, string, string, string]> {
  return eventsOf(events, 'RequestSent').map((e) => [e.t, e.from, e.endpoint, e.proof?.source ?? 'none']);
}

/** The DPoP check named by each refused answer to `to` at `endpoint`: [t, reason, dpop check]. */
function dpopRefusals(outcome: Outcome, to: 'client' | 'attacker', endpoint: 'api' | 'token') {
  return eventsOf(outcome.events, 'ResponseSent')
    .filter((e) => e.to === to && e.endpoint === endpoint && e.status !== 200)
    .map((e) => [e.t, e.reason, e.dpop ?? null]);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

describe('§6 binding: the app holds a key pair; tokens carry its thumbprint', () => {
  it('a login carries a dpop+jwt proof with the public jwk; the access token gets cnf.jkt and the refresh token is bound', async () => {
    const world = await worldOf({ config: DPOP, steps: [login('30s')] });
    const outcome = await world.run();
    // The code exchange at the token endpoint carries the proof (the sign-in page visit does not).
    const request = eventsOf(outcome.events, 'RequestSent').find((e) => e.endpoint === 'token')!;
    const proof = request!.proof!;
    expect(proof.source).toBe('app');
    const header = decodeProtectedHeader(proof.jwt);
    expect(header).toEqual({ typ: 'dpop+jwt', alg: 'EdDSA', jwk: { kty: 'OKP', crv: 'Ed25519', x: expect.any(String) } });
    expect(header.jwk).not.toHaveProperty('d');
    expect(decodeJwt(proof.jwt)).toEqual({ jti: expect.stringMatching(/^[\w-]{16}$/), htm: 'POST', htu: TOKEN_ENDPOINT, iat: EPOCH + 30 });
    // The proof verifies with jose and the key it embeds, at the simulated instant.
    const { payload } = await jwtVerify(proof.jwt, EmbeddedJWK, { typ: 'dpop+jwt', currentDate: new Date((EPOCH + 30) * 1000) });
    expect(payload).toEqual(proof.claims);
    const jkt = await calculateJwkThumbprint(header.jwk as JWK);
    expect(proof.jkt).toBe(jkt);
    expect(jkt).toBe(world.dpopKeys.client);
    const token = world.issuedAccessTokens[0]!;
    expect(decodeJwt(token.jwt).cnf).toEqual({ jkt });
    expect(world.current.authServer.refreshTokens['RT#1']!.jkt).toBe(jkt);
  });

  it('every API call carries a fresh proof: GET, the API URL, iat now, and ath = base64url(SHA-256(token))', async () => {
    const world = await worldOf({ config: DPOP, steps: [login(0), callApi('10s'), callApi('10s'), callApi('1m')] });
    const outcome = await world.run();
    const api = eventsOf(outcome.events, 'RequestSent').filter((e) => e.endpoint === 'api');
    const at = world.issuedAccessTokens[0]!.jwt;
    expect(api.map((e) => [e.t, e.proof!.claims.htm, e.proof!.claims.htu, e.proof!.claims.iat, e.proof!.claims.ath])).toEqual([
      [10, 'GET', API_ENDPOINT, EPOCH + 10, sha256(at)],
      [10, 'GET', API_ENDPOINT, EPOCH + 10, sha256(at)],
      [60, 'GET', API_ENDPOINT, EPOCH + 60, sha256(at)],
    ]);
    expect(accessTokenHash(at)).toBe(sha256(at));
    expect(new Set(api.map((e) => e.proof!.claims.jti)).size).toBe(3);
    expect(apiCalls(outcome.events, 'client').map(([, status]) => status)).toEqual([200, 200, 200]);
    const checks = eventsOf(outcome.events, 'ResponseSent').find((e) => e.endpoint === 'api')!.checks!;
    expect(checks.dpop).toBe(true);
  });

  it('a refresh proves the same key; rotated tokens stay bound to it', async () => {
    const world = await worldOf({ config: DPOP, steps: [login(0), refresh('4m'), refresh('8m'), callApi('9m')] });
    const outcome = await world.run();
    expect(results(outcome).map((r) => r.ok)).toEqual([true, true, true, true]);
    const jkt = world.dpopKeys.client;
    expect(world.issuedAccessTokens.map((t) => (t.claims.cnf as { jkt: string }).jkt)).toEqual([jkt, jkt, jkt]);
    expect(Object.values(world.current.authServer.refreshTokens).map((r) => r.jkt)).toEqual([jkt, jkt, jkt]);
  });

  it("a confidential client's refresh tokens are not bound (client authentication constrains them); its access tokens are", async () => {
    const world = await worldOf({ config: { ...DPOP, client: { type: 'confidential' } }, steps: [login(0), refresh('1m')] });
    await world.run();
    expect(world.issuedAccessTokens.every((t) => (t.claims.cnf as { jkt: string }).jkt === world.dpopKeys.client)).toBe(true);
    expect(Object.values(world.current.authServer.refreshTokens).map((r) => r.jkt)).toEqual([undefined, undefined]);
  });

  it("the app's key is derived from the seed and is non-extractable", async () => {
    const pair = await deriveKeyPair(7, 'client-dpop', false);
    expect(pair.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('jwk', pair.privateKey)).rejects.toThrow();
    expect((await deriveKeyPair(7, 'client-dpop', false)).publicJwk).toEqual(pair.publicJwk);
    expect((await deriveKeyPair(8, 'client-dpop', false)).publicJwk.x).not.toBe(pair.publicJwk.x);
  });

  it('configurations without DPoP send no proofs and issue unbound tokens', async () => {
    const world = await worldOf({
      steps: [
        login(0),
        callApi(0),
        steal(0, 'both'),
        attackerCall(0),
        step(0, 'attacker.callApi', { proof: 'own-key' }),
        attackerRefresh(0),
      ],
    });
    const outcome = await world.run();
    expect(eventsOf(outcome.events, 'RequestSent').some((e) => e.proof)).toBe(false);
    expect(world.issuedAccessTokens.some((t) => 'cnf' in t.claims)).toBe(false);
    expect(Object.values(world.current.authServer.refreshTokens).some((r) => 'jkt' in r)).toBe(false);
    expect(apiCalls(outcome.events, 'attacker')).toEqual([
      [0, 200, null],
      [0, 200, null],
    ]);
    expect(eventsOf(outcome.events, 'ResponseSent').some((e) => e.checks && 'dpop' in e.checks)).toBe(false);
  });
});

describe('§6 at the resource server (RFC 9449 §7)', () => {
  it('a stolen bound access token sent without a proof — as Bearer — is refused: 401 invalid_token, dpop_required', async () => {
    const outcome = await run({ config: DPOP, steps: [login(0), steal('1m', 'access'), attackerCall('1m10s')] });
    expect(stepResult(outcome, 2)).toMatchObject({ ok: false, status: 401, error: 'invalid_token', reason: 'dpop_required' });
    expect(dpopRefusals(outcome, 'attacker', 'api')).toEqual([[70, 'dpop_required', 'missing']]);
    const request = eventsOf(outcome.events, 'RequestSent').at(-1)!;
    expect(request.proof).toBeUndefined();
  });

  it('a proof signed with another key (the attacker’s own) is refused: 401 invalid_dpop_proof, dpop_invalid (key)', async () => {
    const world = await worldOf({ config: DPOP, steps: [login(0), steal('1m', 'access'), attackerCallWith('1m10s', 'own-key')] });
    const outcome = await world.run();
    expect(stepResult(outcome, 2)).toMatchObject({ ok: false, status: 401, error: 'invalid_dpop_proof', reason: 'dpop_invalid' });
    expect(dpopRefusals(outcome, 'attacker', 'api')).toEqual([[70, 'dpop_invalid', 'key']]);
    const proof = eventsOf(outcome.events, 'RequestSent').at(-1)!.proof!;
    // A well-formed, validly signed proof for this very token: only the key is wrong.
    expect(proof).toMatchObject({
      source: 'attackerKey',
      jkt: world.dpopKeys.attacker,
      claims: { htm: 'GET', htu: API_ENDPOINT, iat: EPOCH + 70 },
    });
    expect(proof.claims.ath).toBe(sha256(world.issuedAccessTokens[0]!.jwt));
  });

  it('a replayed proof inside the iat window is refused by its jti (replay); outside it, by its iat', async () => {
    const outcome = await run({
      config: DPOP,
      steps: [
        login(0),
        steal('10s', 'access'),
        callApi('20s'),
        attackerCallWith('20s', 'replay'),
        attackerCallWith('1m20s', 'replay'),
        attackerCallWith('1m21s', 'replay'),
      ],
    });
    // Resent at once, and at exactly iat + 60 s: the RS remembers the jti. One second later the
    // proof is too old (|now - iat| ≤ 60 s) and its jti has been forgotten.
    expect(dpopRefusals(outcome, 'attacker', 'api')).toEqual([
      [20, 'dpop_invalid', 'replay'],
      [80, 'dpop_invalid', 'replay'],
      [81, 'dpop_invalid', 'iat'],
    ]);
    const replayed = eventsOf(outcome.events, 'RequestSent').filter((e) => e.proof?.source === 'replayed');
    const original = eventsOf(outcome.events, 'RequestSent').find((e) => e.from === 'client' && e.endpoint === 'api')!.proof!;
    expect(replayed.map((e) => e.proof!.jwt)).toEqual([original.jwt, original.jwt, original.jwt]);
  });

  it('a replayed token-endpoint proof is refused at the API for its method (htm)', async () => {
    const outcome = await run({ config: DPOP, steps: [login(0), steal(0, 'access'), attackerCallWith('5s', 'replay')] });
    expect(dpopRefusals(outcome, 'attacker', 'api')).toEqual([[5, 'dpop_invalid', 'method']]);
  });

  it("replay resends the app's newest proof, whatever it was for; before the app sent any, nothing is sent", async () => {
    const outcome = await run({
      config: DPOP,
      steps: [login(0), step(0, 'admin.revokeAll'), steal(0, 'access'), attackerCallWith(0, 'replay')],
    });
    // The login's proof is the app's newest: it went to the token endpoint, so htm fails.
    expect(dpopRefusals(outcome, 'attacker', 'api')).toEqual([[0, 'dpop_invalid', 'method']]);
    const fresh = await run({
      config: DPOP,
      steps: [step(0, 'attacker.forge', { kind: 'wrong-audience' }), attackerCallWith(0, 'replay')],
    });
    expect(eventsOf(fresh.events, 'RequestSent').map((e) => e.proof)).toEqual([undefined, undefined]);
  });

  it('the access token is checked first: an expired or forged token is refused for that, and its proof is not looked at', async () => {
    const outcome = await run({ config: DPOP, steps: [login(0), callApi('5m'), step('5m', 'attacker.forge')] });
    expect(apiCalls(outcome.events, 'client')).toEqual([[300, 401, 'expired']]);
    expect(apiCalls(outcome.events, 'attacker')).toEqual([[300, 401, 'bad_signature']]);
    const checks = eventsOf(outcome.events, 'ResponseSent')
      .filter((e) => e.endpoint === 'api')
      .map((e) => e.checks!.dpop);
    expect(checks).toEqual([null, null]);
  });

  it('the proof is checked locally, before introspection: a refused proof costs no AS lookup', async () => {
    const outcome = await run({
      config: { ...DPOP, resourceServer: { validation: 'introspection' } },
      steps: [login(0), steal(0, 'access'), attackerCall('1m'), attackerCallWith('1m', 'own-key'), callApi('1m')],
    });
    expect(apiCalls(outcome.events, 'attacker')).toEqual([
      [60, 401, 'dpop_required'],
      [60, 401, 'dpop_invalid'],
    ]);
    expect(apiCalls(outcome.events, 'client')).toEqual([[60, 200, null]]);
    expect(outcome.metrics.resourceServer.introspections).toBe(1);
  });

  it('the replay cache is bounded: jtis leave it once their iat has left the window', async () => {
    const world = await worldOf({ config: DPOP, behaviour: { user: { callApiEvery: '20s' } }, steps: [arrive(0)], until: '6h' });
    const outcome = await world.run();
    expect(outcome.metrics.user.apiCallsOk).toBeGreaterThan(1000);
    expect(outcome.metrics.user.apiCallsRejected).toBe(0);
    // Calls every 20 s: the proofs of the last 60 s (four instants) at most.
    expect(Object.keys(world.current.resourceServer.dpopJtis).length).toBeLessThanOrEqual(4);
    expect(Object.keys(world.current.authServer.dpopJtis).length).toBeLessThanOrEqual(2);
  });
});

describe('§6 at the token endpoint (RFC 9449 §5) and refresh check 7', () => {
  it('a stolen refresh token without the key: 400 invalid_grant dpop_key_mismatch, nothing revoked, the app unaffected', async () => {
    const outcome = await run({
      config: DPOP,
      steps: [login(0), steal('1m', 'refresh'), attackerRefresh('2m'), refresh('3m'), callApi('3m')],
    });
    expect(stepResult(outcome, 2)).toMatchObject({ ok: false, status: 400, error: 'invalid_grant', reason: 'dpop_key_mismatch' });
    expect(dpopRefusals(outcome, 'attacker', 'token')).toEqual([[120, 'dpop_key_mismatch', 'missing']]);
    expect(eventsOf(outcome.events, 'GrantRevoked')).toEqual([]);
    expect(eventsOf(outcome.events, 'RefreshTokenConsumed').map((e) => e.label)).toEqual(['RT#1']);
    expect(
      results(outcome)
        .slice(3)
        .map((r) => r.ok),
    ).toEqual([true, true]);
    // Like any invalid_grant, the attacker drops the refused token.
    expect(eventsOf(outcome.events, 'TokenDropped').map((e) => [e.by, e.label, e.reason])).toEqual([
      ['attacker', 'RT#1', 'dpop_key_mismatch'],
    ]);
  });

  it('possession is checked before reuse detection: a thief presenting a used bound token revokes nothing', async () => {
    const outcome = await run({
      config: DPOP,
      steps: [login(0), steal('1m', 'refresh'), refresh('2m'), attackerRefresh('3m'), refresh('4m')],
    });
    expect(stepResult(outcome, 3).reason).toBe('dpop_key_mismatch');
    expect(eventsOf(outcome.events, 'GrantRevoked')).toEqual([]);
    expect(stepResult(outcome, 4).ok).toBe(true);
    // The same theft without DPoP trips reuse detection and costs the user the session.
    const bearer = await run({ steps: [login(0), steal('1m', 'refresh'), refresh('2m'), attackerRefresh('3m'), refresh('4m')] });
    expect([stepResult(bearer, 3).reason, stepResult(bearer, 4).reason]).toEqual(['reused', 'revoked']);
  });

  it('a proof made with another key: dpop_key_mismatch (key)', async () => {
    const outcome = await run({ config: DPOP, steps: [login(0), steal(0, 'refresh'), attackerRefreshWith('1m', 'own-key')] });
    expect(dpopRefusals(outcome, 'attacker', 'token')).toEqual([[60, 'dpop_key_mismatch', 'key']]);
    expect(stepResult(outcome, 2)).toMatchObject({ status: 400, error: 'invalid_grant' });
  });

  it('an invalid proof is refused before the token is looked at: 400 invalid_dpop_proof dpop_invalid', async () => {
    const outcome = await run({
      config: DPOP,
      steps: [
        login(0),
        steal(0, 'refresh'),
        attackerRefreshWith(0, 'replay'),
        attackerRefreshWith('1m1s', 'replay'),
        callApi('2m'),
        attackerRefreshWith('2m', 'replay'),
      ],
    });
    // The login's proof, resent: its jti was seen; 61 s later its iat is out of the window; the
    // app's API proof is for another method and URL.
    expect(dpopRefusals(outcome, 'attacker', 'token')).toEqual([
      [0, 'dpop_invalid', 'replay'],
      [61, 'dpop_invalid', 'iat'],
      [120, 'dpop_invalid', 'method'],
    ]);
    expect(stepResult(outcome, 2)).toMatchObject({ status: 400, error: 'invalid_dpop_proof', reason: 'dpop_invalid' });
    // invalid_dpop_proof is not invalid_grant: the attacker keeps the token.
    expect(eventsOf(outcome.events, 'TokenDropped')).toEqual([]);
    expect(eventsOf(outcome.events, 'GrantRevoked')).toEqual([]);
  });

  it('checks 2–5 come before 7: a revoked or expired family says so, whoever presents it', async () => {
    const revoked = await run({ config: DPOP, steps: [login(0), steal(0, 'refresh'), step(0, 'admin.revokeAll'), attackerRefresh('1m')] });
    expect(stepResult(revoked, 3).reason).toBe('revoked');
    const expired = await run({
      config: { ...DPOP, refreshToken: { absoluteTtl: '1h' } },
      steps: [login(0), steal(0, 'refresh'), attackerRefresh('1h')],
    });
    expect(stepResult(expired, 2).reason).toBe('expired_absolute');
  });

  it('the reuse interval still needs the key', async () => {
    const outcome = await run({
      config: { ...DPOP, refreshToken: { reuseInterval: '1m' } },
      steps: [login(0), steal(0, 'refresh'), refresh('10s'), attackerRefresh('20s')],
    });
    expect(stepResult(outcome, 3).reason).toBe('dpop_key_mismatch');
    expect(eventsOf(outcome.events, 'ReuseIntervalUsed')).toEqual([]);
  });

  it('a stolen password is not stopped: the attacker logs in with its own key, and its tokens are bound to that key', async () => {
    const world = await worldOf({
      config: { ...DPOP, login: 'password-grant', client: { storesPassword: true } },
      steps: [login(0), steal(0, 'password'), attackerLogin('1m'), attackerCall('2m'), attackerRefresh('3m'), attackerCall('3m')],
    });
    const outcome = await world.run();
    expect(
      results(outcome)
        .slice(2)
        .map((r) => r.ok),
    ).toEqual([true, true, true, true]);
    expect(
      proofsSent(outcome.events)
        .filter(([, from]) => from === 'attacker')
        .map(([, , , source]) => source),
    ).toEqual(['attackerKey', 'attackerKey', 'attackerKey', 'attackerKey']);
    const attackerTokens = eventsOf(outcome.events, 'AccessTokenIssued').filter((e) => e.to === 'attacker');
    expect(attackerTokens.map((e) => (e.token.claims.cnf as { jkt: string }).jkt)).toEqual([
      world.dpopKeys.attacker,
      world.dpopKeys.attacker,
    ]);
  });

  it("a confidential client's stolen secret and refresh token still work: the refresh token is unbound, so the attacker's own key will do", async () => {
    const world = await worldOf({
      config: { ...DPOP, client: { type: 'confidential' } },
      steps: [login(0), steal(0, 'refresh'), steal(0, 'clientSecret'), attackerRefresh('1m'), attackerCall('1m')],
    });
    const outcome = await world.run();
    expect(
      results(outcome)
        .slice(3)
        .map((r) => r.ok),
    ).toEqual([true, true]);
    expect(world.issuedAccessTokens[1]!.claims.cnf).toEqual({ jkt: world.dpopKeys.attacker });
  });
});

describe('§6 the limit: an attacker script inside the open page (RFC 9449 §11.4)', () => {
  it('while the page is hijacked, stolen tokens work through it; releasing the page ends that', async () => {
    const world = await worldOf({
      config: DPOP,
      steps: [
        login(0),
        steal('1m', 'access'),
        attackerCall('2m'),
        hijack('3m'),
        attackerCall('3m10s'),
        release('3m30s'),
        attackerCall('3m40s'),
      ],
    });
    const outcome = await world.run();
    expect(apiCalls(outcome.events, 'attacker')).toEqual([
      [120, 401, 'dpop_required'],
      [190, 200, null],
      [220, 401, 'dpop_required'],
    ]);
    const inPage = eventsOf(outcome.events, 'RequestSent').find((e) => e.t === 190)!.proof!;
    expect(inPage).toMatchObject({ source: 'hijackedPage', jkt: world.dpopKeys.client });
    expect(world.current.attacker.inPage).toBe(false);
  });

  it('the page closes when the user walks away: the attacker loses the key, and the trace says so', async () => {
    const outcome = await run({
      config: DPOP,
      steps: [
        login(0),
        steal('1m', 'both'),
        hijack('1m'),
        attackerCall('2m'),
        leave('3m'),
        attackerCall('3m'),
        hijack('3m30s'),
        arrive('4m'),
        hijack('4m'),
        attackerCall('4m'),
      ],
    });
    expect(apiCalls(outcome.events, 'attacker')).toEqual([
      [120, 200, null],
      [180, 401, 'dpop_required'],
      [240, 200, null],
    ]);
    expect(eventsOf(outcome.events, 'UserLeft').map((e) => [e.t, e.hijackEnded])).toEqual([[180, true]]);
    // No page to run in while it is closed (SCENARIO-FORMAT.md: page_not_held).
    expect(stepResult(outcome, 6)).toMatchObject({ ok: false, status: null, reason: 'page_not_held' });
    expect(stepResult(outcome, 8)).toMatchObject({ ok: true });
  });

  it('through the page a stolen refresh token refreshes — and rotation’s race is back on', async () => {
    const world = await worldOf({
      config: DPOP,
      steps: [login(0), steal('1m', 'refresh'), hijack('1m'), attackerRefresh('2m'), release('2m'), attackerCall('2m'), refresh('3m')],
    });
    const outcome = await world.run();
    expect(stepResult(outcome, 3)).toMatchObject({ ok: true, status: 200 });
    // The new tokens are bound to the app's key: outside the page the attacker cannot use them.
    expect(world.issuedAccessTokens[1]!.claims.cnf).toEqual({ jkt: world.dpopKeys.client });
    expect(stepResult(outcome, 5).reason).toBe('dpop_required');
    // The app presents the used token second: reuse detection revokes the family.
    expect(stepResult(outcome, 6).reason).toBe('reused');
  });

  it('hijacking changes nothing for bearer tokens, which need no key anyway', async () => {
    const file = { steps: [login(0), steal('1m', 'both'), attackerCall('2m'), attackerRefresh('3m')] };
    const plainRun = await run(file);
    const hijacked = await run({ ...file, steps: [...file.steps.slice(0, 2), hijack('1m'), ...file.steps.slice(2)] });
    expect(apiCalls(hijacked.events, 'attacker')).toEqual(apiCalls(plainRun.events, 'attacker'));
    expect(tokenCalls(hijacked.events, 'attacker')).toEqual(tokenCalls(plainRun.events, 'attacker'));
  });
});

describe('§9 exposure under DPoP', () => {
  const exposure = async (file: Record<string, unknown>) => (await run(file)).metrics.attacker.exposureSeconds;

  it('a stolen bound access token gives no exposure; a stolen bearer one does', async () => {
    const steps = [login(0), steal('1m', 'access')];
    expect(await exposure({ config: DPOP, steps, until: '1h' })).toBe(0);
    expect(await exposure({ steps, until: '1h' })).toBe(240);
  });

  it('a stolen bound refresh token gives none either (the bearer one: until the absolute lifetime)', async () => {
    const steps = [login(0), steal('1m', 'refresh')];
    expect(await exposure({ config: DPOP, steps, until: '1h' })).toBe(0);
    expect(await exposure({ config: { refreshToken: { absoluteTtl: '30m' } }, steps, until: '1h' })).toBe(29 * 60);
  });

  it('counts only while the page is hijacked', async () => {
    // Access token stolen at 1m (exp 5m): usable 3m–4m through the page.
    expect(await exposure({ config: DPOP, steps: [login(0), steal('1m', 'access'), hijack('3m'), release('4m')], until: '1h' })).toBe(60);
    // The page closing ends it too.
    expect(await exposure({ config: DPOP, steps: [login(0), steal('1m', 'access'), hijack('2m'), leave('2m30s')], until: '1h' })).toBe(30);
    // A refresh token through the page: as long as the hijack lasts, past the access token's exp.
    expect(await exposure({ config: DPOP, steps: [login(0), steal('1m', 'refresh'), hijack('10m'), release('40m')], until: '1h' })).toBe(
      30 * 60,
    );
  });

  it("counts tokens bound to the attacker's own key, and a stolen password, in full", async () => {
    const value = await exposure({
      config: { ...DPOP, login: 'password-grant', client: { storesPassword: true } },
      steps: [login(0), steal('10m', 'password')],
      until: '1h',
    });
    expect(value).toBe(50 * 60);
  });
});

describe('determinism', () => {
  it('proofs are identical on a replay, through step back, and differ for another seed', async () => {
    const file = {
      config: DPOP,
      behaviour: { user: { callApiEvery: '1m' }, attacker: { callApiEvery: '2m' } },
      steps: [arrive(0), steal('1m', 'both'), hijack('3m'), release('6m'), attackerCallWith('7m', 'replay')],
      until: '15m',
    };
    const proofs = (events: readonly SimEvent[]) => eventsOf(events, 'RequestSent').flatMap((e) => (e.proof ? [e.proof.jwt] : []));
    const a = await worldOf(file);
    const first = plain(await a.run());
    const b = await run(file);
    expect(proofs(b.events)).toEqual(proofs(first.events));
    expect(plain(b)).toEqual(first);
    expect(proofs(first.events).length).toBeGreaterThan(20);
    for (const cut of [1, Math.floor(a.opCount / 2), a.opCount - 1]) {
      await a.rewindTo(cut);
      expect(plain(await a.run())).toEqual(first);
    }
    const other = await run({ ...file, seed: 2 });
    expect(proofs(other.events)).not.toEqual(proofs(first.events));
  });

  it('a DPoP world and a bearer world run side by side give what each gives alone', async () => {
    const steps = [
      login(0),
      steal('1m', 'both'),
      attackerCall('2m'),
      attackerRefresh('3m'),
      hijack('4m'),
      attackerCall('4m'),
      callApi('5m'),
    ];
    const files = [{ config: DPOP, steps }, { steps }];
    const alone = [plain(await run(files[0]!)), plain(await run(files[1]!))];
    const worlds = await Promise.all(files.map((f) => World.create(scenarioOf(f))));
    const together = (await Promise.all(worlds.map((w) => w.run()))).map(plain);
    expect(together).toEqual(alone);
    expect(apiCalls(alone[0]!.events, 'attacker').map(([, s]) => s)).toEqual([401, 200]);
    expect(apiCalls(alone[1]!.events, 'attacker').map(([, s]) => s)).toEqual([200, 200]);
  });
});

describe('§8 the DPoP reason codes', () => {
  const cases: Array<[string, Record<string, unknown>, number, [number, string]]> = [
    ['dpop_required', { config: DPOP, steps: [login(0), steal(0, 'access'), attackerCall(0)] }, 2, [401, 'invalid_token']],
    [
      'dpop_invalid (RS)',
      { config: DPOP, steps: [login(0), steal(0, 'access'), attackerCallWith(0, 'own-key')] },
      2,
      [401, 'invalid_dpop_proof'],
    ],
    ['dpop_key_mismatch', { config: DPOP, steps: [login(0), steal(0, 'refresh'), attackerRefresh(0)] }, 2, [400, 'invalid_grant']],
    [
      'dpop_invalid (AS)',
      { config: DPOP, steps: [login(0), steal(0, 'refresh'), attackerRefreshWith(0, 'replay')] },
      2,
      [400, 'invalid_dpop_proof'],
    ],
  ];

  it.each(cases)('%s', async (name, file, index, [status, error]) => {
    const outcome = await run(file);
    expect(stepResult(outcome, index)).toMatchObject({ ok: false, status, error, reason: name.split(' ')[0] });
  });
});

// ---------------------------------------------------------------------------------------------
// The verifier itself: every check of RFC 9449 §4.3, including those no party here ever fails.

describe('the proof verifier (RFC 9449 §4.3)', () => {
  const now = EPOCH + 1000;
  const cryptoP = createWorldCrypto(1);
  const accessToken = 'header.payload.signature';

  async function proof(claims: Record<string, unknown> = {}, by: 'client' | 'attacker' = 'client') {
    const c = await cryptoP;
    const ath = accessTokenHash(accessToken);
    return c.signProof(by, { jti: 'jti-1', htm: 'GET', htu: API_ENDPOINT, iat: now, ath, ...claims });
  }

  async function verify(jwt: string, expect: Partial<ProofExpectation> = {}) {
    const c = await cryptoP;
    return verifyDpopProof(jwt, {
      htm: 'GET',
      htu: API_ENDPOINT,
      nowUnix: now,
      accessToken,
      boundJkt: c.jkt.client,
      seen: () => false,
      ...expect,
    });
  }

  it('accepts a fresh proof of the bound key for this token', async () => {
    const c = await cryptoP;
    expect(await verify((await proof()).jwt)).toEqual({ ok: true, jti: 'jti-1', iat: now, jkt: c.jkt.client });
  });

  it('refuses a tampered signature, a wrong typ, and what is not a proof at all', async () => {
    const good = (await proof()).jwt;
    const [h, p, sig] = good.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...decodeJwt(good), htm: 'POST' })).toString('base64url');
    expect(await verify(`${h}.${forgedPayload}.${sig}`)).toMatchObject({ ok: false, check: 'signature' });
    expect(await verify(`${h}.${p}.${sig!.slice(0, -4)}AAAA`)).toMatchObject({ ok: false, check: 'signature' });
    const pair = await deriveKeyPair(1, 'client-dpop');
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: pair.publicJwk.x };
    const wrongType = await new SignJWT({ jti: 'j', htm: 'GET', htu: API_ENDPOINT, iat: now })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', jwk })
      .sign(pair.privateKey);
    expect(await verify(wrongType)).toMatchObject({ ok: false, check: 'type' });
    const noJwk = await new SignJWT({ jti: 'j', htm: 'GET', htu: API_ENDPOINT, iat: now })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'dpop+jwt' })
      .sign(pair.privateKey);
    expect(await verify(noJwk)).toMatchObject({ ok: false, check: 'malformed' });
    const noJti = await new SignJWT({ htm: 'GET', htu: API_ENDPOINT, iat: now })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'dpop+jwt', jwk })
      .sign(pair.privateKey);
    expect(await verify(noJti)).toMatchObject({ ok: false, check: 'malformed' });
    expect(await verify('not-a-jwt')).toMatchObject({ ok: false, check: 'malformed' });
  });

  it('refuses the wrong method (htm) and the wrong URL (htu)', async () => {
    expect(await verify((await proof({ htm: 'POST' })).jwt)).toMatchObject({ ok: false, check: 'method' });
    expect(await verify((await proof({ htu: `${API_ENDPOINT}/other` })).jwt)).toMatchObject({ ok: false, check: 'url' });
    expect(await verify((await proof({ htu: TOKEN_ENDPOINT })).jwt)).toMatchObject({ ok: false, check: 'url' });
  });

  it(`accepts iat within ±${DPOP_IAT_WINDOW} s of now and refuses it beyond, in the past or the future`, async () => {
    for (const [offset, ok] of [
      [-DPOP_IAT_WINDOW, true],
      [-DPOP_IAT_WINDOW - 1, false],
      [DPOP_IAT_WINDOW, true],
      [DPOP_IAT_WINDOW + 1, false],
    ] as const) {
      const verdict = await verify((await proof({ iat: now + offset })).jwt);
      expect(verdict.ok ? 'ok' : verdict.check, `iat ${offset}`).toBe(ok ? 'ok' : 'iat');
    }
  });

  it('refuses a jti already seen (a replay), and remembers a jti once it passed that check', async () => {
    const jwt = (await proof()).jwt;
    expect(await verify(jwt, { seen: (jti) => jti === 'jti-1' })).toMatchObject({ ok: false, check: 'replay', remember: false });
    expect(await verify(jwt, { accessToken: 'another.access.token' })).toMatchObject({ ok: false, check: 'ath', remember: true });
  });

  it('refuses an ath that is not the hash of the access token sent with it, and a missing ath', async () => {
    expect(await verify((await proof({ ath: sha256('some other token') })).jwt)).toMatchObject({ ok: false, check: 'ath' });
    expect(await verify((await proof({ ath: undefined })).jwt)).toMatchObject({ ok: false, check: 'ath' });
    // At the token endpoint there is no access token, so no ath is asked for.
    expect(
      await verify((await proof({ ath: undefined, htm: 'POST', htu: TOKEN_ENDPOINT })).jwt, {
        htm: 'POST',
        htu: TOKEN_ENDPOINT,
        accessToken: undefined,
        boundJkt: undefined,
      }),
    ).toMatchObject({ ok: true });
  });

  it('refuses a valid proof made with a key other than the bound one', async () => {
    const c = await cryptoP;
    const verdict = await verify((await proof({}, 'attacker')).jwt);
    expect(verdict).toMatchObject({ ok: false, check: 'key' });
    expect(await verify((await proof({}, 'attacker')).jwt, { boundJkt: c.jkt.attacker })).toMatchObject({ ok: true, jkt: c.jkt.attacker });
  });
});

describe('the scenario format: attacker.hijackPage, attacker.releasePage and "proof"', () => {
  const base = { format: 'tokenscope/1' };

  it('parses the new actions and the proof field, and writes them back', () => {
    const steps = [
      { at: '1m', do: 'attacker.hijackPage' },
      { at: '2m', do: 'attacker.callApi', proof: 'replay' },
      { at: '2m', do: 'attacker.refresh', proof: 'own-key' },
      { at: '3m', do: 'attacker.releasePage' },
      { at: '3m', do: 'attacker.callApi' },
    ];
    const parsed = parseScenario({ ...base, config: DPOP, steps });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.scenario.steps.map(({ at, ...rest }) => [at, rest])).toEqual([
      [60, { do: 'attacker.hijackPage' }],
      [120, { do: 'attacker.callApi', proof: 'replay' }],
      [120, { do: 'attacker.refresh', proof: 'own-key' }],
      [180, { do: 'attacker.releasePage' }],
      [180, { do: 'attacker.callApi' }],
    ]);
    const again = parseScenario(scenarioToJson(parsed.scenario));
    expect(again.ok && again.scenario).toEqual(parsed.scenario);
  });

  it('refuses an unknown proof choice, a proof on other actions, and fields on the page actions', () => {
    const error = (step: Record<string, unknown>) => {
      const parsed = parseScenario({ ...base, steps: [step] });
      return parsed.ok ? 'ok' : parsed.error;
    };
    expect(error({ at: 0, do: 'attacker.callApi', proof: 'steal' })).toBe(
      'steps[0].proof: expected one of "own-key", "replay", got "steal"',
    );
    expect(error({ at: 0, do: 'client.callApi', proof: 'replay' })).toBe('steps[0]: unknown field "proof"');
    expect(error({ at: 0, do: 'attacker.hijackPage', what: 'key' })).toBe('steps[0]: unknown field "what"');
  });
});
