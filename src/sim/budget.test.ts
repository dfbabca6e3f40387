// The work budget (budget.ts) as the engine applies it: a run that reaches it stops before the
// next item with a typed error, at the last good moment, and the world stays usable (step back,
// rewind). Clock moves past the longest span are refused the same way.
import { describe, expect, it } from 'vitest';
import { budgetOf, BudgetExceeded, DEFAULT_BUDGET, isBudgetExceeded, MAX_SPAN } from './budget';
import { scenarioOf } from './test-helpers';
import { runScenario, World } from './world';

/** The user calls the API every second from t = 0 (a login first, then one call per tick). */
const busy = (extra: Record<string, unknown> = {}) =>
  scenarioOf({
    format: 'tokenscope/1',
    behaviour: { user: { callApiEvery: '1s' } },
    steps: [{ at: 0, do: 'user.arrive' }],
    until: '1d',
    ...extra,
  });

async function stopOf(promise: Promise<unknown>): Promise<BudgetExceeded> {
  try {
    await promise;
  } catch (error) {
    if (isBudgetExceeded(error)) return error;
    throw error;
  }
  throw new Error('expected the run to reach its budget');
}

describe('the work budget', () => {
  it('scales signatures with events; the default fits a 90-day workday with calls every minute', () => {
    expect(DEFAULT_BUDGET).toEqual({ events: 200_000, signatures: 40_000 });
    expect(budgetOf(1000)).toEqual({ events: 1000, signatures: 200 });
  });

  it('stops a run at its events budget before the next item, at the last good moment, and the world goes on', async () => {
    const world = await World.create(busy(), { budget: { events: 100, signatures: 1_000_000 } });
    const stop = await stopOf(world.advanceTo(86_400));
    expect(stop).toMatchObject({ name: 'BudgetExceeded', limit: 'events', max: 100 });
    expect(stop.message).toMatch(/^the run stopped at \d+s: it reached its budget of 100 events$/);
    // Nothing of the next item happened: the clock is at the last item processed, the trace is whole.
    expect(world.now).toBe(stop.at);
    expect(world.trace.length).toBeGreaterThanOrEqual(100);
    expect(world.trace.length).toBeLessThan(110);
    expect(world.trace.at(-1)!.t).toBe(world.now);
    expect(world.trace.at(-1)!.type).toBe('ResponseSent');
    // Every further item is refused the same way; direct commands too; stepping back works.
    await expect(world.stepNext()).rejects.toBeInstanceOf(BudgetExceeded);
    await expect(world.act({ do: 'client.callApi' })).rejects.toBeInstanceOf(BudgetExceeded);
    const ops = world.opCount;
    await world.stepBack();
    expect(world.opCount).toBe(ops - 1);
    await world.rewindTo(10);
    await expect(world.stepNext()).resolves.not.toBeNull();
  });

  it('counts signatures: each token signed, and a token’s check until the API has accepted it once', async () => {
    const world = await World.create(busy({ config: { accessToken: { ttl: '10s' } } }), { budget: { events: 1_000_000, signatures: 10 } });
    const stop = await stopOf(world.advanceTo(86_400));
    expect(stop).toMatchObject({ limit: 'signatures', max: 10 });
    const { work, logs, metrics } = world.current;
    expect(work.signatures).toBe(10);
    // Each access token: one signature when issued, one when the API first checks it. The calls
    // that present a token already accepted verify nothing again (jwt.ts) and cost none.
    const checkedTokens = new Set(
      world.trace.flatMap((e) => (e.type === 'RequestSent' && e.to === 'resourceServer' && e.token ? [e.token] : [])),
    );
    expect(work.signatures).toBe(logs.accessTokens + checkedTokens.size);
    expect(checkedTokens.size).toBeGreaterThanOrEqual(4);
    expect(metrics.user.apiCallsOk).toBeGreaterThan(3 * work.signatures);
  });

  it('counts DPoP proofs: each call signs a proof and checks it, and its token’s first check', async () => {
    const world = await World.create(busy({ config: { preset: 'dpop-bound' } }), { budget: { events: 1_000_000, signatures: 30 } });
    await stopOf(world.advanceTo(86_400));
    expect(world.current.work.signatures).toBe(30);
    // The login: a proof, its check, the token (3). The first call: a proof, its check, the
    // token's first check (3). Every later call with that token: a proof and its check (2).
    expect(world.current.metrics.user.apiCallsOk).toBe(13);
  });

  it('runScenario throws the same typed error; a run within the budget is unchanged by it', async () => {
    const stop = await stopOf(runScenario(busy(), { events: 50, signatures: 1_000_000 }));
    expect(stop.limit).toBe('events');
    const small = busy({ until: '1m' });
    expect(await runScenario(small, { events: 1_000_000, signatures: 1_000_000 })).toEqual(await runScenario(small));
  });

  it('rewinding restores the work counted, so a replay costs what the original did', async () => {
    const world = await World.create(busy());
    await world.advanceTo(60);
    const [work, ops] = [structuredClone(world.current.work), world.opCount];
    await world.advanceTo(3600);
    expect(world.current.work.signatures).toBeGreaterThan(work.signatures);
    const straight = world.current.work.signatures;
    await world.rewindTo(ops);
    expect(world.now).toBe(60);
    expect(world.current.work).toEqual(work);
    // The tokens first accepted after the moment rewound to count again when the run goes on.
    await world.advanceTo(3600);
    expect(world.current.work.signatures).toBe(straight);
  });

  it('refuses clock moves past the longest span (100 years): no NaN date can follow', async () => {
    const world = await World.create(busy({ until: '1m' }));
    for (const to of [MAX_SPAN + 1, 9e15, Number.NaN, Number.POSITIVE_INFINITY]) {
      const stop = await stopOf(world.advanceTo(to));
      expect(stop).toMatchObject({ limit: 'span', max: MAX_SPAN, at: 0 });
      expect(stop.message).toBe('the run stopped at 0s: the clock cannot go past 100 years after the start');
    }
    expect(world.now).toBe(0);
    expect(world.opCount).toBe(0);
    await world.advanceTo(MAX_SPAN - 10, { stopWhen: () => true });
    expect(world.now).toBe(0);
  });
});
