// Reading stored session data (the saved session, branches, share links): untrusted data in, a
// checked scenario and op list out, or one line naming the place. Apart from store.ts so the
// validator (valibot) loads only when there is something to read: `await import('./session-read')`.
import { DEFAULT_BUDGET, grouped, INPUT_LIMITS, MAX_SPAN } from '../sim/budget';
import { parseScenario } from '../sim/scenario';
import type { Scenario } from '../sim/types';
import { actionOf } from '../sim/action-of';
import type { StoredOp } from './session-format';

/** Parses stored session data; returns an error line instead of throwing. */
export function readSession(data: unknown): { ok: true; scenario: Scenario; ops: StoredOp[] } | { ok: false; error: string } {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { ok: false, error: 'session: not an object' };
  const { scenario, ops } = data as { scenario?: unknown; ops?: unknown };
  const parsed = parseScenario(scenario);
  // "(root)" is the scenario object itself: "session.scenario: …" says the same more plainly.
  if (!parsed.ok)
    return {
      ok: false,
      error: `session.scenario${parsed.error.startsWith('(root)') ? parsed.error.slice('(root)'.length) : `.${parsed.error}`}`,
    };
  if (!Array.isArray(ops)) return { ok: false, error: 'session.ops: not a list' };
  if (ops.length > INPUT_LIMITS.ops) return { ok: false, error: `session.ops: too many (${ops.length}; at most ${INPUT_LIMITS.ops})` };
  const out: StoredOp[] = [];
  // Replaying is work like any other run, and the whole session must fit the budget of one run
  // (budget.ts), as far as it is known before it starts: its commands and queued items ("next").
  let events = 0;
  for (const [i, op] of ops.entries()) {
    const checked = checkOp(op);
    if (typeof checked === 'string') return { ok: false, error: `session.ops[${i}]: ${checked}` };
    events += checked.kind === 'next' ? checked.n : checked.kind === 'act' ? 1 : 0;
    if (events > DEFAULT_BUDGET.events) {
      return {
        ok: false,
        error: `session.ops[${i}]: the session replays over ${grouped(DEFAULT_BUDGET.events)} commands and events, the budget of one run`,
      };
    }
    out.push(checked);
  }
  return { ok: true, scenario: parsed.scenario, ops: out };
}

function checkOp(op: unknown): StoredOp | string {
  if (!op || typeof op !== 'object') return 'not an object';
  const o = op as Record<string, unknown>;
  if (o.kind === 'detach') return { kind: 'detach' };
  if (o.kind === 'next') return Number.isSafeInteger(o.n) && (o.n as number) > 0 ? { kind: 'next', n: o.n as number } : 'bad count';
  if (o.kind === 'clock') {
    if (!Number.isSafeInteger(o.to) || (o.to as number) < 0) return 'bad time';
    // Past the longest run no instant is a date the app can show (budget.ts MAX_SPAN).
    if ((o.to as number) > MAX_SPAN) return `clock moved past the longest run (${MAX_SPAN / 365 / 86_400} years)`;
    return { kind: 'clock', to: o.to as number };
  }
  if (o.kind === 'act') {
    if (!o.action || typeof o.action !== 'object' || Array.isArray(o.action)) return 'bad action (not an object)';
    for (const field of ['at', 'repeat', 'lesson']) {
      if (Object.hasOwn(o.action, field)) return `bad action (unknown field "${field}")`;
    }
    // Validate the action with the scenario parser's own step rules (they do not depend on the
    // scenario's config, so a minimal file is enough and stays cheap for long sessions).
    const probe = parseScenario({ format: 'tokenscope/1', steps: [{ ...(o.action as object), at: 0 }] });
    if (!probe.ok) return `bad action (${probe.error.replace(/^steps\[0\]\.?/, '').replace(/^: /, '')})`;
    return { kind: 'act', action: actionOf(probe.scenario.steps[0]!) };
  }
  return 'unknown op kind';
}
