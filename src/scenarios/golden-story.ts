// A run told as a golden story: the measures on top (metrics, each step's result), then one line
// per event in trace order, so a diff of a golden file reads like a changelog of behaviour
// (`09:05:00 client → AS refresh RT#1 → 200 AT#2 RT#2`). Pure and Node-friendly: the scenario
// tests write one per built-in scenario and preset (src/scenarios/__golden__/).
//
// Layout: a request and its answer share one line; what happened while the request was handled
// (tokens issued with their decoded claims, a refresh token consumed, a grant revoked, a party
// changing state, a nested introspection request) follows on indented lines. Top-level lines end
// with what made them happen (`· step 4`, `· auto user`, `· command`). Access-token claims are
// decoded from the JWT itself; the ones every token carries are said once in the header, and a
// token line names only its iat/exp and any claim that differs. No raw JWTs, jti or signatures:
// the replay test pins those.
import { decodeJwt } from '../sim/crypto';
import { ACCESS_TOKEN_TYPE, API_ENDPOINT, AUDIENCE, CLIENT_ID, ISSUER, SCOPE, SUBJECT, TOKEN_ENDPOINT } from '../sim/protocol';
import type {
  AccessTokenRecord,
  Cause,
  ChecksMade,
  DpopProof,
  Metrics,
  Outcome,
  Party,
  Scenario,
  Seconds,
  SimEvent,
  StepResult,
} from '../sim/types';

export interface StoryInput {
  /** The scenario's id, and the preset it was run under when not its own configuration. */
  id: string;
  kind: string;
  preset?: string;
  scenario: Scenario;
  outcome: Outcome;
}

const DAY = 86_400;
/** Lines told under another start past its clock reading. */
const INDENT = '          ';

/** The claims and header every genuine access token carries unless its line says otherwise. */
const USUAL_CLAIMS: Readonly<Record<string, unknown>> = { iss: ISSUER, sub: SUBJECT, aud: AUDIENCE, client_id: CLIENT_ID, scope: SCOPE };
const USUAL_HEADER: Readonly<Record<string, unknown>> = { alg: 'EdDSA', typ: ACCESS_TOKEN_TYPE };

const PARTY_NAME: Readonly<Record<Party, string>> = { client: 'client', authServer: 'AS', resourceServer: 'RS', attacker: 'attacker' };

function assertNever(value: never): never {
  throw new Error(`golden story: unhandled event ${JSON.stringify(value)}`);
}

/** The whole story, ending in a newline. */
export function goldenStory(input: StoryInput): string {
  const { scenario, outcome } = input;
  const clock = clockOf(scenario.epochSeconds, outcome.end);
  const lines: string[] = [];
  lines.push(`# ${input.id} (${input.kind})${input.preset ? ` under preset ${input.preset}` : ''}`);
  lines.push(`config ${configLine(scenario)}`);
  lines.push(
    `seed ${scenario.seed} · starts ${new Date(scenario.epochSeconds * 1000).toISOString()} · ends ${clock(outcome.end)} (${span(outcome.end)})`,
  );
  lines.push(`usual access-token claims: ${entries(USUAL_CLAIMS)} · header ${entries(USUAL_HEADER)}`);
  lines.push('', '## measures', ...metricLines(outcome.metrics, clock));
  lines.push('', `## steps (${outcome.steps.length} results)`, ...outcome.steps.map((step) => stepLine(step, clock)));
  lines.push('', `## trace (${outcome.events.length} events)`, ...traceLines(outcome.events, scenario.epochSeconds, clock));
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Header and measures

function configLine(scenario: Scenario): string {
  const { preset, ...fields } = scenario.config;
  return `${preset} ${JSON.stringify(fields)}${Object.keys(scenario.behaviour).length > 0 ? ` · behaviour ${JSON.stringify(scenario.behaviour)}` : ''}`;
}

/**
 * Every metric by its own name, so a metric added to the core shows here without a change:
 * `…Seconds` as a duration too, `…At` as a clock reading.
 */
function metricLines(metrics: Metrics, clock: (t: Seconds) => string): string[] {
  const value = (name: string, v: unknown) => {
    if (typeof v !== 'number') return JSON.stringify(v) ?? 'absent';
    if (name.endsWith('At')) return clock(v);
    if (name.endsWith('Seconds') && v >= 60) return `${v} s (${span(v)})`;
    return name.endsWith('Seconds') ? `${v} s` : String(v);
  };
  return Object.entries(metrics).map(
    ([group, fields]) =>
      `${group}: ${Object.entries(fields as Record<string, unknown>)
        .map(([name, v]) => `${name} ${value(name, v)}`)
        .join(' · ')}`,
  );
}

function stepLine(step: StepResult, clock: (t: Seconds) => string): string {
  return `${clock(step.at)} #${step.index} ${step.do} ${resultText(step)}`;
}

/** `→ 200`, `→ 401 invalid_token expired`, `✗ not sent: no_token`, `✓ done`. */
function resultText(result: Pick<StepResult, 'ok' | 'status' | 'error' | 'reason'>): string {
  if (result.status === null) return result.ok ? '✓ done' : `✗ not sent: ${result.reason}`;
  return ['→', result.status, result.error, result.reason].filter((part) => part !== null).join(' ');
}

// ---------------------------------------------------------------------------------------------
// The trace

type Ev<T extends SimEvent['type']> = Extract<SimEvent, { type: T }>;

interface TraceContext {
  /** Each request's answer, by request id. */
  responses: ReadonlyMap<number, Ev<'ResponseSent'>>;
  /** Ids of the requests the trace holds. */
  requests: ReadonlySet<number>;
  epochSeconds: number;
  /** The instant of the event being told: instants inside a line are said relative to it. */
  now: Seconds;
}

/** A top-level line and the lines told under it (their indent relative to it, in steps). */
interface Entry {
  t: Seconds;
  cause: string;
  head: string;
  under: { depth: number; text: string }[];
}

function traceLines(events: readonly SimEvent[], epochSeconds: number, clock: (t: Seconds) => string): string[] {
  const responses = new Map<number, Ev<'ResponseSent'>>();
  const requests = new Set<number>();
  for (const event of events) {
    if (event.type === 'ResponseSent') responses.set(event.requestId, event);
    if (event.type === 'RequestSent') requests.add(event.id);
  }
  const context: TraceContext = { responses, requests, epochSeconds, now: 0 };
  const entries: Entry[] = [];
  /** Requests still waiting for their answer: what comes meanwhile is told under them. */
  const open: number[] = [];
  /** Inside an action, every line after its first is told under that first one. */
  let actionDepth = 0;
  let actionHasLine = false;
  for (const event of events) {
    context.now = event.t;
    if (event.type === 'ActionStarted') {
      actionDepth++;
      actionHasLine = false;
    }
    const silent = event.type === 'ActionFinished' && actionHasLine;
    const told = silent ? null : eventText(event, context);
    const text = told === null ? null : told + (event.type === 'RequestSent' ? '' : untold(event));
    if (event.type === 'ResponseSent') {
      const at = open.lastIndexOf(event.requestId);
      if (at >= 0) open.splice(at);
    }
    if (event.type === 'ActionFinished') {
      actionDepth = Math.max(0, actionDepth - 1);
      actionHasLine = actionDepth > 0;
    }
    if (text === null) continue;
    const current = entries.at(-1);
    // A party's state change is a consequence: told under the line that caused it.
    const consequence = event.type === 'StateChanged' && current?.t === event.t && current.cause === causeText(event.cause);
    const depth = Math.max(open.length + (actionDepth > 0 && actionHasLine ? 1 : 0), consequence ? 1 : 0);
    if (depth === 0 || !current) entries.push({ t: event.t, cause: causeText(event.cause), head: text, under: [] });
    else current.under.push({ depth, text: event.t === current.t ? text : `${text} (at ${clock(event.t)})` });
    if (actionDepth > 0) actionHasLine = true;
    if (event.type === 'RequestSent' && responses.has(event.id)) open.push(event.id);
  }
  return foldRepeats(entries).flatMap((item) => {
    const render = (entry: Entry) => [
      `${clock(entry.t)} ${entry.head} · ${entry.cause}`,
      ...entry.under.map(({ depth, text }) => `${INDENT}${'  '.repeat(depth - 1)}${text}`),
    ];
    if (!('times' in item)) return render(item);
    const lines = item.first.flatMap(render);
    return [
      ...lines,
      `${INDENT}⋮ ${item.times - 2 === 1 ? 'once more' : `${item.times - 2} more times`} every ${span(item.every)}, numbers counting on evenly; the last time:`,
      ...item.last.flatMap(render),
    ];
  });
}

/**
 * A run of the same block of entries (1–12 of them) repeated at least three times at a constant
 * interval, every number in its text moving by the same step each time (token numbers): told as
 * its first and last repetition and a line between saying how many came between. First, last and
 * the even steps determine every repetition, so nothing is lost; a break in the pattern ends the run.
 */
interface Fold {
  first: Entry[];
  last: Entry[];
  times: number;
  every: Seconds;
}

const MAX_BLOCK = 12;

function foldRepeats(entries: readonly Entry[]): (Entry | Fold)[] {
  const shapes = entries.map((entry) => {
    const text = [`${entry.head} · ${entry.cause}`, ...entry.under.map(({ depth, text }) => `${depth}:${text}`)].join('\n');
    return { shape: text.replace(/\d+/g, '#'), numbers: (text.match(/\d+/g) ?? []).map(Number) };
  });
  /** How entry `b` differs from entry `a` (the same shape): the time step, then each number's. */
  const step = (a: number, b: number) => [entries[b]!.t - entries[a]!.t, ...shapes[b]!.numbers.map((n, i) => n - shapes[a]!.numbers[i]!)];
  const same = (x: number[], y: number[]) => x.length === y.length && x.every((value, i) => value === y[i]);
  const out: (Entry | Fold)[] = [];
  let i = 0;
  while (i < entries.length) {
    let best: { size: number; times: number } | null = null;
    for (let size = 1; size <= MAX_BLOCK && i + 2 * size <= entries.length; size++) {
      const matches = (rep: number) => {
        for (let j = 0; j < size; j++) {
          const a = i + j;
          const b = i + rep * size + j;
          if (b >= entries.length || shapes[a]!.shape !== shapes[b]!.shape) return false;
          if (!same(step(a, i + size + j), step(i + (rep - 1) * size + j, b))) return false;
        }
        return true;
      };
      let times = 1;
      while (matches(times)) times++;
      if (times >= 3 && entries[i + size]!.t > entries[i]!.t && (!best || times * size > best.times * best.size)) best = { size, times };
    }
    if (!best) {
      out.push(entries[i]!);
      i++;
      continue;
    }
    const { size, times } = best;
    out.push({
      first: entries.slice(i, i + size),
      last: entries.slice(i + (times - 1) * size, i + times * size),
      times,
      every: entries[i + size]!.t - entries[i]!.t,
    });
    i += times * size;
  }
  return out;
}

/**
 * The fields each event type's line tells, besides seq, t, cause and type. A field the core adds
 * to an event later is shown raw (`{name=value}`) until its line words it, so it is never lost
 * from a golden story; a new event type fails the typecheck here and in eventText.
 */
const TOLD: { [T in SimEvent['type']]: readonly Exclude<keyof Ev<T>, keyof EventBase>[] } = {
  ActionStarted: ['actor', 'action'],
  ActionFinished: ['actor', 'action', 'ok', 'status', 'error', 'reason'],
  RequestSent: [
    'id',
    'from',
    'to',
    'endpoint',
    'grantType',
    'token',
    'clientAuth',
    'proof',
    'pkceChallenge',
    'silent',
    'code',
    'codeVerifier',
    'via',
  ],
  ResponseSent: [
    'requestId',
    'from',
    'to',
    'endpoint',
    'status',
    'error',
    'reason',
    'issued',
    'checks',
    'active',
    'dpop',
    'code',
    'silent',
  ],
  AccessTokenIssued: ['token', 'to'],
  RefreshTokenIssued: ['token', 'to'],
  AccessTokenForged: ['token', 'forgeKind'],
  GrantStarted: ['grantId', 'by'],
  RefreshTokenConsumed: ['label', 'grantId'],
  ReuseIntervalUsed: ['label', 'grantId'],
  GrantRevoked: ['grantId', 'revocationCause', 'labels'],
  TokensStolen: ['what', 'labels', 'from', 'password', 'clientSecret'],
  TokensCopied: ['labels'],
  PageHijacked: [],
  PageReleased: ['by'],
  CodeInterceptionArmed: [],
  CodeIntercepted: ['code'],
  AuthorizationCodeIssued: ['code', 'pkce'],
  SignInSessionStarted: ['sessionId', 'startedAt'],
  SignInSessionRenewed: ['sessionId'],
  SignInSessionEnded: ['sessionId', 'why'],
  SilentSignIn: ['by'],
  PasswordForgotten: ['by'],
  GrantsKept: ['grantIds'],
  TokensWiped: ['labels'],
  TokenDropped: ['by', 'label', 'reason'],
  ClientForgotTokens: ['labels'],
  PasswordStored: ['by'],
  PasswordChanged: [],
  UserSuspended: [],
  UserReinstated: [],
  UserArrived: [],
  UserLeft: ['hijackEnded'],
  StateChanged: ['party', 'from', 'to', 'on'],
};

type EventBase = Pick<SimEvent, 'seq' | 't' | 'cause' | 'type'>;

/** ` {name=value}` for the fields of an event its line does not tell, or nothing. */
function untold(event: SimEvent): string {
  const told = new Set<string>(['seq', 't', 'cause', 'type', ...(TOLD[event.type] as readonly string[])]);
  const rest = Object.entries(event).filter(([name, value]) => !told.has(name) && value !== undefined);
  return rest.length === 0 ? '' : ` {${rest.map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(' ')}}`;
}

/** One event's line, or null when another line already tells it. */
function eventText(event: SimEvent, context: TraceContext): string | null {
  switch (event.type) {
    case 'ActionStarted':
      // The requests and facts the action causes tell it; a refusal before sending is its finish.
      return null;
    case 'ActionFinished':
      // Told only for an action that left no other line (traceLines): a refusal before sending,
      // or a step with no visible effect. Otherwise its requests and facts have told it.
      return `${event.action.do} ${resultText(event)}`;
    case 'RequestSent':
      return requestText(event, context);
    case 'ResponseSent':
      // Told on its request's line; an answer to no request would be a core bug worth seeing.
      return context.requests.has(event.requestId)
        ? null
        : `${PARTY_NAME[event.from]} answers unknown request ${event.requestId} ${responseText(event)}`;
    case 'AccessTokenIssued':
      return `${event.token.label} issued to ${PARTY_NAME[event.to]}: ${accessTokenText(event.token, context)}`;
    case 'AccessTokenForged':
      return `${event.token.label} forged (${event.forgeKind}): ${accessTokenText(event.token, context)}`;
    case 'RefreshTokenIssued': {
      const { label, grantId, issuedAt, parent, status, jkt, consumedAt, revokedAt } = event.token;
      const extra = [
        parent ? `parent ${parent}` : 'first of its grant',
        status !== 'active' ? `status ${status}` : null,
        issuedAt !== event.t ? `issued ${relative(issuedAt, event.t)}` : null,
        consumedAt !== null ? `consumed ${relative(consumedAt, event.t)}` : null,
        revokedAt !== null ? `revoked ${relative(revokedAt, event.t)}` : null,
        jkt !== undefined ? `bound to key ${short(jkt)}` : null,
      ].filter((part) => part !== null);
      return `${label} issued to ${PARTY_NAME[event.to]}: ${grantId}, ${extra.join(', ')}`;
    }
    case 'GrantStarted':
      return `grant ${event.grantId} started by ${PARTY_NAME[event.by]}`;
    case 'RefreshTokenConsumed':
      return `${event.label} consumed (${event.grantId})`;
    case 'ReuseIntervalUsed':
      return `${event.label} reused inside the reuse interval (${event.grantId}): taken as a retry`;
    case 'GrantRevoked':
      return `grant ${event.grantId} revoked (${event.revocationCause}): ${labelList(event.labels, 'no tokens')}`;
    case 'TokensStolen': {
      const secrets = [event.password ? 'password' : null, event.clientSecret ? 'client secret' : null].filter((x) => x !== null);
      const from = event.from ? ` from ${event.from}` : '';
      return `attacker steals ${event.what}${from}: ${labelList(event.labels, 'nothing')}${secrets.length > 0 ? ` + ${secrets.join(', ')}` : ''}`;
    }
    case 'TokensCopied':
      return `attacker's script in the page copies ${labelList(event.labels, 'nothing')}`;
    case 'PageHijacked':
      return "attacker's script starts running in the page";
    case 'PageReleased':
      return event.by === 'pageClosed' ? "attacker's script ends: the page closed" : "attacker's script leaves the page";
    case 'CodeInterceptionArmed':
      return "attacker arms a code interception (the app's next code goes to it)";
    case 'CodeIntercepted':
      return `attacker intercepts ${event.code}`;
    case 'AuthorizationCodeIssued': {
      const { code, pkce } = event;
      return `${code.label} issued for ${PARTY_NAME[code.requestedBy]}'s authorization, delivered to ${PARTY_NAME[code.deliveredTo]}, expires ${relative(code.expiresAt, event.t)}, ${pkce ? `PKCE S256 challenge ${short(pkce.challenge)}` : 'no PKCE'}`;
    }
    case 'SignInSessionStarted':
      return `sign-in session ${event.sessionId} started`;
    case 'SignInSessionRenewed':
      return `sign-in session ${event.sessionId} renewed (idle time)`;
    case 'SignInSessionEnded':
      return `sign-in session ${event.sessionId} ended (${event.why})`;
    case 'SilentSignIn':
      return `silent sign-in by ${PARTY_NAME[event.by]}`;
    case 'PasswordForgotten':
      return `${PARTY_NAME[event.by]} forgets the stored password`;
    case 'GrantsKept':
      return `password change keeps grants ${event.grantIds.join(', ')} (policy)`;
    case 'TokensWiped':
      return `client's tokens wiped: ${labelList(event.labels, 'none')}`;
    case 'TokenDropped':
      return `${PARTY_NAME[event.by]} drops ${event.label} (${event.reason})`;
    case 'ClientForgotTokens':
      return `client forgets ${labelList(event.labels, 'nothing')}`;
    case 'PasswordStored':
      return `${PARTY_NAME[event.by]} stores the password`;
    case 'PasswordChanged':
      return 'password changed';
    case 'UserSuspended':
      return 'user suspended';
    case 'UserReinstated':
      return 'user reinstated';
    case 'UserArrived':
      return 'user arrives';
    case 'UserLeft':
      return event.hijackEnded ? "user leaves (the page closes: the attacker's script in it ends)" : 'user leaves';
    case 'StateChanged':
      return `${PARTY_NAME[event.party]}: ${event.from} → ${event.to} (${event.on})`;
    default:
      return assertNever(event);
  }
}

function requestText(request: Ev<'RequestSent'>, context: TraceContext): string {
  const response = context.responses.get(request.id);
  const what = (() => {
    switch (request.endpoint) {
      case 'authorize':
        return `authorize${request.silent ? ' (prompt=none)' : ''}${request.pkceChallenge ? ` with PKCE challenge ${short(request.pkceChallenge)}` : ''}`;
      case 'token':
        if (request.grantType === 'authorization_code')
          return `authorization_code ${request.code ?? '(no code)'}${request.codeVerifier ? ' with verifier' : ''}`;
        return request.grantType === 'refresh_token' ? `refresh ${request.token ?? '(no token)'}` : (request.grantType ?? 'token');
      case 'revocation':
        return `revoke ${request.token ?? '(no token)'}`;
      case 'api':
        return `api ${request.token ?? '(no token)'}`;
      case 'introspection':
        return `introspect ${request.token ?? '(no token)'}`;
      default:
        return assertNever(request.endpoint);
    }
  })();
  const extras = [
    request.clientAuth === undefined ? null : request.clientAuth ? 'with client secret' : 'without client secret',
    request.proof ? proofText(request.proof, context) : null,
    request.via ? `via ${request.via}` : null,
  ].filter((part) => part !== null);
  const sent = `${PARTY_NAME[request.from]} → ${PARTY_NAME[request.to]} ${what}${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`;
  return `${sent}${untold(request)} ${response ? `${responseText(response)}${untold(response)}` : '(no answer)'}`;
}

function responseText(response: Ev<'ResponseSent'>): string {
  const parts: string[] = [
    resultText({ ok: response.status === 200, status: response.status, error: response.error, reason: response.reason }),
  ];
  if (response.issued.length > 0) parts.push(response.issued.join(' '));
  if (response.active !== undefined) parts.push(response.active ? 'active' : 'inactive');
  if (response.dpop !== undefined) parts.push(`dpop check failed: ${response.dpop}`);
  if (response.code !== undefined)
    parts.push(`redirect to ${PARTY_NAME[response.to]} with ${response.code}${response.silent ? ' (silent: live sign-in session)' : ''}`);
  if (response.checks) parts.push(`[${checksText(response.checks)}]`);
  return parts.join(' ');
}

/** `sig✓ typ✓ iss✓ aud✓ exp✗ intro- dpop-`: each check the RS made, passed, failed or not made. */
function checksText(checks: ChecksMade): string {
  const names: Record<keyof ChecksMade, string> = {
    signature: 'sig',
    type: 'typ',
    issuer: 'iss',
    audience: 'aud',
    expiry: 'exp',
    introspection: 'intro',
    dpop: 'dpop',
  };
  return (Object.keys(checks) as (keyof ChecksMade)[])
    .map((name) => `${names[name] ?? name}${checks[name] === null ? '-' : checks[name] ? '✓' : '✗'}`)
    .join(' ');
}

function proofText(proof: DpopProof, context: TraceContext): string {
  const { htm, htu, iat, ath } = proof.claims;
  const where = htu === TOKEN_ENDPOINT ? 'token endpoint' : htu === API_ENDPOINT ? 'API' : String(htu);
  const typ = proof.header.typ === 'dpop+jwt' ? '' : ` typ ${String(proof.header.typ)}`;
  return `DPoP proof: ${proof.source}, key ${short(proof.jkt)}, ${String(htm)} ${where}, iat ${unixRelative(iat, context)}${ath !== undefined ? ', ath' : ''}${typ}`;
}

/** An access token as decoded from its JWT: iat, exp, and whatever differs from the usual. */
function accessTokenText(token: AccessTokenRecord, context: TraceContext): string {
  const { header, claims } = decodeJwt(token.jwt);
  const { iat, exp, jti: _jti, cnf, ...rest } = claims;
  const parts = [`iat ${unixRelative(iat, context)}`, `exp ${unixRelative(exp, context)}`, token.grantId ?? 'no grant'];
  const unusual = Object.entries(rest).filter(([key, value]) => JSON.stringify(USUAL_CLAIMS[key]) !== JSON.stringify(value));
  const missing = Object.keys(USUAL_CLAIMS).filter((key) => !(key in rest));
  const unusualHeader = Object.entries(header).filter(([key, value]) => key !== 'kid' && USUAL_HEADER[key] !== value);
  const missingHeader = Object.keys(USUAL_HEADER).filter((key) => !(key in header));
  if (unusual.length > 0) parts.push(`claims ${unusual.map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(' ')}`);
  if (missing.length > 0) parts.push(`without ${missing.join(' ')}`);
  if (unusualHeader.length > 0) parts.push(`header ${unusualHeader.map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(' ')}`);
  if (missingHeader.length > 0) parts.push(`header without ${missingHeader.join(' ')}`);
  if (cnf !== undefined) parts.push(`bound to key ${short((cnf as { jkt?: string }).jkt ?? JSON.stringify(cnf))}`);
  // The record's own instants, when they are not the JWT's (they should always be).
  if (token.issuedAt !== Number(iat) - context.epochSeconds) parts.push(`recorded as issued ${relative(token.issuedAt, context.now)}`);
  if (token.expiresAt !== Number(exp) - context.epochSeconds) parts.push(`recorded as expiring ${relative(token.expiresAt, context.now)}`);
  if (!token.genuine) parts.push('not genuine');
  if (!token.audienceOk) parts.push('wrong audience');
  return parts.join(', ');
}

// ---------------------------------------------------------------------------------------------
// Words and numbers

function causeText(cause: Cause): string {
  switch (cause.kind) {
    case 'step':
      return `step ${cause.index}`;
    case 'auto':
      return `auto ${cause.who}`;
    case 'command':
      return 'command';
    default:
      return assertNever(cause);
  }
}

/** An instant said from the line's own: `now`, `now+5 min`, `now-30 s`. */
function relative(t: Seconds, now: Seconds): string {
  return t === now ? 'now' : `now${t > now ? '+' : '-'}${span(Math.abs(t - now))}`;
}

/** A JWT's Unix-seconds claim (iat, exp) relative to the line's instant. */
function unixRelative(unixSeconds: unknown, context: TraceContext): string {
  return typeof unixSeconds === 'number'
    ? relative(unixSeconds - context.epochSeconds, context.now)
    : (JSON.stringify(unixSeconds) ?? 'absent');
}

/** Simulated time as a UTC clock reading: `09:05:00`, or `d3 09:05:00` in runs longer than a day. */
function clockOf(epochSeconds: number, end: Seconds): (t: Seconds) => string {
  const dayOf = (t: Seconds) => Math.floor((epochSeconds + t) / DAY) - Math.floor(epochSeconds / DAY) + 1;
  const multiDay = dayOf(end) > 1;
  const width = String(dayOf(end)).length;
  return (t) => {
    const time = new Date((epochSeconds + t) * 1000).toISOString().slice(11, 19);
    return multiDay ? `d${String(dayOf(t)).padStart(width, '0')} ${time}` : time;
  };
}

/** Token labels with runs shortened: `RT#1…RT#29 AT#3`. */
function labelList(labels: readonly string[], none: string): string {
  if (labels.length === 0) return none;
  const out: string[] = [];
  let i = 0;
  while (i < labels.length) {
    const [, prefix, digits] = /^(.*#)(\d+)$/.exec(labels[i]!) ?? [];
    let j = i + 1;
    if (prefix !== undefined) {
      while (j < labels.length && labels[j] === `${prefix}${Number(digits) + (j - i)}`) j++;
    }
    out.push(j - i >= 3 ? `${labels[i]}…${labels[j - 1]}` : labels.slice(i, j).join(' '));
    i = j;
  }
  return out.join(' ');
}

/** A duration in the largest units that fit: `4 min`, `2 h 30 min`, `21 d 23 h 50 min`, `59 s`. */
export function span(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds === 0) return '0 s';
  const sign = seconds < 0 ? '-' : '';
  let rest = Math.abs(seconds);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', DAY],
    ['h', 3_600],
    ['min', 60],
    ['s', 1],
  ] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count} ${unit}`);
    rest -= count * size;
  }
  return sign + parts.join(' ');
}

function entries(record: Readonly<Record<string, unknown>>): string {
  return Object.entries(record)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
}

/** The first 8 characters of a key thumbprint: enough to tell the app's key from the attacker's. */
function short(thumbprint: string): string {
  return thumbprint.slice(0, 8);
}
