// Export's replay (share.ts has the format): the session run again on the core to learn, for each
// action the user took, where it falls among the script's steps. It needs the engine, so it runs
// in the engine host (engine/host.ts `export`), off the main thread.
import { parseScenario, scenarioToJson, stepOccurrences } from '../sim/scenario';
import type { Action, Scenario, Seconds, Step } from '../sim/types';
import { World } from '../sim/world';
import type { ExportedScenario, Session } from './session-format';
import { readSession } from './session-read';
import { exportFileName } from './share';

interface ActRecord {
  t: Seconds;
  action: Action;
  /** Step indices whose occurrence at `t` had already run when the action was taken. */
  stepsBefore: Set<number>;
  /** An automatic action at `t` had already run when the action was taken. */
  autoBefore: boolean;
}

/** One entry of the exported step list: a scripted step (maybe shortened) or a user action. */
interface Entry {
  step: Step;
  /** Index of the scripted step in the original file; null for a user action. */
  scripted: number | null;
}

function occursAt(step: Step, t: Seconds): boolean {
  if (!step.repeat) return step.at === t;
  const { every, times } = step.repeat;
  return t >= step.at && (t - step.at) % every === 0 && (t - step.at) / every < times;
}

function lastOf(step: Step): Seconds {
  return step.repeat ? step.at + step.repeat.every * (step.repeat.times - 1) : step.at;
}

/**
 * The session as a plain scenario file: the scenario's own steps, then each action the user took
 * as a step `{ at: <when it was taken>, do, … }`, in the order it happened. After "explore from
 * here" the script's occurrences that had not run are dropped (a repeat keeps the ones that ran).
 * `until` is the current moment, or the script's end if that is later.
 *
 * At one instant a file runs its steps before automatic actions. An action the user took after an
 * automatic action at the same instant cannot be written exactly; it is written at that instant
 * anyway and a note says so.
 */
export async function exportSession(session: Session): Promise<ExportedScenario> {
  const read = readSession(session);
  if (!read.ok) throw new Error(read.error);
  const { scenario, ops } = read;
  const world = await World.create(scenario);
  const occurrences = stepOccurrences(scenario);
  const ranCount = scenario.steps.map(() => 0);
  const acts: ActRecord[] = [];
  let detachedCounts: number[] | null = null;
  let instant = { t: -1, steps: new Set<number>(), auto: false };
  const at = (t: Seconds) => {
    if (instant.t !== t) instant = { t, steps: new Set(), auto: false };
    return instant;
  };

  for (const op of ops) {
    if (op.kind === 'act') {
      const here = at(world.now);
      acts.push({ t: world.now, action: op.action, stepsBefore: new Set(here.steps), autoBefore: here.auto });
      await world.act(op.action);
    } else if (op.kind === 'detach') {
      detachedCounts ??= [...ranCount];
      await world.detachScript();
    } else if (op.kind === 'clock') {
      const head = world.peekNext();
      if (op.to < world.now || (head && head.time <= op.to)) throw new Error('the session cannot be replayed');
      await world.advanceTo(op.to);
    } else {
      for (let i = 0; i < op.n; i++) {
        const item = world.peekNext();
        if (!item) break;
        await world.stepNext();
        const here = at(item.time);
        if (item.kind === 'step') {
          const stepIndex = occurrences[item.index]!.index;
          ranCount[stepIndex]!++;
          here.steps.add(stepIndex);
        } else here.auto = true;
      }
    }
  }

  // The script, without what "explore from here" dropped.
  const entries: Entry[] = [];
  scenario.steps.forEach((step, index) => {
    const ran = detachedCounts ? detachedCounts[index]! : Infinity;
    if (ran === 0) return;
    const times = step.repeat?.times ?? 1;
    if (ran >= times) entries.push({ step, scripted: index });
    else entries.push({ step: { ...step, repeat: { every: step.repeat!.every, times: ran } }, scripted: index });
  });

  const notes: string[] = [];
  let afterAuto = 0;
  let misplaced = 0;
  for (const act of acts) {
    // Valid places for a step at `t`: after every step before `t`, before every step after it.
    let lo = entries.filter((e) => e.step.at < act.t).length;
    let hi = entries.filter((e) => e.step.at <= act.t).length;
    entries.forEach((e, pos) => {
      const here = e.scripted === null ? e.step.at === act.t : occursAt(e.step, act.t);
      if (!here) return;
      // What ran before the action at this instant goes before it; the rest after it.
      if (e.scripted === null || act.stepsBefore.has(e.scripted)) lo = Math.max(lo, pos + 1);
      else hi = Math.min(hi, pos);
    });
    if (lo > hi) misplaced++;
    if (act.autoBefore) afterAuto++;
    entries.splice(lo, 0, { step: { at: act.t, ...act.action } as Step, scripted: null });
  }
  const when = (n: number, what: string) => `${n} ${n === 1 ? 'action was' : 'actions were'} ${what}`;
  if (afterAuto > 0) {
    notes.push(
      `${when(afterAuto, 'taken just after automatic traffic at the same instant')}; the file runs them just before it, so its outcome may differ.`,
    );
  }
  if (misplaced > 0)
    notes.push(`${when(misplaced, 'taken at the same instant as a repeated step, before it ran')}; the file runs them after it.`);

  const out: Scenario = { ...scenario, steps: entries.map((e) => e.step) };
  const lastStep = out.steps.reduce((end, step) => Math.max(end, lastOf(step)), 0);
  // Written out, so the file runs to the moment it was exported at (or the script's end, if later).
  out.until = Math.max(scenario.until ?? 0, world.now, lastStep);
  const json = scenarioToJson(out);
  const check = parseScenario(json);
  if (!check.ok) throw new Error(`the exported file would not be valid (${check.error})`);
  return { json, text: `${JSON.stringify(json, null, 2)}\n`, fileName: exportFileName(scenario.title), notes };
}
