import { describe, expect, it } from 'vitest';
import { scenarioOf } from '../sim/test-helpers';
import {
  backToStep,
  describeResult,
  judge,
  lessonCatalog,
  lessonProgress,
  lessonSteps,
  occurrenceCount,
  pendingQuestion,
  resultsOf,
  runThroughStep,
  scenarioKey,
  score,
  scriptAttached,
  stepTitle,
  summarizeResults,
} from './lessons';
import { createSimStore, type SimStore } from './store';

const view0 = (store: SimStore) => store.getState().view!;

const predict = { question: 'Q?', choices: ['a', 'b'], answer: 1, explanation: 'because' };

const small = scenarioOf({
  steps: [
    { at: '0s', do: 'client.login', lesson: { narration: 'log in' } },
    { at: '1m', do: 'attacker.steal', what: 'refresh' },
    { at: '2m', do: 'client.callApi', repeat: { every: '1m', times: 3 }, lesson: { narration: 'calls' } },
    { at: '5m', do: 'attacker.refresh', lesson: { predict } },
  ],
});

describe('lesson steps', () => {
  it('are the scenario steps in run order, a repeat being one lesson step', () => {
    const steps = lessonSteps(small);
    expect(steps.map((s) => [s.number, s.stepIndex, s.first, s.count, s.at, s.lastAt])).toEqual([
      [0, 0, 0, 1, 0, 0],
      [1, 1, 1, 1, 60, 60],
      [2, 2, 2, 3, 120, 240],
      [3, 3, 5, 1, 300, 300],
    ]);
    expect(steps[0]!.narration).toBe('log in');
    expect(steps[1]!.narration).toBeNull();
    expect(steps[1]!.action).toEqual({ do: 'attacker.steal', what: 'refresh' });
    expect(steps[3]!.predict).toEqual(predict);
    expect(occurrenceCount(steps)).toBe(6);
  });

  it('name who acts and what', () => {
    const steps = lessonSteps(small);
    expect(stepTitle(steps[0]!)).toBe('Alice’s app: Log in');
    expect(stepTitle(steps[1]!)).toBe('The attacker: Steal refresh token');
    expect(stepTitle(steps[2]!)).toBe('Alice’s app: Call API (3 times)');
  });
});

describe('lesson progress', () => {
  const steps = lessonSteps(small);

  it('before the first step: nothing shown, Next runs step 1', () => {
    const p = lessonProgress(steps, 0);
    expect(p).toMatchObject({ total: 4, done: 0, shown: null, finished: false, nextTarget: 1, previousTarget: null });
    expect(p.next?.number).toBe(0);
  });

  it('after a step: it is shown, Next runs the whole next lesson step (all repeats)', () => {
    const p = lessonProgress(steps, 2);
    expect(p.shown?.number).toBe(1);
    expect(p.next?.number).toBe(2);
    expect(p.nextTarget).toBe(5);
    expect(p.previousTarget).toBe(1);
    expect(p.done).toBe(2);
  });

  it('inside a repeat (the clock bar stopped there): Next finishes it, Previous goes to its start', () => {
    const p = lessonProgress(steps, 3);
    expect(p.shown?.number).toBe(2);
    expect(p.shownRan).toBe(1);
    expect(p.next?.number).toBe(2);
    expect(p.nextTarget).toBe(5);
    expect(p.previousTarget).toBe(2);
    expect(p.done).toBe(2);
    expect(pendingQuestion(p)).toBeNull();
  });

  it('asks the question of the next step before it runs, not after', () => {
    expect(pendingQuestion(lessonProgress(steps, 5))).toEqual(predict);
    expect(pendingQuestion(lessonProgress(steps, 6))).toBeNull();
  });

  it('finishes when every occurrence ran, and clamps out-of-range counts', () => {
    const p = lessonProgress(steps, 6);
    expect(p).toMatchObject({ done: 4, finished: true, next: null, nextTarget: null, previousTarget: 5 });
    expect(lessonProgress(steps, 99).finished).toBe(true);
    expect(lessonProgress(steps, -1).shown).toBeNull();
    expect(lessonProgress([], 0)).toMatchObject({ total: 0, finished: true });
  });
});

describe('predictions and results', () => {
  it('judges an answer, and counts the predicted steps that ran', () => {
    expect(judge(predict, 1)).toBe('right');
    expect(judge(predict, 0)).toBe('wrong');
    expect(judge(predict, undefined)).toBe('unanswered');
    const steps = lessonSteps(small);
    expect(score(steps, 5, { 3: 1 })).toEqual({ right: 0, asked: 0 });
    expect(score(steps, 6, { 3: 1 })).toEqual({ right: 1, asked: 1 });
    expect(score(steps, 6, { 3: 0 })).toEqual({ right: 0, asked: 1 });
    expect(score(steps, 6, {})).toEqual({ right: 0, asked: 1 });
  });

  it('describes a result in words, with the reason', () => {
    expect(describeResult({ ok: true, status: 200, error: null, reason: null })).toEqual({
      ok: true,
      tone: 'ok',
      text: 'Accepted: 200 OK',
    });
    expect(describeResult({ ok: true, status: null, error: null, reason: null })).toEqual({ ok: true, tone: 'ok', text: 'Done' });
    expect(describeResult({ do: 'attacker.callApi', ok: true, status: 200, error: null, reason: null }).tone).toBe('warn');
    expect(describeResult({ ok: false, status: 400, error: 'invalid_grant', reason: 'reused' }).text).toBe(
      'Refused: 400 invalid_grant (reuse detected — family revoked)',
    );
    expect(describeResult({ ok: false, status: 401, error: 'invalid_token', reason: 'expired' }).text).toBe(
      'Refused: 401 invalid_token (expired)',
    );
    expect(describeResult({ ok: false, status: null, error: null, reason: 'no_token' })).toEqual({
      ok: false,
      tone: 'bad',
      text: 'Nothing sent: no token',
    });
  });

  it('tallies a repeated step', () => {
    const ok = { index: 2, at: 0, do: 'client.callApi' as const, ok: true, status: 200, error: null, reason: null };
    const bad = { ...ok, ok: false, status: 401, error: 'invalid_token' as const, reason: 'expired' as const };
    expect(summarizeResults([])).toBeNull();
    expect(summarizeResults([ok, ok])?.text).toBe('all 2 succeeded; the last: Accepted: 200 OK');
    expect(summarizeResults([ok, bad])).toEqual({
      ok: false,
      tone: 'bad',
      text: '1 of 2 succeeded; the last: Refused: 401 invalid_token (expired)',
    });
    expect(
      summarizeResults([
        { ...ok, do: 'attacker.callApi' },
        { ...ok, do: 'attacker.callApi' },
      ])?.tone,
    ).toBe('warn');
    const step = lessonSteps(small)[2]!;
    const results = [ok, ok, ok, bad, ok];
    expect(resultsOf(step, results, 4)).toHaveLength(2);
    expect(resultsOf(step, results, 5)).toHaveLength(3);
  });
});

describe('the built-in lessons', () => {
  const catalog = lessonCatalog();

  it('cover the seed’s points, at least eight of them', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(8);
    const ids = catalog.map((l) => l.id);
    for (const id of [
      'basic-cycle',
      'stolen-access-token',
      'stolen-static-refresh',
      'rotation-client-first',
      'rotation-attacker-first',
      'walk-away-59-minutes',
      'suspension-vs-access-tokens',
      'password-change',
      'suspension-introspection',
      'long-lived-access-only',
      'persistent-xss',
      'sign-in-code-pkce',
      'code-interception-without-pkce',
      'sign-in-session',
      'dpop-silent-login',
      'browser-token-storage',
    ]) {
      expect(ids).toContain(id);
    }
  });

  it('each card asks the question its lesson answers (a lesson card never states the outcome)', () => {
    for (const lesson of catalog) expect(`${lesson.title} ${lesson.description}`, lesson.id).toMatch(/\?/);
  });

  it('each has a title, a goal, text on every step and at least one prediction', () => {
    for (const lesson of catalog) {
      expect(lesson.title.length, lesson.id).toBeGreaterThan(5);
      expect(lesson.goal.length, lesson.id).toBeGreaterThan(80);
      expect(lesson.predictions, lesson.id).toBeGreaterThanOrEqual(1);
      for (const step of lessonSteps(lesson.scenario)) {
        expect(step.narration ?? step.predict, `${lesson.id} step ${step.number + 1}`).not.toBeNull();
        if (step.predict) {
          expect(step.predict.choices.length).toBeGreaterThanOrEqual(2);
          expect(step.predict.choices.length).toBeLessThanOrEqual(4);
          expect(step.predict.answer).toBeLessThan(step.predict.choices.length);
        }
      }
    }
  });

  it('recognise the scenario a world was loaded with', () => {
    const [a, b] = catalog;
    expect(scenarioKey(a!.scenario)).toBe(scenarioKey(structuredClone(a!.scenario)));
    expect(scenarioKey(a!.scenario)).not.toBe(scenarioKey(b!.scenario));
  });

  // Next runs exactly one lesson step each time, through to the end, in every lesson.
  it.each(catalog.map((l) => [l.id, l] as const))('%s: Next walks the lesson from start to finish', async (_id, lesson) => {
    const store = createSimStore();
    await store.getState().load(lesson.scenario);
    const steps = lessonSteps(lesson.scenario);
    for (const step of steps) {
      const before = lessonProgress(steps, store.getState().view!.state.logs.steps);
      expect(before.next).toBe(step);
      expect(await runThroughStep(store, before.next!)).toBe(true);
      expect(view0(store).state.logs.steps).toBe(before.nextTarget);
      const view = store.getState().view!;
      expect(view.t).toBe(step.lastAt);
      const after = lessonProgress(steps, view.state.logs.steps);
      expect(after.shown).toBe(step);
      expect(after.done).toBe(step.number + 1);
      // The world's results agree with the step.
      const results = resultsOf(step, view.results, view.state.logs.steps);
      expect(results).toHaveLength(step.count);
      expect(results.every((r) => r.index === step.stepIndex)).toBe(true);
    }
    expect(lessonProgress(steps, store.getState().view!.state.logs.steps).finished).toBe(true);
    expect(scriptAttached(store.getState().view!)).toBe(true);
  });
});

describe('the drivers', () => {
  it('Next runs the automatic items before a step and moves the clock to a later step', async () => {
    const lesson = lessonCatalog().find((l) => l.id === 'stolen-static-refresh')!;
    const store = createSimStore();
    await store.getState().load(lesson.scenario);
    const steps = lessonSteps(lesson.scenario);
    await runThroughStep(store, steps[0]!);
    await runThroughStep(store, steps[1]!); // the theft at 0:10
    expect(store.getState().view!.t).toBe(600);
    const opsBefore = store.getState().view!.opCount;
    await runThroughStep(store, steps[2]!); // Alice refreshes a day later; the attacker's 12-hour ticks ran first
    const view = store.getState().view!;
    expect(view.t).toBe(86_400);
    // The attacker's tick at 12:10 (the theft + 12 h) ran before the step.
    expect(view.events.some((e) => e.t === 600 + 43_200 && e.cause.kind === 'auto' && e.cause.who === 'attacker')).toBe(true);
    // One op per queue item (the tick, the step), as with Next event, and none for a clock move:
    // Step back undoes them one by one.
    expect(view.opCount - opsBefore).toBe(2);
    expect(lessonProgress(steps, view.state.logs.steps).shown?.number).toBe(2);
    // Automatic items due at the step's own instant are still queued (scripted steps run first).
    expect(view.next === null || view.next.time > 86_400 || view.next.kind !== 'step').toBe(true);
  });

  it('Previous step goes back to just before the last lesson step ran; detaching stops Next', async () => {
    const lesson = lessonCatalog().find((l) => l.id === 'rotation-client-first')!;
    const store = createSimStore();
    await store.getState().load(lesson.scenario);
    const steps = lessonSteps(lesson.scenario);
    for (const step of steps.slice(0, 3)) await runThroughStep(store, step);
    expect(store.getState().view!.results).toHaveLength(3);
    await backToStep(store, 2);
    expect(store.getState().view!.state.logs.steps).toBe(2);
    expect(store.getState().view!.state.client.refreshToken).toBe('RT#1');
    await backToStep(store, 0);
    expect(store.getState().view!.state.logs.steps).toBe(0);
    expect(store.getState().view!.opCount).toBe(0);
    await backToStep(store, 0); // nothing left to undo: returns
    await runThroughStep(store, steps[0]!);
    await store.getState().detachScript();
    expect(scriptAttached(store.getState().view!)).toBe(false);
    expect(await runThroughStep(store, steps[1]!)).toBe(false);
    expect(store.getState().view!.state.logs.steps).toBe(1);
    expect(store.getState().view!.t).toBe(0); // the clock did not move either
  });
});
