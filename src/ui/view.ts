// The read model the views render: one immutable snapshot of a world, rebuilt after every
// command. Components receive pieces of it as props and never call the core themselves.
import type { QueueItem, WorldState } from '../sim/state';
import type { AccessTokenRecord, ChecksMade, Config, Metrics, Scenario, Seconds, SimEvent, TokenLabel } from '../sim/types';

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
  /** Every access token issued by the AS (AT#n) and forged by the attacker (FT#n). */
  accessTokens: readonly AccessTokenRecord[];
  metrics: Metrics;
  next: QueueItem | null;
  /** Number of ops in the world's history (step back goes to opCount - 1). */
  opCount: number;
}

/** What the resource server would say about a token right now (for the inspector). */
export interface TokenVerdict {
  label: TokenLabel;
  ok: boolean;
  reason: string | null;
  checks: ChecksMade;
}
