// A comparison side run in an engine worker of its own (compare view): the two sides run in two
// workers at once, one per core, and the page only receives their progress and results.
import { connectEngine } from './connect';
import type { ComparisonSideRun } from './protocol';
import type { Scenario } from '../../sim/types';

export interface SideRun {
  /** The run, or null when cancelled. */
  done: Promise<ComparisonSideRun | null>;
  cancel(): void;
}

export function runComparisonSide(scenario: Scenario, onProgress: (fraction: number) => void): SideRun {
  const transport = connectEngine();
  const done = new Promise<ComparisonSideRun | null>((resolve, reject) => {
    transport.onMessage((message) => {
      if (message.type === 'progress') onProgress(message.to > 0 ? message.at / message.to : 1);
      else if (message.type === 'done') resolve(message.result.kind === 'compareRun' ? message.result.run : null);
      else if (message.type === 'error') reject(new Error(message.message));
      else if (message.type === 'fatal') reject(new Error(message.message));
    });
  }).finally(() => transport.close());
  transport.send({ type: 'command', id: 1, command: { kind: 'compareRun', scenario }, selected: null });
  return { done, cancel: () => transport.send({ type: 'cancel', id: 1 }) };
}
