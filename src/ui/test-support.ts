// Fixtures for the UI read models' tests (narration, inspector, diagrams): real worlds run on the
// core, and the views the store would publish for them. Not a test file itself, so that several
// test files can import it without re-running each other's tests.
import { parseScenario } from '../sim/scenario';
import { World } from '../sim/world';
import { HORIZON } from './engine/protocol';
import { readSession } from './session-read';
import { createTraceReader } from './trace-reading';
import type { Session } from './session-format';
import type { TokenVerdict, WorldView } from './view';

/** The view the store would publish for this world right now. */
export function viewOf(w: World): WorldView {
  const view: WorldView = {
    t: w.now,
    epochSeconds: w.scenario.epochSeconds,
    end: w.end,
    scenario: w.scenario,
    config: w.config,
    state: structuredClone(w.current) as WorldView['state'],
    events: [...w.trace],
    reading: null,
    accessTokens: [...w.allAccessTokens()],
    results: [...w.results],
    metrics: w.outcome().metrics,
    next: w.peekNext(),
    opCount: w.opCount,
    jwks: w.jwks,
    remainingExposure: w.outcome(w.now + HORIZON, false).metrics.attacker.exposureSeconds - w.metricsNow().attacker.exposureSeconds,
  };
  // As the store publishes it once trace-reading.ts has loaded.
  view.reading = createTraceReader()(view);
  return view;
}

/** A world rebuilt from a store's session (the store's own world lives in its engine host). */
export async function worldOfSession(session: Session): Promise<World> {
  const read = readSession(session);
  if (!read.ok) throw new Error(read.error);
  const w = await World.create(read.scenario);
  for (const op of read.ops) {
    if (op.kind === 'act') await w.act(op.action);
    else if (op.kind === 'detach') await w.detachScript();
    else if (op.kind === 'clock') await w.advanceTo(op.to);
    else for (let i = 0; i < op.n; i++) await w.stepNext();
  }
  return w;
}

/** Runs a scenario file (JSON literal; `format` filled in) up to `t` (default: its end). */
export async function worldAt(file: Record<string, unknown>, t?: number): Promise<World> {
  const parsed = parseScenario({ format: 'tokenscope/1', ...file });
  if (!parsed.ok) throw new Error(parsed.error);
  const w = await World.create(parsed.scenario);
  await w.advanceTo(t ?? w.end);
  return w;
}

/** The verdict the store computes for the inspector. */
export async function verdictOf(w: World, label: string): Promise<TokenVerdict> {
  return { label, ...(await w.wouldAccept(label)) };
}
