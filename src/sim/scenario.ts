// The one parser and validator of scenario files (SCENARIO-FORMAT.md, plus the optional lesson
// fields of SCENARIO-FORMAT-EXTENSIONS.md). Untrusted JSON goes in; out comes either a complete,
// trusted Scenario (defaults filled in, durations in seconds, config resolved) or one line naming
// the place and the problem. It re-exports the inverse (scenario-json.ts, for export and share
// links) and the two questions every runner asks of a scenario, when does each step happen and
// when does the run end (occurrences.ts); those live apart so the engine loads without valibot.
import * as v from 'valibot';
import { INPUT_LIMITS, MAX_SPAN } from './budget';
import { configError, overridesError, PRESET_IDS, resolveConfig } from './config';
import { formatDuration, parseDuration } from './duration';
import { lastOccurrence } from './occurrences';
import {
  ACTION_NAMES,
  type ActionName,
  type ForgeKind,
  type PresetId,
  type ProofChoice,
  type Reason,
  type Scenario,
  type Seconds,
  type StealFrom,
  type StealWhat,
  type Step,
} from './types';

export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; error: string };

const FORMAT = 'tokenscope/1';
const DEFAULT_SEED = 1;
const DEFAULT_EPOCH = '2026-01-05T09:00:00Z';

// Share links and imported files are untrusted: these caps (budget.ts, with the work budget) keep
// a hostile file from hanging the app, and are far above anything a lesson needs.
const TITLE_MAX = INPUT_LIMITS.title;
const TEXT_MAX = INPUT_LIMITS.text;
const STEPS_MAX = INPUT_LIMITS.steps;
const OCCURRENCES_MAX = INPUT_LIMITS.occurrences;
const SPAN_TEXT = `${MAX_SPAN / 365 / 86_400} years (${formatDuration(MAX_SPAN)})`;

/** Where a problem is and what it is; printed as `path: message`. */
interface Problem {
  path: string;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Messages

/** JSON quoting, plus the two line separators JSON leaves raw, so a message stays on one line. */
function quote(text: string): string {
  return JSON.stringify(text).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** A short one-line rendering of any value (never the whole of a big or nested one). */
function show(value: unknown): string {
  if (typeof value === 'string') return quote(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return '[…]';
  if (typeof value === 'object') return '{…}';
  return `a ${typeof value}`;
}

const expected =
  (what: string) =>
  (issue: v.BaseIssue<unknown>): string =>
    `expected ${what}, got ${show(issue.input)}`;

/** `steps[3].do` from valibot's issue path; `(root)` for the file itself. */
function pathText(items: readonly v.IssuePathItem[]): string {
  let text = '';
  for (const { key } of items) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(root)' : text;
}

function issueProblem(issue: v.BaseIssue<unknown>): Problem {
  const items = issue.path ?? [];
  const last = items.at(-1);
  // strictObject points a missing or unknown field's issue at the field itself; a reader looks
  // for it in the object that should (or should not) hold it, so name that object instead.
  if (last?.origin === 'key') {
    const field = show(String(last.key));
    const message = issue.expected === 'never' ? `unknown field ${field}` : `missing field ${field}`;
    return { path: pathText(items.slice(0, -1)), message };
  }
  return { path: pathText(items), message: issue.message };
}

const failure = ({ path, message }: Problem): ParseResult => ({ ok: false, error: `${path}: ${message}` });

// ---------------------------------------------------------------------------------------------
// Field schemas

const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An object with exactly these fields. The pre-check is needed: valibot accepts arrays as objects. */
function record<const TEntries extends v.ObjectEntries>(entries: TEntries) {
  return v.pipe(v.unknown(), v.check(isObject, expected('an object')), v.strictObject(entries));
}

/** An array checked for length before its items, so a huge one is refused at once. */
function list<const TItem extends v.GenericSchema>(item: TItem, min: number, max: number, what: string) {
  const count = (issue: v.BaseIssue<unknown>) => `needs ${min} to ${max} ${what}, got ${issue.received}`;
  return v.pipe(v.array(v.unknown(), expected('an array')), v.minLength(min, count), v.maxLength(max, count), v.array(item));
}

const text = (max: number) =>
  v.pipe(
    v.string(expected('a string')),
    v.maxLength(max, (issue) => `too long: ${issue.received} characters (at most ${max})`),
  );

function wholeNumber(min: number) {
  const message = expected(`a whole number ≥ ${min}`);
  return v.pipe(v.number(message), v.safeInteger(message), v.minValue(min, message));
}

function oneOf<const TOptions extends readonly string[]>(options: TOptions) {
  return v.picklist(options, expected(`one of ${options.map(quote).join(', ')}`));
}

const duration = v.pipe(
  v.unknown(),
  v.rawTransform<unknown, Seconds>(({ dataset, addIssue, NEVER }) => {
    const seconds = parseDuration(dataset.value);
    if (seconds !== null) return seconds;
    const hint =
      dataset.value === null ? '(null means unlimited, allowed only for idleTtl and absoluteTtl)' : '(use e.g. "90s", "5m", "1h30m")';
    addIssue({ message: `bad duration ${show(dataset.value)} ${hint}` });
    return NEVER;
  }),
);

// Access-token lifetimes and polling intervals of 0 would loop forever at one instant.
const positiveDuration = v.pipe(
  duration,
  v.minValue(1, (issue) => `must be at least 1s, got ${formatDuration(issue.input)}`),
);

const epoch = v.pipe(
  v.string(expected('an RFC 3339 date-time string')),
  v.rawTransform<string, { text: string; seconds: Seconds }>(({ dataset, addIssue, NEVER }) => {
    const seconds = unixSecondsOf(dataset.value);
    if (typeof seconds === 'number') return { text: dataset.value, seconds };
    addIssue({ message: seconds });
    return NEVER;
  }),
);

// ---------------------------------------------------------------------------------------------
// The file

// Records keyed by the union make the compiler insist every value is listed.
const STEAL_WHATS = Object.keys({
  access: 1,
  refresh: 1,
  both: 1,
  password: 1,
  clientSecret: 1,
  all: 1,
} satisfies Record<StealWhat, 1>) as StealWhat[];
const STEAL_FROMS = Object.keys({ app: 1, 'api-logs': 1 } satisfies Record<StealFrom, 1>) as StealFrom[];
const FORGE_KINDS = Object.keys({
  'own-key': 1,
  'alg-none': 1,
  'wrong-audience': 1,
} satisfies Record<ForgeKind, 1>) as ForgeKind[];

const PROOF_CHOICES = Object.keys({ 'own-key': 1, replay: 1 } satisfies Record<ProofChoice, 1>) as ProofChoice[];

/** Actions with fields of their own; every other action is `{ "do": … }` alone. */
const FIELDED_ACTIONS = ['attacker.steal', 'attacker.forge', 'attacker.callApi', 'attacker.refresh'] as const;
type PlainAction = Exclude<ActionName, (typeof FIELDED_ACTIONS)[number]>;
const PLAIN_ACTIONS = ACTION_NAMES.filter((name): name is PlainAction => !(FIELDED_ACTIONS as readonly string[]).includes(name));

// Every reason code of SEMANTICS.md §8, for a prediction's `expect`.
const REASONS = Object.keys({
  no_token: 1,
  expired: 1,
  not_yet_valid: 1,
  bad_signature: 1,
  wrong_audience: 1,
  wrong_issuer: 1,
  wrong_type: 1,
  inactive: 1,
  dpop_required: 1,
  dpop_invalid: 1,
  unknown_token: 1,
  expired_idle: 1,
  expired_absolute: 1,
  revoked: 1,
  reused: 1,
  consumed: 1,
  user_suspended: 1,
  bad_password: 1,
  dpop_key_mismatch: 1,
  client_auth_failed: 1,
  login_required: 1,
  pkce_failed: 1,
  code_used: 1,
  no_password: 1,
  nothing_to_steal: 1,
  no_code: 1,
  page_not_held: 1,
} satisfies Record<Reason, 1>) as Reason[];

/** The result the right answer names: a success, or a refusal and (optionally) its reason and status. */
const expectedResult = v.pipe(
  record({
    ok: v.boolean(expected('true or false')),
    reason: v.optional(v.nullable(oneOf(REASONS))),
    status: v.optional(v.nullable(v.pipe(wholeNumber(100), v.maxValue(599, expected('an HTTP status (100 to 599)'))))),
  }),
  v.forward(
    v.partialCheck(
      [['ok'], ['reason']],
      ({ ok, reason }) => !(ok && reason !== undefined && reason !== null),
      'a success has no reason (give "ok": false, or leave "reason" out)',
    ),
    ['reason'],
  ),
);

const predict = v.pipe(
  record({
    question: text(TEXT_MAX),
    choices: list(text(TEXT_MAX), 2, 4, 'choices'),
    answer: wholeNumber(0),
    explanation: text(TEXT_MAX),
    expect: v.optional(expectedResult),
  }),
  v.forward(
    v.partialCheck(
      [['answer'], ['choices']],
      ({ answer, choices }) => answer < choices.length,
      ({ input }) =>
        `must be the index of one of the ${input.choices.length} choices (0 to ${input.choices.length - 1}), got ${input.answer}`,
    ),
    ['answer'],
  ),
);

const stepFields = {
  at: duration,
  // `every` may be 0: several occurrences at one instant (SCENARIO-FORMAT.md allows any duration).
  repeat: v.optional(record({ every: duration, times: wholeNumber(1) })),
  lesson: v.optional(record({ narration: v.optional(text(TEXT_MAX)), predict: v.optional(predict) })),
};

const step = v.pipe(
  v.unknown(),
  v.check(isObject, expected('an object')),
  v.check((value) => Object.hasOwn(value as object, 'do'), 'missing field "do"'),
  v.variant(
    'do',
    [
      v.strictObject({ ...stepFields, do: v.picklist(PLAIN_ACTIONS) }),
      v.pipe(
        v.strictObject({ ...stepFields, do: v.literal('attacker.steal'), what: oneOf(STEAL_WHATS), from: v.optional(oneOf(STEAL_FROMS)) }),
        // Only access tokens travel to the API, so its logs hold nothing else (SCENARIO-FORMAT.md).
        v.forward(
          v.partialCheck(
            [['from'], ['what']],
            ({ from, what }) => from !== 'api-logs' || what === 'access',
            ({ input }) => `the API's logs hold only access tokens: "from": "api-logs" needs "what": "access", got ${quote(input.what)}`,
          ),
          ['what'],
        ),
      ),
      v.strictObject({ ...stepFields, do: v.literal('attacker.forge'), kind: v.optional(oneOf(FORGE_KINDS)) }),
      v.strictObject({ ...stepFields, do: v.literal('attacker.callApi'), proof: v.optional(oneOf(PROOF_CHOICES)) }),
      v.strictObject({ ...stepFields, do: v.literal('attacker.refresh'), proof: v.optional(oneOf(PROOF_CHOICES)) }),
    ],
    (issue) => `unknown action ${show(issue.input)}`,
  ),
);

const config = record({
  preset: v.optional(v.picklist(PRESET_IDS, (issue) => `unknown preset ${show(issue.input)}`)),
  accessToken: v.optional(record({ ttl: v.optional(positiveDuration) })),
  refreshToken: v.optional(
    v.nullable(
      record({
        rotation: v.optional(v.boolean(expected('true or false'))),
        reuseDetection: v.optional(v.boolean(expected('true or false'))),
        reuseInterval: v.optional(duration),
        idleTtl: v.optional(v.nullable(duration)),
        absoluteTtl: v.optional(v.nullable(duration)),
      }),
    ),
  ),
  login: v.optional(oneOf(['code-pkce', 'password-grant'])),
  pkce: v.optional(v.boolean(expected('true or false'))),
  authServer: v.optional(
    record({
      // Both lifetimes must be written (each may be null: unlimited), SEMANTICS.md §10.
      signInSession: v.optional(v.nullable(record({ idleTtl: v.nullable(duration), absoluteTtl: v.nullable(duration) }))),
      revokeGrantsOnPasswordChange: v.optional(v.boolean(expected('true or false'))),
    }),
  ),
  client: v.optional(
    record({
      type: v.optional(oneOf(['public', 'confidential'])),
      storesPassword: v.optional(v.boolean(expected('true or false'))),
      tokenStorage: v.optional(oneOf(['browser', 'bff'])),
    }),
  ),
  resourceServer: v.optional(record({ validation: v.optional(oneOf(['local', 'introspection'])), leeway: v.optional(duration) })),
  senderConstraint: v.optional(oneOf(['none', 'dpop'])),
});

const behaviour = record({
  user: v.optional(record({ callApiEvery: positiveDuration })),
  attacker: v.optional(record({ callApiEvery: positiveDuration })),
});

// `format` comes first: a file from a newer format should hear that, not about its new fields.
const scenarioFile = record({
  format: v.literal(FORMAT, (issue) => `unsupported format ${show(issue.input)} (this version reads "${FORMAT}")`),
  title: v.optional(text(TITLE_MAX)),
  description: v.optional(text(TEXT_MAX)),
  goal: v.optional(text(TEXT_MAX)),
  seed: v.optional(wholeNumber(0), DEFAULT_SEED),
  epoch: v.optional(epoch, DEFAULT_EPOCH),
  config: v.optional(config, {}),
  behaviour: v.optional(behaviour, {}),
  steps: list(step, 0, STEPS_MAX, 'steps'),
  until: v.optional(duration),
});

/** `until` within the longest run (MAX_SPAN). */
function spanProblem(until: Seconds | null): Problem | null {
  if (until === null || until <= MAX_SPAN) return null;
  return { path: 'until', message: `${formatDuration(until)} is past the longest run, ${SPAN_TEXT}` };
}

/** The checks that span several fields, once each field is known to be well-formed. */
function stepsProblem(steps: readonly Step[], until: Seconds | null): Problem | null {
  let occurrences = 0;
  for (const [index, step] of steps.entries()) {
    const path = `steps[${index}]`;
    const previous = steps[index - 1];
    if (previous && step.at < previous.at) {
      const order = `${formatDuration(step.at)} after ${formatDuration(previous.at)}`;
      return { path: `${path}.at`, message: `steps must be in non-decreasing "at" order (${order})` };
    }
    occurrences += step.repeat?.times ?? 1;
    if (occurrences > OCCURRENCES_MAX) {
      return { path: `${path}.repeat.times`, message: `too many step occurrences (over ${OCCURRENCES_MAX} in all)` };
    }
    if (step.at > MAX_SPAN) {
      return { path: `${path}.at`, message: `${formatDuration(step.at)} is past the longest run, ${SPAN_TEXT}` };
    }
    const last = lastOccurrence(step);
    if (!Number.isSafeInteger(last) || last > MAX_SPAN) {
      return { path: `${path}.repeat`, message: `the last repeat is past the longest run, ${SPAN_TEXT}` };
    }
    if (until !== null && last > until) {
      // The first occurrence past `until` (0-based); a non-repeated step has only occurrence 0.
      const every = step.repeat?.every ?? 1;
      const nth = step.at > until ? 0 : Math.floor((until - step.at) / every) + 1;
      const where = step.repeat ? `${path}, repeat ${nth + 1}` : path;
      const at = formatDuration(step.at + nth * every);
      return { path: 'until', message: `step occurrence at ${at} (${where}) is after until ${formatDuration(until)}` };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The API

// Valibot-free helpers, re-exported for callers that already import the parser.
export { endOf, stepOccurrences } from './occurrences';
export { scenarioToJson } from './scenario-json';

/** Validates already-parsed JSON as a scenario file. Never throws. */
export function parseScenario(input: unknown): ParseResult {
  try {
    const parsed = v.safeParse(scenarioFile, input, { abortEarly: true });
    if (!parsed.success) return failure(issueProblem(parsed.issues[0]));
    const { config: overrides, epoch, until = null, ...rest } = parsed.output;
    const config = resolveConfig(overrides);
    const problem = overridesError(overrides, config) ?? configError(config) ?? spanProblem(until) ?? stepsProblem(rest.steps, until);
    if (problem) return failure(problem);
    return { ok: true, scenario: { ...rest, epoch: epoch.text, epochSeconds: epoch.seconds, config, until } };
  } catch {
    // Unreachable from JSON; only exotic objects (throwing getters, proxies) get here.
    return { ok: false, error: '(root): cannot be read as plain JSON data' };
  }
}

/** Parses and validates the text of a scenario file. Never throws. */
export function parseScenarioText(text: string): ParseResult {
  let input: unknown;
  try {
    // Editors on Windows may save a byte-order mark, which JSON.parse refuses.
    input = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unreadable';
    return { ok: false, error: `(file): not valid JSON: ${reason.replace(/[\r\n\u2028\u2029]+/g, ' ')}` };
  }
  return parseScenario(input);
}

export function isPresetId(x: string): x is PresetId {
  return (PRESET_IDS as readonly string[]).includes(x);
}

/** The runner's --preset: the same script under another configuration. */
export function withPreset(scenario: Scenario, preset: PresetId): Scenario {
  return { ...scenario, config: resolveConfig({ preset }) };
}

// ---------------------------------------------------------------------------------------------
// RFC 3339 by hand: the core may not use Date (it reads the wall clock and the local zone).

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Unix seconds for an RFC 3339 date-time, or a message saying what is wrong with it. */
function unixSecondsOf(text: string): Seconds | string {
  const match = RFC3339.exec(text);
  if (!match) return `bad date-time ${show(text)} (use RFC 3339, e.g. "2026-01-05T09:00:00Z")`;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fraction = match[7] ?? '';
  const sign = match[8] === '-' ? -1 : 1;
  const offsetHour = Number(match[9] ?? 0);
  const offsetMinute = Number(match[10] ?? 0);
  // Leap seconds (":60") are refused: the simulation's clock has none.
  const valid =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHour <= 23 &&
    offsetMinute <= 59;
  if (!valid) return `no such date-time ${show(text)}`;
  // Simulated time counts whole seconds; silently dropping a fraction would shift every claim.
  if (/[1-9]/.test(fraction)) return `fractional seconds must be zero, got ${show(text)}`;
  const local = daysFromCivil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second;
  return local - sign * (offsetHour * 3_600 + offsetMinute * 60);
}

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
