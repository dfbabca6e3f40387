// One simulated world: the four parties on a virtual clock, driven by a scenario's steps, its
// automatic behaviours and direct commands. The protocol rules of SEMANTICS.md live here and in
// exposure.ts; the parties' own state moves only through their transition functions (parties.ts).
//
// Every mutation is recorded as an op ("act", "next" queue item, "clock" move). Replaying the
// ops from a checkpoint rebuilds any earlier moment exactly, which is what step back uses.
import { createWorldCrypto, decodeJwt, unsignedJwt, type WorldCrypto } from './crypto';
import type * as Dpop from './dpop';
import { BudgetExceeded, DEFAULT_BUDGET, MAX_SPAN, type Budget } from './budget';
import { attackerExposureDeadline, attackerHoldsKey, boundKeyOf } from './exposure';
import {
  attackerHoldsAnything,
  attackerTransition,
  authServerTransition,
  clientTransition,
  resourceServerTransition,
  assertNever,
  type AttackerFact,
  type ClientFact,
} from './parties';
import { createRng, createStream, randomBytes, randomToken } from './rng';
import {
  codeExchangeDecision,
  introspectionActive,
  passwordGrantDecision,
  refreshDecision,
  revocationTarget,
  type CodeExchangeFacts,
  type IssueNewGrant,
  type NewGrantFacts,
  type PasswordGrantFacts,
  type Refusal,
  type RefreshFacts,
} from './rules/authorization-server';
import {
  attackerDropsPassword,
  attackerDropsRefreshToken,
  attackerTickNext,
  stealLoot,
  type AttackerHolds,
  type AttackerStepDone,
} from './rules/attacker';
import {
  appDropsRefreshToken,
  bffRefreshesFirst,
  logoutToken,
  tokenUsable,
  userAppNext,
  type AppHolds,
  type AppStepDone,
} from './rules/client';
import { precondition } from './rules/preconditions';
import { apiDecision, type ApiRequestFacts } from './rules/resource-server';
import { newPkcePair, sessionLive, verifierMatches } from './rules/signin';
import { endOf, stepOccurrences } from './occurrences';
import {
  API_ENDPOINT,
  API_METHOD,
  AUDIENCE,
  CLIENT_ID,
  ISSUER,
  OTHER_AUDIENCE,
  SCOPE,
  SUBJECT,
  ACCESS_TOKEN_TYPE,
  TOKEN_ENDPOINT,
  TOKEN_METHOD,
} from './protocol';
import { initialState, queuePop, queuePush, type Grant, type JtiCache, type QueueItem, type WorldState } from './state';
import { actionOf } from './action-of';
import { CODE_LIFETIME } from './types';
import type {
  AccessTokenRecord,
  Action,
  ActionResult,
  AuthorizationCodeRecord,
  Actor,
  Cause,
  ChecksMade,
  Config,
  DpopCheck,
  DpopProof,
  Endpoint,
  ErrorCode,
  ForgeKind,
  Outcome,
  Party,
  PkcePair,
  ProofChoice,
  Reason,
  RevocationCause,
  Scenario,
  Seconds,
  SimEvent,
  SignInSessionEnd,
  SimEventBody,
  StealFrom,
  StealWhat,
  StepResult,
  TokenLabel,
} from './types';

export type { ActionResult } from './types';

interface Response extends ActionResult {
  status: number;
  issued: TokenLabel[];
}

export interface WorldOptions {
  /**
   * Keep checkpoints (state snapshots) so step back replays only a bounded number of ops; on by
   * default. Without them rewinding still gives the exact moment, replaying from the start.
   */
  checkpoints?: boolean;
  /** How much the world may do over its life (budget.ts); the default budget when left out. */
  budget?: Budget;
}

export type Op = { kind: 'act'; action: Action } | { kind: 'next' } | { kind: 'clock'; to: Seconds } | { kind: 'detach' };

type Unsequenced = QueueItem extends infer Q ? (Q extends QueueItem ? Omit<Q, 'seq'> : never) : never;

// user.*, admin.* and steals send no OAuth request (the account page, a console, a script in the
// page), so their status is null like any other "nothing sent" result.
const OK: ActionResult = { ok: true, status: null, error: null, reason: null };

function notSent(reason: Reason): ActionResult {
  return { ok: false, status: null, error: null, reason };
}

export { actionOf };

function actorOf(action: Action): Actor {
  const prefix = action.do.split('.')[0];
  return prefix === 'user' || prefix === 'admin' || prefix === 'client' || prefix === 'attacker' ? prefix : 'client';
}

export class World {
  readonly scenario: Scenario;
  readonly config: Config;
  /** End of the scripted run (scenario `until` or its last step occurrence). */
  readonly end: Seconds;
  private readonly crypto: WorldCrypto;
  private readonly occurrences: ReturnType<typeof stepOccurrences>;
  private state: WorldState;
  private readonly events: SimEvent[];
  private readonly stepResults: StepResult[];
  private readonly accessLog: AccessTokenRecord[];
  private readonly forgedLog: AccessTokenRecord[];
  private ops: Op[];
  private checkpoints: { opCount: number; state: WorldState }[];
  private readonly keepCheckpoints: boolean;
  readonly budget: Budget;
  private cause: Cause = { kind: 'command' };
  private busy = false;
  /** DPoP's proof code (dpop.ts): loaded by `create` for DPoP configurations only. */
  private dpopCode: typeof Dpop | undefined;
  /** The proof keys the servers have imported (a proof embeds one of two or three public keys). */
  private readonly proofKeys: Map<string, CryptoKey>;

  /** A new world at t = 0, or (with `from`) a copy of `from` at its current moment: see `fork`. */
  private constructor(scenario: Scenario, crypto: WorldCrypto, options: WorldOptions = {}, from?: World) {
    this.scenario = scenario;
    this.keepCheckpoints = options.checkpoints ?? true;
    this.budget = options.budget ?? from?.budget ?? DEFAULT_BUDGET;
    this.config = scenario.config;
    this.crypto = crypto;
    if (from) {
      // Everything written to the logs, the ops and the checkpoints is never changed afterwards
      // (a rewind truncates and appends), so the copy shares those objects; the state is live.
      this.end = from.end;
      this.occurrences = from.occurrences;
      this.state = structuredClone(from.state);
      this.events = from.events.slice();
      this.stepResults = from.stepResults.slice();
      this.accessLog = from.accessLog.slice();
      this.forgedLog = from.forgedLog.slice();
      this.ops = from.ops.slice();
      this.checkpoints = from.checkpoints.slice();
      this.cause = from.cause;
      this.dpopCode = from.dpopCode;
      this.proofKeys = new Map(from.proofKeys);
      return;
    }
    this.events = [];
    this.stepResults = [];
    this.accessLog = [];
    this.forgedLog = [];
    this.ops = [];
    this.checkpoints = [];
    this.proofKeys = new Map();
    this.end = endOf(scenario);
    this.occurrences = stepOccurrences(scenario);
    this.state = initialState(createRng(scenario.seed), createStream(scenario.seed, 1));
    // Scripted occurrences take the first sequence numbers, in time then file order, so at any
    // instant they run before every automatic action (SCENARIO-FORMAT.md "Order at one instant").
    this.occurrences.forEach((occurrence, i) => {
      queuePush(this.state.queue, { time: occurrence.at, seq: this.state.nextSeq++, kind: 'step', index: i });
    });
    this.checkpoints.push({ opCount: 0, state: structuredClone(this.state) });
  }

  static async create(scenario: Scenario, options: WorldOptions = {}): Promise<World> {
    const [crypto, dpopCode] = await Promise.all([
      createWorldCrypto(scenario.seed),
      // A Bearer world never builds or checks a proof: its code loads only when one will.
      scenario.config.senderConstraint === 'dpop' ? import('./dpop') : undefined,
    ]);
    const world = new World(scenario, crypto, options);
    world.dpopCode = dpopCode;
    return world;
  }

  /**
   * An independent copy of this world at this moment — same scenario, keys, state, trace and
   * history — that moves on by itself from here: what-if runs, or a likely next jump computed
   * ahead of time. Either world's later commands leave the other as it was.
   */
  fork(): World {
    if (this.busy) throw new Error('World is busy: await the previous command first');
    return new World(this.scenario, this.crypto, { checkpoints: this.keepCheckpoints, budget: this.budget }, this);
  }

  // ---- reading -------------------------------------------------------------------------------

  get now(): Seconds {
    return this.state.t;
  }

  /** The current state (read-only by convention; the UI must not change it). */
  get current(): Readonly<WorldState> {
    return this.state;
  }

  get trace(): readonly SimEvent[] {
    return this.events;
  }

  get results(): readonly StepResult[] {
    return this.stepResults;
  }

  get jwks() {
    return this.crypto.jwks;
  }

  get opCount(): number {
    return this.ops.length;
  }

  get history(): readonly Op[] {
    return this.ops;
  }

  accessToken(label: TokenLabel): AccessTokenRecord | undefined {
    const [prefix, n] = label.split('#');
    const index = Number(n) - 1;
    return prefix === 'AT' ? this.accessLog[index] : prefix === 'FT' ? this.forgedLog[index] : undefined;
  }

  get issuedAccessTokens(): readonly AccessTokenRecord[] {
    return this.accessLog;
  }

  /** The step occurrence a queue item of kind "step" refers to. */
  occurrence(i: number) {
    return this.occurrences[i];
  }

  /** The next scheduled queue item, or null. */
  peekNext(): QueueItem | null {
    return this.state.queue[0] ?? null;
  }

  /**
   * What the resource server would answer for this access token now, without changing anything.
   * A DPoP-bound token is judged as its key's holder would send it, with a fresh valid proof
   * (`checks.dpop` stays null: no proof was checked); who can make one is another question
   * (`canProve`).
   */
  async wouldAccept(label: TokenLabel): Promise<{ ok: boolean; reason: Reason | null; checks: ChecksMade }> {
    const record = this.accessToken(label);
    if (!record) return { ok: false, reason: 'bad_signature', checks: noChecks() };
    const verdict = await this.crypto.verifyAccessToken(record.jwt, this.unixNow(), this.config.resourceServer.leeway);
    const checks: ChecksMade = this.dpop ? { ...verdict.checks, dpop: null } : verdict.checks;
    if (verdict.ok && this.config.resourceServer.validation === 'introspection') {
      const active = this.introspectionAnswer(record);
      return { ok: active, reason: active ? null : 'inactive', checks: { ...checks, introspection: active } };
    }
    return { ok: verdict.ok, reason: verdict.reason, checks };
  }

  /** The thumbprints of the app's DPoP key and of the attacker's own key. */
  get dpopKeys(): { client: string; attacker: string } {
    return { ...this.crypto.jkt };
  }

  /**
   * DPoP: whether `party` can sign a proof with the key of this thumbprint now — the app always
   * with its own; the attacker with its own, and with the app's only while it runs in the page.
   */
  canProve(party: 'client' | 'attacker', jkt: string): boolean {
    if (party === 'client') return jkt === this.crypto.jkt.client;
    return attackerHoldsKey(this.state, this.crypto.jkt, jkt);
  }

  /** Access tokens issued by the AS (AT#n) and forged by the attacker (FT#n), oldest first. */
  allAccessTokens(): AccessTokenRecord[] {
    return [...this.accessLog, ...this.forgedLog];
  }

  /** The measures up to the current instant, without copying the trace (for live display). */
  metricsNow(): Outcome['metrics'] {
    return this.outcome(this.state.t, false).metrics;
  }

  /** Exposure so far plus the window still open at the current instant (for live display). */
  outcome(end: Seconds = this.state.t, withTrace = true): Outcome {
    const metrics = structuredClone(this.state.metrics);
    if (end > this.state.exposureCursor) {
      metrics.attacker.exposureSeconds += this.exposureBetween(this.state.exposureCursor, end);
    }
    metrics.attacker.revocationLagSeconds =
      this.state.firstStop === null
        ? null
        : this.state.lastAttackerOkAfterStop === null
          ? 0
          : this.state.lastAttackerOkAfterStop - this.state.firstStop.t;
    const steps = withTrace ? [...this.stepResults] : [];
    const events = withTrace ? [...this.events] : [];
    return { format: 'tokenscope-outcome/1', end, steps, events, metrics };
  }

  // ---- driving -------------------------------------------------------------------------------

  /** Applies an action now, as a direct command (from the UI). */
  async act(action: Action): Promise<ActionResult> {
    return this.exclusive(async () => {
      this.charge();
      this.record({ kind: 'act', action });
      return this.applyAct(action);
    });
  }

  /** Processes the next scheduled item (moving the clock to it); null when nothing is scheduled. */
  async stepNext(): Promise<QueueItem | null> {
    return this.exclusive(async () => {
      const item = this.peekNext();
      if (!item) return null;
      if (item.time > MAX_SPAN) throw new BudgetExceeded('span', MAX_SPAN, this.state.t);
      this.charge();
      this.record({ kind: 'next' });
      await this.applyNext();
      return item;
    });
  }

  /**
   * Runs every scheduled item up to and including `to`, then sets the clock to `to`.
   * `stopWhen` is asked after each item with the events it produced; true stops there.
   */
  async advanceTo(to: Seconds, options: { stopWhen?: (events: readonly SimEvent[]) => boolean } = {}): Promise<{ stopped: boolean }> {
    return this.exclusive(async () => {
      if (!(to <= MAX_SPAN)) throw new BudgetExceeded('span', MAX_SPAN, this.state.t);
      for (let head = this.peekNext(); head && head.time <= to; head = this.peekNext()) {
        const before = this.events.length;
        this.charge();
        this.record({ kind: 'next' });
        await this.applyNext();
        if (options.stopWhen?.(this.events.slice(before))) return { stopped: true };
      }
      if (to > this.state.t) {
        this.record({ kind: 'clock', to });
        this.applyClock(to);
      }
      return { stopped: false };
    });
  }

  /** Leaves the script ("explore from here"): its remaining steps will not run. */
  async detachScript(): Promise<void> {
    return this.exclusive(async () => {
      this.record({ kind: 'detach' });
      this.applyDetach();
    });
  }

  /**
   * Runs the scenario to its end and returns the outcome (what `npm run sim` prints). Events at
   * t = end happen and count in the metrics; exposure, a duration, covers [0, end).
   */
  async run(): Promise<Outcome> {
    await this.advanceTo(this.end);
    return this.outcome(this.end);
  }

  /** Rebuilds the moment after the first `opCount` ops; later ops are dropped (a new branch). */
  async rewindTo(opCount: number): Promise<void> {
    return this.exclusive(async () => {
      const target = Math.max(0, Math.min(opCount, this.ops.length));
      while (this.checkpoints.length > 1 && this.checkpoints[this.checkpoints.length - 1]!.opCount > target) this.checkpoints.pop();
      const checkpoint = this.checkpoints[this.checkpoints.length - 1]!;
      this.restore(checkpoint.state);
      const replay = this.ops.slice(checkpoint.opCount, target);
      this.ops = this.ops.slice(0, checkpoint.opCount);
      for (const op of replay) {
        this.record(op);
        await this.applyOp(op);
      }
    });
  }

  /** Undoes the last op (one event, action or clock move). */
  async stepBack(): Promise<boolean> {
    if (this.ops.length === 0) return false;
    await this.rewindTo(this.ops.length - 1);
    return true;
  }

  // ---- ops and snapshots ---------------------------------------------------------------------

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.busy) throw new Error('World is busy: await the previous command first');
    this.busy = true;
    try {
      return await work();
    } finally {
      this.busy = false;
    }
  }

  /**
   * Before a command or a queued item: throws BudgetExceeded when the world's work has reached
   * its budget, so a run stops at the last good moment (nothing of the next item has happened).
   */
  private charge(): void {
    const { work } = this.state;
    if (this.events.length >= this.budget.events) throw new BudgetExceeded('events', this.budget.events, this.state.t);
    if (work.signatures >= this.budget.signatures) throw new BudgetExceeded('signatures', this.budget.signatures, this.state.t);
  }

  private record(op: Op): void {
    this.ops.push(op);
    // Checkpoints thin out as the history grows, so step back costs a bounded replay and memory
    // stays small on month-long runs.
    if (!this.keepCheckpoints) return;
    const last = this.checkpoints[this.checkpoints.length - 1]!;
    const spacing = Math.max(64, Math.floor(this.ops.length / 16));
    if (this.ops.length - 1 - last.opCount >= spacing) {
      this.checkpoints.push({ opCount: this.ops.length - 1, state: structuredClone(this.state) });
    }
  }

  private restore(snapshot: WorldState): void {
    this.state = structuredClone(snapshot);
    this.events.length = snapshot.logs.events;
    this.stepResults.length = snapshot.logs.steps;
    this.accessLog.length = snapshot.logs.accessTokens;
    this.forgedLog.length = snapshot.logs.forgedTokens;
  }

  private async applyOp(op: Op): Promise<void> {
    if (op.kind === 'act') await this.applyAct(op.action);
    else if (op.kind === 'next') await this.applyNext();
    else if (op.kind === 'clock') this.applyClock(op.to);
    else this.applyDetach();
  }

  /** Drops the script's pending step occurrences; behaviours and the past stay as they are. */
  private applyDetach(): void {
    const kept = this.state.queue.filter((item) => item.kind !== 'step');
    this.state.queue = [];
    for (const item of kept) queuePush(this.state.queue, item);
  }

  private async applyAct(action: Action): Promise<ActionResult> {
    this.cause = { kind: 'command' };
    return this.perform(action);
  }

  private async applyNext(): Promise<void> {
    const item = queuePop(this.state.queue);
    if (!item) return;
    this.applyClock(item.time);
    switch (item.kind) {
      case 'step': {
        const occurrence = this.occurrences[item.index]!;
        this.cause = { kind: 'step', index: occurrence.index };
        const result = await this.perform(occurrence.step);
        this.stepResults.push({ index: occurrence.index, at: occurrence.at, do: occurrence.step.do, ...result });
        this.state.logs.steps = this.stepResults.length;
        break;
      }
      case 'userTick':
        if (item.generation === this.state.behaviour.userGeneration && this.state.client.present) {
          this.cause = { kind: 'auto', who: 'user' };
          await this.userAppTick();
        }
        break;
      case 'attackerTick':
        this.cause = { kind: 'auto', who: 'attacker' };
        await this.attackerTick();
        break;
      default:
        assertNever(item);
    }
  }

  /** Moves the clock forward, counting the attacker's exposure over the time that passed. */
  private applyClock(to: Seconds): void {
    if (to < this.state.t) throw new Error(`the clock cannot go back (${to} < ${this.state.t})`);
    if (to > this.state.exposureCursor) {
      this.state.metrics.attacker.exposureSeconds += this.exposureBetween(this.state.exposureCursor, to);
      this.state.exposureCursor = to;
    }
    this.state.t = to;
  }

  private exposureBetween(from: Seconds, to: Seconds): number {
    const deadline = attackerExposureDeadline(this.state, this.config, (label) => this.accessToken(label), from, this.crypto.jkt);
    return Math.max(0, Math.min(to, deadline) - from);
  }

  // ---- the trace -----------------------------------------------------------------------------

  private emit(body: SimEventBody): void {
    // Every caller passes a fresh object literal: completing it in place (same key order as a
    // spread) keeps V8's compact object shape, about a quarter of a spread copy's memory on
    // month-long traces (docs/PERFORMANCE.md "Limits").
    const event = body as SimEvent;
    event.seq = this.events.length;
    event.t = this.state.t;
    event.cause = this.cause;
    this.events.push(event);
    this.state.logs.events = this.events.length;
  }

  private unixNow(): number {
    return this.scenario.epochSeconds + this.state.t;
  }

  /** Whether a backend-for-frontend holds the tokens, not the page (SEMANTICS.md §10). */
  private get bff(): boolean {
    return this.config.client.tokenStorage === 'bff';
  }

  /** Whether this configuration sender-constrains tokens with DPoP (SEMANTICS.md §6). */
  private get dpop(): boolean {
    return this.config.senderConstraint === 'dpop';
  }

  private setClient(fact: ClientFact): void {
    const before = this.state.client.phase;
    this.state.client = clientTransition(this.state.client, fact, this.state.t);
    this.phaseChanged('client', before, this.state.client.phase, fact.type);
  }

  private setAttacker(fact: AttackerFact): void {
    const before = this.state.attacker.phase;
    const hadTick = this.state.behaviour.attackerTickPending;
    this.state.attacker = attackerTransition(this.state.attacker, fact, this.state.t);
    this.phaseChanged('attacker', before, this.state.attacker.phase, this.state.attacker.lastTransition?.on ?? fact.type);
    // behaviour.attacker: act one interval after first holding something.
    const every = this.scenario.behaviour.attacker?.callApiEvery;
    if (fact.type === 'Acquired' && every && !hadTick) this.scheduleAttackerTick(this.state.t + every);
  }

  private phaseChanged(party: Party, from: string, to: string, on: string): void {
    if (from !== to) this.emit({ type: 'StateChanged', party, from, to, on });
  }

  private setUserStatus(fact: 'UserSuspended' | 'UserReinstated' | 'PasswordChanged' | 'GrantsRevoked'): void {
    const before = this.state.authServer.phase;
    this.state.authServer = authServerTransition(this.state.authServer, fact, this.state.t);
    this.phaseChanged('authServer', before, this.state.authServer.phase, fact);
  }

  private markStoppingEvent(): void {
    if (this.state.firstStop === null) this.state.firstStop = { t: this.state.t, eventSeq: this.events.length };
  }

  // ---- actions -------------------------------------------------------------------------------

  private async perform(step: Action): Promise<ActionResult> {
    const action = actionOf(step);
    const actor = actorOf(action);
    this.emit({ type: 'ActionStarted', actor, action });
    const { ok, status, error, reason } = await this.dispatch(action);
    const result = { ok, status, error, reason };
    this.emit({ type: 'ActionFinished', actor, action, ...result });
    return result;
  }

  private async dispatch(action: Action): Promise<ActionResult> {
    const s = this.state;
    // Preconditions (rules/preconditions.ts, shared with the UI's buttons): most unmet ones send nothing.
    const unmet = precondition(s, this.config, action);
    if (unmet?.notSent) return notSent(unmet.notSent);
    switch (action.do) {
      case 'client.login':
        return this.userSignIn();
      case 'client.callApi':
        return this.apiRequest('client', s.client.accessToken);
      case 'client.refresh':
        return this.clientRefresh();
      case 'client.logout':
        return this.clientLogout();
      case 'user.changePassword':
        this.setUserStatus('PasswordChanged');
        this.emit({ type: 'PasswordChanged' });
        this.endSignInSession('password_change');
        // SEMANTICS.md §4: revoking the grants is this server's policy; either way it is a
        // stopping event for revocationLagSeconds (§10 settled readings).
        if (this.config.authServer.revokeGrantsOnPasswordChange) this.revokeEveryGrant('password_change');
        else this.keepGrants();
        this.markStoppingEvent();
        return OK;
      case 'user.arrive':
        s.client = { ...s.client, pageOpen: true };
        if (!s.client.present) {
          s.client = { ...s.client, present: true };
          s.behaviour.userGeneration++;
          this.emit({ type: 'UserArrived' });
          const every = this.scenario.behaviour.user?.callApiEvery;
          if (every) this.schedule({ kind: 'userTick', time: s.t, generation: s.behaviour.userGeneration });
        }
        return OK;
      case 'user.leave': {
        // Walking away closes the app's page; an attacker script running in it dies with it.
        const present = s.client.present;
        const hijacked = s.attacker.inPage;
        s.client = { ...s.client, present: false, pageOpen: false };
        s.attacker = { ...s.attacker, inPage: false };
        if (present) s.behaviour.userGeneration++;
        if (present || hijacked) this.emit(hijacked ? { type: 'UserLeft', hijackEnded: true } : { type: 'UserLeft' });
        if (hijacked) this.emit({ type: 'PageReleased', by: 'pageClosed' });
        return OK;
      }
      case 'admin.suspendUser':
        this.setUserStatus('UserSuspended');
        this.emit({ type: 'UserSuspended' });
        this.endSignInSession('suspension');
        this.markStoppingEvent();
        return OK;
      case 'admin.reinstateUser':
        this.setUserStatus('UserReinstated');
        this.emit({ type: 'UserReinstated' });
        return OK;
      case 'admin.revokeAll':
        this.revokeEveryGrant('revoke_all');
        this.endSignInSession('revoke_all');
        this.markStoppingEvent();
        return OK;
      case 'attacker.steal':
        return this.steal(action.what, action.from ?? 'app');
      case 'attacker.wipe': {
        // Under a BFF the page holds no tokens: there is nothing to delete (SEMANTICS.md §10).
        if (this.bff) return OK;
        const labels = [s.client.accessToken, s.client.refreshToken].filter((l): l is string => l !== null);
        this.emit({ type: 'TokensWiped', labels });
        this.setClient({ type: 'TokensWiped' });
        return OK;
      }
      case 'attacker.callApi':
        // Under a BFF the script in the page can only send requests through it (proxying).
        if (this.bff && s.attacker.inPage) return this.proxiedApiCall();
        return this.apiRequest('attacker', s.attacker.accessTokens.at(-1) ?? null, action.proof);
      case 'attacker.refresh':
        return this.attackerRefresh(action.proof);
      case 'attacker.login':
        return this.attackerLogin();
      case 'attacker.forge':
        return this.forge(action.kind ?? 'own-key');
      case 'attacker.hijackPage':
        return this.hijackPage();
      case 'attacker.releasePage':
        if (s.attacker.inPage) {
          s.attacker = { ...s.attacker, inPage: false };
          this.emit({ type: 'PageReleased', by: 'attacker' });
        }
        return OK;
      case 'attacker.interceptCode':
        if (!s.attacker.interceptArmed) {
          s.attacker = { ...s.attacker, interceptArmed: true };
          this.emit({ type: 'CodeInterceptionArmed' });
        }
        return OK;
      case 'attacker.silentLogin':
        return this.attackerSilentLogin();
      default:
        return assertNever(action);
    }
  }

  /**
   * attacker.hijackPage (SEMANTICS.md §10; dispatch has checked the page is open): the script starts
   * running in the page. In browser
   * storage it copies every token the app holds now (and each new one as it arrives: clientGot);
   * under a BFF there is nothing to copy. RFC 9449 §11.4: in the page it can use the app's key.
   */
  private hijackPage(): ActionResult {
    const s = this.state;
    if (!s.attacker.inPage) {
      s.attacker = { ...s.attacker, inPage: true };
      this.emit({ type: 'PageHijacked' });
    }
    this.copyFromPage(s.client.accessToken, s.client.refreshToken);
    return OK;
  }

  /** The script in the page copies tokens the app holds (browser storage only). */
  private copyFromPage(accessToken: TokenLabel | null, refreshToken: TokenLabel | null, replaces?: TokenLabel): void {
    if (!this.state.attacker.inPage || this.bff) return;
    const labels = [accessToken, refreshToken].filter((l): l is TokenLabel => l !== null);
    if (labels.length === 0) return;
    this.emit({ type: 'TokensCopied', labels });
    const held = replaces !== undefined && this.state.attacker.refreshTokens.includes(replaces) ? replaces : undefined;
    this.setAttacker({
      type: 'Acquired',
      ...(accessToken && { accessToken }),
      ...(refreshToken && { refreshToken }),
      ...(held && { replaces: held }),
    });
  }

  // ---- signing in at the AS (SEMANTICS.md §10) ----------------------------------------------

  private signInSessionLive(): boolean {
    return sessionLive(this.config.authServer.signInSession, this.state.authServer.signInSession, this.state.t);
  }

  /**
   * The user signs in (client.login, and the app's last resort in behaviour.user): by the
   * password grant, or at the AS's sign-in page with code + PKCE.
   */
  private async userSignIn(): Promise<ActionResult> {
    return this.config.login === 'password-grant' ? this.clientInteractiveLogin() : this.clientCodeLogin();
  }

  /**
   * Code + PKCE (RFC 6749 §4.1, RFC 7636): the browser goes to the AS's sign-in page with a
   * challenge; the user types the password there unless a live sign-in session makes it silent;
   * the AS checks the user's status, starts or renews the session and redirects back with a code,
   * which the app redeems at once with its verifier — unless an armed interception delivers the
   * code to the attacker (`no_code`), who redeems it at once.
   */
  private async clientCodeLogin(): Promise<ActionResult> {
    const s = this.state;
    s.metrics.authServer.signInRequests++;
    const silent = this.signInSessionLive();
    if (!silent) s.metrics.user.passwordPrompts++;
    const pkce = this.config.pkce ? await newPkcePair(s.signInRng) : null;
    const id = this.sendRequest('client', 'authServer', 'authorize', { token: null, ...(pkce && { pkceChallenge: pkce.challenge }) });
    // The password the user typed is the current one; then the user's status (SEMANTICS.md §4).
    if (s.authServer.phase === 'userSuspended') {
      const refused = this.respond(id, 'authServer', 'client', 'authorize', 400, 'invalid_grant', 'user_suspended');
      this.setClient({ type: 'LoginFailed' });
      return refused;
    }
    this.startOrRenewSignInSession(silent);
    const intercepted = s.attacker.interceptArmed;
    const to: Party = intercepted ? 'attacker' : 'client';
    const code = this.issueCode('client', pkce, to);
    this.respond(id, 'authServer', to, 'authorize', 302, null, null, [], undefined, undefined, { code: code.label, silent });
    if (intercepted) {
      // An intercepted silent sign-in counts as no silent sign-in; a typed password still counted.
      s.attacker = { ...this.state.attacker, interceptArmed: false };
      this.emit({ type: 'CodeIntercepted', code: code.label });
      this.setClient({ type: 'LoginFailed' });
      await this.attackerRedeems(code.label, null);
      return notSent('no_code');
    }
    const response = await this.codeExchange('client', code.label, pkce?.verifier ?? null, true);
    if (response.ok) {
      if (silent) {
        this.state.metrics.user.silentSignIns++;
        this.emit({ type: 'SilentSignIn', by: 'client' });
      }
      const [accessToken, refreshToken] = response.issued;
      this.setClient({ type: 'LoginSucceeded', accessToken: accessToken!, refreshToken: refreshToken ?? null, storedPassword: null });
      this.copyFromPage(accessToken!, refreshToken ?? null);
    } else {
      this.setClient({ type: 'LoginFailed' });
    }
    return response;
  }

  /**
   * attacker.silentLogin (SEMANTICS.md §10, BBA §5.1.3): from the hijacked page, an authorization
   * in a hidden frame with the attacker's own PKCE verifier (and, under DPoP, its own key). It
   * needs the page (checked in dispatch) and a live sign-in session. Under a BFF the code reaches the BFF's redirect,
   * which redeems it and keeps the tokens.
   */
  private async attackerSilentLogin(): Promise<ActionResult> {
    const s = this.state;
    s.metrics.authServer.signInRequests++;
    // Under a BFF the BFF starts the authorization (its PKCE pair); else the attacker's own pair.
    const pkce = !this.bff || this.config.pkce ? await newPkcePair(s.signInRng) : null;
    const id = this.sendRequest('attacker', 'authServer', 'authorize', {
      token: null,
      ...(pkce && { pkceChallenge: pkce.challenge }),
      silent: true,
    });
    if (!this.signInSessionLive()) return this.respond(id, 'authServer', 'attacker', 'authorize', 400, 'invalid_grant', 'login_required');
    if (s.authServer.phase === 'userSuspended')
      return this.respond(id, 'authServer', 'attacker', 'authorize', 400, 'invalid_grant', 'user_suspended');
    // The AS sees a normal silent sign-in: it renews the session's idle time.
    this.startOrRenewSignInSession(true);
    const to: Party = this.bff ? 'client' : 'attacker';
    const code = this.issueCode('attacker', pkce, to);
    this.respond(id, 'authServer', to, 'authorize', 302, null, null, [], undefined, undefined, { code: code.label, silent: true });
    if (this.bff) {
      const response = await this.codeExchange('client', code.label, pkce?.verifier ?? null, true);
      if (response.ok) {
        const [accessToken, refreshToken] = response.issued;
        this.setClient({ type: 'LoginSucceeded', accessToken: accessToken!, refreshToken: refreshToken ?? null, storedPassword: null });
      }
      return notSent('nothing_to_steal');
    }
    const response = await this.attackerRedeems(code.label, pkce!.verifier);
    if (response.ok) this.emit({ type: 'SilentSignIn', by: 'attacker' });
    return response;
  }

  /** The attacker redeems a code it holds: with a stolen client secret if it has one. */
  private async attackerRedeems(label: TokenLabel, verifier: string | null): Promise<Response> {
    const response = await this.codeExchange('attacker', label, verifier, this.state.attacker.clientSecret);
    if (response.ok) {
      const [accessToken, refreshToken] = response.issued;
      this.setAttacker({ type: 'Acquired', accessToken, refreshToken });
    }
    return response;
  }

  /** The AS issues a one-time authorization code (60 s, single use) for this request's challenge. */
  private issueCode(requestedBy: 'client' | 'attacker', pkce: PkcePair | null, deliveredTo: Party): AuthorizationCodeRecord {
    const s = this.state;
    const code: AuthorizationCodeRecord = {
      label: `AC#${++s.counters.code}`,
      kind: 'code',
      value: randomToken(s.signInRng, 24),
      issuedAt: s.t,
      expiresAt: s.t + CODE_LIFETIME,
      challenge: pkce?.challenge ?? null,
      requestedBy,
      deliveredTo,
      usedAt: null,
      grantId: null,
    };
    s.authServer.codes[code.label] = code;
    this.emit({ type: 'AuthorizationCodeIssued', code: { ...code }, pkce });
    return code;
  }

  /**
   * The code exchange at the token endpoint (RFC 6749 §4.1.3): one token request and one AS
   * lookup, as a password-grant login. Client authentication first, then a DPoP proof, then the
   * code (rules/signin.ts codeVerdict); success starts a grant like any login (SEMANTICS.md §4).
   */
  private async codeExchange(
    from: 'client' | 'attacker',
    label: TokenLabel,
    verifier: string | null,
    clientAuth: boolean,
  ): Promise<Response> {
    this.countTokenRequest();
    const s = this.state;
    const proof = await this.proofFor(from, 'token', null, null);
    const id = this.sendRequest(
      from,
      'authServer',
      'token',
      {
        grantType: 'authorization_code',
        token: null,
        code: label,
        ...(verifier !== null && { codeVerifier: verifier }),
        ...this.clientAuthField(clientAuth),
      },
      proof,
    );
    const record = s.authServer.codes[label];
    const facts: CodeExchangeFacts = {
      ...this.newGrantFacts(proof, clientAuth),
      t: s.t,
      code: record,
      codeGrant: record?.grantId ? s.authServer.grants[record.grantId] : undefined,
      verifierMatches: null,
      refreshTokens: this.config.refreshToken !== null,
    };
    let decision = codeExchangeDecision(facts);
    while (decision.kind === 'checkProof' || decision.kind === 'checkVerifier') {
      if (decision.kind === 'checkProof') facts.proof = await this.tokenEndpointProof(proof!);
      else facts.verifierMatches = await verifierMatches(record?.challenge ?? null, verifier);
      decision = codeExchangeDecision(facts);
    }
    if (decision.kind === 'refuse') return this.refuseToken(id, from, decision, facts.codeGrant);
    const grant = this.startGrant(from);
    s.authServer.codes[label] = { ...record!, usedAt: s.t, grantId: grant.id };
    return this.issueNewGrant(id, from, grant, decision);
  }

  /** A password sign-in starts the session; a silent one renews its idle time. None configured: nothing. */
  private startOrRenewSignInSession(silent: boolean): void {
    if (this.config.authServer.signInSession === null) return;
    const as = this.state.authServer;
    if (silent && as.signInSession) {
      this.state.authServer = { ...as, signInSession: { ...as.signInSession, lastUse: this.state.t } };
      this.emit({ type: 'SignInSessionRenewed', sessionId: as.signInSession.id });
      return;
    }
    const session = { id: `S${++this.state.counters.session}`, startedAt: this.state.t, lastUse: this.state.t };
    this.state.authServer = { ...as, signInSession: session };
    this.emit({ type: 'SignInSessionStarted', sessionId: session.id, startedAt: session.startedAt });
  }

  /** Logout, password change, revoke-all and suspension end the user's sign-in session. */
  private endSignInSession(why: SignInSessionEnd): void {
    const session = this.state.authServer.signInSession;
    if (session === null) return;
    const live = this.signInSessionLive();
    this.state.authServer = { ...this.state.authServer, signInSession: null };
    if (live) this.emit({ type: 'SignInSessionEnded', sessionId: session.id, why });
  }

  /**
   * attacker.callApi from the hijacked page under a BFF: the BFF sends it on with its own access
   * token, refreshing first when that is missing or expired (SEMANTICS.md §10 settled readings).
   */
  private async proxiedApiCall(): Promise<ActionResult> {
    if (bffRefreshesFirst(this.appHolds())) await this.clientRefresh();
    return this.apiRequest('attacker', this.state.client.accessToken, undefined, 'bff');
  }

  private async clientInteractiveLogin(): Promise<ActionResult> {
    this.state.metrics.user.passwordPrompts++;
    return this.clientLogin(this.state.authServer.passwordVersion, true);
  }

  /** A login by the user's app: interactive (the user types the current password) or silent. */
  private async clientLogin(passwordVersion: number, interactive: boolean): Promise<ActionResult> {
    const response = await this.passwordGrant('client', passwordVersion, true);
    if (response.ok) {
      const [accessToken, refreshToken] = response.issued;
      const stores = this.config.client.storesPassword && interactive;
      this.setClient({
        type: 'LoginSucceeded',
        accessToken: accessToken!,
        refreshToken: refreshToken ?? null,
        storedPassword: stores ? passwordVersion : null,
      });
      if (stores) this.emit({ type: 'PasswordStored', by: 'client' });
      this.copyFromPage(accessToken!, refreshToken ?? null);
    } else {
      this.setClient({ type: 'LoginFailed' });
    }
    return response;
  }

  private async clientRefresh(): Promise<ActionResult> {
    const label = this.state.client.refreshToken;
    if (label === null) return notSent('no_token');
    const response = await this.refreshGrant('client', label, true);
    if (response.ok) {
      const [accessToken, refreshToken] = response.issued;
      this.setClient({ type: 'RefreshSucceeded', accessToken: accessToken!, refreshToken: refreshToken ?? label });
      // A rotated refresh token replaces its parent in a copying script's hands too.
      this.copyFromPage(accessToken!, refreshToken ?? null, refreshToken ? label : undefined);
    } else if (appDropsRefreshToken(response)) {
      this.emit({ type: 'TokenDropped', by: 'client', label, reason: response.reason! });
      this.setClient({ type: 'RefreshRejected' });
    }
    return response;
  }

  private async clientLogout(): Promise<ActionResult> {
    const { refreshToken, accessToken } = this.state.client;
    const label = logoutToken(this.state.client);
    if (label === null) {
      // Nothing to send, but a logout on the device still forgets a stored password.
      if (this.state.client.storedPassword !== null) {
        this.emit({ type: 'PasswordForgotten', by: 'client' });
        this.setClient({ type: 'PasswordForgotten' });
      }
      return notSent('no_token');
    }
    const response = await this.revocationRequest('client', label);
    // RP-initiated logout: the AS also ends the user's sign-in session (SEMANTICS.md §10).
    this.endSignInSession('logout');
    const labels = [accessToken, refreshToken].filter((l): l is string => l !== null);
    this.emit({ type: 'ClientForgotTokens', labels });
    this.setClient({ type: 'LoggedOut' });
    return response;
  }

  /**
   * attacker.steal (SEMANTICS.md §7, §10): from what the app keeps in the page — nothing under a
   * BFF — or, from the API's logs, the access token of the newest request the RS got from the app.
   */
  private steal(what: StealWhat, from: StealFrom): ActionResult {
    const loot = stealLoot(
      what,
      from,
      { client: this.state.client, apiLog: this.state.resourceServer.lastAppToken },
      { clientType: this.config.client.type, tokenStorage: this.config.client.tokenStorage },
    );
    if (loot === null) return notSent('nothing_to_steal');
    const { labels, accessToken, refreshToken, password, clientSecret } = loot;
    if (from === 'api-logs') {
      this.emit({ type: 'TokensStolen', what, labels, from });
    } else {
      const extras =
        what === 'all' ? { ...(password !== undefined && { password: true as const }), ...(clientSecret && { clientSecret }) } : {};
      this.emit({ type: 'TokensStolen', what, labels, ...extras });
    }
    this.setAttacker({
      type: 'Acquired',
      ...(accessToken && { accessToken }),
      ...(refreshToken && { refreshToken }),
      ...(password !== undefined && { password }),
      ...(clientSecret && { clientSecret }),
    });
    return OK;
  }

  private async attackerRefresh(choice?: ProofChoice): Promise<ActionResult> {
    const label = this.state.attacker.refreshTokens.at(-1);
    if (label === undefined) return notSent('no_token');
    const response = await this.refreshGrant('attacker', label, this.state.attacker.clientSecret, choice);
    if (response.ok) {
      const [accessToken, refreshToken] = response.issued;
      this.setAttacker({ type: 'Acquired', accessToken, refreshToken: refreshToken ?? label, replaces: refreshToken ? label : undefined });
    } else if (attackerDropsRefreshToken(response)) {
      this.emit({ type: 'TokenDropped', by: 'attacker', label, reason: response.reason! });
      this.setAttacker({ type: 'Dropped', refreshToken: label });
    }
    return response;
  }

  private async attackerLogin(): Promise<ActionResult> {
    const password = this.state.attacker.password;
    if (password === null) return notSent('no_password');
    const response = await this.passwordGrant('attacker', password, this.state.attacker.clientSecret);
    if (response.ok) {
      const [accessToken, refreshToken] = response.issued;
      this.setAttacker({ type: 'Acquired', accessToken, refreshToken });
    } else if (attackerDropsPassword(response)) {
      this.emit({ type: 'TokenDropped', by: 'attacker', label: 'password', reason: 'bad_password' });
      this.setAttacker({ type: 'Dropped', password: true });
    }
    return response;
  }

  private async forge(kind: ForgeKind): Promise<ActionResult> {
    const s = this.state;
    const iat = this.unixNow();
    const claims = {
      iss: ISSUER,
      sub: SUBJECT,
      aud: kind === 'wrong-audience' ? OTHER_AUDIENCE : AUDIENCE,
      client_id: CLIENT_ID,
      iat,
      // A forger picks a generous lifetime; a genuine other-API token has the AS's usual one.
      exp: iat + (kind === 'wrong-audience' ? this.config.accessToken.ttl : 365 * 86_400),
      jti: this.randomId(),
      scope: SCOPE,
    };
    const header = { typ: ACCESS_TOKEN_TYPE, kid: this.crypto.asKid };
    if (kind !== 'alg-none') s.work.signatures++;
    const jwt =
      kind === 'alg-none'
        ? unsignedJwt({ typ: ACCESS_TOKEN_TYPE }, claims)
        : await this.crypto.sign(header, claims, kind === 'own-key' ? 'attacker' : 'authServer');
    const decoded = decodeJwt(jwt);
    const record: AccessTokenRecord = {
      label: `FT#${++s.counters.forged}`,
      kind: 'access',
      jwt,
      header: decoded.header,
      claims: decoded.claims,
      grantId: null,
      issuedAt: s.t,
      expiresAt: claims.exp - this.scenario.epochSeconds,
      genuine: kind === 'wrong-audience',
      audienceOk: kind !== 'wrong-audience',
    };
    this.forgedLog.push(record);
    s.logs.forgedTokens = this.forgedLog.length;
    this.emit({ type: 'AccessTokenForged', token: record, forgeKind: kind });
    return this.apiRequest('attacker', record.label);
  }

  // ---- automatic behaviour (SCENARIO-FORMAT.md "Behaviour") -----------------------------------

  private schedule(item: Unsequenced): void {
    queuePush(this.state.queue, { ...item, seq: this.state.nextSeq++ });
  }

  private scheduleAttackerTick(time: Seconds): void {
    this.state.behaviour.attackerTickPending = true;
    this.schedule({ kind: 'attackerTick', time });
  }

  /** What the app holds now, as its decisions see it (rules/client.ts). */
  private appHolds(): AppHolds {
    const { client } = this.state;
    const record = client.accessToken ? this.accessToken(client.accessToken) : undefined;
    return {
      tokenUsable: tokenUsable(record, this.state.t),
      refreshToken: client.refreshToken !== null,
      storedPassword: client.storedPassword !== null,
    };
  }

  /** behaviour.user's tick: the app's steps as rules/client.ts decides them, one at a time. */
  private async userAppTick(): Promise<void> {
    const generation = this.state.behaviour.userGeneration;
    const done: AppStepDone[] = [];
    for (let step = userAppNext(done, this.appHolds()); step !== 'stop'; step = userAppNext(done, this.appHolds())) {
      done.push({ did: step, ...(await this.appStep(step)) });
    }
    const every = this.scenario.behaviour.user?.callApiEvery;
    if (every && this.state.client.present && this.state.behaviour.userGeneration === generation) {
      this.schedule({ kind: 'userTick', time: this.state.t + every, generation });
    }
  }

  private async appStep(step: AppStepDone['did']): Promise<ActionResult> {
    const { client } = this.state;
    switch (step) {
      case 'callApi':
        return this.apiRequest('client', client.accessToken);
      case 'refresh':
        return this.clientRefresh();
      case 'storedPasswordLogin':
        return this.clientLogin(client.storedPassword!, false);
      case 'signIn':
        return this.userSignIn();
    }
  }

  /** behaviour.attacker's tick: its steps as rules/attacker.ts decides them, one at a time. */
  private async attackerTick(): Promise<void> {
    this.state.behaviour.attackerTickPending = false;
    const holds = (): AttackerHolds => {
      const a = this.state.attacker;
      return {
        accessToken: a.accessTokens.length > 0,
        refreshToken: a.refreshTokens.length > 0,
        password: a.password !== null,
        anything: attackerHoldsAnything(a),
      };
    };
    const done: AttackerStepDone[] = [];
    for (let step = attackerTickNext(done, holds()); step !== 'stop'; step = attackerTickNext(done, holds())) {
      const result =
        step === 'callApi'
          ? await this.apiRequest('attacker', this.state.attacker.accessTokens.at(-1) ?? null)
          : step === 'refresh'
            ? await this.attackerRefresh()
            : await this.attackerLogin();
      done.push({ did: step, ...result });
    }
    const every = this.scenario.behaviour.attacker?.callApiEvery;
    if (every && attackerHoldsAnything(this.state.attacker) && !this.state.behaviour.attackerTickPending) {
      this.scheduleAttackerTick(this.state.t + every);
    }
  }

  // ---- the authorization server --------------------------------------------------------------

  private sendRequest(
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
    const id = ++this.state.counters.request;
    this.emit({ type: 'RequestSent', id, from, to, endpoint, ...extra, ...(proof ? { proof } : {}) });
    if (proof && from === 'client') this.state.client = { ...this.state.client, lastProof: proof };
    return id;
  }

  private respond(
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
    this.emit({
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

  // ---- DPoP (RFC 9449, SEMANTICS.md §6) -----------------------------------------------------

  /** dpop.ts, loaded by `create` (or here, for a world made without it). */
  private async dpopModule(): Promise<typeof Dpop> {
    return (this.dpopCode ??= await import('./dpop'));
  }

  /** The DPoP proof a party attaches to a request (dpop.ts buildProof), or undefined: only DPoP configurations send proofs. */
  private async proofFor(
    from: 'client' | 'attacker',
    endpoint: 'token' | 'api',
    bound: string | null,
    accessJwt: string | null,
    choice?: ProofChoice,
  ): Promise<DpopProof | undefined> {
    if (!this.dpop) return undefined;
    const { buildProof } = await this.dpopModule();
    const proof = await buildProof(
      { state: this.state, crypto: this.crypto, nowUnix: this.unixNow() },
      from,
      endpoint,
      bound,
      accessJwt,
      choice,
    );
    if (proof && proof.source !== 'replayed') this.state.work.signatures++;
    return proof;
  }

  /** A server checks a proof against its replay cache and remembers its jti (dpop.ts checkProof). */
  private async checkProof(
    cache: JtiCache,
    proof: DpopProof,
    expect: { htm: string; htu: string; accessToken?: string; boundJkt?: string },
  ): Promise<{ ok: true; jkt: string } | { ok: false; check: DpopCheck }> {
    const { checkProof } = await this.dpopModule();
    this.state.work.signatures++;
    return checkProof(cache, proof, expect, this.unixNow(), this.proofKeys);
  }

  /** The token endpoint's proof check (RFC 9449 §5): htm POST, htu the token endpoint. */
  private tokenEndpointProof(proof: DpopProof) {
    return this.checkProof(this.state.authServer.dpopJtis, proof, { htm: TOKEN_METHOD, htu: TOKEN_ENDPOINT });
  }

  /** Only confidential clients authenticate; the trace says whether a request carried the secret. */
  private clientAuthField(withSecret: boolean): { clientAuth?: boolean } {
    return this.config.client.type === 'confidential' ? { clientAuth: withSecret } : {};
  }

  /** What the token endpoint knows about a request for a new grant before checking its proof. */
  private newGrantFacts(proof: DpopProof | undefined, clientAuth: boolean): NewGrantFacts {
    return { clientType: this.config.client.type, clientAuth, dpop: this.dpop, proofSent: proof !== undefined, proof: null };
  }

  /** Carries out a token-endpoint refusal: the grant it revokes (and a stopping event), then the response. */
  private refuseToken(id: number, from: 'client' | 'attacker', refusal: Refusal, grant: Grant | undefined): Response {
    if (refusal.revokeGrant && grant) this.revokeGrant(grant, refusal.revokeGrant);
    if (refusal.stoppingEvent) this.markStoppingEvent();
    return this.respond(id, 'authServer', from, 'token', refusal.status, refusal.error, refusal.reason, [], undefined, refusal.dpop);
  }

  /** A new grant's tokens (login, code exchange), as the decision says, and the 200 response. */
  private async issueNewGrant(id: number, from: 'client' | 'attacker', grant: Grant, decision: IssueNewGrant): Promise<Response> {
    const issued = [await this.issueAccessToken(grant, from, decision.accessJkt)];
    if (decision.refresh) issued.push(this.issueRefreshToken(grant, null, from, decision.refresh.jkt));
    return this.respond(id, 'authServer', from, 'token', 200, null, null, issued);
  }

  private countTokenRequest(): void {
    this.state.metrics.authServer.tokenRequests++;
    this.state.metrics.authServer.stateLookups++;
  }

  private async passwordGrant(from: 'client' | 'attacker', passwordVersion: number, clientAuth: boolean): Promise<Response> {
    this.countTokenRequest();
    const s = this.state;
    const proof = await this.proofFor(from, 'token', null, null);
    const id = this.sendRequest(
      from,
      'authServer',
      'token',
      { grantType: 'password', token: null, ...this.clientAuthField(clientAuth) },
      proof,
    );
    const facts: PasswordGrantFacts = {
      ...this.newGrantFacts(proof, clientAuth),
      passwordOk: passwordVersion === s.authServer.passwordVersion,
      userSuspended: s.authServer.phase === 'userSuspended',
      refreshTokens: this.config.refreshToken !== null,
    };
    let decision = passwordGrantDecision(facts);
    if (decision.kind === 'checkProof') {
      facts.proof = await this.tokenEndpointProof(proof!);
      decision = passwordGrantDecision(facts);
    }
    if (decision.kind === 'checkProof') throw new Error('the password grant asked for the proof twice');
    if (decision.kind === 'refuse') return this.refuseToken(id, from, decision, undefined);
    return this.issueNewGrant(id, from, this.startGrant(from), decision);
  }

  private async refreshGrant(from: 'client' | 'attacker', label: TokenLabel, clientAuth: boolean, choice?: ProofChoice): Promise<Response> {
    this.countTokenRequest();
    const s = this.state;
    const proof = await this.proofFor(from, 'token', s.authServer.refreshTokens[label]?.jkt ?? null, null, choice);
    const id = this.sendRequest(
      from,
      'authServer',
      'token',
      { grantType: 'refresh_token', token: label, ...this.clientAuthField(clientAuth) },
      proof,
    );
    // SEMANTICS.md §3's order (rules/authorization-server.ts refreshDecision); the proof's check is
    // made only when the decision gets that far (a thief without the secret changes nothing).
    const { refreshTokens, grants } = s.authServer;
    const record = refreshTokens[label];
    const grant = record ? grants[record.grantId] : undefined;
    const facts: RefreshFacts = {
      t: s.t,
      rules: this.config.refreshToken,
      clientType: this.config.client.type,
      clientAuth,
      dpop: this.dpop,
      proofSent: proof !== undefined,
      proof: null,
      token: record,
      grant,
      newest: grant?.newest ? refreshTokens[grant.newest] : undefined,
      userSuspended: s.authServer.phase === 'userSuspended',
    };
    let decision = refreshDecision(facts);
    if (decision.kind === 'checkProof') {
      facts.proof = await this.tokenEndpointProof(proof!);
      decision = refreshDecision(facts);
    }
    if (decision.kind === 'checkProof') throw new Error('the refresh grant asked for the proof twice');
    if (decision.kind === 'refuse') return this.refuseToken(id, from, decision, grant);
    // Issue as decided: a retry within the reuse interval leaves the consumed token as it was.
    if (decision.viaReuseInterval) this.emit({ type: 'ReuseIntervalUsed', label, grantId: grant!.id });
    grant!.lastUse = s.t;
    const issued = [await this.issueAccessToken(grant!, from, decision.accessJkt)];
    if (!decision.rotate) {
      issued.push(label);
    } else {
      if (!decision.viaReuseInterval) {
        refreshTokens[label] = { ...record!, status: 'consumed', consumedAt: s.t };
        this.emit({ type: 'RefreshTokenConsumed', label, grantId: grant!.id });
      }
      issued.push(this.issueRefreshToken(grant!, label, from, decision.refreshJkt));
    }
    return this.respond(id, 'authServer', from, 'token', 200, null, null, issued);
  }

  private startGrant(by: Party): Grant {
    const s = this.state;
    const grant: Grant = {
      id: `G${++s.counters.grant}`,
      by,
      startedAt: s.t,
      lastUse: s.t,
      revoked: false,
      revokedAt: null,
      revokedCause: null,
      newest: null,
      refreshTokens: [],
      accessTokens: [],
    };
    s.authServer.grants[grant.id] = grant;
    s.authServer.grantOrder.push(grant.id);
    this.emit({ type: 'GrantStarted', grantId: grant.id, by });
    return grant;
  }

  private randomId(): string {
    return Array.from(randomBytes(this.state.rng, 8), (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /** Issues an access token; under DPoP it carries cnf.jkt, the proof key's thumbprint (RFC 9449 §6). */
  private async issueAccessToken(grant: Grant, to: Party, jkt: string | null = null): Promise<TokenLabel> {
    const s = this.state;
    const iat = this.unixNow();
    const claims = {
      iss: ISSUER,
      sub: SUBJECT,
      aud: AUDIENCE,
      client_id: CLIENT_ID,
      iat,
      exp: iat + this.config.accessToken.ttl,
      jti: this.randomId(),
      scope: SCOPE,
      ...(jkt !== null ? { cnf: { jkt } } : {}),
    };
    const header = { alg: 'EdDSA', typ: ACCESS_TOKEN_TYPE, kid: this.crypto.asKid };
    s.work.signatures++;
    const jwt = await this.crypto.sign(header, claims, 'authServer');
    const record: AccessTokenRecord = {
      label: `AT#${++s.counters.accessToken}`,
      kind: 'access',
      jwt,
      header,
      claims,
      grantId: grant.id,
      issuedAt: s.t,
      expiresAt: s.t + this.config.accessToken.ttl,
      genuine: true,
      audienceOk: true,
    };
    this.accessLog.push(record);
    s.logs.accessTokens = this.accessLog.length;
    grant.accessTokens.push(record.label);
    this.emit({ type: 'AccessTokenIssued', token: record, to });
    return record.label;
  }

  private issueRefreshToken(grant: Grant, parent: TokenLabel | null, to: Party, jkt: string | null = null): TokenLabel {
    const s = this.state;
    const label = `RT#${++s.counters.refreshToken}`;
    const value = randomToken(s.rng, 32);
    const record = {
      label,
      kind: 'refresh' as const,
      value,
      grantId: grant.id,
      issuedAt: s.t,
      parent,
      status: 'active' as const,
      consumedAt: null,
      revokedAt: null,
      ...(jkt !== null ? { jkt } : {}),
    };
    s.authServer.refreshTokens[label] = record;
    s.authServer.refreshByValue[value] = label;
    grant.refreshTokens.push(label);
    grant.newest = label;
    this.emit({ type: 'RefreshTokenIssued', token: { ...record }, to });
    return label;
  }

  private revokeGrant(grant: Grant, cause: RevocationCause): void {
    const s = this.state;
    grant.revoked = true;
    grant.revokedAt = s.t;
    grant.revokedCause = cause;
    for (const label of grant.refreshTokens) {
      const record = s.authServer.refreshTokens[label]!;
      if (record.status !== 'revoked') s.authServer.refreshTokens[label] = { ...record, status: 'revoked', revokedAt: s.t };
    }
    this.emit({ type: 'GrantRevoked', grantId: grant.id, revocationCause: cause, labels: [...grant.refreshTokens, ...grant.accessTokens] });
  }

  /** A password change under `revokeGrantsOnPasswordChange: false`: the grants stay usable. */
  private keepGrants(): void {
    const s = this.state;
    const grantIds = s.authServer.grantOrder.filter((id) => !s.authServer.grants[id]!.revoked);
    if (grantIds.length > 0) this.emit({ type: 'GrantsKept', grantIds });
  }

  private revokeEveryGrant(cause: RevocationCause): void {
    const s = this.state;
    let any = false;
    for (const id of s.authServer.grantOrder) {
      const grant = s.authServer.grants[id]!;
      if (!grant.revoked) {
        this.revokeGrant(grant, cause);
        any = true;
      }
    }
    if (any) this.setUserStatus('GrantsRevoked');
  }

  /** RFC 7009: revoke the grant a token belongs to; unknown or revoked tokens still get 200. */
  private async revocationRequest(from: 'client', label: TokenLabel): Promise<ActionResult> {
    this.state.metrics.authServer.stateLookups++;
    const id = this.sendRequest(from, 'authServer', 'revocation', { token: label, ...this.clientAuthField(true) });
    const { refreshTokens, grants } = this.state.authServer;
    const target = revocationTarget(label, refreshTokens, this.accessToken(label), grants);
    if (target) this.revokeGrant(target, 'logout');
    // A sent logout is a stopping event even when its grant was already revoked: the user acted.
    this.markStoppingEvent();
    return this.respond(id, 'authServer', from, 'revocation', 200, null, null);
  }

  /** RFC 7662's answer about this token now (rules/authorization-server.ts introspectionActive). */
  private introspectionAnswer(record: AccessTokenRecord): boolean {
    const { authServer } = this.state;
    const grant = record.grantId ? authServer.grants[record.grantId] : undefined;
    return introspectionActive(record, grant, this.state.t, authServer.phase === 'userSuspended');
  }

  // ---- the resource server -------------------------------------------------------------------

  /**
   * `via: "bff"`: the attacker's request from the hijacked page, which the BFF sent on with its
   * own token and key; it counts as the attacker's call, and the RS logs it as the app's.
   */
  private async apiRequest(from: 'client' | 'attacker', label: TokenLabel | null, choice?: ProofChoice, via?: 'bff'): Promise<Response> {
    const s = this.state;
    s.metrics.resourceServer.requests++;
    const record = label ? this.accessToken(label) : undefined;
    const bound = record ? boundKeyOf(record) : null;
    const proof = await this.proofFor(via ? 'client' : from, 'api', bound, record?.jwt ?? null, via ? undefined : choice);
    const id = this.sendRequest(from, 'resourceServer', 'api', { token: label, ...(via && { via }) }, proof);
    if (from === 'client' || via) s.resourceServer = { ...s.resourceServer, lastAppToken: label };
    const before = s.resourceServer.phase;
    // The RS's checks in order (rules/resource-server.ts): the world finds out each fact the
    // decision asks for (jose's verdict, the proof's check, the AS's answer), then carries out the answer.
    const facts: ApiRequestFacts = {
      token: label && record ? { bound } : null,
      dpop: this.dpop,
      validation: this.config.resourceServer.validation,
      proofSent: proof !== undefined,
      verdict: null,
      proof: null,
      active: null,
    };
    let decision = apiDecision(facts);
    while (decision.kind === 'verifyJwt' || decision.kind === 'checkProof' || decision.kind === 'introspect') {
      if (decision.kind === 'verifyJwt') {
        s.work.signatures++;
        facts.verdict = await this.crypto.verifyAccessToken(record!.jwt, this.unixNow(), this.config.resourceServer.leeway);
      } else if (decision.kind === 'checkProof') {
        facts.proof = await this.checkProof(s.resourceServer.dpopJtis, proof!, {
          htm: API_METHOD,
          htu: API_ENDPOINT,
          accessToken: record!.jwt,
          boundJkt: bound!,
        });
      } else {
        facts.active = this.introspect(label!, record!);
      }
      decision = apiDecision(facts);
    }
    let response: Response;
    if (decision.kind === 'accept') {
      response = this.respond(id, 'resourceServer', from, 'api', 200, null, null, [], decision.checks);
      s.resourceServer = resourceServerTransition(
        s.resourceServer,
        { type: 'RequestAccepted', token: label!, checks: decision.checks },
        s.t,
      );
    } else {
      const { status, error, reason, checks, dpop } = decision;
      response = this.respond(id, 'resourceServer', from, 'api', status, error, reason, [], checks ?? undefined, dpop);
      s.resourceServer = resourceServerTransition(
        s.resourceServer,
        { type: 'RequestRejected', token: facts.token ? label : null, checks, reason },
        s.t,
      );
    }
    this.phaseChanged('resourceServer', before, s.resourceServer.phase, s.resourceServer.lastTransition!.on);
    this.countApiCall(from, response.ok);
    return response;
  }

  /** The RS asks the AS about a token (RFC 7662): one request, one AS lookup; gives the answer. */
  private introspect(label: TokenLabel, record: AccessTokenRecord): boolean {
    const s = this.state;
    s.metrics.resourceServer.introspections++;
    s.metrics.authServer.stateLookups++;
    const introspectionId = this.sendRequest('resourceServer', 'authServer', 'introspection', { token: label });
    const active = this.introspectionAnswer(record);
    this.emit({
      type: 'ResponseSent',
      requestId: introspectionId,
      from: 'authServer',
      to: 'resourceServer',
      endpoint: 'introspection',
      status: 200,
      error: null,
      reason: active ? null : 'inactive',
      issued: [],
      active,
    });
    return active;
  }

  private countApiCall(from: 'client' | 'attacker', ok: boolean): void {
    const m = this.state.metrics;
    if (from === 'client') {
      if (ok) m.user.apiCallsOk++;
      else m.user.apiCallsRejected++;
      return;
    }
    if (!ok) {
      m.attacker.apiCallsRejected++;
      return;
    }
    m.attacker.apiCallsOk++;
    m.attacker.lastApiCallOkAt = this.state.t;
    if (this.state.firstStop !== null) this.state.lastAttackerOkAfterStop = this.state.t;
  }
}

function noChecks(): ChecksMade {
  return { signature: false, type: null, issuer: null, audience: null, expiry: null, introspection: null };
}

/**
 * Runs a scenario headless to its end. Throws BudgetExceeded (budget.ts) when the run reaches
 * its budget (the default one unless `budget` is given).
 */
export async function runScenario(scenario: Scenario, budget?: Budget): Promise<Outcome> {
  // Nobody steps back in a headless run: no checkpoints (cloning the state is most of the
  // engine's own cost on month-long runs; see docs/PERFORMANCE.md).
  const world = await World.create(scenario, { checkpoints: false, ...(budget ? { budget } : {}) });
  return world.run();
}
