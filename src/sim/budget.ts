// The work budget: how much one run may do, in one place, for every door work comes in by — the
// parser (files and links are refused when their known work is over it), the engine (a run that
// reaches it stops before the next item, at the last good moment), stored sessions (their replay
// is work like any other), the headless runner (`--max-events` raises it) and the app's clock.
// Near the bottom of the import graph (types and duration strings only), so every layer can read it.
import { formatDuration } from './duration';
import type { Seconds } from './types';

/**
 * How much one world may do over its whole life (a run, or a session with its replays). The two
 * measures are what a run costs: memory and output grow with its events, time with its
 * signatures. Figures for both: docs/PERFORMANCE.md "Limits".
 */
export interface Budget {
  /** Events in the trace (requests, responses, tokens issued, state changes: what the narration tells). */
  events: number;
  /**
   * Signatures made or verified (access tokens, DPoP proofs): most of a run's time. A token signed
   * costs one, and its check by the API one until that JWT check has passed once (later checks
   * are answered without verifying it again, jwt.ts); a DPoP proof costs two (signed, checked).
   */
  signatures: number;
}

/**
 * Events in one run, by default. A 90-day workday (8 h a day) with API calls every minute and an
 * attacker trying every 15 minutes records about 153,000.
 */
export const DEFAULT_MAX_EVENTS = 200_000;

/**
 * Signatures allowed per event of the budget: 40,000 by default, which keeps the costliest files
 * per signature (a DPoP call every second, a forged token every second) under 10 s of `npm run sim`
 * (docs/PERFORMANCE.md "Limits"). The same 90-day workday makes 17,280. Raising the events budget
 * raises this in step.
 */
const SIGNATURES_PER_EVENT = 40 / 200;

/** The budget for at most `maxEvents` events (and the signatures that go with them). */
export function budgetOf(maxEvents: number = DEFAULT_MAX_EVENTS): Budget {
  return { events: maxEvents, signatures: Math.floor(maxEvents * SIGNATURES_PER_EVENT) };
}

/** Every step occurrence records at least two events (its action's start and finish). */
export const MIN_EVENTS_PER_OCCURRENCE = 2;

export const DEFAULT_BUDGET: Budget = budgetOf();

/**
 * The longest simulated span: 100 years (365-day years). Every instant a file, a link or a saved
 * session names (`at`, `until`, a repeat's last occurrence, a stored clock move) must be within
 * it, so every instant the app shows is a real date.
 */
export const MAX_SPAN: Seconds = 100 * 365 * 86_400;

/** Size caps on untrusted input, checked before any work starts. */
export const INPUT_LIMITS = {
  /** Characters in a title. */
  title: 200,
  /** Characters in a description, goal, narration, question, choice or explanation. */
  text: 5000,
  /** Steps in a file. */
  steps: 10_000,
  /** Step occurrences (`repeat.times` summed over all steps): at least two events each. */
  occurrences: 10_000,
  /** Ops in a stored session (a saved session, a branch, a share link). */
  ops: 100_000,
} as const;

/** What a run reached: a budget, or the end of the longest span (MAX_SPAN). */
export type BudgetLimit = keyof Budget | 'span';

/** A run reached its budget: it stopped before the next item, at the last good moment `at`. */
export class BudgetExceeded extends Error {
  readonly limit: BudgetLimit;
  readonly max: number;
  readonly at: Seconds;

  constructor(limit: BudgetLimit, max: number, at: Seconds) {
    super(`the run stopped at ${formatDuration(at)}: ${limitText(limit, max)}`);
    this.name = 'BudgetExceeded';
    this.limit = limit;
    this.max = max;
    this.at = at;
  }
}

/** "it reached its budget of 200,000 events processed", … */
export function limitText(limit: BudgetLimit, max: number): string {
  if (limit === 'span') return `the clock cannot go past ${grouped(max / 86_400 / 365)} years after the start`;
  return `it reached its budget of ${grouped(max)} ${limit === 'events' ? 'events' : 'signatures made or checked'}`;
}

export function isBudgetExceeded(error: unknown): error is BudgetExceeded {
  return error instanceof BudgetExceeded;
}

/** 200000 → "200,000" (no locale: the core reads none). */
export function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
