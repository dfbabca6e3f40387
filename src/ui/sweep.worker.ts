// Runs trade-off sweeps off the main thread, so a minute of simulation never freezes the page.
/// <reference lib="webworker" />
import { runSweep, type SweepRequest } from './sweep';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<SweepRequest>) => {
  void runSweep(event.data, (message) => scope.postMessage(message));
};
