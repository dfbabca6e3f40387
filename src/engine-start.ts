// The page's first script (index.html runs it before main.tsx's bundle; vite.config.ts builds it
// as a file of its own): starts the engine's module worker at once, so the worker's script loads
// and its module evaluates while the page's own, much larger script is still arriving and
// starting. The first store to connect (connect.ts) takes this worker instead of making one;
// until then it only waits for a command. An error it reports meanwhile (its script could not
// load) is kept for that store to hear.
// Only a type comes from early.ts: a value imported from there would put this script behind the
// page's bundle. The key is the same registered symbol (e2e/worker.spec.ts checks one worker runs).
import type { EarlyEngine } from './ui/engine/early';

const EARLY_ENGINE = Symbol.for('tokenscope.early-engine');

const worker = new Worker(new URL('./ui/engine/engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' });
const early: EarlyEngine = { worker, errors: [] };
worker.addEventListener('error', (event) => early.errors.push(event.message || 'the simulation engine could not start'));
(globalThis as { [EARLY_ENGINE]?: EarlyEngine })[EARLY_ENGINE] = early;
