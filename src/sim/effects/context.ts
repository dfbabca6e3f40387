// What the engine (world.ts) lends the code that carries out a party's part: the live state, the
// configuration and keys, and the few engine operations that code may use (the trace, the logs,
// the parties' transitions, the queue, DPoP). The modules beside this one take it as their first
// argument; they ask the pure decisions in ../rules and do what those say.
import type { WorldCrypto } from '../crypto';
import type { AttackerFact, ClientFact } from '../parties';
import type { QueueItem, WorldState, JtiCache } from '../state';
import type {
  AccessTokenRecord,
  ActionResult,
  ChecksMade,
  Config,
  DpopCheck,
  DpopProof,
  Endpoint,
  ErrorCode,
  Party,
  ProofCheck,
  ProofChoice,
  Reason,
  Scenario,
  Seconds,
  SimEventBody,
  TokenLabel,
} from '../types';

/** A response the world sent: its status, and the tokens it issued (labels). */
export interface Response extends ActionResult {
  status: number;
  issued: TokenLabel[];
}

/** A queue item before the engine gives it its sequence number. */
export type Unsequenced = QueueItem extends infer Q ? (Q extends QueueItem ? Omit<Q, 'seq'> : never) : never;

export interface WorldContext {
  /** The live state. A rewind replaces the object between commands: read it through the context, never keep it past a command. */
  readonly state: WorldState;
  readonly config: Config;
  readonly scenario: Scenario;
  readonly crypto: WorldCrypto;
  /** This configuration sender-constrains tokens with DPoP (SEMANTICS.md §6). */
  readonly dpop: boolean;
  /** A backend-for-frontend holds the tokens, not the page (SEMANTICS.md §10). */
  readonly bff: boolean;
  /** The simulated instant as a Unix NumericDate (epoch + t). */
  unixNow(): number;
  /** Appends an event to the trace at the current instant, with the current cause. */
  emit(body: SimEventBody): void;
  /** An access token issued (AT#n) or forged (FT#n), by label. */
  accessToken(label: TokenLabel): AccessTokenRecord | undefined;
  logAccessToken(record: AccessTokenRecord): void;
  logForgedToken(record: AccessTokenRecord): void;
  /**
   * The API's check of this token verifies its signature (and counts against the work budget)
   * until its JWT check has passed once; later checks are answered from jwt.ts's memo.
   */
  acceptedBefore(label: TokenLabel): boolean;
  markAccepted(label: TokenLabel): void;
  /** The parties' transition functions (parties.ts), with the StateChanged event. */
  setClient(fact: ClientFact): void;
  setAttacker(fact: AttackerFact): void;
  setUserStatus(fact: 'UserSuspended' | 'UserReinstated' | 'PasswordChanged' | 'GrantsRevoked'): void;
  phaseChanged(party: Party, from: string, to: string, on: string): void;
  /** The first stopping event of the run (SEMANTICS.md §9 revocation lag). */
  markStoppingEvent(): void;
  schedule(item: Unsequenced): void;
  scheduleAttackerTick(time: Seconds): void;
  /** The DPoP proof a party attaches to a request (dpop.ts buildProof), or undefined. */
  proofFor(
    from: 'client' | 'attacker',
    endpoint: 'token' | 'api',
    bound: string | null,
    accessJwt: string | null,
    choice?: ProofChoice,
  ): Promise<DpopProof | undefined>;
  /** A server checks a proof against its replay cache (dpop.ts checkProof). */
  checkProof(
    cache: JtiCache,
    proof: DpopProof,
    expect: { htm: string; htu: string; accessToken?: string; boundJkt?: string },
  ): Promise<ProofCheck>;
}

// user.*, admin.* and steals send no OAuth request (the account page, a console, a script in the
// page), so their status is null like any other "nothing sent" result.
export const OK: ActionResult = { ok: true, status: null, error: null, reason: null };

export function notSent(reason: Reason): ActionResult {
  return { ok: false, status: null, error: null, reason };
}

/** A request appears in the trace (RequestSent); gives its id. The app's newest DPoP proof is kept (what a replay resends). */
export function sendRequest(
  w: WorldContext,
  from: Party,
  to: Party,
  endpoint: Endpoint,
  extra: {
    grantType?: 'password' | 'refresh_token' | 'authorization_code';
    token: TokenLabel | null;
    clientAuth?: boolean;
    pkceChallenge?: string;
    silent?: boolean;
    code?: TokenLabel;
    codeVerifier?: string;
    via?: 'bff';
  },
  proof?: DpopProof,
): number {
  const id = ++w.state.counters.request;
  w.emit({ type: 'RequestSent', id, from, to, endpoint, ...extra, ...(proof ? { proof } : {}) });
  if (proof && from === 'client') w.state.client = { ...w.state.client, lastProof: proof };
  return id;
}

/** The answer to request `requestId` appears in the trace (ResponseSent); gives it as a Response. */
export function respond(
  w: WorldContext,
  requestId: number,
  from: Party,
  to: Party,
  endpoint: Endpoint,
  status: number,
  error: ErrorCode | null,
  reason: Reason | null,
  issued: TokenLabel[] = [],
  checks?: ChecksMade,
  dpop?: DpopCheck,
  redirect?: { code: TokenLabel; silent: boolean },
): Response {
  w.emit({
    type: 'ResponseSent',
    requestId,
    from,
    to,
    endpoint,
    status,
    error,
    reason,
    issued,
    ...(checks ? { checks } : {}),
    ...(dpop ? { dpop } : {}),
    ...redirect,
  });
  return { ok: status === 200, status, error, reason, issued };
}
