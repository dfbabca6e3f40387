// The session as data: what a reload, a share link, a saved branch or an export replays — the
// scenario and the ops done since, with runs of "next" collapsed. A leaf module: the store (main
// thread), the engine host (worker) and the session reader all use it, and it imports only types.
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
