// The hand-over of the engine worker that src/engine-start.ts starts before the page's script
// runs (a leaf: that tiny script and connect.ts share it, and nothing else).

/** Where engine-start.ts leaves the worker it started, for the first connection to take. */
export const EARLY_ENGINE = Symbol.for('tokenscope.early-engine');

export interface EarlyEngine {
  worker: Worker;
  /** Errors the worker reported before anyone listened (its script could not load). */
  errors: string[];
}

/** The worker engine-start.ts started, once: the first caller takes it, later ones get null. */
export function takeEarlyEngine(): EarlyEngine | null {
  const slot = globalThis as { [EARLY_ENGINE]?: EarlyEngine };
  const early = slot[EARLY_ENGINE] ?? null;
  delete slot[EARLY_ENGINE];
  return early;
}
