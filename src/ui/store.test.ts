import { describe, expect, it, vi } from 'vitest';
import { scenarioOf } from '../sim/test-helpers';
import { availability } from './availability';
import { readSession } from './session-read';
import type { SimEvent } from '../sim/types';
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
      compressOps([{ kind: 'next' }, { kind: 'next' }, { kind: 'act', action: { do: 'client.login' } }, { kind: 'next' }, { kind: 'clock', to: 5 }]),
    ).toEqual([{ kind: 'next', n: 2 }, { kind: 'act', action: { do: 'client.login' } }, { kind: 'next', n: 1 }, { kind: 'clock', to: 5 }]);
  });

  it('rejects bad session data with a path', () => {
    expect(readSession(null)).toEqual({ ok: false, error: 'session: not an object' });
    const good = { format: 'tokenscope/1', steps: [] };
    expect(readSession({ scenario: { format: 'nope', steps: [] }, ops: [] })).toMatchObject({ ok: false, error: expect.stringMatching(/^session\.scenario\.format/) });
    expect(readSession({ scenario: good, ops: 'x' })).toEqual({ ok: false, error: 'session.ops: not a list' });
    expect(readSession({ scenario: good, ops: [{ kind: 'warp' }] })).toEqual({ ok: false, error: 'session.ops[0]: unknown op kind' });
    expect(readSession({ scenario: good, ops: [{ kind: 'act', action: { do: 'client.fly' } }] })).toMatchObject({ ok: false, error: expect.stringContaining('session.ops[0]: bad action') });
    expect(readSession({ scenario: good, ops: [{ kind: 'act', action: { do: 'attacker.steal', what: 'both', __proto__: { x: 1 } } }] })).toMatchObject({ ok: true });
  });
});

describe('action availability', () => {
  it('says why an action cannot apply', async () => {
    const store = createSimStore();
    await store.getState().load(scenarioOf({ config: { preset: 'long-lived-access' } }));
    let view = store.getState().view!;
    expect(availability(view, { do: 'attacker.steal', what: 'access' })).toEqual({ enabled: false, reason: 'Nothing to steal: the client holds no access token.' });
    expect(availability(view, { do: 'client.refresh' })).toEqual({ enabled: false, reason: 'This configuration issues no refresh tokens.' });
    expect(availability(view, { do: 'admin.reinstateUser' }).enabled).toBe(false);
    await store.getState().act({ do: 'client.login' });
    view = store.getState().view!;
    expect(availability(view, { do: 'attacker.steal', what: 'access' })).toEqual({ enabled: true });
    expect(availability(view, { do: 'attacker.steal', what: 'refresh' }).enabled).toBe(false);
    expect(availability(view, { do: 'attacker.steal', what: 'clientSecret' })).toEqual({ enabled: false, reason: 'A public client has no secret.' });
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
      { id: 'b1', label: 'Broken', t: 0, epochSeconds: 0, opCount: 0, title: 'x', auto: false, session: { scenario: { format: 'nope' }, ops: [] } },
    ]);
    await expect(store.getState().switchBranch('b1')).rejects.toThrow(/could not be read \(session\.scenario\.format/);
    await expect(store.getState().switchBranch('b9')).rejects.toThrow(/no longer exists/);
    expect(store.getState().view).toBe(before);
    expect(store.getState().branches).toHaveLength(1);
    store.getState().deleteBranch('b1');
    expect(store.getState().branches).toEqual([]);
  });

  describe('jumps computed ahead of time', () => {
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
    /** The same commands on a store that never computes ahead: the reference. */
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
      expect(a.session).toEqual(b.session);
    };

    it('repeating a day-long jump takes the day already computed, and it is the same day', async () => {
      const store = createSimStore();
      await store.getState().load(busyDay());
      await store.getState().advanceBy(DAY, undefined, { ahead: true });
      const first = store.getState().world();
      // Give the background run time to finish, as a presenter talking would.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await store.getState().advanceBy(DAY, undefined, { ahead: true });
      expect(store.getState().world()).not.toBe(first);
      expect(store.getState().view!.t).toBe(2 * DAY);
      sameMoment(store.getState(), await reference(async (s) => {
        await s.getState().advanceBy(DAY);
        await s.getState().advanceBy(DAY);
      }));
      // Asked for again at once, while the next day is still being computed: the same result.
      await store.getState().advanceBy(DAY, undefined, { ahead: true });
      expect(store.getState().view!.t).toBe(3 * DAY);
    });

    it('anything else done in between is not lost: the jump runs from the new moment', async () => {
      const inBetween = [
        (s: SimStore) => s.getState().act({ do: 'admin.revokeAll' }),
        (s: SimStore) => s.getState().stepBack(),
        (s: SimStore) => s.getState().nextEvent().then(() => undefined),
        (s: SimStore) => s.getState().advanceBy(3600).then(() => undefined),
        (s: SimStore) => s.getState().detachScript(),
        (s: SimStore) => s.getState().rewindTo(3),
        (s: SimStore) => s.getState().restart(),
        (s: SimStore) => s.getState().load(busyDay(), [{ kind: 'next', n: 5 }]),
      ];
      // Before the work ahead has started, and after it has finished.
      for (const [between, wait] of inBetween.flatMap((b) => [[b, 0], [b, 600]] as const)) {
        const store = createSimStore();
        await store.getState().load(busyDay());
        await store.getState().advanceBy(DAY, undefined, { ahead: true });
        if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
        await between(store);
        await store.getState().advanceBy(DAY, undefined, { ahead: true });
        sameMoment(store.getState(), await reference(async (s) => {
          await s.getState().advanceBy(DAY);
          await between(s);
          await s.getState().advanceBy(DAY);
        }));
      }
    });

    it('a jump prepared before it is asked for (pointer on the button) is taken, even after passing over another', async () => {
      const store = createSimStore();
      await store.getState().load(busyDay());
      const first = store.getState().world();
      await store.getState().prepareJump(DAY);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      // On the way back to "+1 day": over "+1 hour" and "+1 minute". The computed day is kept.
      await store.getState().prepareJump(3600);
      await store.getState().prepareJump(60);
      await store.getState().advanceBy(DAY);
      expect(store.getState().world()).not.toBe(first);
      sameMoment(store.getState(), await reference(async (s) => void (await s.getState().advanceBy(DAY))));
      // Prepared, then something else done first: the jump runs from the new moment.
      await store.getState().prepareJump(DAY);
      await store.getState().act({ do: 'attacker.steal', what: 'both' });
      await store.getState().advanceBy(DAY);
      sameMoment(store.getState(), await reference(async (s) => {
        await s.getState().advanceBy(DAY);
        await s.getState().act({ do: 'attacker.steal', what: 'both' });
        await s.getState().advanceBy(DAY);
      }));
    });

    it('a jump with another stop rule, or to another instant, is run afresh', async () => {
      const stopAtSteal = (events: readonly SimEvent[]) => events.some((e) => e.type === 'TokensStolen');
      const store = createSimStore();
      await store.getState().load(busyDay());
      await store.getState().advanceBy(3600, undefined, { ahead: true });
      const result = await store.getState().advanceBy(3600, stopAtSteal, { ahead: true });
      expect(result.stopped).toBe(true);
      expect(store.getState().view!.t).toBe(7200);
      await store.getState().advanceTo(9000);
      sameMoment(store.getState(), await reference(async (s) => {
        await s.getState().advanceBy(3600);
        await s.getState().advanceBy(3600, stopAtSteal);
        await s.getState().advanceTo(9000);
      }));
    });
  });

  it('a long replay yields to the browser between slices (issue 12: a link froze the tab)', async () => {
    const store = createSimStore();
    const scenario = scenarioOf({ behaviour: { user: { callApiEvery: 1 } }, steps: [{ at: 0, do: 'admin.suspendUser' }, { at: 0, do: 'user.arrive' }] });
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
    expect(await store.getState().advanceBy(30 * 86_400)).toEqual({ stopped: true });
    expect(store.getState().error).toMatch(/^The simulation stopped at Tue 11 Dec 2125 09:00:00: the clock cannot go past 100 years after the start/);
    expect(store.getState().view!.t).toBe(before!.t);
    await store.getState().advanceBy(3600);
    expect(store.getState().view!.t).toBe(36_499 * 86_400 + 3600);
  });
});
