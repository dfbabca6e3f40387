// The trade-off sweep: one script run by the real core under one configuration family at a
// range of access-token lifetimes (1 min to 30 days, log-spaced). Each point is an ordinary run,
// so its numbers are exactly what `npm run sim` prints for the same file and settings.
import { PRESETS } from '../sim/config';
import { parseScenario, scenarioToJson } from '../sim/scenario';
import type { PresetId, Seconds } from '../sim/types';
import { runScenario } from '../sim/world';

const MINUTE = 60;
const HOUR = 3_600;
const DAY = 86_400;

/** Twelve lifetimes, roughly evenly spaced on a log scale, rounded to values people configure. */
export const SWEEP_TTLS: readonly Seconds[] = [
  1 * MINUTE,
  3 * MINUTE,
  10 * MINUTE,
  30 * MINUTE,
  1 * HOUR,
  3 * HOUR,
  8 * HOUR,
  1 * DAY,
  3 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
];

/** Configuration families whose access-token lifetime the sweep varies. */
export const SWEEP_FAMILIES: { id: string; preset: PresetId; label: string }[] = [
  { id: 'access-only', preset: 'short-access-only', label: 'Access token only (password prompt when it expires)' },
  { id: 'rotating-refresh', preset: 'rotating-refresh', label: 'Access + rotating refresh token (reuse detection)' },
  { id: 'static-refresh', preset: 'static-refresh', label: 'Access + static refresh token' },
  { id: 'stored-password', preset: 'stored-password', label: 'Access token, the app stores the password (legacy password grant)' },
  { id: 'introspected', preset: 'introspected-access', label: 'Access token checked by introspection' },
];

export interface SweepPoint {
  ttl: Seconds;
  exposureSeconds: number;
  attackerCallsOk: number;
  passwordPrompts: number;
  tokenRequests: number;
  stateLookups: number;
}

/** The scenario JSON for one point: the family's preset with the access-token lifetime replaced. */
export function sweepScenarioJson(scenarioJson: unknown, familyId: string, ttl: Seconds): unknown {
  const family = SWEEP_FAMILIES.find((f) => f.id === familyId);
  if (!family) throw new Error(`unknown sweep family "${familyId}"`);
  const parsed = parseScenario(scenarioJson);
  if (!parsed.ok) throw new Error(parsed.error);
  const json = scenarioToJson({ ...parsed.scenario, config: PRESETS[family.preset] }) as { config: Record<string, unknown> };
  return { ...json, config: { ...json.config, accessToken: { ttl } } };
}

export async function sweepPoint(scenarioJson: unknown, familyId: string, ttl: Seconds): Promise<SweepPoint> {
  const parsed = parseScenario(sweepScenarioJson(scenarioJson, familyId, ttl));
  if (!parsed.ok) throw new Error(parsed.error);
  const { metrics } = await runScenario(parsed.scenario);
  return {
    ttl,
    exposureSeconds: metrics.attacker.exposureSeconds,
    attackerCallsOk: metrics.attacker.apiCallsOk,
    passwordPrompts: metrics.user.passwordPrompts,
    tokenRequests: metrics.authServer.tokenRequests,
    stateLookups: metrics.authServer.stateLookups,
  };
}

// ---- messages between the page and the sweep worker -------------------------------------------

export interface SweepRequest {
  id: number;
  scenarioJson: unknown;
  familyId: string;
}

export type SweepMessage =
  | { id: number; kind: 'point'; point: SweepPoint; done: number; total: number }
  | { id: number; kind: 'done' }
  | { id: number; kind: 'error'; error: string };

/** Runs a whole sweep, reporting each point as it completes (used by the worker and by tests). */
export async function runSweep(request: SweepRequest, report: (message: SweepMessage) => void): Promise<void> {
  try {
    for (const [i, ttl] of SWEEP_TTLS.entries()) {
      const point = await sweepPoint(request.scenarioJson, request.familyId, ttl);
      report({ id: request.id, kind: 'point', point, done: i + 1, total: SWEEP_TTLS.length });
    }
    report({ id: request.id, kind: 'done' });
  } catch (error) {
    report({ id: request.id, kind: 'error', error: error instanceof Error ? error.message : String(error) });
  }
}
