// One simulated world: the engine that runs the four parties on a virtual clock, driven by a
// scenario's steps, its automatic behaviours and direct commands. It owns the queue, the clock,
// the trace and the logs, the ops, checkpoints, replay and fork. What each party does is carried
// out by effects/ (through the WorldContext this world lends it), as the pure decisions of rules/
// say (README.md maps SEMANTICS.md to them); exposure is exposure.ts; the parties' own state moves
// only through their transition functions (parties.ts).
//
// Every mutation is recorded as an op ("act", "next" queue item, "clock" move). Replaying the
// ops from a checkpoint rebuilds any earlier moment exactly, which is what step back uses.
import { createWorldCrypto, type WorldCrypto } from './crypto';
import type * as Dpop from './dpop';
import { BudgetExceeded, DEFAULT_BUDGET, MAX_SPAN, type Budget } from './budget';
import { attackerExposureDeadline, attackerHoldsKey } from './exposure';
import { attackerTransition, authServerTransition, clientTransition, assertNever, type AttackerFact, type ClientFact } from './parties';
import { createRng, createStream } from './rng';
import { endOf, stepOccurrences } from './occurrences';
import { initialState, queuePop, queuePush, type JtiCache, type QueueItem, type WorldState } from './state';
import { actionOf } from './action-of';
import { dispatch } from './effects/actions';
import { attackerTick } from './effects/attacker';
import { introspectionAnswer } from './effects/authorization-server';
import { userAppTick } from './effects/client';
import { type Unsequenced, type WorldContext } from './effects/context';
import type {
  AccessTokenRecord,
  Action,
  ActionResult,
  Actor,
  Cause,
  ChecksMade,
  Config,
  DpopProof,
  Outcome,
  Party,
  ProofCheck,
  ProofChoice,
  Reason,
  Scenario,
  Seconds,
  SimEvent,
  SimEventBody,
  StepResult,
  TokenLabel,
} from './types';

export type { ActionResult } from './types';

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
  /** While one event is carried out, the attacker ticks it schedules (`asOneEvent`); null between events. */
  private heldAttackerTicks: Seconds[] | null = null;
  /** DPoP's proof code (dpop.ts): loaded by `create` for DPoP configurations only. */
  private dpopCode: typeof Dpop | undefined;
  /** The proof keys the servers have imported (a proof embeds one of two or three public keys). */
  private readonly proofKeys: Map<string, CryptoKey>;
  /**
   * The trace's length when the API first accepted each access token: its later checks verify no
   * signature (jwt.ts) and cost no work. Kept beside the state rather than in it, so checkpoints
   * and published views do not carry a month of labels; `restore` forgets what the moment had not seen.
   */
  private readonly firstAccepted: Map<TokenLabel, number>;
  /** What the per-party code (effects/) may use of this world. */
  private readonly ctx: WorldContext;

  /** A new world at t = 0, or (with `from`) a copy of `from` at its current moment: see `fork`. */
  private constructor(scenario: Scenario, crypto: WorldCrypto, options: WorldOptions = {}, from?: World) {
    this.scenario = scenario;
    this.keepCheckpoints = options.checkpoints ?? true;
    this.budget = options.budget ?? from?.budget ?? DEFAULT_BUDGET;
    this.config = scenario.config;
    this.crypto = crypto;
    this.ctx = this.context();
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
      this.firstAccepted = new Map(from.firstAccepted);
      return;
    }
    this.events = [];
    this.stepResults = [];
    this.accessLog = [];
    this.forgedLog = [];
    this.ops = [];
    this.checkpoints = [];
    this.proofKeys = new Map();
    this.firstAccepted = new Map();
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

  /** The context the effects modules act through: this world's live state and engine operations. */
  private context(): WorldContext {
    const live = () => this.state;
    return {
      get state() {
        return live();
      },
      config: this.config,
      scenario: this.scenario,
      crypto: this.crypto,
      dpop: this.config.senderConstraint === 'dpop',
      bff: this.config.client.tokenStorage === 'bff',
      unixNow: () => this.unixNow(),
      emit: (body) => this.emit(body),
      accessToken: (label) => this.accessToken(label),
      logAccessToken: (record) => {
        this.accessLog.push(record);
        this.state.logs.accessTokens = this.accessLog.length;
      },
      logForgedToken: (record) => {
        this.forgedLog.push(record);
        this.state.logs.forgedTokens = this.forgedLog.length;
      },
      acceptedBefore: (label) => this.firstAccepted.has(label),
      markAccepted: (label) => {
        if (!this.firstAccepted.has(label)) this.firstAccepted.set(label, this.events.length);
      },
      setClient: (fact) => this.setClient(fact),
      setAttacker: (fact) => this.setAttacker(fact),
      setUserStatus: (fact) => this.setUserStatus(fact),
      phaseChanged: (party, from, to, on) => this.phaseChanged(party, from, to, on),
      markStoppingEvent: () => this.markStoppingEvent(),
      schedule: (item) => this.schedule(item),
      scheduleAttackerTick: (time) => this.scheduleAttackerTick(time),
      proofFor: (from, endpoint, bound, accessJwt, choice) => this.proofFor(from, endpoint, bound, accessJwt, choice),
      checkProof: (cache, proof, expect) => this.checkProof(cache, proof, expect),
    };
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
      const active = introspectionAnswer(this.ctx, record);
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
   * with its own; the attacker with its own, and with the app's only while it runs in the page
   * (never under a BFF, whose key stays on the server).
   */
  canProve(party: 'client' | 'attacker', jkt: string): boolean {
    if (party === 'client') return jkt === this.crypto.jkt.client;
    return attackerHoldsKey(this.state, this.crypto.jkt, jkt, this.ctx.bff);
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
    // Acceptances the restored moment had not seen yet are forgotten (an op is never split, so a
    // token accepted within the restored trace was marked before its length).
    for (const [label, at] of this.firstAccepted) if (at >= snapshot.logs.events) this.firstAccepted.delete(label);
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
    return this.asOneEvent(() => this.perform(action));
  }

  private async applyNext(): Promise<void> {
    await this.asOneEvent(() => this.carryOutNext());
  }

  private async carryOutNext(): Promise<void> {
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
          await userAppTick(this.ctx);
        }
        break;
      case 'attackerTick':
        this.cause = { kind: 'auto', who: 'attacker' };
        await attackerTick(this.ctx);
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
    const { ok, status, error, reason } = await dispatch(this.ctx, action);
    const result = { ok, status, error, reason };
    this.emit({ type: 'ActionFinished', actor, action, ...result });
    return result;
  }

  private schedule(item: Unsequenced): void {
    queuePush(this.state.queue, { ...item, seq: this.state.nextSeq++ });
  }

  private scheduleAttackerTick(time: Seconds): void {
    this.state.behaviour.attackerTickPending = true;
    if (this.heldAttackerTicks) this.heldAttackerTicks.push(time);
    else this.schedule({ kind: 'attackerTick', time });
  }

  /**
   * Carries out one command or queued item (one event of SCENARIO-FORMAT.md's "Order at one
   * instant"). The attacker's ticks it schedules are queued when it ends, so when one event
   * schedules both the user's app's next tick and the attacker's for the same instant (the
   * script in the page copies what the app just received), the app's runs first.
   */
  private async asOneEvent<T>(run: () => Promise<T>): Promise<T> {
    this.heldAttackerTicks = [];
    try {
      return await run();
    } finally {
      const held = this.heldAttackerTicks;
      this.heldAttackerTicks = null;
      for (const time of held) this.schedule({ kind: 'attackerTick', time });
    }
  }

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
      { state: this.state, crypto: this.crypto, nowUnix: this.unixNow(), bff: this.ctx.bff },
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
  ): Promise<ProofCheck> {
    const { checkProof } = await this.dpopModule();
    this.state.work.signatures++;
    return checkProof(cache, proof, expect, this.unixNow(), this.proofKeys);
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
