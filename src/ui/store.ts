// The binding between one World and the views: a vanilla zustand store instance (two instances
// run two worlds side by side). The World runs in the engine host (engine/host.ts), in a module
// worker: the store sends it commands one at a time and receives, after each, a published view as
// plain data, which it turns into a fresh immutable WorldView; components only read that.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { QueueItem } from '../sim/state';
import type { Action, Scenario, Seconds, SimEvent } from '../sim/types';
import { connectEngine } from './engine/connect';
import type { Command, CommandResult, FromHost, ListPatch, Published, StopRule, Transport } from './engine/protocol';
import type { NarrationSource } from './narration';
import type { TraceReading } from './reading-types';
import type { Branch, ExportedScenario, Session, StoredOp } from './session-format';
import type { TokenVerdict, WorldView } from './view';

export { compressOps, type Branch } from './session-format';
export type { StopRule } from './engine/protocol';

/** At most this many saved branches; the oldest auto-saved ones go first. */
export const MAX_BRANCHES = 30;

/** While a long run is under way, what a new command does: wait for it, or cancel it first. */
export type WhileRunning = 'wait' | 'cancel';

export interface SimState {
  status: 'loading' | 'ready' | 'error';
  view: WorldView | null;
  /** The session as data (scenario JSON + ops), for persistence, share links and export. */
  session: Session | null;
  /**
   * A long run in progress: an advance (simulated instants from → to, reached so far) or a
   * stored session being replayed (items). `cancel()` stops it.
   */
  progress: { kind: 'advance' | 'replay'; from: number; to: number; at: number } | null;
  /** Why the last command on the world failed part-way (e.g. the work budget stopped a jump); cleared by the next load. */
  error: string | null;
  selectedToken: string | null;
  verdict: TokenVerdict | null;
  /** Saved lines to return to, oldest first. */
  branches: Branch[];
  /** What a command given during a long run does (a preference; default: wait). */
  whileRunning: WhileRunning;
}

export interface SimCommands {
  /** Starts a world for the scenario, optionally replaying stored ops. Rejects bad input without touching the current world. */
  load(scenario: Scenario, ops?: StoredOp[]): Promise<void>;
  /**
   * The same from stored, untrusted session data, checked and replayed in the engine. Rejects with
   * a `SessionError` (`reading`: the data is not a session; otherwise it did not replay).
   */
  loadSession(session: unknown): Promise<void>;
  /** The session as a plain scenario file (made in the engine, which replays it). */
  exportFile(): Promise<ExportedScenario>;
  /** Starts the sandbox: the recommended setup, nothing scripted, the user signed out. */
  loadSandbox(): Promise<void>;
  act(action: Action): Promise<void>;
  /** Moves the clock on; `cancelled` when `cancel()` stopped it (the clock then stays where the run had got to). */
  advanceBy(seconds: Seconds, stop?: StopRule): Promise<{ stopped: boolean; cancelled: boolean }>;
  advanceTo(t: Seconds, stop?: StopRule): Promise<{ stopped: boolean; cancelled: boolean }>;
  nextEvent(): Promise<QueueItem | null>;
  stepBack(): Promise<void>;
  /** Rebuilds the moment after `opCount` ops (branch points, lesson restarts). */
  rewindTo(opCount: number): Promise<void>;
  restart(scenario?: Scenario): Promise<void>;
  /** Leaves the scenario's script: its remaining steps will not run (explore from here). */
  detachScript(): Promise<void>;
  /**
   * Stops the long runs under way (advances, replays) between two items: an advance leaves the
   * world at the last moment it reached; a replay leaves the world as it was.
   */
  cancel(): void;
  setWhileRunning(policy: WhileRunning): void;
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
  /**
   * Stops the engine (its worker) and forgets the world; pending commands reject. A later command
   * starts a new engine (so React's development double mount can dispose and go on).
   */
  dispose(): void;
}

export type SimStore = StoreApi<SimState & SimCommands>;

/** A stored session the engine could not load: `reading` when the data is not a valid session. */
export class SessionError extends Error {
  constructor(
    message: string,
    readonly reading: boolean,
  ) {
    super(message);
  }
}

/** A command the engine refused or that failed there, with its kind ('read', 'cancelled') when it has one. */
class EngineError extends Error {
  constructor(
    message: string,
    readonly code: 'read' | 'cancelled' | 'budget' | undefined,
  ) {
    super(message);
  }
}

function applyPatch<T>(list: T[], patch: ListPatch<T>): boolean {
  if (patch.keep === list.length && patch.append.length === 0) return false;
  list.length = patch.keep;
  for (const item of patch.append) list.push(item);
  return true;
}

export function createSimStore(options: { transport?: Transport } = {}): SimStore {
  let transport: Transport | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  let nextId = 1;
  const pending = new Map<
    number,
    { command: Command; scenario: Scenario | null; resolve: (r: CommandResult) => void; reject: (e: Error) => void }
  >();
  /** Long runs sent and not yet finished: what `cancel()` stops. */
  const running = new Set<number>();
  // What has been received of the current world: its id, scenario and lists (patched in place;
  // each view gets its own copies).
  let worldId = -1;
  let scenario: Scenario | null = null;
  const received = {
    events: [] as SimEvent[],
    accessTokens: [] as WorldView['accessTokens'][number][],
    results: [] as WorldView['results'][number][],
  };
  const changed = { events: true, accessTokens: true, results: true };
  // The trace read once (trace-reading.ts), as it arrives: progress reports stream it during a
  // long run, so the final view has only the last events left to read. Its code loads after the
  // first view (the first paint does not need it); views published before then carry none.
  let reader: ((source: NarrationSource) => TraceReading) | null = null;
  void import('./trace-reading').then((m) => {
    reader = m.createTraceReader();
  });

  return createStore<SimState & SimCommands>()((set, get) => {
    /** Runs store commands one at a time, in call order. */
    function serial<T>(work: () => Promise<T>): Promise<T> {
      const next = chain.then(work, work);
      chain = next.catch(() => undefined);
      return next;
    }

    /** A command given while a long run is under way waits for it, or cancels it first (the user's choice). */
    function command<T>(work: () => Promise<T>): Promise<T> {
      if (get().whileRunning === 'cancel' && running.size > 0) get().cancel();
      return serial(work);
    }

    /** Sends one command to the host; resolves with its result once the view after it is applied. */
    function request(cmd: Command, scenarioObject: Scenario | null = null): Promise<CommandResult> {
      transport ??= connect();
      const id = nextId++;
      if (cmd.kind === 'advance' || cmd.kind === 'load' || cmd.kind === 'loadSession') running.add(id);
      return new Promise<CommandResult>((resolve, reject) => {
        pending.set(id, { command: cmd, scenario: scenarioObject, resolve, reject });
        transport!.send({ type: 'command', id, command: cmd, selected: get().selectedToken });
      });
    }

    function applyPublished(p: Published, scenarioObject: Scenario | null): void {
      if (p.worldId !== worldId) {
        worldId = p.worldId;
        // The caller's own scenario object when it gave one, so identity checks keep working.
        scenario = scenarioObject ?? p.scenario ?? scenario;
        for (const list of [received.events, received.accessTokens, received.results]) list.length = 0;
        changed.events = changed.accessTokens = changed.results = true;
      }
      if (applyPatch(received.events, p.events)) changed.events = true;
      if (applyPatch(received.accessTokens, p.accessTokens)) changed.accessTokens = true;
      if (applyPatch(received.results, p.results)) changed.results = true;
      const previous = get().view;
      const s = scenario!;
      const events = !changed.events && previous ? previous.events : received.events.slice();
      const view: WorldView = {
        t: p.t,
        epochSeconds: s.epochSeconds,
        end: p.end,
        scenario: s,
        config: s.config,
        state: p.state,
        // Unchanged lists keep the previous view's array (components compare by identity).
        events,
        reading: reader?.({ events, scenario: s, config: s.config, epochSeconds: s.epochSeconds }) ?? null,
        accessTokens: !changed.accessTokens && previous ? previous.accessTokens : received.accessTokens.slice(),
        results: !changed.results && previous ? previous.results : received.results.slice(),
        metrics: p.metrics,
        next: p.next,
        opCount: p.opCount,
        jwks: p.jwks,
        remainingExposure: p.remainingExposure,
      };
      changed.events = changed.accessTokens = changed.results = false;
      set({ status: 'ready', view, verdict: p.verdict, session: p.session });
    }

    function connect(): Transport {
      const t = options.transport ?? connectEngine();
      t.onMessage(receive);
      return t;
    }

    function receive(message: FromHost): void {
      if (message.type === 'fatal') {
        for (const [id, entry] of pending) {
          pending.delete(id);
          running.delete(id);
          entry.reject(new Error(message.message));
        }
        set({ progress: null, error: message.message, ...(get().view ? {} : { status: 'error' as const }) });
        return;
      }
      const entry = pending.get(message.id);
      if (message.type === 'progress') {
        if (message.world && message.world.id !== worldId) {
          // A replayed world's trace handed over in chunks (host.ts handOver): its lists start here.
          worldId = message.world.id;
          scenario = entry?.scenario ?? message.world.scenario;
          for (const list of [received.events, received.accessTokens, received.results]) list.length = 0;
          changed.events = changed.accessTokens = changed.results = true;
        }
        if (message.events && applyPatch(received.events, message.events)) {
          changed.events = true;
          if (scenario) reader?.({ events: received.events, scenario, config: scenario.config, epochSeconds: scenario.epochSeconds });
        }
        if (entry && running.has(message.id)) {
          set({
            progress: { kind: entry.command.kind === 'advance' ? 'advance' : 'replay', from: message.from, to: message.to, at: message.at },
          });
        }
        return;
      }
      if (!entry) return;
      pending.delete(message.id);
      const wasRunning = running.delete(message.id);
      if (message.published) applyPublished(message.published, entry.scenario);
      if (wasRunning && get().progress) set({ progress: null });
      if (message.type === 'done') entry.resolve(message.result);
      else {
        // A command on the world that failed part-way (e.g. the work budget stopped a jump): the
        // view shows where it stopped, and `error` says why.
        if (message.published) set({ error: message.message });
        entry.reject(new EngineError(message.message, message.code));
      }
    }

    function currentBranchData(label: string, auto: boolean): Branch | null {
      const { view, session } = get();
      if (!view || !session) return null;
      const branches = get().branches;
      const ids = branches.map((b) => Number(b.id.replace(/^b/, ''))).filter(Number.isSafeInteger);
      return {
        id: `b${Math.max(0, ...ids) + 1}`,
        label,
        t: view.t,
        epochSeconds: view.epochSeconds,
        opCount: view.opCount,
        title: view.scenario.title ?? 'Untitled',
        auto,
        session,
      };
    }

    /** Loads a new world, keeping the line being left as a branch unless that would lose nothing. */
    async function replaceKeeping(load: () => Promise<unknown>, label: string): Promise<void> {
      const leaving = (get().view?.opCount ?? 0) > 0 ? currentBranchData(label, true) : null;
      await load();
      let branches = get().branches;
      const next = get().session;
      if (leaving && next && !sameSession(leaving.session, next) && !branches.some((b) => sameSession(b.session, leaving.session))) {
        branches = withBranch(branches, leaving);
      }
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

    function advanceResult(result: CommandResult): { stopped: boolean; cancelled: boolean } {
      if (result.kind !== 'advance') return { stopped: false, cancelled: false };
      if (result.budget) {
        // Said even when the same stop is met twice in a row (boot.ts shows each change).
        set({ error: null });
        set({ error: result.budget });
      }
      return { stopped: result.stopped, cancelled: result.cancelled };
    }

    /** Loads stored session data; a read failure or a failed replay rejects with a SessionError. */
    async function loadStored(session: unknown): Promise<void> {
      try {
        await request({ kind: 'loadSession', session });
      } catch (error) {
        if (error instanceof EngineError && error.code !== 'cancelled') throw new SessionError(error.message, error.code === 'read');
        throw error;
      }
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
      whileRunning: 'wait',

      load: (scenario, ops = []) =>
        command(async () => {
          // The host builds the new world fully before replacing the old one: bad input loses nothing.
          await request({ kind: 'load', scenario, ops }, scenario);
          set({ selectedToken: null, verdict: null, error: null });
        }),

      loadSession: (session) =>
        command(async () => {
          await loadStored(session);
          set({ selectedToken: null, verdict: null, error: null });
        }),

      exportFile: () =>
        serial(async () => {
          const result = await request({ kind: 'export' });
          if (result.kind !== 'export') throw new Error('the engine sent no file');
          return result.exported;
        }),

      loadSandbox: () =>
        command(async () => {
          await request({ kind: 'sandbox' });
          set({ selectedToken: null, verdict: null, error: null });
        }),

      act: (action) => command(async () => void (await request({ kind: 'act', action }))),

      advanceBy: (seconds, stop) =>
        command(async () => advanceResult(await request({ kind: 'advance', by: seconds, ...(stop ? { stop } : {}) }))),

      advanceTo: (t, stop) => command(async () => advanceResult(await request({ kind: 'advance', to: t, ...(stop ? { stop } : {}) }))),

      nextEvent: () =>
        command(async () => {
          const result = await request({ kind: 'next' });
          return result.kind === 'next' ? result.item : null;
        }),

      stepBack: () => command(async () => void (await request({ kind: 'stepBack' }))),

      rewindTo: (opCount) => command(async () => void (await request({ kind: 'rewind', opCount }))),

      restart: (next) =>
        command(async () => {
          const base = next ?? scenario;
          if (!base) return;
          await request({ kind: 'restart', scenario: base }, base);
          set({ selectedToken: null, verdict: null });
        }),

      detachScript: () => command(async () => void (await request({ kind: 'detach' }))),

      cancel: () => {
        for (const id of running) transport?.send({ type: 'cancel', id });
      },

      setWhileRunning: (policy) => set({ whileRunning: policy }),

      selectToken: (label) => {
        set({ selectedToken: label, verdict: null });
        if (label) void serial(() => request({ kind: 'refresh' })).catch(() => undefined);
      },

      saveBranch: (label) =>
        serial(async () => {
          const name = label.trim().slice(0, 80) || `Branch ${get().branches.length + 1}`;
          const branch = currentBranchData(name, false);
          if (!branch) return null;
          set({ branches: withBranch(get().branches, branch) });
          return branch;
        }),

      switchBranch: (id) =>
        command(async () => {
          const target = get().branches.find((b) => b.id === id);
          if (!target) throw new Error('that branch no longer exists');
          try {
            await replaceKeeping(() => loadStored(target.session), `Auto-saved line ${get().branches.filter((b) => b.auto).length + 1}`);
          } catch (error) {
            if (error instanceof SessionError && error.reading)
              throw new Error(`the branch could not be read (${error.message})`, { cause: error });
            throw error;
          }
        }),

      open: (scenario, ops, label) => command(() => replaceKeeping(() => request({ kind: 'load', scenario, ops }, scenario), label)),

      deleteBranch: (id) => set({ branches: get().branches.filter((b) => b.id !== id) }),

      setBranches: (branches) => set({ branches: branches.slice(-MAX_BRANCHES) }),

      dispose: () => {
        transport?.close();
        transport = null;
        for (const [id, entry] of pending) {
          pending.delete(id);
          entry.reject(new Error('the simulator was closed'));
        }
        running.clear();
        worldId = -1;
        scenario = null;
        set({ status: 'loading', view: null, session: null, progress: null, verdict: null });
      },
    };
  });
}

function sameSession(a: Session, b: Session): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
