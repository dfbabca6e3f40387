import browserTokenStorage from '../scenarios/browser-token-storage.json';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../sim/scenario';
import { ACTION_NAMES, type Action, type Reason, type SimEvent, type SimEventBody } from '../sim/types';
import { World } from '../sim/world';
import { createNarrator, narrate, type NarrationLine } from './narration';
import { actionLabel, reasonText, REASONS } from './vocabulary';
import { viewOf, worldAt } from './test-support';
import type { WorldView } from './view';

// ---- fixtures from real runs ------------------------------------------------------------------

async function linesOf(file: Record<string, unknown>, t?: number): Promise<NarrationLine[]> {
  return narrate(viewOf(await worldAt(file, t)));
}

// ---- every reason code ------------------------------------------------------------------------

/** A view of a real world (logged in, tokens stolen) with synthetic events appended. */
async function withEvents(bodies: SimEventBody[]): Promise<WorldView> {
  const w = await worldAt({
    steps: [
      { at: 0, do: 'client.login' },
      { at: 10, do: 'attacker.steal', what: 'both' },
    ],
  });
  const view = viewOf(w);
  const base = view.events.length;
  const extra = bodies.map((body, i) => ({ ...body, seq: base + i, t: view.t, cause: { kind: 'command' } }) as SimEvent);
  return { ...view, events: [...view.events, ...extra] };
}

function apiRejection(reason: Reason, token: string | null = 'AT#1'): SimEventBody[] {
  return [
    { type: 'RequestSent', id: 900, from: 'attacker', to: 'resourceServer', endpoint: 'api', token },
    {
      type: 'ResponseSent',
      requestId: 900,
      from: 'resourceServer',
      to: 'attacker',
      endpoint: 'api',
      status: 401,
      error: reason === 'no_token' ? null : reason === 'dpop_invalid' ? 'invalid_dpop_proof' : 'invalid_token',
      reason,
      issued: [],
    },
  ];
}

function tokenRejection(reason: Reason, grantType: 'password' | 'refresh_token'): SimEventBody[] {
  const status = reason === 'client_auth_failed' ? 401 : 400;
  const error = reason === 'client_auth_failed' ? 'invalid_client' : reason === 'dpop_invalid' ? 'invalid_dpop_proof' : 'invalid_grant';
  return [
    {
      type: 'RequestSent',
      id: 901,
      from: 'attacker',
      to: 'authServer',
      endpoint: 'token',
      grantType,
      token: grantType === 'refresh_token' ? 'RT#1' : null,
    },
    ...(reason === 'reused'
      ? [{ type: 'GrantRevoked', grantId: 'G1', revocationCause: 'reuse', labels: ['RT#1', 'AT#1'] } as SimEventBody]
      : []),
    { type: 'ResponseSent', requestId: 901, from: 'authServer', to: 'attacker', endpoint: 'token', status, error, reason, issued: [] },
  ];
}

function signInPageRejection(reason: Reason): SimEventBody[] {
  return [
    { type: 'RequestSent', id: 902, from: 'attacker', to: 'authServer', endpoint: 'authorize', token: null, silent: true },
    {
      type: 'ResponseSent',
      requestId: 902,
      from: 'authServer',
      to: 'attacker',
      endpoint: 'authorize',
      status: 400,
      error: 'invalid_grant',
      reason,
      issued: [],
    },
  ];
}

function codeRejection(reason: Reason): SimEventBody[] {
  return [
    {
      type: 'RequestSent',
      id: 903,
      from: 'attacker',
      to: 'authServer',
      endpoint: 'token',
      grantType: 'authorization_code',
      token: null,
      code: 'AC#1',
    },
    {
      type: 'ResponseSent',
      requestId: 903,
      from: 'authServer',
      to: 'attacker',
      endpoint: 'token',
      status: 400,
      error: 'invalid_grant',
      reason,
      issued: [],
    },
  ];
}

function nothingSent(action: Action, reason: Reason): SimEventBody[] {
  const actor = action.do.startsWith('attacker.') ? 'attacker' : 'client';
  return [
    { type: 'ActionStarted', actor, action },
    { type: 'ActionFinished', actor, action, ok: false, status: null, error: null, reason },
  ];
}

/** Each reason, the events that carry it, and words its sentence must contain. */
const REASON_CASES = {
  no_token: { events: apiRejection('no_token', null), words: /no token at all/ },
  expired: { events: apiRejection('expired'), words: /expired .*now < exp/ },
  not_yet_valid: { events: apiRejection('not_yet_valid'), words: /not valid yet/ },
  bad_signature: { events: apiRejection('bad_signature'), words: /signature does not verify/ },
  wrong_audience: { events: apiRejection('wrong_audience'), words: /audience/ },
  wrong_issuer: { events: apiRejection('wrong_issuer'), words: /issuer \(iss\)/ },
  wrong_type: { events: apiRejection('wrong_type'), words: /typ.*at\+jwt/ },
  inactive: { events: apiRejection('inactive'), words: /asked the auth server \(introspection\).*inactive/ },
  dpop_required: { events: apiRejection('dpop_required'), words: /DPoP key/ },
  dpop_invalid: { events: apiRejection('dpop_invalid'), words: /DPoP proof .* invalid/ },
  unknown_token: { events: tokenRejection('unknown_token', 'refresh_token'), words: /no record of RT#1/ },
  expired_idle: { events: tokenRejection('expired_idle', 'refresh_token'), words: /idle/ },
  expired_absolute: { events: tokenRejection('expired_absolute', 'refresh_token'), words: /absolute lifetime is over/ },
  revoked: { events: tokenRejection('revoked', 'refresh_token'), words: /revoked/ },
  reused: {
    events: tokenRejection('reused', 'refresh_token'),
    words: /reuse.*cannot tell which one is the thief.*revoked the whole family G1/,
  },
  consumed: { events: tokenRejection('consumed', 'refresh_token'), words: /no reuse detection.*revokes nothing/ },
  user_suspended: { events: tokenRejection('user_suspended', 'refresh_token'), words: /suspended/ },
  bad_password: { events: tokenRejection('bad_password', 'password'), words: /stolen password no longer works/ },
  dpop_key_mismatch: { events: tokenRejection('dpop_key_mismatch', 'refresh_token'), words: /bound to the app’s DPoP key.*different key/ },
  client_auth_failed: { events: tokenRejection('client_auth_failed', 'refresh_token'), words: /client secret.*not even reuse detection/ },
  login_required: { events: signInPageRejection('login_required'), words: /no live sign-in session/ },
  pkce_failed: { events: codeRejection('pkce_failed'), words: /PKCE verifier does not match/ },
  code_used: { events: codeRejection('code_used'), words: /already redeemed.*revoked the grant/ },
  no_password: { events: nothingSent({ do: 'attacker.login' }, 'no_password'), words: /^Nothing was sent: .*no stolen password/ },
  nothing_to_steal: {
    events: nothingSent({ do: 'attacker.steal', what: 'password' }, 'nothing_to_steal'),
    words: /^Nothing was (stolen or )?sent: .*no stored password/,
  },
  no_code: { events: nothingSent({ do: 'client.login' }, 'no_code'), words: /never received its authorization code/ },
  page_not_held: {
    events: nothingSent({ do: 'attacker.silentLogin' }, 'page_not_held'),
    words: /script is not running in the app’s open page/,
  },
} satisfies Record<Reason, { events: SimEventBody[]; words: RegExp }>;

describe('every reason code gets its own sentence', () => {
  const seen = new Map<string, Reason>();
  it.each(REASONS)('%s', async (reason) => {
    const view = await withEvents(REASON_CASES[reason].events);
    const before = narrate({ ...view, events: view.events.slice(0, view.events.length - REASON_CASES[reason].events.length) });
    const lines = narrate(view);
    expect(lines).toHaveLength(before.length + 1);
    const text = lines.at(-1)!.text;
    expect(text).toMatch(REASON_CASES[reason].words);
    // No raw reason codes in the prose (the HTTP error codes, invalid_grant etc., are shown on purpose).
    expect(text.replace(/\binvalid_[a-z_]+/g, '')).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
    expect(seen.get(text)).toBeUndefined();
    seen.set(text, reason);
  });

  it('covers every reason of SEMANTICS.md §8', () => {
    expect(new Set(REASONS)).toEqual(new Set(Object.keys(REASON_CASES)));
  });

  it('"nothing was sent" also for an app without a refresh token', async () => {
    const view = await withEvents(nothingSent({ do: 'client.refresh' }, 'no_token'));
    expect(narrate(view).at(-1)!.text).toBe('Nothing was sent: the app holds no refresh token to refresh with.');
  });
});

describe('reasonText and actionLabel', () => {
  it('has a distinct short phrase for every reason', () => {
    const phrases = REASONS.map(reasonText);
    expect(new Set(phrases).size).toBe(REASONS.length);
    expect(reasonText('reused')).toBe('reuse detected — family revoked');
    expect(reasonText('expired')).toBe('expired');
    for (const phrase of phrases) expect(phrase.length).toBeLessThan(40);
  });

  it('labels every action', () => {
    const labels = ACTION_NAMES.map((name) =>
      actionLabel((name === 'attacker.steal' ? { do: name, what: 'refresh' } : { do: name }) as Action),
    );
    for (const label of labels) expect(label).toMatch(/^[A-Z]/);
    expect(actionLabel({ do: 'attacker.forge', kind: 'alg-none' })).toMatch(/alg none/);
    expect(actionLabel({ do: 'attacker.steal', what: 'both' })).toBe('Steal both tokens');
  });
});

// ---- sentences from real runs -----------------------------------------------------------------

describe('narration of real runs', () => {
  it('tells a request and its answer as one line, and skips action bookkeeping', async () => {
    const lines = await linesOf({
      steps: [
        { at: 0, do: 'client.login' },
        { at: 60, do: 'client.callApi' },
      ],
    });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ t: 0, actor: 'client', tone: 'ok', tokens: ['AT#1', 'RT#1'] });
    expect(lines[0]!.text).toMatch(/typed the password.*new grant G1.*AT#1 \(it expires at 09:05:00, in 5 min\) and refresh token RT#1/);
    expect(lines[1]!.text).toMatch(
      /accepted it: its signature checks out.*expires at 09:05:00, in 4 min\. The resource server did not ask the auth server/,
    );
  });

  it('explains an expiry at exactly exp with the now < exp rule', async () => {
    const lines = await linesOf({
      steps: [
        { at: 0, do: 'client.login' },
        { at: '5m', do: 'client.callApi' },
      ],
    });
    const text = lines.at(-1)!.text;
    expect(lines.at(-1)!.tone).toBe('bad');
    expect(text).toMatch(/AT#1 expired exactly now, at 09:05:00/);
    expect(text).toMatch(/only while now < exp/);
  });

  it('mentions leeway in the expiry rule when there is one', async () => {
    const lines = await linesOf({
      config: { resourceServer: { leeway: '30s' } },
      steps: [
        { at: 0, do: 'client.login' },
        { at: '5m29s', do: 'client.callApi' },
        { at: '5m30s', do: 'client.callApi' },
      ],
    });
    expect(lines[1]!.tone).toBe('ok');
    expect(lines[2]!.text).toMatch(/now < exp \+ leeway \(30 s\)/);
  });

  it('says the RS did not ask the AS when it accepts a token after a suspension', async () => {
    const lines = await linesOf({
      steps: [
        { at: 0, do: 'client.login' },
        { at: '1m', do: 'attacker.steal', what: 'access' },
        { at: '2m', do: 'admin.suspendUser' },
        { at: '3m', do: 'attacker.callApi' },
      ],
    });
    const suspension = lines.find((l) => l.actor === 'admin')!;
    expect(suspension.text).toMatch(/suspension revokes nothing/);
    expect(suspension.text).toMatch(/AT#1 \(held by the app and the attacker\) until 09:05:00, in 3 min/);
    const accepted = lines.at(-1)!;
    expect(accepted).toMatchObject({ actor: 'attacker', tone: 'warn' });
    expect(accepted.text).toMatch(/did not ask the auth server, so it cannot know that the user was suspended 1 min ago/);
  });

  it('names the revoked grant when a logged-out token is still accepted', async () => {
    const lines = await linesOf({
      steps: [
        { at: 0, do: 'client.login' },
        { at: 30, do: 'attacker.steal', what: 'access' },
        { at: 60, do: 'client.logout' },
        { at: 90, do: 'attacker.callApi' },
      ],
    });
    expect(lines[2]!.text).toMatch(
      /The user logged out: the app sent RT#1 to the auth server’s revocation endpoint; the auth server revoked grant G1/,
    );
    expect(lines[2]!.text).toMatch(/AT#1 \(held by the attacker\) until 09:05:00/);
    expect(lines[3]!.text).toMatch(/cannot know that its grant G1 was revoked by a logout 30 s ago/);
  });

  it('uses the word "reuse" and says who loses when the client refreshes first', async () => {
    const lines = await linesOf({
      steps: [
        { at: 0, do: 'client.login' },
        { at: '1m', do: 'attacker.steal', what: 'refresh' },
        { at: '2m', do: 'client.refresh' },
        { at: '3m', do: 'attacker.refresh' },
      ],
    });
    const rotation = lines[2]!.text;
    expect(rotation).toMatch(/RT#1 at the auth server for AT#2 .* a new refresh token, RT#2\. With rotation, RT#1 is now used up/);
    const reuse = lines[3]!;
    expect(reuse).toMatchObject({ actor: 'attacker', tone: 'warn' });
    expect(reuse.text).toMatch(/reuse/);
    expect(reuse.text).toMatch(/already been used at 09:02:00/);
    expect(reuse.text).toMatch(/cannot tell which one is the thief, so it revoked the whole family G1 \(RT#1, RT#2, AT#1, AT#2\)/);
    expect(reuse.text).toMatch(/The attacker loses now\. The app loses too, at its next refresh, when RT#2 is refused/);
    expect(reuse.tokens).toEqual(['RT#1', 'RT#2', 'AT#1', 'AT#2']);
  });

  it('says the attacker keeps its access token when it refreshed first', async () => {
    const lines = await linesOf({
      steps: [
        { at: 0, do: 'client.login' },
        { at: '1m', do: 'attacker.steal', what: 'refresh' },
        { at: '2m', do: 'attacker.refresh' },
        { at: '3m', do: 'client.refresh' },
      ],
    });
    const reuse = lines.at(-1)!;
    expect(reuse.actor).toBe('client');
    expect(reuse.text).toMatch(/reuse/);
    expect(reuse.text).toMatch(/The app is the one refused here.*keeps using AT#2 \(until 09:07:00, in 4 min\)/);
  });

  it('says the same refresh token comes back without rotation', async () => {
    const lines = await linesOf({
      config: { preset: 'static-refresh' },
      steps: [
        { at: 0, do: 'client.login' },
        { at: '5m', do: 'client.refresh' },
        { at: '10m', do: 'client.refresh' },
      ],
    });
    expect(lines[1]!.text).toMatch(/handed back the same RT#1 \(no rotation\)/);
    expect(lines[2]!.text).toMatch(/the same RT#1 came back again/);
  });

  it('marks automatic traffic as done on its own', async () => {
    const lines = await linesOf({
      behaviour: { user: { callApiEvery: '5m' }, attacker: { callApiEvery: '5m' } },
      steps: [
        { at: 0, do: 'user.arrive' },
        { at: '1m', do: 'attacker.steal', what: 'both' },
      ],
      until: '7m',
    });
    expect(lines[0]!.text).toMatch(/The user opened the app; while they use it, the app calls the API every 5 min/);
    expect(lines[1]!.text).toMatch(/^The app, on its own, asked the user for the password \(a password prompt\)/);
    expect(lines.some((l) => l.text.startsWith('The attacker’s script, on its own,'))).toBe(true);
  });

  it('explains introspection answers', async () => {
    const lines = await linesOf({
      config: { preset: 'introspected-access' },
      steps: [
        { at: 0, do: 'client.login' },
        { at: 60, do: 'client.callApi' },
        { at: 120, do: 'admin.suspendUser' },
        { at: 180, do: 'client.callApi' },
      ],
    });
    expect(lines[1]!.text).toMatch(/asked the auth server \(introspection\), which confirmed the token is still active/);
    expect(lines[2]!.text).toMatch(/AT#1 stops working right away/);
    expect(lines[3]!.text).toMatch(/asked the auth server \(introspection\).*“inactive” because the user was suspended at 09:02:00/);
  });

  it('explains forged tokens', async () => {
    const lines = await linesOf({
      steps: [
        { at: 0, do: 'client.login' },
        { at: 10, do: 'attacker.forge', kind: 'own-key' },
        { at: 20, do: 'attacker.forge', kind: 'alg-none' },
        { at: 30, do: 'attacker.forge', kind: 'wrong-audience' },
      ],
    });
    const [, own, none, aud] = lines;
    expect(own!.text).toMatch(/made FT#1, a token signed with its own key.*Only the auth server holds the signing key/);
    expect(none!.text).toMatch(/FT#2, an unsigned token \(alg: none\).*fails the signature check/);
    expect(aud!.text).toMatch(/FT#3 — a genuine token .* different API.*audience \(aud = https:\/\/photos\.tokenscope\.example\)/);
    expect([own, none, aud].map((l) => l!.tone)).toEqual(['bad', 'bad', 'bad']);
  });

  it('explains client authentication, theft, wipe and password changes', async () => {
    const confidential = await linesOf({
      config: { client: { type: 'confidential' } },
      steps: [
        { at: 0, do: 'client.login' },
        { at: 10, do: 'attacker.steal', what: 'refresh' },
        { at: 20, do: 'attacker.refresh' },
      ],
    });
    expect(confidential[1]!.text).toMatch(/only together with the app’s client secret/);
    expect(confidential[2]!.text).toMatch(/401 invalid_client.*nothing changed, not even reuse detection/);

    const xss = await linesOf({
      steps: [
        { at: 0, do: 'client.login' },
        { at: 10, do: 'attacker.steal', what: 'both' },
        { at: 10, do: 'attacker.wipe' },
        { at: 20, do: 'user.changePassword' },
      ],
    });
    expect(xss[1]!.text).toMatch(/copied the access token AT#1: the attacker can call the API as the user until it expires at 09:05:00/);
    expect(xss[1]!.text).toMatch(/refresh token RT#1: it lets the attacker ask the auth server for fresh access tokens/);
    expect(xss[2]!.text).toMatch(/deleted the app’s tokens \(AT#1, RT#1\).*reuse detection never fires/);
    expect(xss[3]!.text).toMatch(
      /changed the password\. This auth server is configured to revoke every grant of the user on a password change, so it revoked G1:.*stay valid at the resource server until they expire — AT#1 \(held by the attacker\)/,
    );
  });

  it('explains idle and absolute lifetimes', async () => {
    const idle = await linesOf({
      config: { refreshToken: { idleTtl: '1h' } },
      steps: [
        { at: 0, do: 'client.login' },
        { at: '10m', do: 'client.refresh' },
        { at: '70m', do: 'client.refresh' },
      ],
    });
    expect(idle.at(-1)!.text).toMatch(/last used \(by a login or refresh\) at 09:10:00, and its idle lifetime of 1 h ran out at 10:10:00/);
    const absolute = await linesOf({
      config: { refreshToken: { absoluteTtl: '1h' } },
      steps: [
        { at: 0, do: 'client.login' },
        { at: '30m', do: 'client.refresh' },
        { at: '1h', do: 'client.refresh' },
      ],
    });
    expect(absolute.at(-1)!.text).toMatch(
      /absolute lifetime is over: it began with the login at 09:00:00 and may last at most 1 h, until 10:00:00/,
    );
    expect(absolute.at(-1)!.text).toMatch(/The app drops RT#2/);
  });
});

describe('narration of stored passwords, admins and the user coming and going', () => {
  it('tells the whole story in order', async () => {
    const lines = await linesOf({
      config: { preset: 'stored-password' },
      behaviour: { user: { callApiEvery: '5m' } },
      steps: [
        { at: 0, do: 'user.arrive' },
        { at: '1m', do: 'attacker.steal', what: 'password' },
        { at: '2m', do: 'attacker.login' },
        { at: '3m', do: 'user.leave' },
        { at: '4m', do: 'admin.revokeAll' },
        { at: '5m', do: 'user.changePassword' },
        { at: '6m', do: 'attacker.login' },
        { at: '6m', do: 'attacker.login' },
        { at: '7m', do: 'user.arrive' },
        { at: '8m', do: 'admin.suspendUser' },
        { at: '9m', do: 'admin.reinstateUser' },
      ],
    });
    const expected: [string, RegExp][] = [
      ['user', /^The user opened the app/],
      ['client', /asked the user for the password \(a password prompt\) and logged in/],
      ['client', /^The app saved the user’s password/],
      ['client', /accepted it/],
      ['attacker', /^The attacker copied the password the app stored: the attacker can log in as the user until the password changes/],
      ['attacker', /^The attacker logged in with the stolen password: .*grant G2.*cannot tell the attacker from the user/],
      ['user', /^The user walked away; the app stops calling the API\.$/],
      [
        'admin',
        /^An admin revoked all of the user’s grants — G1 \(AT#1\); G2 \(AT#2\) — without touching the password\..*AT#2 \(held by the attacker\) until 09:07:00/,
      ],
      [
        'user',
        /^The user changed the password\. The user had no live grant to revoke, and the old password stops working — including the copy the app stored and the copy the attacker stole\./,
      ],
      ['attacker', /stolen password no longer works since the user changed it at 09:05:00/],
      ['attacker', /^Nothing was sent: the attacker has no stolen password/],
      ['user', /^The user opened the app/],
      ['client', /^The app, on its own, tried to log in again with the password it stored: .*out of date/],
      ['client', /^The app, on its own, asked the user for the password \(a password prompt\) and logged in: .*grant G3/],
      ['client', /^The app saved/],
      ['client', /accepted it/],
      ['admin', /^An admin suspended the user\..*AT#3 \(held by the app\) until 09:12:00, in 4 min/],
      ['admin', /^An admin reinstated the user\. Suspension revoked nothing, so the unrevoked grants \(G3\) work again\./],
    ];
    expect(lines.map((l) => l.actor)).toEqual(expected.map(([actor]) => actor));
    lines.forEach((l, i) => expect(l.text).toMatch(expected[i]![1]));
  });

  it('tells the idle deadline when the user walks away', async () => {
    const lines = await linesOf({
      config: { refreshToken: { idleTtl: '1h' } },
      steps: [
        { at: 0, do: 'client.login' },
        { at: '10m', do: 'client.refresh' },
        { at: '11m', do: 'user.arrive' },
        { at: '12m', do: 'user.leave' },
      ],
    });
    expect(lines.at(-1)!.text).toBe(
      'The user walked away; the app stops calling the API. The refresh token’s idle lifetime is 1 h: if the user is back before 10:10:00, no password will be needed.',
    );
  });
});

// ---- incremental narration --------------------------------------------------------------------

describe('createNarrator', () => {
  it('appends without rebuilding old lines, and starts over after a rewind', async () => {
    const parsed = parseScenario({
      format: 'tokenscope/1',
      steps: [
        { at: 0, do: 'client.login' },
        { at: 60, do: 'client.callApi' },
        { at: 120, do: 'client.refresh' },
        { at: 180, do: 'client.logout' },
      ],
    });
    if (!parsed.ok) throw new Error(parsed.error);
    const w = await World.create(parsed.scenario);
    const narrator = createNarrator();
    await w.advanceTo(60);
    const first = narrator(viewOf(w));
    expect(narrator(viewOf(w))).toBe(first);
    await w.advanceTo(180);
    const later = narrator(viewOf(w));
    expect(later.slice(0, first.length)).toEqual(first);
    expect(later[0]).toBe(first[0]);
    expect(later).toEqual(narrate(viewOf(w)));
    await w.rewindTo(1);
    expect(narrator(viewOf(w))).toEqual(narrate(viewOf(w)));
    expect(narrator(viewOf(w))).toHaveLength(1);
  });

  it('narrates 10,000 events quickly', async () => {
    const w = await worldAt({
      config: { preset: 'static-refresh', accessToken: { ttl: '1m' } },
      behaviour: { user: { callApiEvery: '1m' } },
      steps: [{ at: 0, do: 'user.arrive' }],
      until: '2d',
    });
    const view = viewOf(w);
    expect(view.events.length).toBeGreaterThan(10_000);
    const started = performance.now();
    const lines = narrate(view);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(lines.length).toBeGreaterThan(2000);
  });
});

describe('narration of a script in the page under a backend-for-frontend', () => {
  it('says a proxied call went through the BFF, and closing the page speaks of no DPoP key', async () => {
    const lines = narrate(viewOf(await worldAt(browserTokenStorage as Record<string, unknown>, 200)));
    const proxied = lines.find((l) => l.t === 140)!.text;
    expect(proxied).toMatch(/through its script in the app’s page, sent a request that the backend-for-frontend passed on to the API/);
    expect(proxied).toMatch(/only while the script runs there/);
    const left = lines.find((l) => l.t === 180 && l.actor === 'user')!.text;
    expect(left).not.toMatch(/DPoP/);
  });
});

describe('an intercepted code and a password change that keeps grants (SEMANTICS.md §4, §10)', () => {
  it('tells the sign-in page, who got the code, and the attacker’s redemption: refused with PKCE, a grant without', async () => {
    const steps = [
      { at: 0, do: 'attacker.interceptCode' },
      { at: 1, do: 'client.login' },
    ];
    const withPkce = (await linesOf({ steps })).map((l) => l.text).join('\n');
    expect(withPkce).toMatch(/sign-in page: the user typed the password there .* but the attacker received it instead of the app/);
    expect(withPkce).toMatch(
      /The attacker tried to redeem AC#1: the auth server refused it \(400 invalid_grant\) because the PKCE verifier does not match/,
    );
    const without = (await linesOf({ config: { pkce: false }, steps })).map((l) => l.text).join('\n');
    expect(without).toMatch(/The attacker redeemed AC#1: the auth server started grant G1/);
  });

  it('a password change under the keep-grants policy says the grants stay usable, not that none was live', async () => {
    const lines = await linesOf({
      config: { authServer: { revokeGrantsOnPasswordChange: false } },
      steps: [
        { at: 0, do: 'client.login' },
        { at: 5, do: 'user.changePassword' },
      ],
    });
    const line = lines.find((l) => l.text.startsWith('The user changed the password'))!;
    expect(line.text).toMatch(/configured to keep the user’s grants on a password change .* so G1 stays usable/);
    expect(line.text).not.toMatch(/no live grant/);
  });
});
