// The engine host: owns one World and carries out the store's commands on it, one at a time,
// publishing a plain-data view after each (protocol.ts). It is a plain module: the module worker
// (engine.worker.ts) wraps it in a few lines, and tests run it in-process (in-process.ts).
// Long runs go in slices; between two slices it reports progress (with the trace so far) and
// lets incoming messages in, so a cancel stops the run between two items.
import { SANDBOX_SCENARIO } from '../../scenarios/sandbox';
import { BudgetExceeded, isBudgetExceeded, limitText, MAX_SPAN } from '../../sim/budget';
import { scenarioToJson } from '../../sim/scenario-json';
import type { Scenario, Seconds, SimEvent } from '../../sim/types';
import { World } from '../../sim/world';
import { axisMarkers } from '../compare';
import { runWithExposure } from '../compare-run';
import { formatInstant } from '../format';
import { containsKeyEvent } from '../playback';
import { compressOps, type StoredOp } from '../session-format';
import type { TokenVerdict } from '../view';
import {
  HORIZON,
  type Command,
  type CommandResult,
  type FromHost,
  type ListPatch,
  type Published,
  type StopRule,
  type ToHost,
} from './protocol';

/** Work between two looks at the inbox (cancel) and two progress reports. */
export const SLICE_MS = 30;

/** Events per message when a replayed world's trace is handed over (handOver): a few ms of work each on the page. */
const HAND_OVER_CHUNK = 2000;

/** A command's failure that says which kind it was (a session that cannot be read, a cancelled load). */
export class HostError extends Error {
  constructor(
    message: string,
    readonly code: 'read' | 'cancelled',
  ) {
    super(message);
  }
}

/** Commands that replace the world (or leave it alone): when they fail, there is nothing new to publish. */
const NOT_ON_THE_WORLD = new Set<Command['kind']>(['load', 'sandbox', 'loadSession', 'restart', 'export', 'compareRun']);

/** The notice for a run that reached the work budget, at the moment it stopped. */
function budgetNotice(error: BudgetExceeded, w: World): string {
  const at = formatInstant(w.scenario.epochSeconds + w.now);
  return `The simulation stopped at ${at}: ${limitText(error.limit, error.max)} (the limit of one session). Your session is kept as it is: step back, or start a new run.`;
}

/** Items a stored session replays (a `next` op stands for n queued items). */
function opsCount(ops: readonly StoredOp[]): number {
  return ops.reduce((n, op) => n + (op.kind === 'next' ? op.n : 1), 0);
}

export interface EngineHost {
  receive(message: ToHost): void;
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** A macrotask, so messages already waiting (a cancel) are handled before the next slice. */
function yieldTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * What the receiver lacks of an append-only list it was sent before: the first index where the
 * lists differ is kept, the rest appended. Lists only grow, or are cut back and grow again with
 * new objects (a rewind), so the last item sent still in its place means nothing before it changed.
 */
function patch<T>(sent: T[], current: readonly T[]): ListPatch<T> {
  const n = sent.length;
  let keep: number;
  if (n === 0 || (current.length >= n && current[n - 1] === sent[n - 1])) keep = n;
  else {
    keep = 0;
    const max = Math.min(n, current.length);
    while (keep < max && sent[keep] === current[keep]) keep++;
  }
  const append = current.slice(keep);
  sent.length = keep;
  for (const item of append) sent.push(item);
  return { keep, append };
}

export function createEngineHost(post: (message: FromHost) => void): EngineHost {
  let world: World | null = null;
  let worldId = 0;
  /** What the receiver holds: which world, and the items of each list it has been sent. */
  let sentWorldId = -1;
  const sent = {
    events: [] as SimEvent[],
    accessTokens: [] as ReturnType<World['allAccessTokens']>,
    results: [] as World['results'][number][],
  };
  let sessionScenario: { worldId: number; json: unknown } | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  /** Requests the store has cancelled (their ids; a request may be cancelled before it starts). */
  const cancelled = new Set<number>();
  /** Requests finish in the order they came: a cancel for one at or below this is late. */
  let lastFinished = -1;

  function forgetSent(): void {
    sentWorldId = worldId;
    sent.events.length = 0;
    sent.accessTokens.length = 0;
    sent.results.length = 0;
  }

  function replace(candidate: World): void {
    world = candidate;
    worldId++;
  }

  async function publish(selected: string | null): Promise<Published | null> {
    const w = world;
    if (!w) return null;
    const fresh = sentWorldId !== worldId;
    if (fresh) forgetSent();
    let verdict: TokenVerdict | null = null;
    if (selected && w.accessToken(selected)) verdict = { label: selected, ...(await w.wouldAccept(selected)) };
    if (sessionScenario?.worldId !== worldId) sessionScenario = { worldId, json: scenarioToJson(w.scenario) };
    const metrics = w.metricsNow();
    return {
      worldId,
      t: w.now,
      end: w.end,
      scenario: fresh ? w.scenario : null,
      // Posting clones it: the receiver gets its own copy.
      state: w.current as Published['state'],
      metrics,
      next: w.peekNext(),
      opCount: w.opCount,
      events: patch(sent.events, w.trace),
      accessTokens: patch(sent.accessTokens, w.allAccessTokens()),
      results: patch(sent.results, w.results),
      jwks: w.jwks,
      remainingExposure: w.outcome(w.now + HORIZON, false).metrics.attacker.exposureSeconds - metrics.attacker.exposureSeconds,
      session: { scenario: sessionScenario.json, ops: compressOps(w.history) },
      verdict,
    };
  }

  /** Streams the current world's new events with a progress report (only once the receiver has this world). */
  function progress(id: number, from: Seconds, to: Seconds, at: Seconds, w: World | null): void {
    const events = w && w === world && sentWorldId === worldId ? patch(sent.events, w.trace) : undefined;
    post({ type: 'progress', id, from, to, at, ...(events ? { events } : {}) });
  }

  /**
   * Sends a replayed world's trace to the receiver in chunks, each its own message (so its own
   * task on the page), before the final view: a month's trace in one message is one long task
   * of cloning, reading and drawing on the page.
   */
  function handOver(id: number, total: number): void {
    const w = world;
    if (!w || w.trace.length <= HAND_OVER_CHUNK) return;
    forgetSent();
    const newWorld = { id: worldId, scenario: w.scenario };
    while (sent.events.length < w.trace.length) {
      const keep = sent.events.length;
      const append = w.trace.slice(keep, keep + HAND_OVER_CHUNK);
      for (const event of append) sent.events.push(event);
      post({ type: 'progress', id, from: 0, to: total, at: total, events: { keep, append }, world: newWorld });
    }
  }

  /** A stop rule as a test on each processed item's events. */
  function stopTest(w: World, rule: StopRule | undefined): ((events: readonly SimEvent[]) => boolean) | undefined {
    if (!rule) return undefined;
    if (rule.kind === 'keyEvents') return containsKeyEvent;
    let ran = w.current.logs.steps;
    return (events) => {
      ran += events.filter((e) => e.type === 'ActionFinished' && e.cause.kind === 'step').length;
      return ran >= rule.atLeast;
    };
  }

  /**
   * Processes queued items up to `to` in slices; stops early for the rule, or for a cancel (then
   * the world stays at the last item processed: a consistent moment, recorded like any other).
   */
  async function runUntil(id: number, to: Seconds, rule: StopRule | undefined): Promise<{ stopped: boolean; cancelled: boolean }> {
    const w = world!;
    const from = w.now;
    const stop = stopTest(w, rule);
    let sliceStart = now();
    for (let head = w.peekNext(); head && head.time <= to; head = w.peekNext()) {
      if (cancelled.has(id)) return { stopped: false, cancelled: true };
      const before = w.trace.length;
      await w.stepNext();
      if (stop?.(w.trace.slice(before))) return { stopped: true, cancelled: false };
      if (now() - sliceStart > SLICE_MS) {
        progress(id, from, to, w.now, w);
        await yieldTask();
        sliceStart = now();
      }
    }
    if (cancelled.has(id)) return { stopped: false, cancelled: true };
    await w.advanceTo(to);
    return { stopped: false, cancelled: false };
  }

  /** Builds a world for the scenario and replays the ops; throws (the current world untouched) when they do not replay. */
  async function build(id: number, scenario: Scenario, ops: readonly StoredOp[]): Promise<World> {
    const w = await World.create(scenario);
    const total = opsCount(ops);
    let done = 0;
    let sliceStart = now();
    const slice = async () => {
      done++;
      if (now() - sliceStart <= SLICE_MS) return;
      progress(id, 0, total, done, null);
      await yieldTask();
      if (cancelled.has(id)) throw new HostError('cancelled', 'cancelled');
      sliceStart = now();
    };
    for (const op of ops) {
      if (op.kind === 'act') await w.act(op.action);
      else if (op.kind === 'detach') await w.detachScript();
      else if (op.kind === 'clock') {
        if (op.to < w.now) throw new Error(`the stored session moves the clock back (${op.to} s < ${w.now} s)`);
        // A recorded clock move never passes a scheduled item (each one is its own "next" op),
        // so one that would is not a real session, and could make the replay run for ever.
        const head = w.peekNext();
        if (head && head.time <= op.to)
          throw new Error(`the stored session skips scheduled events (clock to ${op.to} s passes one at ${head.time} s)`);
        await w.advanceTo(op.to);
      } else {
        for (let i = 0; i < op.n; i++) {
          await w.stepNext();
          if (i < op.n - 1) await slice();
        }
      }
      await slice();
    }
    return w;
  }

  async function execute(id: number, command: Command): Promise<CommandResult> {
    switch (command.kind) {
      case 'load':
        replace(await build(id, command.scenario, command.ops));
        handOver(id, opsCount(command.ops));
        return { kind: 'none' };
      case 'sandbox':
        replace(await World.create(SANDBOX_SCENARIO));
        return { kind: 'none' };
      case 'loadSession': {
        // The validator loads only when there is stored data to check.
        const { readSession } = await import('../session-read');
        const read = readSession(command.session);
        if (!read.ok) throw new HostError(read.error, 'read');
        replace(await build(id, read.scenario, read.ops));
        handOver(id, opsCount(read.ops));
        return { kind: 'none' };
      }
      case 'restart': {
        const scenario = command.scenario ?? world?.scenario;
        if (scenario) replace(await World.create(scenario));
        return { kind: 'none' };
      }
      case 'compareRun': {
        let sliceStart = now();
        const run = await runWithExposure(command.scenario, async (t, end) => {
          if (now() - sliceStart > SLICE_MS) {
            progress(id, 0, end, t, null);
            await yieldTask();
            sliceStart = now();
          }
          return !cancelled.has(id);
        });
        return {
          kind: 'compareRun',
          run: run && { windows: run.windows, end: run.end, metrics: run.metrics, markers: axisMarkers(run.events) },
        };
      }
      case 'refresh':
        return { kind: 'none' };
      case 'export': {
        if (!world) throw new Error('nothing to export yet');
        const { exportSession } = await import('../share-export');
        return {
          kind: 'export',
          exported: await exportSession({ scenario: scenarioToJson(world.scenario), ops: compressOps(world.history) }),
        };
      }
    }
    const w = world;
    if (!w) return command.kind === 'advance' ? { kind: 'advance', stopped: false, cancelled: false } : { kind: 'none' };
    switch (command.kind) {
      case 'act':
        await w.act(command.action);
        return { kind: 'none' };
      case 'advance': {
        const to = Math.max(w.now, command.to ?? w.now + (command.by ?? 0));
        // The work budget (src/sim/budget.ts): a jump past the longest span is refused before it
        // starts; a run that reaches the budget stops at its last good moment. Either way the
        // session is kept, the clock stops there, and the result carries the notice (boot.ts shows it).
        if (!(to <= MAX_SPAN))
          return { kind: 'advance', stopped: true, cancelled: false, budget: budgetNotice(new BudgetExceeded('span', MAX_SPAN, w.now), w) };
        try {
          return { kind: 'advance', ...(await runUntil(id, to, command.stop)) };
        } catch (error) {
          if (!isBudgetExceeded(error)) throw error;
          return { kind: 'advance', stopped: true, cancelled: false, budget: budgetNotice(error, w) };
        }
      }
      case 'next':
        return { kind: 'next', item: await w.stepNext() };
      case 'stepBack':
        await w.stepBack();
        return { kind: 'none' };
      case 'rewind':
        await w.rewindTo(command.opCount);
        return { kind: 'none' };
      case 'detach':
        await w.detachScript();
        return { kind: 'none' };
    }
  }

  async function handle(id: number, command: Command, selected: string | null): Promise<void> {
    try {
      if (cancelled.has(id) && (command.kind === 'load' || command.kind === 'loadSession' || command.kind === 'compareRun')) {
        throw new HostError('cancelled', 'cancelled');
      }
      const result = await execute(id, command);
      // An export or a comparison run leaves the world alone: nothing to publish.
      post({
        type: 'done',
        id,
        result,
        published: command.kind === 'compareRun' || command.kind === 'export' ? null : await publish(selected),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      let published: Published | null = null;
      // The world as the failure left it (an advance stops at the item that failed).
      if (!NOT_ON_THE_WORLD.has(command.kind)) {
        try {
          published = await publish(selected);
        } catch {
          // The world itself cannot be read: the error above says why.
        }
      }
      const code =
        error instanceof HostError ? error.code : error instanceof Error && error.name === 'BudgetExceeded' ? 'budget' : undefined;
      post({ type: 'error', id, message, ...(code ? { code } : {}), published });
    } finally {
      cancelled.delete(id);
      lastFinished = id;
    }
  }

  return {
    receive(message) {
      if (message.type === 'cancel') {
        if (message.id > lastFinished) cancelled.add(message.id);
        return;
      }
      const { id, command, selected } = message;
      chain = chain.then(() => handle(id, command, selected));
    },
  };
}
