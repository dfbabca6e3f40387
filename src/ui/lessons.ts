// The lesson model: a guided scenario seen as a list of lesson steps a learner advances with
// Next. A lesson step is one scenario step; a repeated step (`repeat`) is one lesson step that
// covers all its consecutive occurrences, so "the attacker calls the API every day for 29 days"
// is one press of Next, not 29. Progress is derived from the world (how many step occurrences
// have run), never kept alongside it, so Step back in the clock bar and a lesson stay in step.
//
// Everything here is pure, except the two drivers at the end (runThroughStep, backToStep), which
// send commands to a store and are kept here because they are the lesson's definition of Next.
import { BUILT_IN_SCENARIOS } from '../scenarios';
import { parseScenario, scenarioToJson, stepOccurrences } from '../sim/scenario';
import type { Action, Scenario, Seconds, StepLesson, StepResult } from '../sim/types';
import { actionOf } from '../sim/action-of';
import { actionLabel, reasonText } from './vocabulary';
import type { StopRule } from './engine/protocol';
import { scriptAttached } from './script';
import type { WorldView } from './view';

export type Prediction = NonNullable<StepLesson['predict']>;

export interface LessonStep {
  /** Position in the lesson, from 0. Shown as "Step number + 1". */
  number: number;
  /** Index of the step in the scenario file. */
  stepIndex: number;
  /** Position of its first occurrence among all occurrences, in run order (= its first entry in the world's results). */
  first: number;
  /** How many consecutive occurrences it covers (1 unless the step repeats). */
  count: number;
  /** Instants of its first and last occurrence. */
  at: Seconds;
  lastAt: Seconds;
  action: Action;
  narration: string | null;
  predict: Prediction | null;
}

/** The scenario's step occurrences in run order, grouped into lesson steps. */
export function lessonSteps(scenario: Scenario): LessonStep[] {
  const steps: LessonStep[] = [];
  stepOccurrences(scenario).forEach((occurrence, position) => {
    const last = steps[steps.length - 1];
    if (last && last.stepIndex === occurrence.index) {
      last.count++;
      last.lastAt = occurrence.at;
      return;
    }
    const lesson = occurrence.step.lesson;
    steps.push({
      number: steps.length,
      stepIndex: occurrence.index,
      first: position,
      count: 1,
      at: occurrence.at,
      lastAt: occurrence.at,
      action: actionOf(occurrence.step),
      narration: lesson?.narration ?? null,
      predict: lesson?.predict ?? null,
    });
  });
  return steps;
}

/** Total step occurrences of a lesson. */
export function occurrenceCount(steps: readonly LessonStep[]): number {
  const last = steps[steps.length - 1];
  return last ? last.first + last.count : 0;
}

export interface LessonProgress {
  total: number;
  /** Lesson steps that have fully run. */
  done: number;
  /** The lesson step that ran last (possibly only partly, if the clock stopped inside a repeat); null before the first. */
  shown: LessonStep | null;
  /** How many of `shown`'s occurrences have run. */
  shownRan: number;
  /** The lesson step that Next runs (or finishes); null once everything ran. */
  next: LessonStep | null;
  /** Step occurrences completed once Next has run (the world's results length to reach); null when finished. */
  nextTarget: number | null;
  /** The results length that Previous step goes back to; null at the start. */
  previousTarget: number | null;
  finished: boolean;
}

/** Where the lesson stands after `completed` step occurrences have run (the world's results length). */
export function lessonProgress(steps: readonly LessonStep[], completed: number): LessonProgress {
  const total = steps.length;
  const ran = Math.max(0, Math.min(completed, occurrenceCount(steps)));
  const containing = (occurrence: number) => steps.find((s) => occurrence >= s.first && occurrence < s.first + s.count) ?? null;
  const shown = ran > 0 ? containing(ran - 1) : null;
  const next = containing(ran);
  const done = steps.filter((s) => s.first + s.count <= ran).length;
  return {
    total,
    done,
    shown,
    shownRan: shown ? ran - shown.first : 0,
    next,
    nextTarget: next ? next.first + next.count : null,
    previousTarget: shown ? shown.first : null,
    finished: next === null,
  };
}

/** Whether the next step's question should be asked now: it has one and has not started running. */
export function pendingQuestion(progress: LessonProgress): Prediction | null {
  const { next, shown } = progress;
  if (!next?.predict || next === shown) return null;
  return next.predict;
}

export type Verdict = 'right' | 'wrong' | 'unanswered';

export function judge(predict: Prediction, chosen: number | undefined): Verdict {
  if (chosen === undefined) return 'unanswered';
  return chosen === predict.answer ? 'right' : 'wrong';
}

/** Predictions answered right, out of the predicted steps that have run. */
export function score(
  steps: readonly LessonStep[],
  completed: number,
  answers: Readonly<Record<number, number>>,
): { right: number; asked: number } {
  let right = 0;
  let asked = 0;
  for (const step of steps) {
    if (!step.predict || step.first >= completed) continue;
    asked++;
    if (judge(step.predict, answers[step.number]) === 'right') right++;
  }
  return { right, asked };
}

/** Who does a step, in the lesson's words. */
export function actorName(action: Action): string {
  const prefix = action.do.split('.')[0];
  switch (prefix) {
    case 'client':
      return 'Alice’s app';
    case 'user':
      return 'Alice';
    case 'admin':
      return 'An administrator';
    case 'attacker':
      return 'The attacker';
    default:
      return prefix ?? '';
  }
}

/** "The attacker: Refresh", "Alice: Change password". */
export function stepTitle(step: LessonStep): string {
  const label = actionLabel(step.action);
  const times = step.count > 1 ? ` (${step.count} times)` : '';
  return `${actorName(step.action)}: ${label}${times}`;
}

export interface ResultSummary {
  ok: boolean;
  /** ok: it did what was asked; bad: it was refused or sent nothing; warn: the attacker's action worked. */
  tone: 'ok' | 'bad' | 'warn';
  /** "Accepted: 200 OK", "Refused: 400 invalid_grant (reuse detected — family revoked)", "Done", "Nothing sent: no token". */
  text: string;
}

/** What a step occurrence's result means, in a short phrase. An attacker's success is a warning, not a tick. */
export function describeResult(result: Pick<StepResult, 'ok' | 'status' | 'error' | 'reason'> & { do?: StepResult['do'] }): ResultSummary {
  const why = result.reason ? ` (${reasonText(result.reason)})` : '';
  if (result.ok) {
    const tone = result.do?.startsWith('attacker.') ? 'warn' : 'ok';
    return { ok: true, tone, text: result.status === null ? 'Done' : `Accepted: ${result.status}${result.status === 200 ? ' OK' : ''}` };
  }
  if (result.status === null)
    return { ok: false, tone: 'bad', text: `Nothing sent${result.reason ? `: ${reasonText(result.reason)}` : ''}` };
  return { ok: false, tone: 'bad', text: `Refused: ${result.status}${result.error ? ` ${result.error}` : ''}${why}` };
}

/** The results of one lesson step's occurrences that have run, from the world's results. */
export function resultsOf(step: LessonStep, results: readonly StepResult[], completed: number): StepResult[] {
  return results.slice(step.first, Math.min(step.first + step.count, completed, results.length));
}

/** One line for a lesson step's results: the single result, or a tally for a repeated step. */
export function summarizeResults(results: readonly StepResult[]): ResultSummary | null {
  if (results.length === 0) return null;
  if (results.length === 1) return describeResult(results[0]!);
  const ok = results.filter((r) => r.ok).length;
  const last = describeResult(results[results.length - 1]!);
  const tally =
    ok === results.length ? `all ${ok} succeeded` : ok === 0 ? `all ${results.length} failed` : `${ok} of ${results.length} succeeded`;
  const tone = ok === 0 ? 'bad' : results.some((r) => r.ok && r.do.startsWith('attacker.')) ? 'warn' : ok === results.length ? 'ok' : 'bad';
  return { ok: ok === results.length, tone, text: `${tally}; the last: ${last.text}` };
}

// ---- the catalogue ------------------------------------------------------------------------------

export interface LessonEntry {
  id: string;
  title: string;
  description: string;
  goal: string;
  scenario: Scenario;
  steps: number;
  predictions: number;
}

/** The built-in lessons, in teaching order. A file that does not parse is left out (its own tests fail loudly). */
export function lessonCatalog(): LessonEntry[] {
  const out: LessonEntry[] = [];
  for (const builtIn of BUILT_IN_SCENARIOS) {
    if (builtIn.kind !== 'lesson') continue;
    const parsed = parseScenario(builtIn.json);
    if (!parsed.ok) continue;
    const scenario = parsed.scenario;
    const steps = lessonSteps(scenario);
    out.push({
      id: builtIn.id,
      title: scenario.title ?? builtIn.id,
      description: scenario.description ?? '',
      goal: scenario.goal ?? scenario.description ?? '',
      scenario,
      steps: steps.length,
      predictions: steps.filter((s) => s.predict).length,
    });
  }
  return out;
}

/** A canonical text of a scenario, to recognise a lesson in the world that is loaded. */
export function scenarioKey(scenario: Scenario): string {
  return JSON.stringify(scenarioToJson(scenario));
}

export { scriptAttached };

// ---- driving a store ----------------------------------------------------------------------------

/** The part of the simulator store the lesson drivers use. */
export interface LessonStore {
  getState(): {
    view: WorldView | null;
    advanceTo(t: Seconds, stop?: StopRule): Promise<unknown>;
    nextEvent(): Promise<unknown>;
    stepBack(): Promise<void>;
  };
}

function completedIn(store: LessonStore): number {
  return store.getState().view?.state.logs.steps ?? 0;
}

/** Hard stop for the loops below, far above any lesson (a month of 15-minute ticks is ~3000). */
const MAX_ITEMS = 200_000;

/**
 * Next: runs the world up to and including the lesson step's last occurrence. Queued items run
 * one at a time in their order, the clock moving to each, so the automatic actions due before
 * the step run too, and those due at the same instant stay queued (scripted steps go first).
 * They run as one store command that stops right after the step, so a lesson step costs one
 * redraw however many automatic items come before it; Step back still undoes them one by one.
 * Resolves to whether the step ran (not when the script was left: its steps are gone).
 */
export async function runThroughStep(store: LessonStore, step: LessonStep): Promise<boolean> {
  const target = step.first + step.count;
  const view = store.getState().view;
  if (!view || !scriptAttached(view)) return false;
  if (view.state.logs.steps < target) {
    // The engine counts each scripted occurrence's ActionFinished as it runs.
    await store.getState().advanceTo(step.lastAt, { kind: 'steps', atLeast: target });
  }
  // A safety net: finish one item at a time should the count above ever fall short.
  for (let i = 0; i < MAX_ITEMS && completedIn(store) < target; i++) {
    if ((await store.getState().nextEvent()) === null) break;
  }
  return completedIn(store) >= target;
}

/** Previous step: steps back one op at a time until only `target` step occurrences have run. */
export async function backToStep(store: LessonStore, target: number): Promise<void> {
  for (let i = 0; i < MAX_ITEMS && completedIn(store) > target; i++) {
    if ((store.getState().view?.opCount ?? 0) === 0) break;
    await store.getState().stepBack();
  }
}
