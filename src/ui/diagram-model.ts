// The sequence diagram and the token timeline as data. Pure functions turn the trace (and, for
// the timeline, the world state at the same instant) into rows, bars, markers and positions in
// SVG units; SequenceDiagram and TokenTimeline only draw what these return.
import type { AccessTokenRecord, Cause, Config, ForgeKind, Party, Reason, SimEvent, StealWhat, TokenLabel } from '../sim/types';
import { formatClock, formatInstant, formatSpan, PARTY_NAMES } from './format';
import { project, type Projection, type TokenLife } from '../sim/projection';
import type { ArrowItem, Block, Burst, LabelPart, MarkerItem, MarkerTone, SequenceGroups, SequenceItem } from './reading-types';
import { familyDeadlines } from '../sim/rules/family';
import { actionNoun, reasonText, revocationLabel } from './vocabulary';

// =============================================================================================
// Shared pieces

export type { ArrowItem, LabelPart, MarkerItem, MarkerTone, SequenceGroups, SequenceItem };

const text = (value: string): LabelPart => ({ kind: 'text', text: value });
const token = (label: TokenLabel): LabelPart => ({ kind: 'token', label });

/** Token labels joined with ", " as parts. */
function tokenList(labels: readonly TokenLabel[]): LabelPart[] {
  return labels.flatMap((label, i) => (i === 0 ? [token(label)] : [text(', '), token(label)]));
}

export function partsText(parts: readonly LabelPart[]): string {
  return parts.map((p) => (p.kind === 'text' ? p.text : p.label)).join('');
}

function partsTokens(parts: readonly LabelPart[]): TokenLabel[] {
  return [...new Set(parts.flatMap((p) => (p.kind === 'token' ? [p.label] : [])))];
}

const STEAL_WORDS: Record<StealWhat, string> = {
  access: 'the access token',
  refresh: 'the refresh token',
  both: 'the tokens',
  password: 'the password',
  clientSecret: 'the client secret',
  all: 'everything the app keeps',
};

const FORGE_WORDS: Record<ForgeKind, string> = {
  'own-key': 'signed with its own key',
  'alg-none': 'unsigned, alg none',
  'wrong-audience': 'a token for another API',
};

export interface ResultInput {
  status: number;
  reason: Reason | null;
  issued?: readonly TokenLabel[];
  /** Introspection answers: 200 with active false is a "no". */
  active?: boolean;
  /** The token the request presented: a static refresh token comes back unchanged. */
  presented?: TokenLabel | null;
  /** A sign-in page's redirect (302): the authorization code it carries. */
  code?: TokenLabel;
  /** A sign-in page's answer: true when a live sign-in session skipped the password. */
  silent?: boolean;
}

/** Whether a response is a yes: 200, and for introspection an active token. */
export function resultOk(r: ResultInput): boolean {
  return (r.status === 200 || r.status === 302) && r.active !== false;
}

/** "✓ 200 → AT#4, RT#3", "✗ 401 expired", "✗ 400 reuse detected — family revoked", "✓ 200 active". */
export function resultParts(r: ResultInput): LabelPart[] {
  const ok = resultOk(r);
  const head = `${ok ? '✓' : '✗'} ${r.status}`;
  if (r.active !== undefined) return [text(`${head} ${r.active ? 'active' : 'inactive'}`)];
  if (!ok) return [text(r.reason ? `${head} ${reasonText(r.reason)}` : head)];
  if (r.status === 302) {
    // Where the password was typed, if at all: at the AS's page, never in the app.
    const how =
      r.silent === undefined ? '' : r.silent ? ' (no password: live sign-in session)' : ' (the user typed the password at the AS)';
    return r.code ? [text(`${head} redirect → code `), token(r.code), text(how)].filter(nonEmpty) : [text(`${head} redirect${how}`)];
  }
  const issued = r.issued ?? [];
  if (issued.length === 0) return [text(head)];
  const parts: LabelPart[] = [text(`${head} → `)];
  issued.forEach((label, i) => {
    if (i > 0) parts.push(text(', '));
    parts.push(token(label));
    if (label === r.presented) parts.push(text(' (same)'));
  });
  return parts;
}

export function resultText(r: ResultInput): string {
  return partsText(resultParts(r));
}

// =============================================================================================
// Sequence diagram: items

/** Lanes left to right; the attacker sits next to the client it steals from. */
export const LANES: readonly Party[] = ['client', 'attacker', 'authServer', 'resourceServer'];

/** Consecutive rows this far apart (or more) get a "… 59 min pass …" row between them. */
export const GAP_THRESHOLD_SECONDS = 120;

function requestParts(e: Extract<SimEvent, { type: 'RequestSent' }>): LabelPart[] {
  const withoutSecret = e.clientAuth === false ? ' without client secret' : '';
  switch (e.endpoint) {
    case 'api':
      return e.token ? [text('API call '), token(e.token)] : [text('API call, no token')];
    case 'authorize':
      if (e.silent)
        return [
          text(
            `${e.from === 'attacker' ? 'silent sign-in from the hijacked page' : 'silent sign-in'}${e.pkceChallenge ? ' + PKCE challenge' : ''}`,
          ),
        ];
      return [text(`to the AS’s sign-in page${e.pkceChallenge ? ' + PKCE challenge' : ', no PKCE'}`)];
    case 'token':
      if (e.grantType === 'authorization_code') {
        const code = e.code ? [text('exchange code '), token(e.code)] : [text('exchange a code')];
        return [...code, text(`${e.codeVerifier ? ' + PKCE verifier' : ', no verifier'}${withoutSecret}`)];
      }
      if (e.grantType === 'refresh_token' && e.token) return [text('refresh '), token(e.token), text(withoutSecret)].filter(nonEmpty);
      return [
        text(
          `${e.from === 'attacker' ? 'login (stolen password)' : 'password grant (legacy): the app sends the password'}${withoutSecret}`,
        ),
      ];
    case 'revocation':
      return e.token ? [text('logout: revoke '), token(e.token)] : [text('logout')];
    case 'introspection':
      return e.token ? [text('introspect '), token(e.token)] : [text('introspect')];
    default:
      return assertNever(e.endpoint);
  }
}

function nonEmpty(p: LabelPart): boolean {
  return p.kind === 'token' || p.text !== '';
}

function laneOfActor(actor: string): Party {
  if (actor === 'user') return 'client';
  if (actor === 'admin') return 'authServer';
  return actor as Party;
}

/**
 * Every drawable fact of the trace, in order: one arrow per message (requests, responses and
 * introspection), one marker per fact that is not a message (theft, wipe, revocation, …).
 * Token issuance, consumption and state changes are not rows: responses already say them.
 */
export function sequenceItems(events: readonly SimEvent[]): SequenceItem[] {
  const reader = newItemReader();
  readItems(reader, events);
  return reader.items;
}

interface ItemReader {
  /** How many events have been read, and the last of them (to recognise the same trace, grown). */
  seen: number;
  last: SimEvent | null;
  items: SequenceItem[];
  requests: Map<number, Extract<SimEvent, { type: 'RequestSent' }>>;
  /** A login's GrantStarted, waiting for its token response. */
  newFamily: string | null;
}

function newItemReader(): ItemReader {
  return { seen: 0, last: null, items: [], requests: new Map(), newFamily: null };
}

/**
 * sequenceItems for a trace that only grows: each call reads just the events appended since the
 * previous one (the trace is append-only; after a step back it starts over). For long runs.
 */
export function createSequenceItemsReader(): (events: readonly SimEvent[]) => readonly SequenceItem[] {
  let reader = newItemReader();
  return (events) => {
    const grown = reader.seen <= events.length && (reader.seen === 0 || events[reader.seen - 1] === reader.last);
    if (!grown) reader = newItemReader();
    readItems(reader, events);
    return reader.items.slice();
  };
}

function readItems(reader: ItemReader, events: readonly SimEvent[]): void {
  const { items, requests } = reader;
  let newFamily = reader.newFamily;

  // Whole object literals, no spreads: this runs over every event of long traces.
  const arrow = (
    e: SimEvent,
    parts: LabelPart[],
    signature: string,
    sentence: string,
    from: Party,
    to: Party,
    verdict: ArrowItem['verdict'],
    response: boolean,
  ) => {
    items.push({
      kind: 'arrow',
      key: `e${e.seq}`,
      seq: e.seq,
      t: e.t,
      cause: e.cause,
      parts,
      tokens: partsTokens(parts),
      text: sentence,
      signature,
      from,
      to,
      response,
      verdict,
    });
  };
  const marker = (e: SimEvent, lane: Party, tone: MarkerTone, parts: LabelPart[], link: Party | null = null) => {
    const sentence = `${PARTY_NAMES[lane]}: ${partsText(parts)}`;
    const signature = `M:${e.type}:${lane}:${'reason' in e ? String(e.reason) : ''}`;
    items.push({
      kind: 'marker',
      key: `e${e.seq}`,
      seq: e.seq,
      t: e.t,
      cause: e.cause,
      parts,
      tokens: partsTokens(parts),
      text: sentence,
      signature,
      lane,
      tone,
      link,
    });
  };

  for (let index = reader.seen; index < events.length; index++) {
    const e = events[index]!;
    switch (e.type) {
      case 'RequestSent': {
        requests.set(e.id, e);
        if (e.endpoint === 'token') newFamily = null;
        const parts = requestParts(e);
        const signature = `Q:${e.from}>${e.to}:${e.endpoint}:${e.grantType ?? ''}:${e.token === null ? 0 : 1}:${String(e.clientAuth)}`;
        const sentence = `${PARTY_NAMES[e.from]} to ${PARTY_NAMES[e.to]}: ${partsText(parts)}`;
        arrow(e, parts, signature, sentence, e.from, e.to, null, false);
        break;
      }
      case 'ResponseSent': {
        const request = requests.get(e.requestId);
        const result: ResultInput = { status: e.status, reason: e.reason, issued: e.issued, presented: request?.token ?? null };
        if (e.active !== undefined) result.active = e.active;
        if (e.code !== undefined) result.code = e.code;
        if (e.endpoint === 'authorize' && e.status === 302) result.silent = e.silent === true;
        const parts = resultParts(result);
        if (e.endpoint === 'token' && newFamily !== null && e.status === 200) parts.push(text(` (new family ${newFamily})`));
        if (e.endpoint === 'token') newFamily = null;
        const ok = resultOk(result);
        const signature = `R:${e.from}>${e.to}:${e.endpoint}:${e.status}:${e.reason ?? ''}:${String(e.active)}:${e.issued.length}`;
        const sentence = `${PARTY_NAMES[e.from]} answers ${PARTY_NAMES[e.to]}: ${partsText(parts)}`;
        arrow(e, parts, signature, sentence, e.from, e.to, ok ? 'ok' : 'rejected', true);
        break;
      }
      case 'GrantStarted':
        newFamily = e.grantId;
        break;
      case 'TokensStolen': {
        if (e.from === 'api-logs') {
          // Access tokens only: the API's request logs never see a refresh token.
          marker(
            e,
            'attacker',
            'danger',
            [text('copied '), ...tokenList(e.labels), text(' from the API’s request logs')],
            'resourceServer',
          );
          break;
        }
        const secrets = [e.password ? 'the password' : null, e.clientSecret ? 'the client secret' : null].filter(
          (w): w is string => w !== null,
        );
        const what: LabelPart[] = e.labels.length > 0 ? tokenList(e.labels) : secrets.length > 0 ? [] : [text(STEAL_WORDS[e.what])];
        if (secrets.length > 0) what.push(text(`${what.length > 0 ? ', ' : ''}${secrets.join(', ')}`));
        marker(e, 'attacker', 'danger', [text('stole '), ...what, text(' from the client')], 'client');
        break;
      }
      case 'TokensWiped':
        marker(
          e,
          'attacker',
          'danger',
          e.labels.length > 0
            ? [text('wiped '), ...tokenList(e.labels), text(' from the client')]
            : [text('wiped the client’s storage (empty)')],
          'client',
        );
        break;
      case 'AccessTokenForged':
        marker(e, 'attacker', 'danger', [text('forged '), token(e.token.label), text(` (${FORGE_WORDS[e.forgeKind]})`)]);
        break;
      case 'GrantRevoked':
        marker(e, 'authServer', 'danger', [text(`family ${e.grantId} revoked: ${revocationLabel(e.revocationCause)}`)]);
        break;
      case 'ReuseIntervalUsed':
        marker(e, 'authServer', 'notice', [token(e.label), text(' reused within the grace interval: allowed')]);
        break;
      case 'TokenDropped':
        marker(e, e.by, 'notice', [
          text('dropped '),
          e.label === 'password' ? text('the password') : token(e.label),
          text(`: ${reasonText(e.reason)}`),
        ]);
        break;
      case 'ClientForgotTokens':
        if (e.labels.length > 0) marker(e, 'client', 'neutral', [text('forgot '), ...tokenList(e.labels)]);
        break;
      case 'PasswordStored':
        marker(e, 'client', 'notice', [text('saved the user’s password')]);
        break;
      case 'PasswordChanged':
        marker(e, 'authServer', 'notice', [text('user changed the password')]);
        break;
      case 'UserSuspended':
        marker(e, 'authServer', 'danger', [text('admin suspended the user')]);
        break;
      case 'UserReinstated':
        marker(e, 'authServer', 'notice', [text('admin reinstated the user')]);
        break;
      case 'UserArrived':
        marker(e, 'client', 'neutral', [text('user arrives')]);
        break;
      case 'UserLeft':
        marker(e, 'client', 'neutral', [
          text(e.hijackEnded ? 'user leaves: the page closes, and the attacker’s script in it stops' : 'user leaves'),
        ]);
        break;
      case 'ActionFinished':
        if (e.ok && e.action.do === 'attacker.hijackPage') {
          marker(e, 'attacker', 'danger', [text('script runs inside the app’s open page: it can use the DPoP key')]);
        } else if (e.ok && e.action.do === 'attacker.releasePage') {
          marker(e, 'attacker', 'neutral', [text('script left the page: no more DPoP key')]);
        } else if (!e.ok && e.status === null && e.reason !== null) {
          // An action that sent nothing leaves no arrow; say so, or a click would seem lost.
          marker(e, laneOfActor(e.actor), 'neutral', [text(`${actionNoun(e.action.do)}: nothing sent (${reasonText(e.reason)})`)]);
        }
        break;
      case 'TokensCopied':
        marker(e, 'attacker', 'danger', [text('script in the page copied '), ...tokenList(e.labels)], 'client');
        break;
      case 'CodeInterceptionArmed':
        marker(e, 'attacker', 'danger', [text('armed: the next authorization code goes to the attacker')]);
        break;
      case 'CodeIntercepted':
        marker(e, 'attacker', 'danger', [text('intercepted code '), token(e.code), text(' (meant for the app)')], 'client');
        break;
      case 'SignInSessionStarted':
        marker(e, 'authServer', 'neutral', [text('sign-in session started')]);
        break;
      case 'SignInSessionEnded':
        marker(e, 'authServer', 'notice', [text('sign-in session ended')]);
        break;
      case 'GrantsKept':
        marker(e, 'authServer', 'notice', [text(`grants kept on password change: ${e.grantIds.join(', ')}`)]);
        break;
      case 'PasswordForgotten':
        marker(e, 'client', 'neutral', [text('forgot the stored password')]);
        break;
      case 'ActionStarted':
      case 'AccessTokenIssued':
      case 'RefreshTokenIssued':
      case 'RefreshTokenConsumed':
      case 'StateChanged':
      case 'PageHijacked':
      case 'PageReleased':
      case 'AuthorizationCodeIssued':
      case 'SignInSessionRenewed':
      case 'SilentSignIn':
        break;
      default:
        assertNever(e);
    }
  }
  reader.newFamily = newFamily;
  reader.seen = events.length;
  reader.last = events[events.length - 1] ?? null;
}

// =============================================================================================
// Sequence diagram: rows (bursts, repeats, gaps)

export type SequenceRow =
  | (ArrowItem & { group: string | null })
  | (MarkerItem & { group: string | null })
  | { kind: 'gap'; key: string; t: number; until: number; text: string; group: string | null }
  | {
      kind: 'repeat';
      key: string;
      t: number;
      until: number;
      count: number;
      every: string;
      /** Whose automatic behaviour repeats: "the user’s app", "the attacker". */
      who: string;
      expanded: boolean;
      tokens: TokenLabel[];
      text: string;
      group: string;
    };

function causeKey(cause: Cause): string {
  return cause.kind === 'auto' ? `auto:${cause.who}` : cause.kind === 'step' ? `step:${cause.index}` : 'command';
}

function everyText(times: readonly number[]): string {
  const steps = times.slice(1).map((t, i) => t - times[i]!);
  const min = Math.min(...steps);
  const max = Math.max(...steps);
  return min === max ? `every ${formatSpan(min)}` : `every ${formatSpan(min)} to ${formatSpan(max)}`;
}

const WHO_WORDS: Record<string, string> = { 'auto:user': 'the user’s app', 'auto:attacker': 'the attacker' };

/**
 * The items, grouped: maximal runs of items at one instant with one cause (bursts: one automatic
 * tick, one step, one click), and consecutive automatic bursts with the same cause and signature
 * folded into one repeat (blocks). Incremental: items appended later reopen only the last block.
 */
interface Grouping {
  /** The items read so far, and the last of them (to recognise the same list, grown). */
  read: number;
  last: SequenceItem | null;
  blocks: Block[];
  /** Index of the first item of each block. */
  blockStart: number[];
}

function newGrouping(): Grouping {
  return { read: 0, last: null, blocks: [], blockStart: [] };
}

function group(g: Grouping, items: readonly SequenceItem[]): void {
  // The last block may still grow (its burst, or its repeat): read again from its first item.
  let from = g.read;
  if (g.blocks.length > 0) {
    g.blocks.pop();
    from = g.blockStart.pop()!;
  }
  const fresh: Burst[] = [];
  const starts: number[] = [];
  let current: Burst | null = null;
  for (let i = from; i < items.length; i++) {
    const item = items[i]!;
    const key = causeKey(item.cause);
    if (current && current.t === item.t && current.cause === key) {
      current.items.push(item);
      continue;
    }
    current = { items: [item], t: item.t, auto: item.cause.kind === 'auto' ? key : null, signature: '', cause: key };
    fresh.push(current);
    starts.push(i);
  }
  fresh.forEach((burst, n) => {
    burst.signature = burst.items.map((i) => i.signature).join('|');
    const last = g.blocks[g.blocks.length - 1];
    const previous = last ? (last.kind === 'single' ? last.burst : last.bursts[last.bursts.length - 1]!) : null;
    const same = previous !== null && burst.auto !== null && previous.auto === burst.auto && previous.signature === burst.signature;
    if (same && last) {
      // A new block object, so rows cached for the shorter repeat are not reused.
      g.blocks[g.blocks.length - 1] = { kind: 'repeat', bursts: last.kind === 'single' ? [last.burst, burst] : [...last.bursts, burst] };
    } else {
      g.blocks.push({ kind: 'single', burst });
      g.blockStart.push(starts[n]!);
    }
  });
  g.read = items.length;
  g.last = items[items.length - 1] ?? null;
}

/** One block's rows, after rows ending at `lastT` (gap rows included); returns them and the new lastT. */
function blockRows(block: Block, expanded: ReadonlySet<string>, lastT: number | null): { rows: SequenceRow[]; lastT: number | null } {
  const rows: SequenceRow[] = [];
  const gapTo = (t: number, group: string | null) => {
    if (lastT !== null && t - lastT >= GAP_THRESHOLD_SECONDS) {
      rows.push({ kind: 'gap', key: `gap${lastT}-${t}`, t: lastT, until: t, text: `… ${formatSpan(t - lastT)} pass …`, group });
    }
  };
  const pushBurst = (burst: Burst, group: string | null) => {
    gapTo(burst.t, group);
    for (const item of burst.items) rows.push({ ...item, group });
    lastT = burst.t;
  };
  if (block.kind === 'single') {
    pushBurst(block.burst, null);
    return { rows, lastT };
  }
  const first = block.bursts[0]!;
  const last = block.bursts[block.bursts.length - 1]!;
  const key = `repeat-${first.items[0]!.seq}`;
  const isExpanded = expanded.has(key);
  const times = block.bursts.map((b) => b.t);
  const every = everyText(times);
  const tokens = [...new Set(block.bursts.flatMap((b) => b.items.flatMap((i) => i.tokens)))];
  const who = WHO_WORDS[first.auto ?? ''] ?? 'automatic traffic';
  gapTo(first.t, null);
  rows.push({
    kind: 'repeat',
    key,
    t: first.t,
    until: last.t,
    count: block.bursts.length,
    every,
    who,
    expanded: isExpanded,
    tokens,
    text: `${who}: the same exchange ${block.bursts.length} times, ${every}${isExpanded ? '' : '; the latest is shown'}`,
    group: key,
  });
  if (isExpanded) {
    lastT = first.t;
    for (const burst of block.bursts) pushBurst(burst, key);
  } else {
    for (const item of last.items) rows.push({ ...item, group: key });
    lastT = last.t;
  }
  return { rows, lastT };
}

/** The rows of every block, each block's rows kept while the block, its expansion and what precedes it stay the same. */
function rowsOf(
  blocks: readonly Block[],
  expanded: ReadonlySet<string>,
  cache: WeakMap<Block, { expanded: boolean; before: number | null; rows: SequenceRow[]; lastT: number | null }>,
): SequenceRow[] {
  const rows: SequenceRow[] = [];
  let lastT: number | null = null;
  for (const block of blocks) {
    const open = block.kind === 'repeat' && expanded.has(`repeat-${block.bursts[0]!.items[0]!.seq}`);
    let entry = cache.get(block);
    if (!entry || entry.expanded !== open || entry.before !== lastT) {
      const made = blockRows(block, expanded, lastT);
      entry = { expanded: open, before: lastT, rows: made.rows, lastT: made.lastT };
      cache.set(block, entry);
    }
    for (const row of entry.rows) rows.push(row);
    lastT = entry.lastT;
  }
  return rows;
}

/**
 * The diagram's rows, oldest first: the items, with repeated automatic traffic folded into a
 * "× 12 (every 5 min)" row followed by its latest occurrence (all of them when `expanded` has
 * the repeat's key), and a gap row wherever consecutive rows are ≥ 2 min apart.
 */
export function sequenceRows(
  events: readonly SimEvent[],
  expanded: ReadonlySet<string> = new Set(),
  /** The trace's items, when the caller keeps them (createSequenceItemsReader). */
  items: readonly SequenceItem[] = sequenceItems(events),
): SequenceRow[] {
  const g = newGrouping();
  group(g, items);
  return rowsOf(g.blocks, expanded, new WeakMap());
}

/**
 * The grouping for an item list that only grows (the items of a growing trace): each call groups
 * only the new items, reopening the last block; after a step back it starts over. The store's
 * trace reading keeps one, so a long run is grouped while it streams in.
 */
export function createSequenceGrouper(): (items: readonly SequenceItem[]) => SequenceGroups {
  let g = newGrouping();
  let current: SequenceGroups | null = null;
  return (items) => {
    const grown = g.read <= items.length && (g.read === 0 || items[g.read - 1] === g.last);
    if (!grown) {
      g = newGrouping();
      current = null;
    }
    if (current && g.read === items.length) return current;
    group(g, items);
    current = { blocks: g.blocks.slice() };
    return current;
  };
}

/**
 * sequenceRows from groups (createSequenceGrouper): the rows of each block are kept while the block,
 * its expansion and what precedes it stay the same, so a month-long trace costs a copy of
 * references per call, not a new row per item.
 */
export function createSequenceRowsReader(): (groups: SequenceGroups, expanded: ReadonlySet<string>) => SequenceRow[] {
  const cache = new WeakMap<Block, { expanded: boolean; before: number | null; rows: SequenceRow[]; lastT: number | null }>();
  return (groups, expanded) => rowsOf(groups.blocks, expanded, cache);
}

// =============================================================================================
// Sequence diagram: layout

export const SEQ = {
  width: 800,
  laneX: { client: 208, attacker: 378, authServer: 548, resourceServer: 718 } as Record<Party, number>,
  /** Time labels are right-aligned here. */
  timeRight: 150,
  labelFont: 13,
  timeFont: 12,
  /** Advance of one monospace character as a share of the font size (DejaVu/Menlo/SF Mono ≈ 0.6). */
  charWidth: 0.61,
  rowHeight: { arrow: 30, marker: 24, gap: 26, repeat: 30 },
  /** How many rows are drawn at first; "show earlier" adds this many. */
  window: 300,
} as const;

export interface PlacedPart {
  x: number;
  width: number;
  part: LabelPart;
}

export function textWidth(value: string, fontSize: number): number {
  return [...value].length * fontSize * SEQ.charWidth;
}

/** Lays parts out left to right from `x`; tokens get 4 units of padding each side for their chip. */
function placeParts(parts: readonly LabelPart[], x: number, fontSize: number): { placed: PlacedPart[]; width: number } {
  const placed: PlacedPart[] = [];
  let cursor = x;
  for (const part of parts) {
    if (part.kind === 'token') {
      cursor += 4;
      const width = textWidth(part.label, fontSize);
      placed.push({ x: cursor, width, part });
      cursor += width + 4;
    } else {
      const width = textWidth(part.text, fontSize);
      placed.push({ x: cursor, width, part });
      cursor += width;
    }
  }
  return { placed, width: cursor - x };
}

function partsWidth(parts: readonly LabelPart[], fontSize: number): number {
  return placeParts(parts, 0, fontSize).width;
}

export type PlacedRow =
  | {
      kind: 'arrow';
      row: Extract<SequenceRow, { kind: 'arrow' }>;
      y: number;
      height: number;
      x1: number;
      x2: number;
      lineY: number;
      labelY: number;
      label: PlacedPart[];
    }
  | {
      kind: 'marker';
      row: Extract<SequenceRow, { kind: 'marker' }>;
      y: number;
      height: number;
      x: number;
      dotY: number;
      labelY: number;
      label: PlacedPart[];
      linkX: number | null;
    }
  | { kind: 'gap'; row: Extract<SequenceRow, { kind: 'gap' }>; y: number; height: number; labelY: number }
  | {
      kind: 'repeat';
      row: Extract<SequenceRow, { kind: 'repeat' }>;
      y: number;
      height: number;
      labelY: number;
      labelX: number;
      buttonX: number;
    };

export interface TimedRow {
  placed: PlacedRow;
  /** The clock on the left, only on the first row of an instant ("09:05:00", or with the date). */
  timeLabel: string | null;
  /** The whole row in words, with its time (for the screen-reader list). */
  srText: string;
}

export interface SequenceLayout {
  width: number;
  height: number;
  /** Rows before the first drawn one. */
  hidden: number;
  rows: TimedRow[];
  /** Lifeline pieces: broken (dotted) across gap rows. */
  lifelines: { y1: number; y2: number; broken: boolean }[];
  /** Background boxes behind each repeat (its header and the rows it shows). */
  repeats: { key: string; y1: number; y2: number }[];
  /** The "now" line under the last row (when `now` is given), after a gap row if it is quiet. */
  now: { y: number; label: string; text: string } | null;
}

/** Where the drawn window starts so that it holds about `limit` rows and never cuts a repeat. */
export function windowStart(rows: readonly SequenceRow[], limit: number): number {
  let start = Math.max(0, rows.length - limit);
  const group = rows[start]?.group ?? null;
  if (group !== null && start > 0) {
    while (start > 0 && rows[start - 1]!.group === group) start--;
  }
  while (start < rows.length - 1 && rows[start]!.kind === 'gap') start++;
  return start;
}

export function layoutSequence(
  rows: readonly SequenceRow[],
  options: { epochSeconds: number; limit?: number; now?: number },
): SequenceLayout {
  const { epochSeconds } = options;
  const start = windowStart(rows, options.limit ?? SEQ.window);
  const out: TimedRow[] = [];
  const lifelines: SequenceLayout['lifelines'] = [];
  const repeats = new Map<string, { key: string; y1: number; y2: number }>();
  let y = 8;
  let labelledT: number | null = null;
  let segmentStart = 0;
  const clampLabel = (x: number, width: number) => Math.max(SEQ.timeRight + 12, Math.min(x, SEQ.width - 4 - width));

  for (let i = start; i < rows.length; i++) {
    const row = rows[i]!;
    let placed: PlacedRow;
    let rowT: number | null = row.t;
    switch (row.kind) {
      case 'arrow': {
        const height = SEQ.rowHeight.arrow;
        const from = SEQ.laneX[row.from];
        const to = SEQ.laneX[row.to];
        const width = partsWidth(row.parts, SEQ.labelFont);
        const labelX = clampLabel((from + to) / 2 - width / 2, width);
        placed = {
          kind: 'arrow',
          row,
          y,
          height,
          x1: from,
          x2: to,
          lineY: y + 21,
          labelY: y + 14,
          label: placeParts(row.parts, labelX, SEQ.labelFont).placed,
        };
        break;
      }
      case 'marker': {
        const height = SEQ.rowHeight.marker;
        const x = SEQ.laneX[row.lane];
        const width = partsWidth(row.parts, SEQ.labelFont);
        // Markers on the two left lanes read rightwards; on the two right lanes, leftwards.
        const rightwards = row.lane === 'client' || row.lane === 'attacker';
        const labelX = clampLabel(rightwards ? x + 12 : x - 12 - width, width);
        const linkX = row.link ? SEQ.laneX[row.link] : null;
        placed = {
          kind: 'marker',
          row,
          y,
          height,
          x,
          dotY: y + 12,
          labelY: y + 16,
          label: placeParts(row.parts, labelX, SEQ.labelFont).placed,
          linkX,
        };
        break;
      }
      case 'gap': {
        const height = SEQ.rowHeight.gap;
        placed = { kind: 'gap', row, y, height, labelY: y + 17 };
        rowT = null;
        break;
      }
      case 'repeat': {
        const height = SEQ.rowHeight.repeat;
        placed = { kind: 'repeat', row, y, height, labelY: y + 19, labelX: SEQ.timeRight + 12, buttonX: SEQ.width - 102 };
        break;
      }
      default:
        assertNever(row);
    }

    let timeLabel: string | null = null;
    if (rowT !== null && rowT !== labelledT) {
      timeLabel = formatClock(epochSeconds + rowT, epochSeconds + (labelledT ?? 0));
      labelledT = rowT;
    }
    const when = row.kind === 'gap' ? '' : `${formatClock(epochSeconds + row.t, epochSeconds)}: `;
    out.push({ placed, timeLabel, srText: `${when}${row.text}` });

    if (row.kind === 'gap') {
      if (y > segmentStart) lifelines.push({ y1: segmentStart, y2: y, broken: false });
      lifelines.push({ y1: y, y2: y + placed.height, broken: true });
      segmentStart = y + placed.height;
    }
    if (row.group !== null) {
      const box = repeats.get(row.group);
      if (box) box.y2 = y + placed.height;
      else repeats.set(row.group, { key: row.group, y1: y, y2: y + placed.height });
    }
    y += placed.height;
  }
  let now: SequenceLayout['now'] = null;
  // An empty diagram says "No messages yet." on its first line: the "now" line goes below it.
  if (out.length === 0) y += SEQ.rowHeight.marker;
  if (options.now !== undefined) {
    const last = rows[rows.length - 1];
    const lastT = last ? (last.kind === 'gap' ? last.until : last.kind === 'repeat' && !last.expanded ? last.until : last.t) : null;
    if (lastT !== null && options.now - lastT >= GAP_THRESHOLD_SECONDS) {
      const row: Extract<SequenceRow, { kind: 'gap' }> = {
        kind: 'gap',
        key: 'gap-now',
        t: lastT,
        until: options.now,
        text: `… ${formatSpan(options.now - lastT)} pass …`,
        group: null,
      };
      const height = SEQ.rowHeight.gap;
      out.push({ placed: { kind: 'gap', row, y, height, labelY: y + 17 }, timeLabel: null, srText: row.text });
      if (y > segmentStart) lifelines.push({ y1: segmentStart, y2: y, broken: false });
      lifelines.push({ y1: y, y2: y + height, broken: true });
      segmentStart = y + height;
      y += height;
    }
    const label = formatClock(epochSeconds + options.now, epochSeconds + (labelledT ?? 0));
    now = { y: y + 12, label, text: `Now: ${formatClock(epochSeconds + options.now, epochSeconds)}` };
    y += 24;
  }
  const height = y + 8;
  if (height > segmentStart) lifelines.push({ y1: segmentStart, y2: height, broken: false });
  return { width: SEQ.width, height, hidden: start, rows: out, lifelines, repeats: [...repeats.values()], now };
}

// =============================================================================================
// Token timeline: bars

/** What the timeline needs from a WorldView: the trace (read through its projection) at an instant. */
export interface TimelineSource {
  events: readonly SimEvent[];
  /** The trace's projection, when the caller has it (the view model does); else it is read here. */
  projection?: Projection | null;
  t: number;
  config: Config;
  epochSeconds: number;
}

export type TimelineMarkerKind = 'stolen' | 'accepted' | 'rejected' | 'rotated' | 'revoked' | 'reused' | 'wiped' | 'grace';

export interface TokenEvent {
  kind: TimelineMarkerKind;
  t: number;
  byAttacker: boolean;
  /** One sentence, without the time. */
  text: string;
}

export type BarEnd = 'expiry' | 'consumed' | 'revoked' | 'idle' | 'absolute' | 'open';

export interface TokenBar {
  label: TokenLabel;
  kind: 'access' | 'refresh';
  forged: boolean;
  grantId: string | null;
  issuedAt: number;
  /** Where the bar stops; for an open-ended refresh token, now. */
  end: number;
  endReason: BarEnd;
  /** Still usable after now with no known end before its deadline: the bar fades to the right. */
  openEnded: boolean;
  /** A scheduled end still ahead (access-token expiry, a refresh family's lifetime), if any. */
  deadline: number | null;
  /** Its state now, in words. */
  status: string;
  /** Periods when the attacker held it: from steal or issue to expiry, consumption or drop. */
  held: { from: number; to: number; openEnded: boolean }[];
  /** Stolen, forged or issued to the attacker, or used by it. */
  attacker: boolean;
  events: TokenEvent[];
}

function labelNumber(label: TokenLabel): number {
  return Number(label.split('#')[1] ?? 0);
}

function projectionOf(source: Pick<TimelineSource, 'events' | 'projection'>): Projection {
  return source.projection && source.projection.length === source.events.length ? source.projection : project(source.events);
}

function lifeRank(life: TokenLife): number {
  return life.forged ? 2 : life.kind === 'access' ? 0 : 1;
}

/** Whether the attacker ever had the token (issued, forged, stolen, copied) or presented it. */
function attackerTouched(life: TokenLife): boolean {
  return (
    life.forged !== null ||
    life.holdings.some((h) => h.party === 'attacker') ||
    life.marks.some((m) => m.kind === 'used' && m.by === 'attacker')
  );
}

/** The timeline's tokens (access and refresh) in issue order: access before refresh at one instant, forged last. */
function timelineLives(projection: Projection): TokenLife[] {
  return projection.tokens
    .filter((life) => life.kind !== 'code')
    .sort((a, b) => a.issuedAt - b.issuedAt || lifeRank(a) - lifeRank(b) || labelNumber(a.label) - labelNumber(b.label));
}

function tokenEvents(life: TokenLife): TokenEvent[] {
  const who = (party: Party) => (party === 'attacker' ? 'the attacker' : 'the client');
  const out: TokenEvent[] = [];
  for (const m of life.marks) {
    switch (m.kind) {
      case 'stolen':
        out.push({
          kind: 'stolen',
          t: m.t,
          byAttacker: true,
          text: m.how === 'copied' ? 'copied by the attacker’s script in the page' : 'stolen by the attacker',
        });
        break;
      case 'wiped':
        out.push({ kind: 'wiped', t: m.t, byAttacker: true, text: 'wiped from the client by the attacker' });
        break;
      case 'grace':
        out.push({ kind: 'grace', t: m.t, byAttacker: false, text: 'presented again within the grace interval: allowed' });
        break;
      case 'revoked':
        out.push({ kind: 'revoked', t: m.t, byAttacker: false, text: `family ${m.grantId} revoked (${revocationLabel(m.cause)})` });
        break;
      case 'used': {
        const byAttacker = m.by === 'attacker';
        const result = resultText({ status: m.status, reason: m.reason });
        if (m.endpoint === 'api') {
          out.push({ kind: m.status === 200 ? 'accepted' : 'rejected', t: m.t, byAttacker, text: `API call by ${who(m.by)}: ${result}` });
        } else if (m.status === 200) {
          out.push({
            kind: m.rotated ? 'rotated' : 'accepted',
            t: m.t,
            byAttacker,
            text: m.rotated ? `rotated by ${who(m.by)} (→ ${m.issued.join(', ')})` : `refresh by ${who(m.by)}: ${result}`,
          });
        } else {
          out.push({ kind: m.reason === 'reused' ? 'reused' : 'rejected', t: m.t, byAttacker, text: `refresh by ${who(m.by)}: ${result}` });
        }
        break;
      }
      case 'dropped':
        break;
      default:
        assertNever(m);
    }
  }
  return out;
}

/** One token's bar at `now`. */
function barOf(life: TokenLife, projection: Projection, source: Pick<TimelineSource, 't' | 'config'>): TokenBar {
  const now = source.t;
  const { config } = source;
  const grant = life.grantId ? projection.grant(life.grantId) : undefined;
  let bar: Omit<TokenBar, 'held' | 'attacker' | 'events'>;
  if (life.kind === 'access') {
    const at = life.record as AccessTokenRecord;
    const forged = life.forged !== null;
    // Under introspection a revoked family stops its access tokens at once; locally, only exp does.
    const introspected = config.resourceServer.validation === 'introspection';
    const revokedAt = introspected && grant?.revoked && grant.revoked.t < at.expiresAt ? grant.revoked.t : null;
    const end = revokedAt ?? at.expiresAt;
    let status: string;
    if (forged) status = at.genuine ? 'rejected by the RS: wrong audience' : 'rejected by the RS: bad signature';
    else if (revokedAt !== null && now >= revokedAt) status = 'revoked (introspection says inactive)';
    else if (now >= at.expiresAt) status = 'expired';
    else if (grant?.revoked) status = 'valid until it expires (family revoked; the RS cannot tell)';
    else status = 'valid';
    bar = {
      label: life.label,
      kind: 'access',
      forged,
      grantId: at.grantId,
      issuedAt: at.issuedAt,
      end,
      endReason: revokedAt !== null ? 'revoked' : 'expiry',
      openEnded: false,
      deadline: at.expiresAt > now ? at.expiresAt : null,
      status,
    };
  } else {
    const { absolute, idle } = familyDeadlines(config.refreshToken, grant);
    const candidates: [BarEnd, number | null][] = [
      ['consumed', life.consumedAt],
      ['revoked', life.revoked?.t ?? null],
      ['absolute', absolute],
      ['idle', idle],
    ];
    let end = now;
    let endReason: BarEnd = 'open';
    for (const [reason, when] of candidates) {
      if (when !== null && when <= end && (endReason === 'open' || when < end)) {
        end = when;
        endReason = reason;
      }
    }
    // A deadline exactly now has ended it (refresh needs t < deadline); with none reached, it is open.
    const deadline = absolute === null ? idle : idle === null ? absolute : Math.min(absolute, idle);
    let status: string;
    if (life.consumedAt !== null)
      status = life.revoked !== null ? 'consumed (rotated); its family was revoked later' : 'consumed (rotated)';
    else if (life.revoked !== null) status = 'revoked';
    else if (endReason === 'idle') status = 'expired (idle lifetime)';
    else if (endReason === 'absolute') status = 'expired (absolute lifetime)';
    else status = 'active';
    bar = {
      label: life.label,
      kind: 'refresh',
      forged: false,
      grantId: life.grantId,
      issuedAt: life.issuedAt,
      end: Math.max(end, life.issuedAt),
      endReason,
      openEnded: endReason === 'open',
      deadline: deadline !== null && deadline > now ? deadline : null,
      status,
    };
  }
  const held: TokenBar['held'] = [];
  for (const h of life.holdings) {
    if (h.party !== 'attacker') continue;
    const to = h.to !== null ? Math.min(h.to, bar.end) : bar.end;
    if (to > h.from || (to === h.from && bar.openEnded)) held.push({ from: h.from, to, openEnded: bar.openEnded && h.to === null });
  }
  return { ...bar, held, attacker: attackerTouched(life), events: tokenEvents(life) };
}

/** Every token of the trace as a bar, in issue order (access before refresh at one instant). */
export function timelineBars(source: TimelineSource): TokenBar[] {
  const projection = projectionOf(source);
  return timelineLives(projection).map((life) => barOf(life, projection, source));
}

// =============================================================================================
// Token timeline: layout

export const TIMELINE = {
  width: 800,
  plotX0: 128,
  plotX1: 784,
  familyHeight: 26,
  rowHeight: 28,
  barHeight: 12,
  font: 12,
  /** Tokens shown by default on long runs, besides the attacker's. */
  recent: 60,
} as const;

export const MARKER_GLYPH: Record<TimelineMarkerKind, string> = {
  stolen: '◆',
  accepted: '✓',
  rejected: '✗',
  rotated: '↻',
  revoked: '⊘',
  reused: '‼',
  wiped: '⌫',
  grace: '≈',
};

/** The symbols in words, for the legend. */
export const MARKER_MEANING: Record<TimelineMarkerKind, string> = {
  stolen: 'stolen by the attacker',
  accepted: 'accepted: an API call or refresh that worked',
  rejected: 'rejected: an API call or refresh that failed',
  rotated: 'rotated: exchanged for a new refresh token',
  revoked: 'revoked with its family',
  reused: 'reuse detected: a used refresh token presented again',
  wiped: 'wiped from the client',
  grace: 'presented again within the grace interval',
};

export interface PlacedMarker {
  key: string;
  kind: TimelineMarkerKind;
  /** Where it is drawn; `anchorX` is its true time (they differ when it was moved to stay legible). */
  x: number;
  anchorX: number;
  byAttacker: boolean;
  count: number;
  /** Words, with times, for a tooltip. */
  text: string;
}

export interface Span {
  x1: number;
  x2: number;
  /** The span runs past what is drawn (open-ended or beyond the axis): fade it out. */
  fade: boolean;
}

export type TimelineRow =
  | { kind: 'family'; key: string; y: number; height: number; title: string; owner: Party | null }
  | {
      kind: 'token';
      key: string;
      y: number;
      height: number;
      bar: TokenBar;
      barY: number;
      /** The part of the bar up to now, and the part still ahead (drawn lighter). */
      past: Span | null;
      future: Span | null;
      /** A thin line from the end of the bar to later markers on the row (e.g. reuse of a consumed token). */
      after: Span | null;
      held: Span[];
      markers: PlacedMarker[];
      /** The token began before the axis (an older token of the attacker's, kept in view). */
      clippedBefore: boolean;
      /** Set when the token ended before the axis begins: "ended 09:05:00", drawn instead of a bar. */
      endedBefore: string | null;
      /** The bar in words (for its accessible name and tooltip). */
      text: string;
    };

export interface TimelineLayout {
  width: number;
  height: number;
  start: number;
  end: number;
  nowX: number;
  ticks: { x: number; t: number; label: string }[];
  rows: TimelineRow[];
  /** Tokens shown / left out by the recent-tokens filter. */
  shown: TokenBar[];
  hidden: number;
}

const TICK_STEPS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800, 1_209_600, 2_592_000,
];

/** Axis ticks at round clock times, at most about six across. */
export function timeTicks(start: number, end: number, epochSeconds: number, maxTicks = 6): { t: number; label: string }[] {
  const span = Math.max(1, end - start);
  const step = TICK_STEPS.find((s) => span / s <= maxTicks) ?? TICK_STEPS[TICK_STEPS.length - 1]!;
  const ticks: { t: number; label: string }[] = [];
  let previous = epochSeconds + start;
  // Day steps start at a midnight (UTC, the display zone); shorter ones at a multiple of the step.
  const unit = step >= 86_400 ? 86_400 : step;
  const first = Math.ceil((epochSeconds + start) / unit) * unit;
  for (let unix = first; unix <= epochSeconds + end; unix += step) {
    let label: string;
    if (step >= 86_400) label = formatInstant(unix).split(' ').slice(0, 3).join(' ');
    else {
      label = formatClock(unix, previous);
      if (step % 60 === 0) label = label.replace(/:\d\d$/, '');
    }
    ticks.push({ t: unix - epochSeconds, label });
    previous = unix;
  }
  return ticks;
}

/** Which tokens to draw: all, or the most recent `recent` plus every token the attacker touched. */
export function visibleBars(bars: readonly TokenBar[], showAll: boolean, recent: number = TIMELINE.recent): TokenBar[] {
  if (showAll || bars.length <= recent) return [...bars];
  const cut = bars.length - recent;
  return bars.filter((bar, i) => i >= cut || bar.attacker);
}

function describeBar(bar: TokenBar, epochSeconds: number): string {
  const when = (t: number) => formatClock(epochSeconds + t, epochSeconds);
  const kind = bar.forged ? 'forged access token' : bar.kind === 'access' ? 'access token' : 'refresh token';
  const family = bar.grantId ? ` of family ${bar.grantId}` : '';
  const ends: Record<BarEnd, string> = {
    expiry: `expires ${when(bar.end)}`,
    consumed: `consumed ${when(bar.end)}`,
    revoked: `revoked ${when(bar.end)}`,
    idle: `idle lifetime ended ${when(bar.end)}`,
    absolute: `absolute lifetime ended ${when(bar.end)}`,
    open: bar.deadline !== null ? `usable until ${when(bar.deadline)} at most` : 'no end yet',
  };
  const held = bar.held.length ? `; the attacker holds it from ${when(bar.held[0]!.from)}` : '';
  return `${bar.label}, ${kind}${family}: issued ${when(bar.issuedAt)}, ${ends[bar.endReason]}; ${bar.status}${held}.`;
}

export function layoutTimeline(
  bars: readonly TokenBar[],
  source: Pick<TimelineSource, 't' | 'epochSeconds' | 'events' | 'projection'>,
  options: { showAll: boolean; recent?: number } = { showAll: false },
): TimelineLayout {
  const shown = visibleBars(bars, options.showAll, options.recent);
  // With the recent-tokens filter on, the axis starts at the oldest recent token: an attacker's
  // token from weeks ago stays listed but must not squeeze the rest into a few pixels.
  const filtered = shown.length < bars.length;
  const anchor = filtered ? bars.slice(-(options.recent ?? TIMELINE.recent)) : shown;
  const start = anchor.length ? Math.min(...anchor.map((b) => b.issuedAt)) : 0;
  return placeTimeline(shown, bars.length - shown.length, start, projectionOf(source), source);
}

/** The shown bars placed on an axis from `start`; `hidden` tokens are left out by the filter. */
function placeTimeline(
  shown: TokenBar[],
  hidden: number,
  start: number,
  projection: Projection,
  source: Pick<TimelineSource, 't' | 'epochSeconds'>,
): TimelineLayout {
  const now = source.t;
  const { epochSeconds } = source;
  // The axis reaches past now to show ends coming soon, but not a 30-day expiry after 10 minutes.
  const reach = now + Math.max(now - start, 300);
  let end = Math.max(now, start + 60);
  for (const bar of shown) {
    if (bar.end > end && bar.end <= reach) end = bar.end;
    for (const m of bar.events) if (m.t > end && m.t <= reach) end = m.t;
  }
  end += (end - start) * 0.04;

  const { plotX0, plotX1 } = TIMELINE;
  const x = (t: number) => plotX0 + ((Math.min(Math.max(t, start), end) - start) / (end - start)) * (plotX1 - plotX0);
  const span = (from: number, to: number, fade: boolean): Span | null => {
    if (to < from) return null;
    const x1 = x(from);
    const beyond = to > end;
    let x2 = beyond ? plotX1 : x(to);
    if (x2 - x1 < 2) x2 = Math.min(plotX1, x1 + 2);
    return { x1, x2, fade: fade || beyond };
  };

  // Families in the order they started; forged tokens (no family) last.
  const families = new Map<string, TokenBar[]>();
  for (const bar of shown) {
    const key = bar.grantId ?? '';
    const list = families.get(key);
    if (list) list.push(bar);
    else families.set(key, [bar]);
  }
  const grantOrder = projection.grants.map((g) => g.id);
  const keys = [...families.keys()].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : grantOrder.indexOf(a) - grantOrder.indexOf(b)));

  const rows: TimelineRow[] = [];
  let y = 4;
  for (const key of keys) {
    const grant = key ? projection.grant(key) : undefined;
    let title: string;
    if (!key) title = 'Forged by the attacker (no family)';
    else {
      const by = grant?.by === 'attacker' ? 'attacker login with a stolen password' : 'client login';
      const started = grant ? `, ${formatClock(epochSeconds + grant.startedAt, epochSeconds)}` : '';
      const revoked = grant?.revoked
        ? ` · revoked ${formatClock(epochSeconds + grant.revoked.t, epochSeconds)} (${revocationLabel(grant.revoked.cause)})`
        : '';
      title = `Family ${key} · ${by}${started}${revoked}`;
    }
    rows.push({
      kind: 'family',
      key: `family-${key || 'forged'}`,
      y,
      height: TIMELINE.familyHeight,
      title,
      owner: key ? (grant?.by ?? null) : 'attacker',
    });
    y += TIMELINE.familyHeight;
    for (const bar of families.get(key)!) {
      const clippedBefore = bar.issuedAt < start;
      if (clippedBefore && bar.end < start && !bar.openEnded) {
        // Ended before the axis: a note, or, when it was still presented later, the dotted line to those markers.
        const later = bar.events.filter((m) => m.t >= start);
        const lastLater = later.length ? Math.max(...later.map((m) => m.t)) : null;
        rows.push({
          kind: 'token',
          key: bar.label,
          y,
          height: TIMELINE.rowHeight,
          bar,
          barY: y + (TIMELINE.rowHeight - TIMELINE.barHeight) / 2,
          past: null,
          future: null,
          after: lastLater !== null ? span(start, lastLater, false) : null,
          held: [],
          markers: placeMarkers(later, x, epochSeconds),
          clippedBefore,
          endedBefore: lastLater === null ? `ended ${formatClock(epochSeconds + bar.end, epochSeconds)}, before this range` : null,
          text: describeBar(bar, epochSeconds),
        });
        y += TIMELINE.rowHeight;
        continue;
      }
      const pastEnd = Math.min(bar.end, now);
      const past = bar.issuedAt <= now ? span(bar.issuedAt, pastEnd, false) : null;
      let future: Span | null = null;
      if (bar.openEnded) future = { x1: x(now), x2: plotX1, fade: true };
      else if (bar.end > now) future = span(Math.max(now, bar.issuedAt), bar.end, false);
      const lastEvent = Math.max(...bar.events.map((m) => m.t), -Infinity);
      const after = !bar.openEnded && lastEvent > bar.end ? span(bar.end, lastEvent, false) : null;
      const held = bar.held
        .map((h) => (h.openEnded ? { x1: x(h.from), x2: plotX1, fade: true } : span(h.from, h.to, false)))
        .filter((s): s is Span => s !== null);
      rows.push({
        kind: 'token',
        key: bar.label,
        y,
        height: TIMELINE.rowHeight,
        bar,
        barY: y + (TIMELINE.rowHeight - TIMELINE.barHeight) / 2,
        past,
        future,
        after,
        held,
        markers: placeMarkers(clippedBefore ? bar.events.filter((m) => m.t >= start) : bar.events, x, epochSeconds),
        clippedBefore,
        endedBefore: null,
        text: describeBar(bar, epochSeconds),
      });
      y += TIMELINE.rowHeight;
    }
  }
  return {
    width: TIMELINE.width,
    height: y + 4,
    start,
    end,
    nowX: x(now),
    ticks: timeTicks(start, end, epochSeconds).map((tick) => ({ ...tick, x: x(tick.t) })),
    rows,
    shown,
    hidden,
  };
}

/** Markers closer than this (in SVG units) would overlap: same kind merges, others move apart. */
const MARKER_SPACING = 15;

/**
 * The distance from one marker to the next so they do not touch: wider after or before an
 * attacker's ringed marker (its ring is 17 units across), and after a count ("×12") drawn to the
 * right of its marker (TokenTimeline.tsx).
 */
function markerSpacing(previous: Pick<PlacedMarker, 'byAttacker' | 'count'>, next: Pick<PlacedMarker, 'byAttacker'>): number {
  const ring = previous.byAttacker || next.byAttacker ? 4 : 0;
  const count = previous.count > 1 ? 4 + 7 * (String(previous.count).length + 1) : 0;
  return MARKER_SPACING + ring + count;
}

/**
 * Markers of one kind by one actor that would overlap merge into one with a count; markers of
 * different kinds that would overlap are nudged right (each keeps `anchorX`, its true time).
 */
function placeMarkers(events: readonly TokenEvent[], x: (t: number) => number, epochSeconds: number): PlacedMarker[] {
  type Merged = PlacedMarker & { first: number; last: number; sample: string };
  const merged: Merged[] = [];
  const open = new Map<string, Merged>();
  const sorted = events.map((m) => ({ m, px: x(m.t) })).sort((a, b) => a.px - b.px);
  for (const { m, px } of sorted) {
    const group = `${m.kind}:${m.byAttacker ? 'a' : 'c'}`;
    const existing = open.get(group);
    if (existing && px - existing.anchorX < MARKER_SPACING) {
      existing.count++;
      existing.last = m.t;
      continue;
    }
    const marker: Merged = {
      key: `${group}:${merged.length}`,
      kind: m.kind,
      x: px,
      anchorX: px,
      byAttacker: m.byAttacker,
      count: 1,
      text: '',
      first: m.t,
      last: m.t,
      sample: m.text,
    };
    merged.push(marker);
    open.set(group, marker);
  }
  for (let i = 1; i < merged.length; i++) {
    const previous = merged[i - 1]!;
    const spacing = markerSpacing(previous, merged[i]!);
    if (merged[i]!.x < previous.x + spacing) merged[i]!.x = previous.x + spacing;
  }
  const when = (t: number) => formatClock(epochSeconds + t, epochSeconds);
  return merged.map(({ first, last, sample, ...m }) => ({
    ...m,
    text: m.count === 1 ? `${when(first)}: ${sample}` : `${when(first)} – ${when(last)}: ${m.count} × ${sample}`,
  }));
}

/**
 * The timeline at `source.t`: only the tokens it shows become bars (the month's thousands of
 * others are counted, not drawn), read from the trace's projection.
 */
export function timelineModel(source: TimelineSource, options: { showAll: boolean; recent?: number }): TimelineLayout {
  const projection = projectionOf(source);
  const lives = timelineLives(projection);
  const recent = options.recent ?? TIMELINE.recent;
  const filtered = !options.showAll && lives.length > recent;
  const cut = lives.length - recent;
  const shown = filtered ? lives.filter((life, i) => i >= cut || attackerTouched(life)) : lives;
  const bars = shown.map((life) => barOf(life, projection, source));
  // With the recent-tokens filter on, the axis starts at the oldest recent token (lives are in issue order).
  const start = lives.length === 0 ? 0 : shown.length < lives.length ? lives[cut]!.issuedAt : lives[0]!.issuedAt;
  return placeTimeline(bars, lives.length - shown.length, start, projection, source);
}

function assertNever(x: never): never {
  throw new Error(`unexpected: ${JSON.stringify(x)}`);
}
