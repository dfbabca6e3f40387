// A comparison side's run: the scenario to its end with the attacker's exposure windows, on the
// real core. Apart from compare.ts (the pure read model the page loads) because it needs the
// engine: it runs in the engine host, off the main thread (engine/host.ts `compareRun`).
import type { Scenario, Seconds } from '../sim/types';
import { World } from '../sim/world';
import { appendWindow, type ComparisonRun, type Interval } from './compare';

/**
 * Runs the scenario to its end, as `npm run sim` does, and also records the attacker's exposure
 * windows over [0, end) exactly. The trace does not hold them, so this runs the scenario in a
 * fresh World one queued item at a time and watches the core's own exposure counter: the state
 * is constant between two clock moves, and within such a segment [a, b) exposure always starts at a (src/sim/exposure.ts), so a rise of d means [a, a + d) was
 * exposed. `checkpoint` is called after each item with the current instant (the engine host
 * yields there between slices); returning false stops the run and gives null.
 */
export async function runWithExposure(
  scenario: Scenario,
  checkpoint?: (t: Seconds, end: Seconds) => boolean | Promise<boolean>,
): Promise<ComparisonRun | null> {
  const world = await World.create(scenario);
  const end = world.end;
  const windows: Interval[] = [];
  const exposure = () => world.current.metrics.attacker.exposureSeconds;
  for (let head = world.peekNext(); head && head.time <= end; head = world.peekNext()) {
    const from = world.now;
    const before = exposure();
    await world.stepNext();
    appendWindow(windows, from, from + (exposure() - before));
    if (checkpoint && !(await checkpoint(world.now, end))) return null;
  }
  const from = world.now;
  const before = exposure();
  await world.advanceTo(end);
  appendWindow(windows, from, from + (exposure() - before));
  return { windows, end, metrics: world.outcome(end, false).metrics, events: world.trace };
}
