// The stored session format: what a saved session, a branch and a share link hold (their caps are
// the work budget's, src/sim/budget.ts), and how a world's ops are stored. A leaf module (types and
// one pure function), so the store, the engine host and the reader that validates stored sessions
// (session-read.ts) share it without importing one another.
import type { Action, Seconds } from '../sim/types';
import type { Op } from '../sim/world';

/** Ops as stored: runs of "next" collapsed, so a month-long session stays small. */
export type StoredOp = { kind: 'act'; action: Action } | { kind: 'next'; n: number } | { kind: 'clock'; to: Seconds } | { kind: 'detach' };

/** Everything needed to rebuild a session exactly: the scenario and what was done since. */
export interface Session {
  scenario: unknown;
  ops: StoredOp[];
}

/** A saved line ("what if?"): a whole session, kept so the user can return to it. */
export interface Branch {
  id: string;
  label: string;
  /** The moment it was saved at: seconds since t = 0, and Unix seconds of t = 0 (for display). */
  t: Seconds;
  epochSeconds: number;
  opCount: number;
  /** The scenario's title at the time, to tell lines of different scenarios apart. */
  title: string;
  /** Saved automatically when the user returned to another branch. */
  auto: boolean;
  session: Session;
}

/** A session exported as a plain scenario file (share-export.ts). */
export interface ExportedScenario {
  /** The scenario file, as JSON data (parseScenario accepts it). */
  json: unknown;
  /** The file's text. */
  text: string;
  fileName: string;
  /** What the file cannot express exactly (empty when it replays the session exactly). */
  notes: string[];
}

/** A world's ops as stored: runs of "next" collapsed. */
export function compressOps(ops: readonly Op[]): StoredOp[] {
  const out: StoredOp[] = [];
  for (const op of ops) {
    const last = out[out.length - 1];
    if (op.kind === 'next' && last?.kind === 'next') last.n++;
    else if (op.kind === 'next') out.push({ kind: 'next', n: 1 });
    else
      out.push(
        op.kind === 'act' ? { kind: 'act', action: op.action } : op.kind === 'clock' ? { kind: 'clock', to: op.to } : { kind: 'detach' },
      );
  }
  return out;
}
