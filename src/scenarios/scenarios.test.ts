// The built-in scenarios: each parses, teaches what it says it teaches, keeps its golden trace,
// and replays to identical token strings.
//
// Golden files are stories (golden-story.ts): the measures, each step's result, then one line per
// event with access tokens as decoded claims, so a diff reads as a change in behaviour. This file
// keeps each scenario's own run (__golden__/ID.txt); presets.test.ts keeps its run under every
// preset (__golden__/presets/). Update them after an intended change with
// `npx vitest run -u src/scenarios` and review the diff.
import { readdirSync } from 'node:fs';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { parseScenario, withPreset } from '../sim/scenario';
import type { AccessTokenRecord, Outcome, PresetId, Reason, Scenario, SimEvent, StepResult } from '../sim/types';
import { runScenario } from '../sim/world';
import { goldenStory } from './golden-story';
import { BUILT_IN_SCENARIOS } from './index';

const MINUTE = 60;
const HOUR = 3_600;
const DAY = 86_400;

// ---------------------------------------------------------------------------------------------
// Running (each scenario once, shared by every test that needs its outcome)

function scenarioOf(id: string): Scenario {
  const entry = BUILT_IN_SCENARIOS.find((s) => s.id === id);
  if (!entry) throw new Error(`no built-in scenario "${id}"`);
  const parsed = parseScenario(entry.json);
  if (!parsed.ok) throw new Error(`${id}: ${parsed.error}`);
  return parsed.scenario;
}

const runs = new Map<string, Promise<Outcome>>();

function outcomeOf(id: string): Promise<Outcome> {
  let run = runs.get(id);
  if (!run) {
    run = runScenario(scenarioOf(id));
    runs.set(id, run);
  }
  return run;
}

/** The results of step `index` (one per occurrence), failing clearly if it never ran. */
function resultsOf(outcome: Outcome, index: number): StepResult[] {
  const results = outcome.steps.filter((s) => s.index === index);
  if (results.length === 0) throw new Error(`step ${index} has no result`);
  return results;
}

function resultOf(outcome: Outcome, index: number): StepResult {
  const [result, ...more] = resultsOf(outcome, index);
  if (more.length > 0) throw new Error(`step ${index} is repeated; use resultsOf`);
  return result!;
}

/** Results of every occurrence of an action, in time order. */
function resultsOfAction(outcome: Outcome, action: string): StepResult[] {
  return outcome.steps.filter((s) => s.do === action);
}

function brief(result: Pick<StepResult, 'ok' | 'status' | 'reason'>): string {
  return result.ok ? `ok ${result.status ?? ''}`.trim() : `rejected ${result.status ?? '(not sent)'} ${result.reason}`;
}

/** Asserts one step's result with a message that names the step and the lesson point. */
function expectStep(outcome: Outcome, index: number, expected: { ok: boolean; reason?: Reason | null }, why: string): void {
  const result = resultOf(outcome, index);
  const want = { ok: expected.ok, reason: expected.reason ?? null };
  expect({ ok: result.ok, reason: result.reason }, `step ${index} (${result.do} at ${result.at}s) was ${brief(result)}: ${why}`).toEqual(
    want,
  );
}

function eventsOfType<T extends SimEvent['type']>(outcome: Outcome, type: T): Extract<SimEvent, { type: T }>[] {
  return outcome.events.filter((e): e is Extract<SimEvent, { type: T }> => e.type === type);
}

function issuedAccessTokens(outcome: Outcome): AccessTokenRecord[] {
  return eventsOfType(outcome, 'AccessTokenIssued').map((e) => e.token);
}

// ---------------------------------------------------------------------------------------------
// The files themselves

describe('the built-in scenario list', () => {
  it('lists every scenario file once, with a unique id', () => {
    const files = readdirSync(new URL('.', import.meta.url))
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length))
      .sort();
    const ids = BUILT_IN_SCENARIOS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(files);
  });

  it('has the lessons the product promises, lessons before comparisons', () => {
    const kinds = BUILT_IN_SCENARIOS.map((s) => s.kind);
    expect(kinds.lastIndexOf('lesson')).toBeLessThan(kinds.indexOf('comparison'));
    expect(kinds.filter((k) => k === 'lesson').length).toBeGreaterThanOrEqual(8);
    expect(BUILT_IN_SCENARIOS[0]!.id).toBe('basic-cycle');
  });
});

describe.each(BUILT_IN_SCENARIOS.map((entry) => [entry.id, entry] as const))('%s', (id, entry) => {
  it('parses with the real parser and sets its own end', () => {
    const parsed = parseScenario(entry.json);
    expect(parsed.ok ? 'ok' : parsed.error).toBe('ok');
    expect((entry.json as { until?: unknown }).until, 'every built-in scenario says when it ends').toBeDefined();
  });

  it('explains itself to a newcomer', () => {
    const scenario = scenarioOf(id);
    expect(scenario.title?.length, 'title').toBeGreaterThan(10);
    expect(scenario.description?.length, 'description').toBeGreaterThan(40);
    expect(scenario.goal?.length, 'goal').toBeGreaterThan(80);
    if (entry.kind !== 'lesson') return;
    scenario.steps.forEach((step, index) => {
      const said = step.lesson?.narration ?? step.lesson?.predict?.question;
      expect(said?.trim().length ?? 0, `step ${index} (${step.do}) needs a narration or a question`).toBeGreaterThan(0);
    });
    const predicts = scenario.steps.filter((step) => step.lesson?.predict);
    expect(predicts.length, 'a lesson asks at least one prediction').toBeGreaterThan(0);
    for (const step of predicts) expect(step.repeat, 'a prediction belongs to a single occurrence').toBeUndefined();
  });

  it('matches its golden story', async () => {
    const outcome = await outcomeOf(id);
    await expect(goldenStory({ id, kind: entry.kind, scenario: scenarioOf(id), outcome })).toMatchFileSnapshot(`./__golden__/${id}.txt`);
  });

  it('issues JWTs whose decoded claims are the ones the trace reports', async () => {
    const outcome = await outcomeOf(id);
    for (const token of issuedAccessTokens(outcome)) {
      expect(decodeJwt(token.jwt), token.label).toEqual(token.claims);
      expect(token.claims.exp, token.label).toBe((token.claims.iat as number) + token.expiresAt - token.issuedAt);
    }
  });

  it('replays to the same outcome, token strings included', async () => {
    const first = await outcomeOf(id);
    const second = await runScenario(scenarioOf(id));
    const rawTokens = (outcome: Outcome) =>
      outcome.events.flatMap((e) =>
        e.type === 'AccessTokenIssued' || e.type === 'AccessTokenForged'
          ? [e.token.jwt]
          : e.type === 'RefreshTokenIssued'
            ? [e.token.value]
            : [],
      );
    expect(rawTokens(first).length).toBeGreaterThan(0);
    expect(rawTokens(second)).toEqual(rawTokens(first));
    expect(second).toEqual(first);
  });
});

// ---------------------------------------------------------------------------------------------
// Predictions: each one names, in `predict.expect`, the result its right answer describes. One
// generic check runs every lesson and compares each asked step's actual result with it, so a wrong
// answer key cannot ship; a second makes the right choice agree with that result in words.

/** Words a right answer (its choice or explanation) uses when it says a step is refused for this reason. */
const REASON_WORDS: Partial<Record<Reason, RegExp>> = {
  expired: /expir|exp\b/i,
  expired_idle: /idle/i,
  expired_absolute: /absolute/i,
  revoked: /revok/i,
  reused: /reuse|revok/i,
  consumed: /used/i,
  user_suspended: /suspen/i,
  inactive: /inactive/i,
  dpop_required: /proof|key/i,
  dpop_key_mismatch: /key/i,
  dpop_invalid: /proof|replay/i,
  client_auth_failed: /secret|invalid_client/i,
  bad_password: /password/i,
  no_token: /no (refresh |access )?token|nothing/i,
  nothing_to_steal: /nothing|no token|holds no/i,
  no_code: /code/i,
  pkce_failed: /verifier|PKCE/i,
  code_used: /code/i,
  login_required: /sign-in session|password/i,
  page_not_held: /page/i,
};
/** A right answer that says the step succeeds must not say it is refused. */
const REFUSAL_WORDS = /\brefus|\breject|\b40[01]\b/i;

interface AskedPrediction {
  lesson: string;
  index: number;
  predict: NonNullable<NonNullable<Scenario['steps'][number]['lesson']>['predict']>;
}

function askedPredictions(): AskedPrediction[] {
  return BUILT_IN_SCENARIOS.filter((s) => s.kind === 'lesson').flatMap((entry) =>
    scenarioOf(entry.id).steps.flatMap((step, index) =>
      step.lesson?.predict ? [{ lesson: entry.id, index, predict: step.lesson.predict }] : [],
    ),
  );
}

describe.each(BUILT_IN_SCENARIOS.filter((s) => s.kind === 'lesson').map((entry) => [entry.id] as const))('%s predictions', (id) => {
  it('every prediction names its expected result, and the run gives exactly that', async () => {
    const outcome = await outcomeOf(id);
    for (const { index, predict } of askedPredictions().filter((p) => p.lesson === id)) {
      const right = predict.choices[predict.answer];
      expect(predict.expect, `step ${index}: "${predict.question}" needs predict.expect`).toBeDefined();
      const wanted = predict.expect!;
      const result = resultOf(outcome, index);
      const where = `step ${index} (${result.do} at ${result.at}s) was ${brief(result)}, but the answer "${right}" expects`;
      expect(result.ok, `${where} ok: ${wanted.ok}`).toBe(wanted.ok);
      if (wanted.ok || wanted.reason !== undefined)
        expect(result.reason, `${where} reason ${wanted.reason ?? null}`).toBe(wanted.reason ?? null);
      if (wanted.status !== undefined) expect(result.status, `${where} status ${wanted.status}`).toBe(wanted.status);
    }
  });

  it('each right choice says what its expected result is, and the choices differ', () => {
    for (const { index, predict } of askedPredictions().filter((p) => p.lesson === id)) {
      const right = predict.choices[predict.answer]!;
      expect(new Set(predict.choices).size, `step ${index}: two choices are the same`).toBe(predict.choices.length);
      const wanted = predict.expect!;
      if (wanted.ok) {
        expect(REFUSAL_WORDS.test(right), `step ${index}: the run succeeds, but the right choice "${right}" speaks of a refusal`).toBe(
          false,
        );
      } else if (wanted.reason) {
        const words = REASON_WORDS[wanted.reason];
        if (words)
          expect(
            words.test(`${right} ${predict.explanation}`),
            `step ${index}: "${right}" and its explanation never say why (${wanted.reason})`,
          ).toBe(true);
      }
    }
  });
});

describe('the answer key across all lessons', () => {
  it('puts no more than 40 % of the right answers at any one position', () => {
    const asked = askedPredictions();
    const counts = new Map<number, number>();
    for (const { predict } of asked) counts.set(predict.answer, (counts.get(predict.answer) ?? 0) + 1);
    const shares = Object.fromEntries([...counts].sort(([a], [b]) => a - b).map(([position, n]) => [position, `${n}/${asked.length}`]));
    for (const [, n] of counts) expect(n / asked.length, `right answers by position: ${JSON.stringify(shares)}`).toBeLessThanOrEqual(0.4);
  });
});

/** Grant revocations as {t, cause}, whatever the engine calls the cause field. */
function revocations(outcome: Outcome): { t: number; cause: unknown }[] {
  return eventsOfType(outcome, 'GrantRevoked').map((e) => {
    const fields = e as unknown as Record<string, unknown>;
    return { t: e.t, cause: fields.revocationCause ?? fields.cause };
  });
}

// ---------------------------------------------------------------------------------------------
// Each lesson's point, stated outright so a regression fails with a sentence, not only a diff

describe('lesson outcomes', () => {
  it('basic-cycle: the token works until exp, is refused at exp, and one login lasts the session', async () => {
    const o = await outcomeOf('basic-cycle');
    expectStep(o, 2, { ok: true }, 'one second before exp the API accepts the token');
    expectStep(o, 3, { ok: false, reason: 'expired' }, 'at exactly exp (leeway 0) the API rejects it');
    // e2e/smoke.spec.ts looks for this line on the page.
    expect(resultOf(o, 3)).toMatchObject({ at: 300, do: 'client.callApi', status: 401 });
    expectStep(o, 4, { ok: true }, 'the refresh token gets a new access token');
    expectStep(o, 7, { ok: true }, 'after two hours away the refresh token still works');
    expectStep(o, 8, { ok: true }, 'and the new access token is accepted');
    expect(o.metrics.user.passwordPrompts, 'one password prompt for the whole session').toBe(1);
    expect(o.metrics.resourceServer.introspections, 'the API never asks the authorization server').toBe(0);
    const [first] = issuedAccessTokens(o);
    expect(first!.claims).toMatchObject({ aud: 'https://api.tokenscope.example', exp: (first!.claims.iat as number) + 5 * MINUTE });
  });

  it('walk-away-59-minutes: back after 59 minutes works, after 61 does not, and the absolute limit holds', async () => {
    const o = await outcomeOf('walk-away-59-minutes');
    expectStep(o, 3, { ok: true }, 'a refresh 59 minutes after the login is inside the idle hour');
    expectStep(o, 6, { ok: false, reason: 'expired_idle' }, 'a refresh 61 minutes after the last one is past the idle hour');
    for (const r of resultsOf(o, 8)) expect(brief(r), `refresh at ${r.at}s, inside both lifetimes`).toBe('ok 200');
    expectStep(o, 9, { ok: false, reason: 'expired_absolute' }, 'activity never extends the absolute lifetime');
    expect(o.metrics.user.passwordPrompts).toBe(2);
  });

  it('stolen-access-token: logout and password change do not stop it; exp does', async () => {
    const o = await outcomeOf('stolen-access-token');
    const calls = resultsOfAction(o, 'attacker.callApi');
    expect(calls.filter((r) => r.at < 5 * MINUTE).map(brief), 'every call before exp succeeds').toEqual([
      'ok 200',
      'ok 200',
      'ok 200',
      'ok 200',
    ]);
    expect(calls.filter((r) => r.at >= 5 * MINUTE).map(brief)).toEqual(['rejected 401 expired']);
    expect(o.metrics.attacker.exposureSeconds, 'from the theft at 1:00 to exp at 5:00').toBe(4 * MINUTE);
    expect(o.metrics.attacker.revocationLagSeconds, 'logout at 2:00, last successful call at 4:59').toBe(2 * MINUTE + 59);
  });

  it('long-lived-access-only: the stolen token works for the whole 30 days', async () => {
    const o = await outcomeOf('long-lived-access-only');
    const calls = resultsOfAction(o, 'attacker.callApi');
    const before = calls.filter((r) => r.at < 30 * DAY);
    expect(before.length).toBe(32);
    expect(
      before.every((r) => r.ok),
      'logout and password change do nothing to a locally validated token',
    ).toBe(true);
    expect(o.metrics.attacker.lastApiCallOkAt).toBe(30 * DAY - 1);
    expect(calls.at(-1)).toMatchObject({ at: 30 * DAY, ok: false, reason: 'expired' });
    expect(issuedAccessTokens(o)[0]!.expiresAt).toBe(30 * DAY);
  });

  it('password-change: the refresh path closes at once, the access token lives to exp, the user logs in again', async () => {
    const o = await outcomeOf('password-change');
    expect(revocations(o)).toEqual([{ t: 3 * MINUTE, cause: 'password_change' }]);
    expectStep(o, 4, { ok: false, reason: 'revoked' }, 'the stolen refresh token dies with the session');
    expectStep(o, 5, { ok: true }, 'the stolen access token still works until exp');
    expectStep(o, 6, { ok: false, reason: 'expired' }, 'until exp, and no longer');
    expectStep(o, 8, { ok: false, reason: 'revoked' }, "the user's own session was revoked too");
    expectStep(o, 9, { ok: true }, 'the user logs in with the new password');
  });

  it('suspension-vs-access-tokens: outstanding tokens work until exp, refreshes fail at once', async () => {
    const o = await outcomeOf('suspension-vs-access-tokens');
    expectStep(o, 3, { ok: true }, 'a locally validating API does not know about the suspension');
    expectStep(o, 5, { ok: false, reason: 'user_suspended' }, 'the authorization server refuses refreshes at once');
    expectStep(o, 6, { ok: true }, 'still accepted one second before exp');
    expectStep(o, 7, { ok: false, reason: 'expired' }, 'exp ends it');
    expect(o.metrics.resourceServer.introspections).toBe(0);
  });

  it('suspension-introspection: the API stops the token at once, and suspension is not revocation', async () => {
    const o = await outcomeOf('suspension-introspection');
    expectStep(o, 2, { ok: true }, 'before the suspension the token is active');
    expectStep(o, 4, { ok: false, reason: 'inactive' }, 'introspection reflects the suspension on the next call');
    expectStep(o, 8, { ok: true }, 'reinstating the user makes the stolen token active again');
    expectStep(o, 10, { ok: false, reason: 'inactive' }, 'the password change revokes the session');
    expect(o.metrics.resourceServer.introspections, 'one lookup per API call').toBe(o.metrics.resourceServer.requests);
  });

  it('stolen-static-refresh: the thief mints access tokens for three weeks until the password change', async () => {
    const o = await outcomeOf('stolen-static-refresh');
    const refreshTokens = eventsOfType(o, 'RefreshTokenIssued').map((e) => e.token.label);
    expect(refreshTokens, 'a static refresh token is never replaced').toEqual(['RT#1']);
    const attackerTokens = eventsOfType(o, 'AccessTokenIssued').filter((e) => e.to === 'attacker');
    expect(attackerTokens.length, 'two new access tokens a day for 21 days').toBe(42);
    expect(attackerTokens.at(-1)!.t).toBeLessThan(21 * DAY);
    expect(attackerTokens.at(-1)!.t).toBeGreaterThan(20 * DAY);
    expect(o.metrics.attacker.exposureSeconds, 'from the theft at 10 minutes to the password change at 21 days').toBe(
      21 * DAY - 10 * MINUTE,
    );
    expectStep(o, 5, { ok: false, reason: 'revoked' }, 'the password change revokes the stolen token');
  });

  it('rotation-client-first: the thief presents a used token and the family is revoked', async () => {
    const o = await outcomeOf('rotation-client-first');
    expectStep(o, 2, { ok: true }, 'the app refreshes first');
    expectStep(o, 3, { ok: false, reason: 'reused' }, "the attacker's refresh is the reuse");
    expect(resultOf(o, 3)).toMatchObject({ status: 400, error: 'invalid_grant' });
    expectStep(o, 4, { ok: true }, "the app's current access token still works at a locally validating API");
    expectStep(o, 5, { ok: false, reason: 'revoked' }, "the app's own refresh token died with the family");
    expect(o.metrics.attacker.apiCallsOk).toBe(0);
    expect(o.metrics.user.passwordPrompts).toBe(2);
  });

  it('rotation-attacker-first: the legit user trips reuse detection, the attacker keeps its token until exp', async () => {
    const o = await outcomeOf('rotation-attacker-first');
    expectStep(o, 2, { ok: true }, 'the attacker refreshes first and the AS cannot tell');
    expectStep(o, 5, { ok: false, reason: 'reused' }, "the legitimate app's refresh is the one refused");
    expectStep(o, 6, { ok: true }, "the attacker's fresh access token works after the revocation");
    expectStep(o, 7, { ok: false, reason: 'expired' }, 'until its exp');
    expectStep(o, 8, { ok: false, reason: 'revoked' }, "the attacker's refresh token was revoked with the family");
    expect(o.metrics.attacker.lastApiCallOkAt).toBe(6 * MINUTE);
    expect(o.metrics.attacker.revocationLagSeconds).toBe(MINUTE);
  });

  it('reuse-interval: a replay inside the window opens a live branch; past the window it is reuse', async () => {
    const o = await outcomeOf('reuse-interval');
    expectStep(o, 3, { ok: true }, 'a replay 10 s after use is taken for a retry');
    expectStep(o, 5, { ok: true }, "the user's branch keeps working");
    expectStep(o, 6, { ok: true }, "the attacker's branch keeps working");
    expectStep(o, 9, { ok: false, reason: 'reused' }, 'at consumedAt + 45 s the 30 s window has closed');
    expect(revocations(o)).toEqual([{ t: 15 * MINUTE + 45, cause: 'reuse' }]);
  });

  it('persistent-xss: rotation never detects the theft; the attacker refreshes until revokeAll', async () => {
    const o = await outcomeOf('persistent-xss');
    expect(
      o.steps.some((r) => r.reason === 'reused') || o.events.some((e) => 'reason' in e && e.reason === 'reused'),
      'no reuse is ever detected',
    ).toBe(false);
    expect(revocations(o)).toEqual([
      { t: 7 * DAY, cause: 'revoke_all' },
      { t: 7 * DAY, cause: 'revoke_all' },
    ]);
    const attackerRefreshes = eventsOfType(o, 'AccessTokenIssued').filter((e) => e.to === 'attacker');
    expect(attackerRefreshes.length, 'about four refreshes a day for a week').toBeGreaterThanOrEqual(28);
    expect(o.metrics.attacker.apiCallsOk).toBeGreaterThanOrEqual(25);
    expectStep(o, 7, { ok: false, reason: 'revoked' }, 'revocation ends it');
  });

  it('confidential-client: without the secret a stolen refresh token does nothing, not even reuse detection', async () => {
    const o = await outcomeOf('confidential-client');
    for (const index of [2, 4]) {
      expect(resultOf(o, index)).toMatchObject({ ok: false, status: 401, error: 'invalid_client', reason: 'client_auth_failed' });
    }
    expectStep(o, 6, { ok: true }, "the user's session was never disturbed");
    expect(revocations(o), 'only the attacker holding the secret triggers reuse detection').toEqual([{ t: 13 * MINUTE, cause: 'reuse' }]);
    expect(o.metrics.attacker.exposureSeconds).toBe(0);
  });
});

describe('lesson outcomes: DPoP', () => {
  it('dpop-stolen-token: the stolen tokens fail without the key, a captured proof cannot be replayed, the hijacked page works until it closes', async () => {
    const o = await outcomeOf('dpop-stolen-token');
    const bound = issuedAccessTokens(o).map((t) => (t.claims.cnf as { jkt?: string } | undefined)?.jkt);
    expect(
      bound.every((jkt) => typeof jkt === 'string'),
      'every access token carries cnf.jkt',
    ).toBe(true);
    // The sign-in page visit carries no proof; the code exchange and every API call do.
    const proofs = eventsOfType(o, 'RequestSent')
      .filter((e) => e.from === 'client' && e.endpoint !== 'authorize')
      .map((e) => e.proof?.source);
    expect(proofs, 'every token and API request of the app carries a proof').toEqual(['app', 'app', 'app']);
    expectStep(o, 4, { ok: false, reason: 'dpop_required' }, 'a bound token sent as Bearer is refused');
    expectStep(o, 5, { ok: false, reason: 'dpop_key_mismatch' }, 'the stolen refresh token is refused without the key');
    expectStep(o, 6, { ok: true }, "Alice's session was never disturbed");
    expectStep(o, 7, { ok: false, reason: 'dpop_invalid' }, 'a captured proof cannot be replayed');
    expect(eventsOfType(o, 'ResponseSent').find((e) => e.t === 160)?.dpop, 'the jti was seen').toBe('replay');
    expectStep(o, 9, { ok: true }, 'inside the open page the key signs for the attacker');
    expectStep(o, 11, { ok: false, reason: 'dpop_required' }, 'the page closed, the key is gone');
    expect(revocations(o)).toEqual([]);
    expect(o.metrics.attacker.exposureSeconds, 'only the minute inside the page, 09:03 to 09:04').toBe(MINUTE);
  });
});

describe('comparison outcomes', () => {
  it('compare-seed-question: rotation catches the theft; the attacker never makes a successful call', async () => {
    const o = await outcomeOf('compare-seed-question');
    expect(o.end).toBe(30 * DAY);
    expect(resultsOfAction(o, 'user.arrive').length).toBe(30);
    expect(revocations(o).map((r) => r.cause)).toEqual(['reuse', 'password_change']);
    expect(o.metrics.attacker.apiCallsOk).toBe(0);
    expect(o.metrics.user.passwordPrompts, 'first login, after the reuse revocation, after the password change').toBe(3);
  });

  it('compare-quiet-attacker: the night refresh wins the race, the next morning gives it away', async () => {
    const o = await outcomeOf('compare-quiet-attacker');
    const refreshes = resultsOfAction(o, 'attacker.refresh');
    expect(brief(refreshes[0]!)).toBe('ok 200');
    expect(refreshes.slice(1).every((r) => !r.ok)).toBe(true);
    expect(revocations(o)).toEqual([{ t: DAY, cause: 'reuse' }]);
    expect(o.metrics.attacker.apiCallsOk).toBe(1);
  });

  it('compare-dpop: bound copies fail from outside and revoke nothing; only the hour inside the page counts', async () => {
    const o = await outcomeOf('compare-dpop');
    expect(o.end).toBe(3 * DAY);
    expect(resultOf(o, 2)).toMatchObject({ ok: false, status: 401, reason: 'dpop_required' });
    expect(resultOf(o, 3)).toMatchObject({ ok: false, status: 400, reason: 'dpop_key_mismatch' });
    expect(revocations(o), 'nothing is revoked').toEqual([]);
    expect(o.metrics.user, 'Alice notices nothing').toMatchObject({ passwordPrompts: 1, apiCallsRejected: 0 });
    const ok = eventsOfType(o, 'ResponseSent').filter((e) => e.endpoint === 'api' && e.to === 'attacker' && e.status === 200);
    expect(ok.length).toBeGreaterThan(0);
    expect(
      ok.every((e) => e.t >= DAY + 2 * HOUR && e.t < DAY + 3 * HOUR),
      'successes only while in the page',
    ).toBe(true);
    expect(o.metrics.attacker.exposureSeconds).toBeLessThanOrEqual(HOUR);
    expect(o.metrics.attacker.exposureSeconds).toBeGreaterThan(HOUR - MINUTE);
    // The same script with bearer tokens: the first stolen call works, and the race costs Alice her
    // session — twice: the script in the page copies the app's refresh token too (SEMANTICS.md §10),
    // and the attacker's next refresh races the app again.
    const bearer = await runScenario(withPreset(scenarioOf('compare-dpop'), 'rotating-refresh'));
    expect([resultOf(bearer, 2).ok, resultOf(bearer, 3).ok]).toEqual([true, true]);
    expect(revocations(bearer).map((r) => r.cause)).toEqual(['reuse', 'reuse']);
    expect(bearer.metrics.user.passwordPrompts).toBe(3);
  });

  it('compare-suspension: rotation has already caught the attacker before the suspension', async () => {
    const o = await outcomeOf('compare-suspension');
    expect(o.metrics.attacker.apiCallsOk).toBe(0);
    expect(eventsOfType(o, 'UserSuspended').map((e) => e.t)).toEqual([DAY + HOUR]);
    expect(eventsOfType(o, 'UserReinstated').map((e) => e.t)).toEqual([DAY + 2 * HOUR]);
  });
});

describe('lesson outcomes: signing in, where tokens live, a script in the page (SEMANTICS.md §10)', () => {
  /** The token-endpoint answers to one party, as reason codes (null for a success). */
  const tokenAnswers = (o: Outcome, to: 'client' | 'attacker') =>
    eventsOfType(o, 'ResponseSent')
      .filter((e) => e.endpoint === 'token' && e.to === to)
      .map((e) => e.reason);

  it('sign-in-code-pkce: the password never goes to the app; an intercepted code without its verifier gives nothing', async () => {
    const o = await outcomeOf('sign-in-code-pkce');
    const sent = eventsOfType(o, 'RequestSent');
    expect(
      sent.filter((e) => e.grantType === 'password'),
      'no password grant: the app never sends the password',
    ).toEqual([]);
    expect(sent.filter((e) => e.from === 'client' && e.endpoint === 'authorize').length, 'three visits to the sign-in page').toBe(3);
    expectStep(o, 4, { ok: false, reason: 'no_code' }, 'the intercepted sign-in leaves the app without a code');
    expect(tokenAnswers(o, 'attacker'), 'the attacker redeemed the code once and was refused').toEqual(['pkce_failed']);
    expect(o.metrics.attacker.exposureSeconds).toBe(0);
    expect(o.metrics.user.passwordPrompts, 'every sign-in typed the password, the intercepted one too').toBe(3);
    expectStep(o, 6, { ok: true }, 'the next sign-in works');
  });

  it('code-interception-without-pkce: the code alone gives the attacker a grant of its own, which only revoke-all ends', async () => {
    const o = await outcomeOf('code-interception-without-pkce');
    expectStep(o, 1, { ok: false, reason: 'no_code' }, "Alice's first sign-in loses its code");
    const grants = eventsOfType(o, 'GrantStarted').map((e) => e.by);
    expect(grants, 'the attacker got the first grant, Alice the second').toEqual(['attacker', 'client']);
    expectStep(o, 6, { ok: true }, "Alice's logout leaves the attacker's grant alone");
    expect(revocations(o).map((r) => [r.t, r.cause])).toEqual([
      [11 * MINUTE, 'logout'],
      [13 * MINUTE, 'revoke_all'],
    ]);
    expectStep(o, 8, { ok: false, reason: 'revoked' }, 'revoke-all ends it');
  });

  it('sign-in-session: an idle-expired refresh token, yet a silent sign-in; logout and a password change end the session', async () => {
    const o = await outcomeOf('sign-in-session');
    expectStep(o, 2, { ok: false, reason: 'expired_idle' }, 'the grant ran out');
    expectStep(o, 3, { ok: true }, 'the sign-in session signs her in silently');
    expect(o.metrics.user.passwordPrompts, 'first sign-in, after the logout, after the password change').toBe(3);
    expect(o.metrics.user.silentSignIns).toBe(1);
    expect(eventsOfType(o, 'SignInSessionEnded').map((e) => [e.t, e.why])).toEqual([
      [3 * HOUR, 'logout'],
      [4 * HOUR, 'password_change'],
    ]);
    expectStep(o, 8, { ok: false, reason: 'revoked' }, 'the password change revoked the grant too');
  });

  it('dpop-silent-login: the script signs in with its own key and keeps the grant after the page closes, past Alice’s logout', async () => {
    const o = await outcomeOf('dpop-silent-login');
    const attackerTokens = eventsOfType(o, 'AccessTokenIssued').filter((e) => e.to === 'attacker');
    const appTokens = eventsOfType(o, 'AccessTokenIssued').filter((e) => e.to === 'client');
    const jkt = (e: (typeof attackerTokens)[number]) => (e.token.claims.cnf as { jkt?: string } | undefined)?.jkt;
    expect(attackerTokens.length).toBeGreaterThan(0);
    expect(
      attackerTokens.every((e) => typeof jkt(e) === 'string' && jkt(e) !== jkt(appTokens[0]!)),
      'bound to the attacker’s own key',
    ).toBe(true);
    expectStep(o, 3, { ok: true }, 'the silent sign-in from the page works');
    expectStep(o, 5, { ok: true }, 'after the page closed, the attacker refreshes with its own key');
    expectStep(o, 9, { ok: true }, "Alice's logout did not reach the attacker's grant");
    expectStep(o, 11, { ok: false, reason: 'revoked' }, 'the password change did');
    expect(o.metrics.attacker.exposureSeconds, 'from the hijack (the app’s copied tokens work in the page) to the password change').toBe(
      40 * MINUTE - 2 * MINUTE,
    );
  });

  it('browser-token-storage: nothing to copy from the page, proxying only while the script runs, access tokens still leak from logs', async () => {
    const o = await outcomeOf('browser-token-storage');
    expectStep(o, 3, { ok: false, reason: 'nothing_to_steal' }, 'the browser holds no token');
    expectStep(o, 4, { ok: true }, 'the script proxies a call through the BFF');
    expectStep(o, 5, { ok: false, reason: 'nothing_to_steal' }, 'its own sign-in ends at the BFF');
    expectStep(o, 7, { ok: false, reason: 'no_token' }, 'after the page closed it holds nothing');
    expectStep(o, 10, { ok: true }, 'the logs gave it an access token');
    expectStep(o, 11, { ok: true }, 'which works until its exp');
    expect(
      eventsOfType(o, 'RequestSent').filter((e) => e.from === 'attacker' && e.endpoint === 'authorize').length,
      'the silent sign-in reached the sign-in page',
    ).toBe(1);
  });
});

describe('comparison outcomes: the thief takes everything the app keeps', () => {
  for (const id of ['compare-seed-question', 'compare-suspension', 'compare-quiet-attacker', 'compare-dpop', 'compare-token-storage']) {
    it(`${id}: a stored password gives the attacker far more exposure than a rotating refresh token`, async () => {
      const [stored, rotating] = await Promise.all([
        runScenario(withPreset(scenarioOf(id), 'stored-password')),
        runScenario(withPreset(scenarioOf(id), 'rotating-refresh')),
      ]);
      expect(stored.metrics.attacker.exposureSeconds).toBeGreaterThan(0);
      const factor = id === 'compare-seed-question' ? 10 : 3;
      expect(
        stored.metrics.attacker.exposureSeconds,
        `stored ${stored.metrics.attacker.exposureSeconds} s vs rotating ${rotating.metrics.attacker.exposureSeconds} s`,
      ).toBeGreaterThanOrEqual(factor * rotating.metrics.attacker.exposureSeconds);
    });
  }

  it('compare-token-storage: copied bearer tokens outlast the script; DPoP and BFF only while it runs; a silent sign-in, much longer', async () => {
    const run = (preset: PresetId | null) =>
      runScenario(preset ? withPreset(scenarioOf('compare-token-storage'), preset) : scenarioOf('compare-token-storage'));
    const [browser, dpop, bff, own] = await Promise.all([run('rotating-refresh'), run('dpop-bound'), run('bff'), run(null)]);
    const exposure = (o: Outcome) => o.metrics.attacker.exposureSeconds;
    expect(exposure(dpop)).toBeLessThanOrEqual(HOUR);
    expect(exposure(bff)).toBeLessThanOrEqual(HOUR);
    expect(exposure(browser)).toBeGreaterThan(HOUR);
    expect(exposure(own), 'with a sign-in session, the silent sign-in gives a grant of its own').toBeGreaterThan(exposure(browser));
    for (const o of [browser, dpop, bff])
      expect(resultsOfAction(o, 'attacker.silentLogin')[0]?.ok, 'no sign-in session under the presets').toBe(false);
  });
});
