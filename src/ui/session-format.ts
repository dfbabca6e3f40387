// The stored session format: what a saved session, a branch and a share link hold (their caps are
// the work budget's, src/sim/budget.ts). A leaf module (types only), so the store and
// the reader that validates stored sessions (session-read.ts) share it without importing each other.
import type { Action, Seconds } from '../sim/types';

/** Ops as stored: runs of "next" collapsed, so a month-long session stays small. */
export type StoredOp = { kind: 'act'; action: Action } | { kind: 'next'; n: number } | { kind: 'clock'; to: Seconds } | { kind: 'detach' };

/** Everything needed to rebuild a session exactly: the scenario and what was done since. */
export interface Session {
  scenario: unknown;
  ops: StoredOp[];
}
