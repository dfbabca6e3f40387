// Whether a world still follows its scenario's script, and the empty sandbox with given settings. Kept apart from lessons.ts (which loads the
// lesson files and the validator) because the shell needs it at first load.
import { SANDBOX_SCENARIO } from '../scenarios/sandbox';
import { stepOccurrences } from '../sim/occurrences';
import type { Scenario } from '../sim/types';
import type { WorldView } from './view';

/** Whether the world still follows its script: every occurrence has either run or is still queued. */
export function scriptAttached(view: WorldView): boolean {
  const pending = view.state.queue.filter((item) => item.kind === 'step').length;
  return view.state.logs.steps + pending === stepOccurrences(view.scenario).length;
}

/** An empty sandbox (nothing scripted, nothing done) with the settings of `from`: configuration and behaviours. */
export function sandboxWithSettingsOf(from: Scenario): Scenario {
  return { ...SANDBOX_SCENARIO, config: from.config, behaviour: from.behaviour };
}
