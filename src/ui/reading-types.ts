// The shapes of what is read from the trace once and published in the view model (view.ts):
// narration lines and sequence-diagram items. A leaf (types only), so the view model can name them
// without importing the modules that compute them (narration.ts, diagram-model.ts).
import type { Projection } from '../sim/projection';
import type { Actor, Cause, Party, Seconds, TokenLabel } from '../sim/types';

export type NarrationActor = Actor;

/**
 * ok: a request did what its sender wanted (✓); bad: it was refused (✗); warn: something a
 * learner should notice — the attacker got in or gained something, or a check passed that would
 * have failed had the RS asked the AS (!); info: a neutral fact.
 */
export type NarrationTone = 'ok' | 'bad' | 'warn' | 'info';

export interface NarrationLine {
  /** The trace position of the first event the line tells (stable: use it as the key). */
  seq: number;
  /** Simulated seconds since t = 0. */
  t: Seconds;
  actor: NarrationActor;
  tone: NarrationTone;
  text: string;
  /** Token labels the text mentions, in order of first mention (AT#n, RT#n, FT#n). */
  tokens: string[];
}

/** A piece of a label: plain text, or a token label the user can click to select. */
export type LabelPart = { kind: 'text'; text: string } | { kind: 'token'; label: TokenLabel };

export interface ItemBase {
  key: string;
  seq: number;
  t: number;
  cause: Cause;
  parts: LabelPart[];
  /** Every token named in the row (for highlighting the selected one). */
  tokens: TokenLabel[];
  /** The row in words, for screen readers (without the time). */
  text: string;
  /** What makes two automatic rows "the same": parties, endpoint and result, not token labels. */
  signature: string;
}

export interface ArrowItem extends ItemBase {
  kind: 'arrow';
  from: Party;
  to: Party;
  /** A response (drawn dashed, pointing back). */
  response: boolean;
  /** For responses: accepted or rejected; null for requests. */
  verdict: 'ok' | 'rejected' | null;
}

export type MarkerTone = 'danger' | 'notice' | 'neutral';

export interface MarkerItem extends ItemBase {
  kind: 'marker';
  lane: Party;
  tone: MarkerTone;
  /** Draw a dotted link from this lane to the marker (a theft from the client, a wipe of it). */
  link: Party | null;
}

export type SequenceItem = ArrowItem | MarkerItem;

/** A maximal run of items at one instant with one cause: one automatic tick, one step, one click. */
export interface Burst {
  items: SequenceItem[];
  t: number;
  auto: string | null;
  signature: string;
  /** The cause's key (causeKey). */
  cause: string;
}

/** A burst, or consecutive automatic bursts with the same cause and signature (a repeat). */
export type Block = { kind: 'single'; burst: Burst } | { kind: 'repeat'; bursts: Burst[] };

/** The items grouped into bursts and repeats, as a snapshot (never changed after). */
export interface SequenceGroups {
  blocks: readonly Block[];
}

/** The trace read once (trace-reading.ts), as the view model publishes it. */
export interface TraceReading {
  /** Every token's life, the grants, keys and sign-in sessions. */
  projection: Projection;
  /** The narration, oldest line first; lines already told keep their identity. */
  narration: readonly NarrationLine[];
  /** The sequence diagram's items, one per drawable fact. */
  sequenceItems: readonly SequenceItem[];
  /** The same items grouped into bursts and repeats (diagram-model.ts createSequenceGrouper). */
  sequenceGroups: SequenceGroups;
}
