// The stored session format: what a saved session, a branch and a share link hold, and the caps
// on what a stored session may ask for. A leaf module (types and one constant), so the store and
// the reader that validates stored sessions (session-read.ts) share it without importing each other.
import type { Action, Seconds } from '../sim/types';

/** Ops as stored: runs of "next" collapsed, so a month-long session stays small. */
export type StoredOp = { kind: 'act'; action: Action } | { kind: 'next'; n: number } | { kind: 'clock'; to: Seconds } | { kind: 'detach' };

/** Everything needed to rebuild a session exactly: the scenario and what was done since. */
export interface Session {
  scenario: unknown;
  ops: StoredOp[];
}

/** Caps on a stored session, so a hostile link or file cannot make the replay run for ever. */
export const SESSION_LIMITS = { ops: 100_000, events: 1_000_000 } as const;
