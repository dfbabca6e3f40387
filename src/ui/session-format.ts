// The stored session format: what a saved session, a branch and a share link hold, and the caps
// on what a stored session may ask for, and how a world's ops are stored. A leaf module (types, one
// constant, one pure function), so the store, the engine host and the reader that validates stored
// sessions (session-read.ts) share it without importing one another.
import type { Action, Seconds } from '../sim/types';
import type { Op } from '../sim/world';

/** Ops as stored: runs of "next" collapsed, so a month-long session stays small. */
export type StoredOp = { kind: 'act'; action: Action } | { kind: 'next'; n: number } | { kind: 'clock'; to: Seconds } | { kind: 'detach' };

/** Everything needed to rebuild a session exactly: the scenario and what was done since. */
export interface Session {
  scenario: unknown;
  ops: StoredOp[];
}

/** Caps on a stored session, so a hostile link or file cannot make the replay run for ever. */
export const SESSION_LIMITS = { ops: 100_000, events: 1_000_000 } as const;

/** A world's ops as stored: runs of "next" collapsed. */
export function compressOps(ops: readonly Op[]): StoredOp[] {
  const out: StoredOp[] = [];
  for (const op of ops) {
    const last = out[out.length - 1];
    if (op.kind === 'next' && last?.kind === 'next') last.n++;
    else if (op.kind === 'next') out.push({ kind: 'next', n: 1 });
    else out.push(op.kind === 'act' ? { kind: 'act', action: op.action } : op.kind === 'clock' ? { kind: 'clock', to: op.to } : { kind: 'detach' });
  }
  return out;
}
