// The world's state: plain data only, so it can be structured-cloned for snapshots and compared in
// tests. Append-only records (the trace, step results, issued access tokens) live beside it in
// logs; the state keeps their lengths so a snapshot can truncate them on restore.
import type { AttackerPhase, AuthServerPhase, ClientPhase, ResourceServerPhase } from './machines';
import type { RngState } from './rng';
import type { SignInSession } from './rules/signin';
import type {
  AuthorizationCodeRecord,
  ChecksMade,
  DpopProof,
  Metrics,
  Party,
  Reason,
  RefreshTokenRecord,
  RevocationCause,
  Seconds,
  TokenLabel,
} from './types';

export interface LastTransition {
  from: string;
  on: string;
  to: string;
  t: Seconds;
}

export interface ClientState {
  phase: ClientPhase;
  accessToken: TokenLabel | null;
  refreshToken: TokenLabel | null;
  /** The password version the client saved (storing clients only), or null. */
  storedPassword: number | null;
  /** Whether the user is using the app (drives behaviour.user). */
  present: boolean;
  /**
   * Whether the app's page is open: from the start, closed by user.leave, open again from
   * user.arrive. Only an open page can be hijacked (attacker.hijackPage).
   */
  pageOpen: boolean;
  /** DPoP: the newest proof the app sent (what `"proof": "replay"` resends), or null. */
  lastProof: DpopProof | null;
  lastTransition: LastTransition | null;
}

/** A server's DPoP replay cache: jti → the proof's iat (Unix seconds), pruned past the window. */
export type JtiCache = Record<string, number>;

/** A grant: the token family one login starts (SEMANTICS.md §3, §4). */
export interface Grant {
  id: string;
  /** Who logged in: the client (the user) or the attacker with a stolen password. */
  by: Party;
  startedAt: Seconds;
  /** The login or the last successful refresh: the idle lifetime counts from here. */
  lastUse: Seconds;
  revoked: boolean;
  revokedAt: Seconds | null;
  revokedCause: RevocationCause | null;
  /** The family's newest refresh token (reuse interval: only its parent is a benign retry). */
  newest: TokenLabel | null;
  refreshTokens: TokenLabel[];
  accessTokens: TokenLabel[];
}

export interface AuthServerState {
  phase: AuthServerPhase;
  passwordVersion: number;
  grants: Record<string, Grant>;
  grantOrder: string[];
  refreshTokens: Record<TokenLabel, RefreshTokenRecord>;
  refreshByValue: Record<string, TokenLabel>;
  /** DPoP proofs seen at the token endpoint (RFC 9449 §11.1). */
  dpopJtis: JtiCache;
  /** The user's sign-in session (SEMANTICS.md §10), live or not; null: none started or it ended. */
  signInSession: SignInSession | null;
  /** Authorization codes issued at the sign-in page, by label (AC#n). */
  codes: Record<TokenLabel, AuthorizationCodeRecord>;
  lastTransition: LastTransition | null;
}

export interface ResourceServerState {
  phase: ResourceServerPhase;
  accepted: number;
  rejected: number;
  lastToken: TokenLabel | null;
  lastReason: Reason | null;
  lastChecks: ChecksMade | null;
  /**
   * The API's request log, as far as `attacker.steal` `from: "api-logs"` reads it: the access
   * token of the newest request it received from the app (the BFF's, or proxied through it), or
   * null when there was none or that request carried no token.
   */
  lastAppToken: TokenLabel | null;
  /** DPoP proofs seen at the API (RFC 9449 §11.1). */
  dpopJtis: JtiCache;
  lastTransition: LastTransition | null;
}

export interface AttackerState {
  phase: AttackerPhase;
  /** Oldest first; actions use the newest (the last). */
  accessTokens: TokenLabel[];
  refreshTokens: TokenLabel[];
  password: number | null;
  clientSecret: boolean;
  /**
   * Whether the attacker's script runs inside the app's open page (attacker.hijackPage): it can
   * then have the app's non-extractable DPoP key sign proofs, until the page closes or it leaves.
   */
  inPage: boolean;
  /** attacker.interceptCode: the app's next authorization delivers its code to the attacker. */
  interceptArmed: boolean;
  lastTransition: LastTransition | null;
}

export type QueueItem =
  | { time: Seconds; seq: number; kind: 'step'; index: number }
  | { time: Seconds; seq: number; kind: 'userTick'; generation: number }
  | { time: Seconds; seq: number; kind: 'attackerTick' };

export interface WorldState {
  t: Seconds;
  nextSeq: number;
  rng: RngState;
  /** The sign-in stream (PKCE verifiers, authorization codes): apart, so token strings stay as they were. */
  signInRng: RngState;
  /** A binary min-heap ordered by (time, seq). */
  queue: QueueItem[];
  counters: { accessToken: number; refreshToken: number; forged: number; grant: number; request: number; code: number; session: number };
  client: ClientState;
  authServer: AuthServerState;
  resourceServer: ResourceServerState;
  attacker: AttackerState;
  behaviour: { userGeneration: number; attackerTickPending: boolean };
  metrics: Metrics;
  /** Exposure has been counted up to this instant. */
  exposureCursor: Seconds;
  firstStop: { t: Seconds; eventSeq: number } | null;
  lastAttackerOkAfterStop: Seconds | null;
  /** Lengths of the append-only logs at this state. */
  logs: { events: number; steps: number; accessTokens: number; forgedTokens: number };
  /** Work done so far against the world's budget (budget.ts) that no log's length tells: signatures made or verified. */
  work: { signatures: number };
}

export function initialState(rng: RngState, signInRng: RngState): WorldState {
  return {
    t: 0,
    nextSeq: 0,
    rng,
    signInRng,
    queue: [],
    counters: { accessToken: 0, refreshToken: 0, forged: 0, grant: 0, request: 0, code: 0, session: 0 },
    client: {
      phase: 'signedOut',
      accessToken: null,
      refreshToken: null,
      storedPassword: null,
      present: false,
      pageOpen: true,
      lastProof: null,
      lastTransition: null,
    },
    authServer: {
      phase: 'userActive',
      passwordVersion: 1,
      grants: {},
      grantOrder: [],
      refreshTokens: {},
      refreshByValue: {},
      dpopJtis: {},
      signInSession: null,
      codes: {},
      lastTransition: null,
    },
    resourceServer: {
      phase: 'waiting',
      accepted: 0,
      rejected: 0,
      lastToken: null,
      lastReason: null,
      lastChecks: null,
      lastAppToken: null,
      dpopJtis: {},
      lastTransition: null,
    },
    attacker: {
      phase: 'empty',
      accessTokens: [],
      refreshTokens: [],
      password: null,
      clientSecret: false,
      inPage: false,
      interceptArmed: false,
      lastTransition: null,
    },
    behaviour: { userGeneration: 0, attackerTickPending: false },
    metrics: {
      attacker: { exposureSeconds: 0, apiCallsOk: 0, apiCallsRejected: 0, lastApiCallOkAt: null, revocationLagSeconds: null },
      user: { passwordPrompts: 0, silentSignIns: 0, apiCallsOk: 0, apiCallsRejected: 0 },
      authServer: { tokenRequests: 0, stateLookups: 0, signInRequests: 0 },
      resourceServer: { requests: 0, introspections: 0 },
    },
    exposureCursor: 0,
    firstStop: null,
    lastAttackerOkAfterStop: null,
    logs: { events: 0, steps: 0, accessTokens: 0, forgedTokens: 0 },
    work: { signatures: 0 },
  };
}

// ---- the queue: a binary heap on plain arrays --------------------------------------------------

function before(a: QueueItem, b: QueueItem): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

export function queuePush(queue: QueueItem[], item: QueueItem): void {
  queue.push(item);
  let i = queue.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(queue[i]!, queue[parent]!)) break;
    [queue[i], queue[parent]] = [queue[parent]!, queue[i]!];
    i = parent;
  }
}

export function queuePop(queue: QueueItem[]): QueueItem | undefined {
  const top = queue[0];
  const last = queue.pop();
  if (queue.length > 0 && last) {
    queue[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < queue.length && before(queue[l]!, queue[m]!)) m = l;
      if (r < queue.length && before(queue[r]!, queue[m]!)) m = r;
      if (m === i) break;
      [queue[i], queue[m]] = [queue[m]!, queue[i]!];
      i = m;
    }
  }
  return top;
}
