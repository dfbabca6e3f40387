import { describe, expect, it } from 'vitest';
import { parseScenario } from '../sim/scenario';
import { runScenario } from '../sim/world';
import { runSweep, SWEEP_TTLS, sweepPoint, sweepScenarioJson, type SweepMessage } from './sweep';

const SCRIPT = {
  format: 'tokenscope/1',
  behaviour: { user: { callApiEvery: '15m' }, attacker: { callApiEvery: '30m' } },
  steps: [
    { at: '0s', do: 'user.arrive' },
    { at: '2h', do: 'attacker.steal', what: 'both' },
    { at: '8h', do: 'user.leave' },
    { at: '1d', do: 'user.changePassword' },
  ],
  until: '3d',
};

describe('the trade-off sweep', () => {
  it('spans 1 minute to 30 days in twelve increasing, roughly log-spaced points', () => {
    expect(SWEEP_TTLS).toHaveLength(12);
    expect(SWEEP_TTLS[0]).toBe(60);
    expect(SWEEP_TTLS.at(-1)).toBe(30 * 86_400);
    for (let i = 1; i < SWEEP_TTLS.length; i++) {
      const ratio = SWEEP_TTLS[i]! / SWEEP_TTLS[i - 1]!;
      expect(ratio).toBeGreaterThan(1.5);
      expect(ratio).toBeLessThan(4);
    }
  });

  it('gives each point exactly the measures of a plain run of the same file', async () => {
    for (const [family, ttl] of [
      ['rotating-refresh', 600],
      ['access-only', 3_600],
      ['static-refresh', 86_400],
    ] as const) {
      const parsed = parseScenario(sweepScenarioJson(SCRIPT, family, ttl));
      if (!parsed.ok) throw new Error(parsed.error);
      const { metrics } = await runScenario(parsed.scenario);
      const point = await sweepPoint(SCRIPT, family, ttl);
      expect(point).toEqual({
        ttl,
        exposureSeconds: metrics.attacker.exposureSeconds,
        attackerCallsOk: metrics.attacker.apiCallsOk,
        passwordPrompts: metrics.user.passwordPrompts,
        tokenRequests: metrics.authServer.tokenRequests,
        stateLookups: metrics.authServer.stateLookups,
      });
      expect(parsed.scenario.config.accessToken.ttl).toBe(ttl);
    }
  });

  it('shows the trade-off: longer access tokens, fewer prompts, more exposure', async () => {
    const short = await sweepPoint(SCRIPT, 'access-only', 60);
    const long = await sweepPoint(SCRIPT, 'access-only', 86_400);
    expect(long.passwordPrompts).toBeLessThan(short.passwordPrompts);
    expect(long.exposureSeconds).toBeGreaterThan(short.exposureSeconds);
  });

  it('reports progress and errors as messages', async () => {
    const messages: SweepMessage[] = [];
    await runSweep({ id: 7, scenarioJson: { format: 'nope', steps: [] }, familyId: 'access-only' }, (m) => messages.push(m));
    expect(messages).toEqual([{ id: 7, kind: 'error', error: expect.stringMatching(/^format/) }]);
  });
});
