// When each step of a scenario happens, and when the run ends. Kept apart from the parser
// (scenario.ts, valibot) so the engine and the UI can use them without loading the validator.
import type { Scenario, Seconds, Step } from './types';

/** Every occurrence of every step (repeats expanded), by time; ties keep file order. */
export function stepOccurrences(scenario: Scenario): Array<{ index: number; at: Seconds; step: Step }> {
  const occurrences = scenario.steps.flatMap((step, index) =>
    Array.from({ length: step.repeat?.times ?? 1 }, (_, nth) => ({
      index,
      at: step.at + nth * (step.repeat?.every ?? 0),
      step,
    })),
  );
  // Array.prototype.sort is stable, and occurrences were listed in file order.
  return occurrences.sort((a, b) => a.at - b.at);
}

/** The instant of a step's last occurrence (its `at` when it does not repeat). */
export function lastOccurrence(step: Step): Seconds {
  return step.repeat ? step.at + step.repeat.every * (step.repeat.times - 1) : step.at;
}

/** The end of the run: `until`, else the last step occurrence (0 with no steps). */
export function endOf(scenario: Scenario): Seconds {
  if (scenario.until !== null) return scenario.until;
  return scenario.steps.reduce((end, step) => Math.max(end, lastOccurrence(step)), 0);
}
