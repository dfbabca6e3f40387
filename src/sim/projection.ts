// One reading of the trace: a pure, incremental fold of the events into the life of every token
// (access tokens, refresh tokens, authorization codes), the grants, the DPoP keys seen and the AS
// sign-in sessions. The views (timeline, inspector, panels) read this instead of folding the trace
// each on its own.
//
// Incremental: a projector remembers how far it read; given the same trace grown (the engine only
// appends between two steps back), it reads just the new events. Each snapshot it returns is
// immutable: a token or grant that changes is replaced by a new object, so an older snapshot (a
// view React still shows) keeps what it said.
//
// Time-based ends are not events: an access token or a code has expired at t ≥ its `expiresAt`,
// a refresh token when its family's idle or absolute lifetime has passed (`refreshDeadline`).
import type {
  AccessTokenRecord,
  AuthorizationCodeRecord,
  ForgeKind,
  Party,
  Reason,
  RefreshTokenConfig,
  RefreshTokenRecord,
  RevocationCause,
  Seconds,
  SignInSessionEnd,
  SimEvent,
  TokenLabel,
} from './types';

export type TokenKind = 'access' | 'refresh' | 'code';

/** A period during which a party had the token in hand (`to` null: still has it). */
export interface Holding {
  party: Party;
  from: Seconds;
  to: Seconds | null;
  /** How it came to hold it. */
  how: 'issued' | 'forged' | 'stolen' | 'copied' | 'delivered' | 'intercepted';
}

/**
 * Something that happened to a token, as data (the UI words it). `used`: presented to the RS
 * (`api`) or to the token endpoint (`token`: a refresh, or a code's redemption); `rotated`: a
 * refresh answered with a new refresh token; `grace`: a consumed parent presented again within
 * the reuse interval; `revoked`: its family was revoked while it was still usable.
 */
export type TokenMark =
  | { kind: 'stolen'; t: Seconds; how: 'stolen' | 'copied' | 'logs' }
  | { kind: 'wiped'; t: Seconds }
  | { kind: 'dropped'; t: Seconds; by: Party; reason: Reason }
  | { kind: 'grace'; t: Seconds }
  | { kind: 'revoked'; t: Seconds; grantId: string; cause: RevocationCause }
  | {
      kind: 'used';
      t: Seconds;
      by: Party;
      endpoint: 'api' | 'token';
      status: number;
      reason: Reason | null;
      issued: readonly TokenLabel[];
      /** A refresh answered with a new refresh token (the presented one is consumed). */
      rotated: boolean;
    };

export interface TokenLife {
  label: TokenLabel;
  kind: TokenKind;
  /** For a forged access token: how the attacker made it. */
  forged: ForgeKind | null;
  grantId: string | null;
  issuedAt: Seconds;
  /** Who received it when it was made (the attacker for a forged token; a code's recipient). */
  issuedTo: Party;
  /** Access tokens and codes: their fixed end (`exp`; a code's 60 s). Refresh tokens: null (see refreshDeadline). */
  expiresAt: Seconds | null;
  /** The record as issued (an access token's claims, a refresh token's parent, a code's PKCE challenge). */
  record: AccessTokenRecord | RefreshTokenRecord | AuthorizationCodeRecord;
  /** A refresh token rotated (RefreshTokenConsumed), a code redeemed: when. */
  consumedAt: Seconds | null;
  /** Its family's revocation, when one named it (first one). */
  revoked: { t: Seconds; cause: RevocationCause } | null;
  /** Every period some party held it, oldest first. */
  holdings: readonly Holding[];
  marks: readonly TokenMark[];
}

export interface GrantLife {
  id: string;
  by: Party;
  startedAt: Seconds;
  /** The login or the last successful refresh (the idle lifetime counts from here). */
  lastUse: Seconds;
  revoked: { t: Seconds; cause: RevocationCause } | null;
  /** Its tokens in issue order. */
  tokens: readonly TokenLabel[];
}

export interface SignInSessionLife {
  id: string;
  startedAt: Seconds;
  /** Silent sign-ins that renewed its idle time. */
  renewedAt: readonly Seconds[];
  ended: { t: Seconds; why: SignInSessionEnd } | null;
}

export interface Projection {
  /** How many events of the trace it has read. */
  readonly length: number;
  /** Every token in issue order. */
  readonly tokens: readonly TokenLife[];
  token(label: TokenLabel): TokenLife | undefined;
  readonly grants: readonly GrantLife[];
  grant(id: string): GrantLife | undefined;
  /** DPoP key thumbprints learnt from proofs: the app's key and the attacker's own. */
  readonly keys: { readonly app: string | null; readonly attacker: string | null };
  readonly sessions: readonly SignInSessionLife[];
  /** Whether the attacker's script runs in the app's open page. */
  readonly attackerInPage: boolean;
}

// ---------------------------------------------------------------------------------------------
// Reading a token's life at an instant

/** Whether `party` held the token at `t` (a holding covers [from, to)). */
export function heldAt(life: TokenLife, party: Party, t: Seconds): boolean {
  return life.holdings.some((h) => h.party === party && h.from <= t && (h.to === null || t < h.to));
}

/** The parties holding it at `t`. */
export function holdersAt(life: TokenLife, t: Seconds): Party[] {
  const out: Party[] = [];
  for (const h of life.holdings) if (h.from <= t && (h.to === null || t < h.to) && !out.includes(h.party)) out.push(h.party);
  return out;
}

/** A refresh family's deadline (idle or absolute, the earlier), or null when unlimited. */
export function refreshDeadline(
  rules: RefreshTokenConfig | null,
  grant: Pick<GrantLife, 'startedAt' | 'lastUse'> | undefined,
): { at: Seconds; by: 'idle' | 'absolute' } | null {
  if (!rules || !grant) return null;
  const absolute = rules.absoluteTtl === null ? null : grant.startedAt + rules.absoluteTtl;
  const idle = rules.idleTtl === null ? null : grant.lastUse + rules.idleTtl;
  if (absolute === null && idle === null) return null;
  if (idle === null || (absolute !== null && absolute <= idle)) return { at: absolute!, by: 'absolute' };
  return { at: idle, by: 'idle' };
}

export type LifeStatus = 'active' | 'consumed' | 'revoked' | 'expired';

/**
 * Where a token stands at `t` as its issuer sees it: consumed (a refresh token rotated, a code
 * redeemed), revoked (its family), expired (t ≥ exp; for a refresh token, its family's deadline),
 * else active. `t` must not be before the projection's own instant for revocations to count.
 */
export function lifeStatus(life: TokenLife, t: Seconds, projection: Projection, rules: RefreshTokenConfig | null): LifeStatus {
  if (life.consumedAt !== null && life.consumedAt <= t) return 'consumed';
  if (life.revoked !== null && life.revoked.t <= t) return 'revoked';
  if (life.expiresAt !== null) return t >= life.expiresAt ? 'expired' : 'active';
  if (life.kind === 'refresh') {
    const deadline = refreshDeadline(rules, life.grantId ? projection.grant(life.grantId) : undefined);
    if (deadline !== null && t >= deadline.at) return 'expired';
  }
  return 'active';
}

// ---------------------------------------------------------------------------------------------
// The fold

interface FoldState {
  read: number;
  last: SimEvent | null;
  tokens: TokenLife[];
  tokenIndex: Map<TokenLabel, number>;
  grants: GrantLife[];
  grantIndex: Map<string, number>;
  /** Objects created since the last snapshot: safe to change in place. */
  fresh: WeakSet<object>;
  keys: { app: string | null; attacker: string | null };
  sessions: SignInSessionLife[];
  attackerInPage: boolean;
  requests: Map<number, Extract<SimEvent, { type: 'RequestSent' }>>;
  /** Each party's open holdings (labels), so a replacement does not scan every token. */
  open: Map<Party, Set<TokenLabel>>;
}

function newState(): FoldState {
  return {
    read: 0,
    last: null,
    tokens: [],
    tokenIndex: new Map(),
    grants: [],
    grantIndex: new Map(),
    fresh: new WeakSet(),
    keys: { app: null, attacker: null },
    sessions: [],
    attackerInPage: false,
    requests: new Map(),
    open: new Map(),
  };
}

function openOf(s: FoldState, party: Party): Set<TokenLabel> {
  let set = s.open.get(party);
  if (!set) s.open.set(party, (set = new Set()));
  return set;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

/** The token's life, ready to change: a copy unless it was made since the last snapshot. */
function editToken(s: FoldState, label: TokenLabel): Mutable<TokenLife> | undefined {
  const i = s.tokenIndex.get(label);
  if (i === undefined) return undefined;
  const life = s.tokens[i]! as Mutable<TokenLife>;
  if (s.fresh.has(life)) return life;
  const copy: Mutable<TokenLife> = { ...life, holdings: life.holdings.map((h) => ({ ...h })), marks: life.marks.slice() };
  s.fresh.add(copy);
  s.tokens[i] = copy;
  return copy;
}

function editGrant(s: FoldState, id: string): Mutable<GrantLife> | undefined {
  const i = s.grantIndex.get(id);
  if (i === undefined) return undefined;
  const grant = s.grants[i]! as Mutable<GrantLife>;
  if (s.fresh.has(grant)) return grant;
  const copy: Mutable<GrantLife> = { ...grant, tokens: grant.tokens.slice() };
  s.fresh.add(copy);
  s.grants[i] = copy;
  return copy;
}

function editSession(s: FoldState, id: string): Mutable<SignInSessionLife> | undefined {
  const i = s.sessions.findLastIndex((x) => x.id === id);
  if (i < 0) return undefined;
  const session = s.sessions[i]! as Mutable<SignInSessionLife>;
  if (s.fresh.has(session)) return session;
  const copy: Mutable<SignInSessionLife> = { ...session, renewedAt: session.renewedAt.slice() };
  s.fresh.add(copy);
  s.sessions[i] = copy;
  return copy;
}

function addToken(
  s: FoldState,
  t: Seconds,
  record: AccessTokenRecord | RefreshTokenRecord | AuthorizationCodeRecord,
  to: Party,
  how: Holding['how'],
  forged: ForgeKind | null,
): void {
  const life: Mutable<TokenLife> = {
    label: record.label,
    kind: record.kind,
    forged,
    grantId: record.grantId,
    issuedAt: record.issuedAt,
    issuedTo: to,
    expiresAt: record.kind === 'refresh' ? null : record.expiresAt,
    record,
    consumedAt: null,
    revoked: null,
    holdings: [{ party: to, from: t, to: null, how }],
    marks: [],
  };
  s.fresh.add(life);
  s.tokenIndex.set(record.label, s.tokens.length);
  s.tokens.push(life);
  openOf(s, to).add(record.label);
  if (record.kind !== 'code' && record.grantId !== null) editGrant(s, record.grantId)?.tokens.push(record.label);
}

function holding(life: Mutable<TokenLife>, party: Party): Holding | undefined {
  return life.holdings.findLast((h) => h.party === party && h.to === null);
}

function startHolding(s: FoldState, label: TokenLabel, party: Party, t: Seconds, how: Holding['how']): void {
  const life = editToken(s, label);
  if (life && !holding(life, party)) {
    life.holdings.push({ party, from: t, to: null, how });
    openOf(s, party).add(label);
  }
}

function endHolding(s: FoldState, label: TokenLabel, party: Party, t: Seconds): void {
  const open = openOf(s, party);
  if (!open.has(label)) return;
  open.delete(label);
  const life = editToken(s, label);
  const current = life && holding(life, party);
  if (current) current.to = t;
}

/** Ends the party's holding of every token of this kind other than `keep`. */
function replaceHeld(s: FoldState, party: Party, kind: TokenKind, t: Seconds): void {
  for (const label of [...openOf(s, party)]) if (s.tokens[s.tokenIndex.get(label)!]!.kind === kind) endHolding(s, label, party, t);
}

function mark(s: FoldState, label: TokenLabel, m: TokenMark): void {
  editToken(s, label)?.marks.push(m);
}

function read(s: FoldState, e: SimEvent): void {
  switch (e.type) {
    case 'GrantStarted': {
      const grant: GrantLife = { id: e.grantId, by: e.by, startedAt: e.t, lastUse: e.t, revoked: null, tokens: [] };
      s.fresh.add(grant);
      s.grantIndex.set(e.grantId, s.grants.length);
      s.grants.push(grant);
      return;
    }
    case 'AccessTokenIssued':
      // The client holds one access token at a time: a new one replaces the last.
      if (e.to === 'client') replaceHeld(s, 'client', 'access', e.t);
      addToken(s, e.t, e.token, e.to, 'issued', null);
      return;
    case 'RefreshTokenIssued':
      if (e.to === 'client') replaceHeld(s, 'client', 'refresh', e.t);
      addToken(s, e.t, e.token, e.to, 'issued', null);
      return;
    case 'AccessTokenForged':
      addToken(s, e.t, e.token, 'attacker', 'forged', e.forgeKind);
      return;
    case 'AuthorizationCodeIssued':
      addToken(s, e.t, e.code, e.code.deliveredTo, e.code.deliveredTo === 'attacker' ? 'intercepted' : 'delivered', null);
      return;
    case 'RefreshTokenConsumed': {
      const life = editToken(s, e.label);
      if (life && life.consumedAt === null) life.consumedAt = e.t;
      return;
    }
    case 'ReuseIntervalUsed':
      mark(s, e.label, { kind: 'grace', t: e.t });
      return;
    case 'GrantRevoked': {
      const grant = editGrant(s, e.grantId);
      if (grant && grant.revoked === null) grant.revoked = { t: e.t, cause: e.revocationCause };
      for (const label of e.labels) {
        const before = s.tokens[s.tokenIndex.get(label) ?? -1];
        if (!before) continue;
        const usable = before.kind === 'refresh' ? before.consumedAt === null : before.expiresAt === null || e.t < before.expiresAt;
        const life = editToken(s, label)!;
        if (life.revoked === null) life.revoked = { t: e.t, cause: e.revocationCause };
        if (usable) life.marks.push({ kind: 'revoked', t: e.t, grantId: e.grantId, cause: e.revocationCause });
      }
      return;
    }
    case 'TokensStolen':
      for (const label of e.labels) {
        startHolding(s, label, 'attacker', e.t, 'stolen');
        mark(s, label, { kind: 'stolen', t: e.t, how: e.from === 'api-logs' ? 'logs' : 'stolen' });
      }
      return;
    case 'TokensCopied':
      for (const label of e.labels) {
        startHolding(s, label, 'attacker', e.t, 'copied');
        mark(s, label, { kind: 'stolen', t: e.t, how: 'copied' });
        // A refresh token rotated just now replaces its parent in the copying script's hands.
        const record = s.tokens[s.tokenIndex.get(label) ?? -1]?.record;
        if (record?.kind === 'refresh' && record.parent !== null && record.issuedAt === e.t) endHolding(s, record.parent, 'attacker', e.t);
      }
      return;
    case 'CodeIntercepted':
      endHolding(s, e.code, 'client', e.t);
      startHolding(s, e.code, 'attacker', e.t, 'intercepted');
      return;
    case 'TokensWiped':
      for (const label of e.labels) {
        endHolding(s, label, 'client', e.t);
        mark(s, label, { kind: 'wiped', t: e.t });
      }
      return;
    case 'ClientForgotTokens':
      for (const label of e.labels) endHolding(s, label, 'client', e.t);
      return;
    case 'TokenDropped':
      if (e.label === 'password') return;
      endHolding(s, e.label, e.by, e.t);
      mark(s, e.label, { kind: 'dropped', t: e.t, by: e.by, reason: e.reason });
      return;
    case 'RequestSent':
      s.requests.set(e.id, e);
      if (e.proof?.source === 'app' || e.proof?.source === 'hijackedPage') s.keys = { ...s.keys, app: e.proof.jkt };
      if (e.proof?.source === 'attackerKey') s.keys = { ...s.keys, attacker: e.proof.jkt };
      return;
    case 'ResponseSent': {
      const request = s.requests.get(e.requestId);
      s.requests.delete(e.requestId);
      if (!request) return;
      // The request's token (or code) was presented, and this was the answer.
      const used = (label: TokenLabel, endpoint: 'token' | 'api', issued: readonly TokenLabel[], rotated: boolean) =>
        mark(s, label, {
          kind: 'used',
          t: e.t,
          by: request.from,
          endpoint,
          status: e.status,
          reason: e.reason,
          issued,
          rotated,
        });
      if (e.endpoint === 'token' && request.grantType === 'authorization_code' && request.code) {
        if (e.status === 200) {
          const code = editToken(s, request.code);
          if (code && code.consumedAt === null) code.consumedAt = e.t;
        }
        used(request.code, 'token', e.issued, false);
        if (e.status === 200) endHolding(s, request.code, request.from, e.t);
      }
      if (!request.token) return;
      const label = request.token;
      if (e.endpoint === 'api') {
        used(label, 'api', [], false);
      } else if (e.endpoint === 'token' && request.grantType === 'refresh_token') {
        const rotated = e.status === 200 && e.issued.some((l) => l.startsWith('RT#') && l !== label);
        used(label, 'token', e.issued, rotated);
        if (e.status === 200) {
          const grantId = s.tokens[s.tokenIndex.get(label) ?? -1]?.grantId;
          const grant = grantId ? editGrant(s, grantId) : undefined;
          if (grant) grant.lastUse = e.t;
          // The attacker's new refresh token replaces the one it presented.
          if (rotated && request.from === 'attacker') endHolding(s, label, 'attacker', e.t);
        }
      }
      return;
    }
    case 'ActionFinished':
      if (e.ok && e.action.do === 'attacker.hijackPage') s.attackerInPage = true;
      if (e.action.do === 'attacker.releasePage') s.attackerInPage = false;
      return;
    case 'UserLeft':
      if (e.hijackEnded) s.attackerInPage = false;
      return;
    case 'SignInSessionStarted': {
      const session: SignInSessionLife = { id: e.sessionId, startedAt: e.startedAt, renewedAt: [], ended: null };
      s.fresh.add(session);
      s.sessions.push(session);
      return;
    }
    case 'SignInSessionRenewed':
      editSession(s, e.sessionId)?.renewedAt.push(e.t);
      return;
    case 'SignInSessionEnded': {
      const session = editSession(s, e.sessionId);
      if (session && session.ended === null) session.ended = { t: e.t, why: e.why };
      return;
    }
    default:
      return;
  }
}

function snapshot(s: FoldState): Projection {
  const tokens = s.tokens.slice();
  const grants = s.grants.slice();
  const { tokenIndex, grantIndex } = s;
  s.fresh = new WeakSet();
  return {
    length: s.read,
    tokens,
    // The index only grows within one run: a label issued after this snapshot is not in `tokens`.
    token: (label) => tokens[tokenIndex.get(label) ?? tokens.length],
    grants,
    grant: (id) => grants[grantIndex.get(id) ?? grants.length],
    keys: s.keys,
    sessions: s.sessions.slice(),
    attackerInPage: s.attackerInPage,
  };
}

/**
 * An incremental reader: give it the trace each time (the same array grown, or a new one); it reads
 * only the events it has not seen, and starts over when the trace was rewound or replaced. Returns
 * the same snapshot while nothing new came.
 */
export function createProjector(): (events: readonly SimEvent[]) => Projection {
  let s = newState();
  let current: Projection | null = null;
  return (events) => {
    const grown = s.read <= events.length && (s.read === 0 || events[s.read - 1] === s.last);
    if (!grown) {
      s = newState();
      current = null;
    }
    if (current && s.read === events.length) return current;
    for (let i = s.read; i < events.length; i++) read(s, events[i]!);
    s.read = events.length;
    s.last = events[events.length - 1] ?? null;
    current = snapshot(s);
    return current;
  };
}

/** The whole trace read at once. */
export function project(events: readonly SimEvent[]): Projection {
  return createProjector()(events);
}
