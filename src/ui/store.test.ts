import { describe, expect, it, vi } from 'vitest';
import { scenarioOf } from '../sim/test-helpers';
import { availability } from './availability';
import { readSession } from './session-read';
import { inProcessTransport } from './engine/in-process';
import type { Transport } from './engine/protocol';
import { compressOps, createSimStore, type SimStore } from './store';

describe('the simulator store', () => {
  it('runs commands in order and publishes a view after each', async () => {
    const store = createSimStore();
    await store.getState().load(scenarioOf({}));
    const { act, advanceBy } = store.getState();
    // Fired without awaiting: the store must still run them one at a time, in call order.
    void act({ do: 'client.login' });
    void act({ do: 'attacker.steal', what: 'refresh' });
    await advanceBy(300);
    const view = store.getState().view!;
    expect(view.t).toBe(300);
    expect(view.state.client.accessToken).toBe('AT#1');
    expect(view.state.attacker.refreshTokens).toEqual(['RT#1']);
    expect(view.opCount).toBe(3);
  });

  it('steps back to the exact earlier moment and branches from there', async () => {
    const store = createSimStore();
    await store.getState().load(scenarioOf({}));
    const s = store.getState();
    await s.act({ do: 'client.login' });
    await s.act({ do: 'attacker.steal', what: 'refresh' });
    await s.advanceBy(60);
    const before = store.getState().view!;
    await s.act({ do: 'client.refresh' });
    await s.act({ do: 'attacker.refresh' });
    expect(store.getState().view!.state.authServer.grants.G1!.revoked).toBe(true);
    await s.stepBack();
    await s.stepBack();
    const back = store.getState().view!;
    expect(back.t).toBe(before.t);
    expect(back.events).toEqual(before.events);
    expect(back.state).toEqual(before.state);
    // A different branch: the attacker refreshes first this time.
    await s.act({ do: 'attacker.refresh' });
    expect(store.getState().view!.state.attacker.refreshTokens).toEqual(['RT#2']);
  });

  it('rebuilds a session from its stored ops identically', async () => {
    const store = createSimStore();
    await store.getState().load(scenarioOf({ behaviour: { user: { callApiEvery: '5m' } } }));
    const s = store.getState();
    await s.act({ do: 'user.arrive' });
    await s.advanceBy(3600);
    await s.act({ do: 'attacker.steal', what: 'both' });
    await s.advanceBy(600);
    const session = store.getState().session!;
    expect(session.ops.length).toBeLessThan(10); // runs of "next" are collapsed
    const read = readSession(JSON.parse(JSON.stringify(session)));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const copy = createSimStore();
    await copy.getState().load(read.scenario, read.ops);
    const a = store.getState().view!;
    const b = copy.getState().view!;
    expect(b.t).toBe(a.t);
    expect(b.events).toEqual(a.events);
    expect(b.metrics).toEqual(a.metrics);
  });

  it('hands a long replayed trace over in chunks, and shows the same moment as the original', async () => {
    const store = createSimStore();
    await store.getState().load(scenarioOf({ behaviour: { user: { callApiEvery: '1m' } } }));
    await store.getState().act({ do: 'user.arrive' });
    await store.getState().advanceBy(30 * 3600);
    const original = store.getState().view!;
    expect(original.events.length).toBeGreaterThan(4000);
    // The copy's transport counts the messages that carry a new world's events.
    const inner = inProcessTransport();
    const chunks: number[] = [];
    const transport: Transport = {
      send: (message) => inner.send(message),
      close: () => inner.close(),
      onMessage: (receive) =>
        inner.onMessage((message) => {
          if (message.type === 'progress' && message.world && message.events) chunks.push(message.events.append.length);
          receive(message);
        }),
    };
    const copy = createSimStore({ transport });
    await copy.getState().load(scenarioOf({}));
    const session = store.getState().session!;
    const read = readSession(JSON.parse(JSON.stringify(session)));
    if (!read.ok) throw new Error(read.error);
    await copy.getState().load(read.scenario, read.ops);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Math.max(...chunks)).toBeLessThanOrEqual(2000);
    const view = copy.getState().view!;
    expect(view.t).toBe(original.t);
    expect(view.events).toEqual(original.events);
    expect(view.accessTokens).toEqual(original.accessTokens);
    const lives = (v: typeof view) => {
      const p = v.reading!.projection;
      return { length: p.length, tokens: p.tokens, grants: p.grants, keys: p.keys, sessions: p.sessions, inPage: p.attackerInPage };
    };
    expect(lives(view)).toEqual(lives(original));
    expect(view.reading!.narration).toEqual(original.reading!.narration);
    // The copy goes on from there like any world (the lists belong to the new world).
    await copy.getState().advanceBy(60);
    expect(copy.getState().view!.events.slice(0, original.events.length)).toEqual(original.events);
  });

  it('keeps the current world when a load fails', async () => {
    const store = createSimStore();
    await store.getState().load(scenarioOf({}));
    await store.getState().act({ do: 'client.login' });
    const before = store.getState().view!;
    await expect(store.getState().load(scenarioOf({}), [{ kind: 'clock', to: -5 }])).rejects.toThrow();
    expect(store.getState().view).toBe(before);
  });
});

describe('stored sessions', () => {
  it('collapses runs of next ops', () => {
    expect(
      compressOps([
        { kind: 'next' },
        { kind: 'next' },
        { kind: 'act', action: { do: 'client.login' } },
        { kind: 'next' },
        { kind: 'clock', to: 5 },
      ]),
    ).toEqual([
      { kind: 'next', n: 2 },
      { kind: 'act', action: { do: 'client.login' } },
      { kind: 'next', n: 1 },
      { kind: 'clock', to: 5 },
    ]);
  });

  it('rejects bad session data with a path', () => {
    expect(readSession(null)).toEqual({ ok: false, error: 'session: not an object' });
    const good = { format: 'tokenscope/1', steps: [] };
    expect(readSession({ scenario: { format: 'nope', steps: [] }, ops: [] })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^session\.scenario\.format/),
    });
    expect(readSession({ scenario: good, ops: 'x' })).toEqual({ ok: false, error: 'session.ops: not a list' });
    expect(readSession({ scenario: good, ops: [{ kind: 'warp' }] })).toEqual({ ok: false, error: 'session.ops[0]: unknown op kind' });
    expect(readSession({ scenario: good, ops: [{ kind: 'act', action: { do: 'client.fly' } }] })).toMatchObject({
      ok: false,
      error: expect.stringContaining('session.ops[0]: bad action'),
    });
    expect(
      readSession({ scenario: good, ops: [{ kind: 'act', action: { do: 'attacker.steal', what: 'both', __proto__: { x: 1 } } }] }),
    ).toMatchObject({ ok: true });
  });
});

describe('action availability', () => {
  it('says why an action cannot apply', async () => {
    const store = createSimStore();
    await store.getState().load(scenarioOf({ config: { preset: 'long-lived-access' } }));
    let view = store.getState().view!;
    expect(availability(view, { do: 'attacker.steal', what: 'access' })).toEqual({
      enabled: false,
      reason: 'Nothing to steal: the client holds no access token.',
    });
    expect(availability(view, { do: 'client.refresh' })).toEqual({
      enabled: false,
      reason: 'This configuration issues no refresh tokens.',
    });
    expect(availability(view, { do: 'admin.reinstateUser' }).enabled).toBe(false);
    await store.getState().act({ do: 'client.login' });
    view = store.getState().view!;
    expect(availability(view, { do: 'attacker.steal', what: 'access' })).toEqual({ enabled: true });
    expect(availability(view, { do: 'attacker.steal', what: 'refresh' }).enabled).toBe(false);
    expect(availability(view, { do: 'attacker.steal', what: 'clientSecret' })).toEqual({
      enabled: false,
      reason: 'A public client has no secret.',
    });
  });
});

describe('branches', () => {
  it('saves a line, returns to it, and keeps the line it left', async () => {
    const store = createSimStore();
    await store.getState().load(scenarioOf({ title: 'Main' }));
    const s = store.getState();
    await s.act({ do: 'client.login' });
    await s.act({ do: 'attacker.steal', what: 'refresh' });
    await s.advanceBy(60);
    const saved = await s.saveBranch('  Before anyone refreshes  ');
    expect(saved).toMatchObject({ label: 'Before anyone refreshes', t: 60, opCount: 3, title: 'Main', auto: false });
    const atSave = store.getState().view!;

    // What if the attacker refreshes first?
    await s.act({ do: 'attacker.refresh' });
    await s.advanceBy(600);
    const whatIf = store.getState().view!;
    expect(whatIf.state.attacker.refreshTokens).toEqual(['RT#2']); // rotated: RT#1 was replaced

    await s.switchBranch(saved!.id);
    const back = store.getState().view!;
    expect(back.t).toBe(atSave.t);
    expect(back.events).toEqual(atSave.events);
    expect(back.state).toEqual(atSave.state);
    // The what-if line was saved on the way out.
    const branches = store.getState().branches;
    expect(branches.map((b) => [b.label, b.t, b.auto])).toEqual([
      ['Before anyone refreshes', 60, false],
      ['Auto-saved line 1', 660, true],
    ]);

    // And returning to it gives the what-if moment back, without saving the saved line twice.
    await s.switchBranch(branches[1]!.id);
    expect(store.getState().view!.t).toBe(whatIf.t);
    expect(store.getState().view!.events).toEqual(whatIf.events);
    expect(store.getState().branches).toHaveLength(2);
  });

  it('a branch that cannot be rebuilt changes nothing', async () => {
    const store = createSimStore();
    await store.getState().load(scenarioOf({}));
    await store.getState().act({ do: 'client.login' });
    const before = store.getState().view;
    store.getState().setBranches([
      {
        id: 'b1',
        label: 'Broken',
        t: 0,
        epochSeconds: 0,
        opCount: 0,
        title: 'x',
        auto: false,
        session: { scenario: { format: 'nope' }, ops: [] },
      },
    ]);
    await expect(store.getState().switchBranch('b1')).rejects.toThrow(/could not be read \(session\.scenario\.format/);
    await expect(store.getState().switchBranch('b9')).rejects.toThrow(/no longer exists/);
    expect(store.getState().view).toBe(before);
    expect(store.getState().branches).toHaveLength(1);
    store.getState().deleteBranch('b1');
    expect(store.getState().branches).toEqual([]);
  });
});

describe('long runs in the engine', () => {
  const busyDay = () =>
    scenarioOf({
      behaviour: { user: { callApiEvery: '5m' }, attacker: { callApiEvery: '15m' } },
      steps: [
        { at: '0s', do: 'user.arrive', repeat: { every: '1d', times: 3 } },
        { at: '2h', do: 'attacker.steal', what: 'both' },
        { at: '8h', do: 'user.leave', repeat: { every: '1d', times: 3 } },
      ],
      until: '3d',
    });
  const DAY = 86_400;
  /** The same commands on another store, each awaited: the reference. */
  async function reference(commands: (s: SimStore) => Promise<void>) {
    const store = createSimStore();
    await store.getState().load(busyDay());
    await commands(store);
    return store.getState();
  }
  const sameMoment = (a: ReturnType<SimStore['getState']>, b: ReturnType<SimStore['getState']>) => {
    expect(a.view!.t).toBe(b.view!.t);
    expect(a.view!.events).toEqual(b.view!.events);
    expect(a.view!.state).toEqual(b.view!.state);
    expect(a.view!.accessTokens).toEqual(b.view!.accessTokens);
    expect(a.view!.results).toEqual(b.view!.results);
    expect(a.session).toEqual(b.session);
  };
  /** Resolves once the store shows progress (the run is under way, past its first slice). */
  const progressShown = (store: SimStore) =>
    new Promise<void>((resolve) => {
      if (store.getState().progress) return resolve();
      const stop = store.subscribe((s) => {
        if (!s.progress) return;
        stop();
        resolve();
      });
    });

  it('a cancelled jump leaves the world at the last moment it reached: consistent, and step back works', async () => {
    const store = createSimStore();
    await store.getState().load(busyDay());
    const jump = store.getState().advanceBy(3 * DAY);
    await progressShown(store);
    store.getState().cancel();
    expect(await jump).toEqual({ stopped: false, cancelled: true });
    const stoppedAt = store.getState().view!;
    expect(stoppedAt.t).toBeGreaterThan(0);
    expect(stoppedAt.t).toBeLessThan(3 * DAY);
    expect(store.getState().progress).toBeNull();
    // The session replays to exactly that moment.
    const copy = createSimStore();
    await copy.getState().load(busyDay(), store.getState().session!.ops);
    sameMoment(copy.getState(), store.getState());
    // Step back undoes the last item; the jump asked for again runs on to the same end as one
    // that was never interrupted.
    await store.getState().stepBack();
    expect(store.getState().view!.opCount).toBe(stoppedAt.opCount - 1);
    await store.getState().advanceTo(3 * DAY);
    sameMoment(store.getState(), await reference(async (s) => void (await s.getState().advanceTo(3 * DAY))));
  });

  it('a command given during a jump waits for it by default, or cancels it when the user chose so', async () => {
    const waiting = createSimStore();
    await waiting.getState().load(busyDay());
    const jump = waiting.getState().advanceBy(DAY);
    await progressShown(waiting);
    await waiting.getState().act({ do: 'admin.revokeAll' });
    expect(await jump).toEqual({ stopped: false, cancelled: false });
    sameMoment(
      waiting.getState(),
      await reference(async (s) => {
        await s.getState().advanceBy(DAY);
        await s.getState().act({ do: 'admin.revokeAll' });
      }),
    );

    const cancelling = createSimStore();
    cancelling.getState().setWhileRunning('cancel');
    await cancelling.getState().load(busyDay());
    const long = cancelling.getState().advanceBy(3 * DAY);
    await progressShown(cancelling);
    const revoked = cancelling.getState().act({ do: 'admin.revokeAll' });
    expect(await long).toMatchObject({ cancelled: true });
    await revoked;
    const view = cancelling.getState().view!;
    expect(view.t).toBeLessThan(3 * DAY);
    expect(view.events.at(-1)).toMatchObject({ cause: { kind: 'command' } });
  });

  it('the commands around a jump compose as when each is awaited', async () => {
    const inBetween = [
      (s: SimStore) => s.getState().act({ do: 'admin.revokeAll' }),
      (s: SimStore) => s.getState().stepBack(),
      (s: SimStore) =>
        s
          .getState()
          .nextEvent()
          .then(() => undefined),
      (s: SimStore) =>
        s
          .getState()
          .advanceBy(3600)
          .then(() => undefined),
      (s: SimStore) => s.getState().detachScript(),
      (s: SimStore) => s.getState().rewindTo(3),
      (s: SimStore) => s.getState().restart(),
      (s: SimStore) => s.getState().load(busyDay(), [{ kind: 'next', n: 5 }]),
    ];
    for (const between of inBetween) {
      const store = createSimStore();
      await store.getState().load(busyDay());
      // Fired without awaiting: the store runs them in order.
      void store.getState().advanceBy(DAY);
      void between(store);
      await store.getState().advanceBy(DAY);
      sameMoment(
        store.getState(),
        await reference(async (s) => {
          await s.getState().advanceBy(DAY);
          await between(s);
          await s.getState().advanceBy(DAY);
        }),
      );
    }
  });

  it('a jump stops at a key event, or when a lesson step has run', async () => {
    const store = createSimStore();
    await store.getState().load(busyDay());
    await store.getState().advanceBy(3600, { kind: 'keyEvents' });
    const result = await store.getState().advanceBy(3600, { kind: 'keyEvents' });
    expect(result).toEqual({ stopped: true, cancelled: false });
    expect(store.getState().view!.t).toBe(7200);
    expect(store.getState().view!.events.some((e) => e.type === 'TokensStolen')).toBe(true);
    await store.getState().advanceTo(9000);
    sameMoment(
      store.getState(),
      await reference(async (s) => {
        await s.getState().advanceBy(7200);
        await s.getState().advanceTo(9000);
      }),
    );
    // Steps: the first leave at 8 h is the third occurrence to run (arrive, steal, leave).
    const lesson = createSimStore();
    await lesson.getState().load(busyDay());
    expect(await lesson.getState().advanceTo(3 * DAY, { kind: 'steps', atLeast: 3 })).toEqual({ stopped: true, cancelled: false });
    expect(lesson.getState().view!.t).toBe(8 * 3600);
    expect(lesson.getState().view!.results).toHaveLength(3);
  });

  it("publishes what the views need: results, keys, the remaining exposure and the inspected token's verdict", async () => {
    const store = createSimStore();
    await store.getState().load(scenarioOf({ config: { preset: 'long-lived-access' } }));
    await store.getState().act({ do: 'client.login' });
    await store.getState().act({ do: 'attacker.steal', what: 'access' });
    const view = store.getState().view!;
    expect(view.jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    const ttl = view.config.accessToken.ttl + view.config.resourceServer.leeway;
    expect(view.remainingExposure).toBe(ttl);
    store.getState().selectToken('AT#1');
    await new Promise<void>((resolve) => {
      const stop = store.subscribe((s) => s.verdict && (stop(), resolve()));
    });
    expect(store.getState().verdict).toMatchObject({ label: 'AT#1', ok: true, reason: null });
    await store.getState().advanceBy(ttl);
    expect(store.getState().view!.remainingExposure).toBe(0);
    expect(store.getState().verdict).toMatchObject({ label: 'AT#1', ok: false });
  });

  it('a long replay yields to the browser between slices (issue 12: a link froze the tab)', async () => {
    const store = createSimStore();
    const scenario = scenarioOf({
      behaviour: { user: { callApiEvery: 1 } },
      steps: [
        { at: 0, do: 'admin.suspendUser' },
        { at: 0, do: 'user.arrive' },
      ],
    });
    const timeouts = vi.spyOn(globalThis, 'setTimeout');
    try {
      await store.getState().load(scenario, [{ kind: 'next', n: 20_000 }]);
      // Every yield is a zero-delay timeout; a replay without them ran as one task.
      expect(timeouts.mock.calls.filter(([, delay]) => delay === 0).length).toBeGreaterThan(0);
    } finally {
      timeouts.mockRestore();
    }
    expect(store.getState().view!.t).toBe(19_997);
  });

  it('a jump past the longest span stops with a notice; the session is kept (issue 12)', async () => {
    const store = createSimStore();
    await store.getState().load(scenarioOf({}), [{ kind: 'clock', to: 36_499 * 86_400 }]);
    const before = store.getState().view;
    expect(await store.getState().advanceBy(30 * 86_400)).toEqual({ stopped: true, cancelled: false });
    expect(store.getState().error).toMatch(
      /^The simulation stopped at Tue 11 Dec 2125 09:00:00: the clock cannot go past 100 years after the start/,
    );
    expect(store.getState().view!.t).toBe(before!.t);
    await store.getState().advanceBy(3600);
    expect(store.getState().view!.t).toBe(36_499 * 86_400 + 3600);
  });
});
