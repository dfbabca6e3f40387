// The binding between one World and the views: a vanilla zustand store instance (two instances
// run two worlds side by side). Commands are serialised on one promise chain, because the core is
// async (WebCrypto) and must never run two commands at once. After each command the store
// publishes a fresh immutable WorldView; components only read it.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { BudgetExceeded, isBudgetExceeded, limitText, MAX_SPAN } from '../sim/budget';
import { scenarioToJson } from '../sim/scenario-json';
import type { QueueItem } from '../sim/state';
import type { Action, Scenario, Seconds, SimEvent } from '../sim/types';
import { World, type Op } from '../sim/world';
import { afterNextPaint } from './after-paint';
import { formatInstant } from './format';
import type { Session, StoredOp } from './session-format';
import type { TokenVerdict, WorldView } from './view';

/** A saved line ("what if?"): a whole session, kept so the user can return to it. */
export interface Branch {
  id: string;
  label: string;
  /** The moment it was saved at: seconds since t = 0, and Unix seconds of t = 0 (for display). */
  t: Seconds;
  epochSeconds: number;
  opCount: number;
  /** The scenario's title at the time, to tell lines of different scenarios apart. */
  title: string;
  /** Saved automatically when the user returned to another branch. */
  auto: boolean;
  session: Session;
}

/** At most this many saved branches; the oldest auto-saved ones go first. */
export const MAX_BRANCHES = 30;

export interface SimState {
  status: 'loading' | 'ready' | 'error';
  view: WorldView | null;
  /** The session as data (scenario JSON + ops), for persistence, share links and export. */
  session: Session | null;
  /** A long advance in progress: simulated instants from → to, reached so far. */
  progress: { from: Seconds; to: Seconds; at: Seconds } | null;
  error: string | null;
  selectedToken: string | null;
  verdict: TokenVerdict | null;
  /** Saved lines to return to, oldest first. */
  branches: Branch[];
}

export interface SimCommands {
  /** Starts a world for the scenario, optionally replaying stored ops. Rejects bad input without touching the current world. */
  load(scenario: Scenario, ops?: StoredOp[]): Promise<void>;
  act(action: Action): Promise<void>;
  /**
   * Moves the clock on. With `ahead`, the same jump from the moment reached is then computed in
   * the background (on a fork of the world), so doing it again — a presenter clicking "+1 day"
   * day after day — is ready at once; any other command drops that work.
   */
  advanceBy(seconds: Seconds, stopWhen?: StopWhen, options?: { ahead?: boolean }): Promise<{ stopped: boolean }>;
  advanceTo(t: Seconds, stopWhen?: StopWhen): Promise<{ stopped: boolean }>;
  /**
   * A jump the user is about to make (the pointer is on its button, or focus): start computing it
   * ahead of time, as `advanceBy(…, { ahead: true })` does after a jump. Changes nothing visible.
   */
  prepareJump(seconds: Seconds, stopWhen?: StopWhen): Promise<void>;
  nextEvent(): Promise<QueueItem | null>;
  stepBack(): Promise<void>;
  /** Rebuilds the moment after `opCount` ops (branch points, lesson restarts). */
  rewindTo(opCount: number): Promise<void>;
  restart(scenario?: Scenario): Promise<void>;
  /** Leaves the scenario's script: its remaining steps will not run (explore from here). */
  detachScript(): Promise<void>;
  selectToken(label: string | null): void;
  /** Saves the current line under a label (trimmed; empty gives "Branch n"). */
  saveBranch(label: string): Promise<Branch | null>;
  /**
   * Returns to a saved line. The current line is saved first (unless a branch already holds it
   * exactly), so nothing is lost; a branch that cannot be rebuilt rejects and changes nothing.
   */
  switchBranch(id: string): Promise<void>;
  deleteBranch(id: string): void;
  /**
   * Like load, but the line being left is kept as an auto-saved branch under `label` (unless
   * nothing was done in it or a branch already holds it): opening a link or a file loses nothing.
   */
  open(scenario: Scenario, ops: StoredOp[], label: string): Promise<void>;
  /** Replaces the list (restoring saved branches at start-up). */
  setBranches(branches: Branch[]): void;
  /** The underlying world, for read-only queries (e.g. tests). */
  world(): World | null;
}

export type SimStore = StoreApi<SimState & SimCommands>;

/**
 * Asked after each processed item with the events it produced; true stops the advance there. Keep
 * it pure: with jumps computed ahead it is also asked in the background, on a run that may be
 * thrown away.
 */
export type StopWhen = (events: readonly SimEvent[]) => boolean;

/** Items processed between yields to the browser during long advances (keeps frames short). */
const SLICE_MS = 30;
/** The same for work done ahead of time, which must not delay any frame the user is waiting for. */
const BACKGROUND_SLICE_MS = 8;

/**
 * Jumps worth computing ahead of time: from an hour (shorter ones cost little) up to a day (a
 * longer one shows progress anyway).
 */
const AHEAD_SECONDS = { min: 3_600, max: 86_400 } as const;

/** A run of the world's fork towards a likely next jump, made while the user looks at the last one. */
interface Ahead {
  /** The world and moment it forked from: it is only good for that world, unchanged. */
  base: World;
  baseOps: number;
  baseLastOp: Op | undefined;
  to: Seconds;
  stopWhen: StopWhen | undefined;
  control: RunControl;
  /** The fork once it has got there; null when cancelled or failed. */
  done: Promise<{ world: World; stopped: boolean } | null>;
}

/** Lets the owner of a run stop it between two items, show its progress or not, and pace it. */
interface RunControl {
  cancelled: boolean;
  showProgress: boolean;
  sliceMs: number;
}

export function compressOps(ops: readonly Op[]): StoredOp[] {
  const out: StoredOp[] = [];
  for (const op of ops) {
    const last = out[out.length - 1];
    if (op.kind === 'next' && last?.kind === 'next') last.n++;
    else if (op.kind === 'next') out.push({ kind: 'next', n: 1 });
    else out.push(op.kind === 'act' ? { kind: 'act', action: op.action } : op.kind === 'clock' ? { kind: 'clock', to: op.to } : { kind: 'detach' });
  }
  return out;
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : 0;
}

function yieldToBrowser(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * The trace for a new view: the previous view's array when the trace has not changed since (the
 * trace only grows between steps back, so same length and same last event means same trace),
 * otherwise a copy. Views keep their own arrays: the world's keeps growing.
 */
function traceFor(world: World, previous: readonly SimEvent[] | undefined): readonly SimEvent[] {
  const trace = world.trace;
  const n = trace.length;
  if (previous && previous.length === n && (n === 0 || previous[n - 1] === trace[n - 1])) return previous;
  return trace.slice();
}

/** The notice for a run that reached the work budget, at the moment it stopped. */
function budgetNotice(error: BudgetExceeded, w: World): string {
  const at = formatInstant(w.scenario.epochSeconds + w.now);
  return `The simulation stopped at ${at}: ${limitText(error.limit, error.max)} (the limit of one session). Your session is kept as it is: step back, or start a new run.`;
}

export function buildView(world: World, previous?: WorldView | null): WorldView {
  const outcome = world.metricsNow();
  return {
    t: world.now,
    epochSeconds: world.scenario.epochSeconds,
    end: world.end,
    scenario: world.scenario,
    config: world.config,
    state: structuredClone(world.current) as WorldView['state'],
    events: traceFor(world, previous?.events),
    accessTokens: world.allAccessTokens(),
    metrics: outcome,
    next: world.peekNext(),
    opCount: world.opCount,
  };
}

export function createSimStore(): SimStore {
  let world: World | null = null;
  let chain: Promise<unknown> = Promise.resolve();

  return createStore<SimState & SimCommands>()((set, get) => {
    /** Runs commands one at a time, in call order. */
    function serial<T>(work: () => Promise<T>): Promise<T> {
      const next = chain.then(work, work);
      chain = next.catch(() => undefined);
      return next;
    }

    async function publish(): Promise<void> {
      if (!world) return;
      const view = buildView(world, get().view);
      const selected = get().selectedToken;
      let verdict: TokenVerdict | null = null;
      if (selected && world.accessToken(selected)) {
        verdict = { label: selected, ...(await world.wouldAccept(selected)) };
      }
      set({
        status: 'ready',
        view,
        verdict,
        progress: null,
        session: { scenario: scenarioToJson(world.scenario), ops: compressOps(world.history) },
      });
    }

    /**
     * Processes `w`'s queued items up to `to` in slices, yielding to the browser between them;
     * null when cancelled (the world is then somewhere on the way: only forks are cancelled).
     */
    async function runUntil(w: World, to: Seconds, stopWhen: StopWhen | undefined, control: RunControl): Promise<{ stopped: boolean } | null> {
      const from = w.now;
      let sliceStart = now();
      let shown = false;
      const showProgress = () => {
        if (!control.showProgress) return;
        shown = true;
        set({ progress: { from, to, at: w.now } });
      };
      for (let head = w.peekNext(); head && head.time <= to; head = w.peekNext()) {
        if (control.cancelled) return null;
        const before = w.trace.length;
        await w.stepNext();
        if (stopWhen?.(w.trace.slice(before))) return { stopped: true };
        if (now() - sliceStart > control.sliceMs) {
          showProgress();
          await yieldToBrowser();
          sliceStart = now();
        }
      }
      if (shown) set({ progress: null });
      if (control.cancelled) return null;
      await w.advanceTo(to);
      return { stopped: false };
    }

    /** The work ahead, if any, computed for another moment or world: stop it and forget it. */
    let ahead: Ahead | null = null;
    function dropAhead(): void {
      if (ahead) ahead.control.cancelled = true;
      ahead = null;
    }

    /** Whether `prepared` was made from the current world at its current moment. */
    function fromCurrentMoment(prepared: Ahead): boolean {
      return !!world && prepared.base === world && prepared.baseOps === world.opCount && prepared.baseLastOp === world.history.at(-1);
    }

    /**
     * Starts computing the jump to `to` from the current moment on a fork of the world, after the
     * moment just published has had its frame, in short slices. Jumps outside AHEAD_SECONDS are
     * not. Work already prepared from this moment is kept, whatever its jump: it comes from a
     * jump just made or a button just pointed at, and passing over another button on the way to
     * click that one again must not throw a computed day away.
     */
    function startAhead(to: Seconds, stopWhen: StopWhen | undefined): void {
      const base = world;
      if (!base || to - base.now < AHEAD_SECONDS.min || to - base.now > AHEAD_SECONDS.max) return;
      if (ahead && fromCurrentMoment(ahead)) return;
      dropAhead();
      // Nothing scheduled on the way: the jump costs nothing, so there is nothing to prepare.
      const head = base.peekNext();
      if (!head || head.time > to) return;
      const control: RunControl = { cancelled: false, showProgress: false, sliceMs: BACKGROUND_SLICE_MS };
      const done = afterNextPaint()
        .then(async () => {
          // Cancelled before it began: the base may have moved on since.
          if (control.cancelled) return null;
          const fork = base.fork();
          const result = await runUntil(fork, to, stopWhen, control);
          return result && { world: fork, stopped: result.stopped };
        })
        .catch(() => null);
      ahead = { base, baseOps: base.opCount, baseLastOp: base.history.at(-1), to, stopWhen, control, done };
    }

    /**
     * Advances the world to `to`: takes the fork computed ahead of time when it was for exactly
     * this jump from exactly this moment, otherwise drops it and runs the world itself.
     */
    async function advance(to: Seconds, stopWhen: StopWhen | undefined): Promise<{ stopped: boolean }> {
      const w = world;
      if (!w) return { stopped: false };
      const prepared = ahead;
      ahead = null;
      if (prepared && fromCurrentMoment(prepared) && prepared.to === to && prepared.stopWhen === stopWhen) {
        // Still on its way: from here on it is the user's run, with progress shown.
        prepared.control.showProgress = true;
        prepared.control.sliceMs = SLICE_MS;
        const got = await prepared.done;
        if (got) {
          world = got.world;
          return { stopped: got.stopped };
        }
      } else if (prepared) prepared.control.cancelled = true;
      // The work budget (src/sim/budget.ts): a jump past the longest span is refused before it
      // starts; a run that reaches the budget stops at its last good moment. Either way the
      // session is kept, the clock stops there, and a notice (boot.ts) says why.
      if (!(to <= MAX_SPAN)) {
        set({ error: null });
        set({ error: budgetNotice(new BudgetExceeded('span', MAX_SPAN, w.now), w) });
        return { stopped: true };
      }
      try {
        return (await runUntil(w, to, stopWhen, { cancelled: false, showProgress: true, sliceMs: SLICE_MS })) ?? { stopped: false };
      } catch (error) {
        if (!isBudgetExceeded(error)) throw error;
        set({ progress: null, error: null });
        set({ error: budgetNotice(error, w) });
        return { stopped: true };
      }
    }

    async function replay(w: World, ops: readonly StoredOp[]): Promise<void> {
      // A long replay (a link or saved session near the work budget) yields to the browser like
      // a long advance, so the page never freezes while it is rebuilt.
      let sliceStart = now();
      const pace = async () => {
        if (now() - sliceStart <= SLICE_MS) return;
        await yieldToBrowser();
        sliceStart = now();
      };
      for (const op of ops) {
        await pace();
        if (op.kind === 'act') await w.act(op.action);
        else if (op.kind === 'detach') await w.detachScript();
        else if (op.kind === 'clock') {
          if (op.to < w.now) throw new Error(`the stored session moves the clock back (${op.to} s < ${w.now} s)`);
          // A recorded clock move never passes a scheduled item (each one is its own "next" op),
          // so one that would is not a real session, and could make the replay run for ever.
          const head = w.peekNext();
          if (head && head.time <= op.to) throw new Error(`the stored session skips scheduled events (clock to ${op.to} s passes one at ${head.time} s)`);
          await w.advanceTo(op.to);
        }
        else
          for (let i = 0; i < op.n; i++) {
            await w.stepNext();
            await pace();
          }
      }
    }

    /** Builds a world for the scenario and ops; throws without touching the current one. */
    async function build(scenario: Scenario, ops: readonly StoredOp[]): Promise<World> {
      const candidate = await World.create(scenario);
      await replay(candidate, ops);
      return candidate;
    }

    function currentBranchData(label: string, auto: boolean): Branch | null {
      if (!world) return null;
      const branches = get().branches;
      const ids = branches.map((b) => Number(b.id.replace(/^b/, ''))).filter(Number.isSafeInteger);
      return {
        id: `b${Math.max(0, ...ids) + 1}`,
        label,
        t: world.now,
        epochSeconds: world.scenario.epochSeconds,
        opCount: world.opCount,
        title: world.scenario.title ?? 'Untitled',
        auto,
        session: { scenario: scenarioToJson(world.scenario), ops: compressOps(world.history) },
      };
    }

    /** Swaps in a new world, keeping the line being left as a branch unless that would lose nothing. */
    function replaceKeeping(candidate: World, label: string): void {
      const leaving = world && world.opCount > 0 ? currentBranchData(label, true) : null;
      let branches = get().branches;
      const next = { scenario: scenarioToJson(candidate.scenario), ops: compressOps(candidate.history) };
      if (leaving && !sameSession(leaving.session, next) && !branches.some((b) => sameSession(b.session, leaving.session))) {
        branches = withBranch(branches, leaving);
      }
      dropAhead();
      world = candidate;
      set({ branches, selectedToken: null, verdict: null, error: null });
    }

    /** The list with one more branch, dropping the oldest auto-saved ones past the cap. */
    function withBranch(branches: Branch[], branch: Branch): Branch[] {
      const next = [...branches, branch];
      while (next.length > MAX_BRANCHES) {
        const oldestAuto = next.findIndex((b) => b.auto && b !== branch);
        next.splice(oldestAuto >= 0 ? oldestAuto : 0, 1);
      }
      return next;
    }

    return {
      status: 'loading',
      view: null,
      session: null,
      progress: null,
      error: null,
      selectedToken: null,
      verdict: null,
      branches: [],

      load: (scenario, ops = []) =>
        serial(async () => {
          // Build the new world fully before replacing the old one: bad input loses nothing.
          const candidate = await build(scenario, ops);
          dropAhead();
          world = candidate;
          set({ selectedToken: null, verdict: null, error: null });
          await publish();
        }),

      act: (action) =>
        serial(async () => {
          if (!world) return;
          dropAhead();
          await world.act(action);
          await publish();
        }),

      advanceBy: (seconds, stopWhen, options) =>
        serial(async () => {
          if (!world) return { stopped: false };
          const result = await advance(world.now + seconds, stopWhen);
          await publish();
          if (options?.ahead && !result.stopped) startAhead(world.now + seconds, stopWhen);
          return result;
        }),

      advanceTo: (t, stopWhen) =>
        serial(async () => {
          if (!world) return { stopped: false };
          const result = await advance(Math.max(t, world.now), stopWhen);
          await publish();
          return result;
        }),

      prepareJump: (seconds, stopWhen) =>
        serial(async () => {
          if (world) startAhead(world.now + seconds, stopWhen);
        }),

      nextEvent: () =>
        serial(async () => {
          if (!world) return null;
          dropAhead();
          const item = await world.stepNext();
          await publish();
          return item;
        }),

      stepBack: () =>
        serial(async () => {
          if (!world) return;
          dropAhead();
          await world.stepBack();
          await publish();
        }),

      rewindTo: (opCount) =>
        serial(async () => {
          if (!world) return;
          dropAhead();
          await world.rewindTo(opCount);
          await publish();
        }),

      restart: (scenario) =>
        serial(async () => {
          const base = scenario ?? world?.scenario;
          if (!base) return;
          dropAhead();
          world = await World.create(base);
          set({ selectedToken: null, verdict: null });
          await publish();
        }),

      detachScript: () =>
        serial(async () => {
          if (!world) return;
          dropAhead();
          await world.detachScript();
          await publish();
        }),

      selectToken: (label) => {
        set({ selectedToken: label, verdict: null });
        if (label) void serial(publish);
      },

      world: () => world,

      saveBranch: (label) =>
        serial(async () => {
          const name = label.trim().slice(0, 80) || `Branch ${get().branches.length + 1}`;
          const branch = currentBranchData(name, false);
          if (!branch) return null;
          set({ branches: withBranch(get().branches, branch) });
          return branch;
        }),

      switchBranch: (id) =>
        serial(async () => {
          const target = get().branches.find((b) => b.id === id);
          if (!target) throw new Error('that branch no longer exists');
          const { readSession } = await import('./session-read');
          const read = readSession(target.session);
          if (!read.ok) throw new Error(`the branch could not be read (${read.error})`);
          const candidate = await build(read.scenario, read.ops);
          replaceKeeping(candidate, `Auto-saved line ${get().branches.filter((b) => b.auto).length + 1}`);
          await publish();
        }),

      open: (scenario, ops, label) =>
        serial(async () => {
          const candidate = await build(scenario, ops);
          replaceKeeping(candidate, label);
          await publish();
        }),

      deleteBranch: (id) => set({ branches: get().branches.filter((b) => b.id !== id) }),

      setBranches: (branches) => set({ branches: branches.slice(-MAX_BRANCHES) }),
    };
  });
}

function sameSession(a: Session, b: Session): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
