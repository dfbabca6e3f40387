// The read model the views render: one immutable snapshot of a world, rebuilt after every
// command from what the engine host publishes (engine/protocol.ts). Components receive pieces of
// it as props; the World itself lives in the engine's worker, out of their reach.
import type { JSONWebKeySet } from 'jose';
import type { QueueItem, WorldState } from '../sim/state';
import type { TraceReading } from './reading-types';
import type { AccessTokenRecord, ChecksMade, Config, Metrics, Scenario, Seconds, SimEvent, StepResult, TokenLabel } from '../sim/types';

export interface WorldView {
  /** Current simulated time (seconds since t = 0). */
  t: Seconds;
  /** Unix seconds of t = 0. */
  epochSeconds: number;
  /** End of the scenario's scripted run. */
  end: Seconds;
  scenario: Scenario;
  config: Config;
  /** The world state at this moment (a private copy: safe to keep). */
  state: WorldState;
  /** The full trace up to this moment. */
  events: readonly SimEvent[];
  /**
   * The trace read once (trace-reading.ts): its projection (every token's life, the grants, keys
   * and sign-in sessions), the narration and the sequence diagram's items. The store keeps it up
   * to date as the trace arrives; views read it instead of folding the trace themselves. Null in
   * the views published before its code has loaded (right after the first paint).
   */
  reading: TraceReading | null;
  /** Every access token issued by the AS (AT#n) and forged by the attacker (FT#n). */
  accessTokens: readonly AccessTokenRecord[];
  /** Each scripted step occurrence's result so far, in the order they ran. */
  results: readonly StepResult[];
  metrics: Metrics;
  next: QueueItem | null;
  /** Number of ops in the world's history (step back goes to opCount - 1). */
  opCount: number;
  /** The authorization server's public keys (its JWKS). */
  jwks: JSONWebKeySet;
  /**
   * How long the attacker could still call the API from now if nothing else happened: the core's
   * own exposure over the next hundred years with the state as it is (so every rule it knows —
   * lifetimes, revocation, suspension, sender constraints — counts); 100 years means no end in sight.
   */
  remainingExposure: Seconds;
}

/** What the resource server would say about a token right now (for the inspector). */
export interface TokenVerdict {
  label: TokenLabel;
  ok: boolean;
  reason: string | null;
  checks: ChecksMade;
}
