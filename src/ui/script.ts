// Whether a world still follows its scenario's script. Kept apart from lessons.ts (which loads the
// lesson files and the validator) because the shell needs it at first load.
import { stepOccurrences } from '../sim/occurrences';
import type { WorldView } from './view';

/** Whether the world still follows its script: every occurrence has either run or is still queued. */
export function scriptAttached(view: WorldView): boolean {
  const pending = view.state.queue.filter((item) => item.kind === 'step').length;
  return view.state.logs.steps + pending === stepOccurrences(view.scenario).length;
}
