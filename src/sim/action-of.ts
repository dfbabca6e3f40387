// A step's action without its timing or lesson fields. A leaf module, so the page can use it
// (lessons, stored sessions) without loading the engine.
import type { Action } from './types';

/** The action alone, without a step's timing or lesson fields. */
export function actionOf(step: Action): Action {
  if (step.do === 'attacker.steal') return step.from ? { do: step.do, what: step.what, from: step.from } : { do: step.do, what: step.what };
  if (step.do === 'attacker.forge') return step.kind ? { do: step.do, kind: step.kind } : { do: step.do };
  if (step.do === 'attacker.callApi' || step.do === 'attacker.refresh')
    return step.proof ? { do: step.do, proof: step.proof } : { do: step.do };
  return { do: step.do } as Action;
}
