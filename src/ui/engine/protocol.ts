// The messages between the simulator store (main thread) and the engine host (a module worker,
// or in-process in tests): commands go one way, progress and published views come back. Every
// message is plain data (structured clone), so nothing of the mutable World crosses over.
import type { JSONWebKeySet } from 'jose';
import type { QueueItem, WorldState } from '../../sim/state';
import type { AccessTokenRecord, Action, Metrics, Scenario, Seconds, SimEvent, StepResult } from '../../sim/types';
import type { AxisMarker, ComparisonRun } from '../compare';
import type { ExportedScenario, Session, StoredOp } from '../session-format';
import type { TokenVerdict } from '../view';

/**
 * When a long advance stops early, as data (a function cannot cross to the worker): at a key
 * event (playback.ts `isKeyEvent`), or once the script's step occurrences run reach `atLeast`
 * (a lesson's "Next", counting each scripted occurrence's ActionFinished).
 */
export type StopRule = { kind: 'keyEvents' } | { kind: 'steps'; atLeast: number };

/** Longer than any run: remaining exposure this long means "no end in sight". */
export const HORIZON: Seconds = 100 * 365 * 86_400;

export type Command =
  /** A new world for the scenario with the stored ops replayed; the current one is kept if that fails. */
  | { kind: 'load'; scenario: Scenario; ops: readonly StoredOp[] }
  /** The sandbox's starting point (scenarios/sandbox.ts), made in the host: the page needs no presets for it. */
  | { kind: 'sandbox' }
  /** The same from stored, untrusted session data (checked in the host). */
  | { kind: 'loadSession'; session: unknown }
  | { kind: 'act'; action: Action }
  /** To an instant, or by a span from wherever the world is when the command runs. */
  | { kind: 'advance'; to?: Seconds; by?: Seconds; stop?: StopRule }
  | { kind: 'next' }
  | { kind: 'stepBack' }
  | { kind: 'rewind'; opCount: number }
  /** A fresh world for the scenario (or the current one's) at t = 0. */
  | { kind: 'restart'; scenario?: Scenario }
  | { kind: 'detach' }
  /** Publishes again (e.g. for the verdict on a newly selected token); changes nothing. */
  | { kind: 'refresh' }
  /** The current session as a plain scenario file (share-export.ts); the world is untouched. */
  | { kind: 'export' }
  /** A comparison side run to its end with its exposure windows (compare-run.ts); the world is untouched. */
  | { kind: 'compareRun'; scenario: Scenario };

export type CommandResult =
  | { kind: 'none' }
  /** `budget`: the work budget stopped the run (or refused it), with the notice to show. */
  | { kind: 'advance'; stopped: boolean; cancelled: boolean; budget?: string }
  | { kind: 'next'; item: QueueItem | null }
  | { kind: 'export'; exported: ExportedScenario }
  | { kind: 'compareRun'; run: ComparisonSideRun | null };

/** A comparison side as the page needs it: the run without its trace, and the trace's markers. */
export type ComparisonSideRun = Omit<ComparisonRun, 'events'> & { markers: AxisMarker[] };

/** An append-only list (trace, tokens, results) sent as a change: keep the first `keep` items the other side has, then append. */
export interface ListPatch<T> {
  keep: number;
  append: T[];
}

/** What the host publishes after a command: everything a view needs, as data. */
export interface Published {
  /** Which world this is: a new number whenever a load, restart or branch replaced the world. */
  worldId: number;
  t: Seconds;
  end: Seconds;
  /** Sent when the world is new to the receiver (worldId changed), else null. */
  scenario: Scenario | null;
  state: WorldState;
  metrics: Metrics;
  next: QueueItem | null;
  opCount: number;
  events: ListPatch<SimEvent>;
  accessTokens: ListPatch<AccessTokenRecord>;
  results: ListPatch<StepResult>;
  jwks: JSONWebKeySet;
  remainingExposure: Seconds;
  session: Session;
  verdict: TokenVerdict | null;
}

export type ToHost =
  | {
      type: 'command';
      id: number;
      command: Command;
      /** The token the inspector shows: its verdict comes with the view. */ selected: string | null;
    }
  /** Stop the advance of request `id` between two items (or before it starts); other commands are not affected. */
  | { type: 'cancel'; id: number };

export type FromHost =
  /** A long run's progress between two slices; `events` streams the trace so far, so the final view has little left to send. */
  | {
      type: 'progress';
      id: number;
      /** Simulated seconds (an advance, a comparison run), or items of a stored session being replayed. */
      from: number;
      to: number;
      at: number;
      events?: ListPatch<SimEvent>;
      /**
       * Set when `events` belong to a world the receiver does not have yet (a replayed session
       * handed over in chunks, so no one message carries a month's trace): the receiver starts
       * that world's lists, and the final view then carries no scenario.
       */
      world?: { id: number; scenario: Scenario };
    }
  | { type: 'done'; id: number; result: CommandResult; published: Published | null }
  /** The command failed; `published` is the world as it is after it (unchanged for a failed load). */
  /** `budget`: the world's work budget (sim/budget.ts) stopped it; `published` then shows its last good moment. */
  | { type: 'error'; id: number; message: string; code?: 'read' | 'cancelled' | 'budget'; published: Published | null }
  /** The host itself could not run (its script failed to load): every pending request fails. */
  | { type: 'fatal'; message: string };

/** How the store reaches a host: a Worker, or the same host code in-process (tests, Node). */
export interface Transport {
  send(message: ToHost): void;
  onMessage(receive: (message: FromHost) => void): void;
  close(): void;
}
