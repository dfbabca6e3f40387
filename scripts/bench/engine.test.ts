import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/scenario';
import { World } from '../../src/sim/world';
import { cryptoFloor, cryptoWork, totalVerifies } from './engine';
import { WORKDAY_PRESETS, workdayJson, workdayScenario } from './workday';

describe('the benchmark script', () => {
  it('is the issue’s workday month: 8 h a day for 30 days, calls every 5 min, both tokens stolen on day 2, attacker every 15 min', () => {
    for (const preset of WORKDAY_PRESETS) {
      const s = workdayScenario(preset);
      expect(s.config.preset).toBe(preset);
      expect(s.until).toBe(30 * 86_400);
      expect(s.behaviour).toEqual({ user: { callApiEvery: 300 }, attacker: { callApiEvery: 900 } });
      expect(s.steps.map(({ at, do: action, repeat }) => ({ at, action, repeat }))).toEqual([
        { at: 0, action: 'user.arrive', repeat: { every: 86_400, times: 30 } },
        { at: 8 * 3600, action: 'user.leave', repeat: { every: 86_400, times: 30 } },
        { at: 86_400 + 2 * 3600 + 2 * 60, action: 'attacker.steal', repeat: undefined },
      ]);
      expect(s.steps[2]).toMatchObject({ what: 'both' });
    }
  });
});

describe('the crypto floor counts the jose calls a run makes', () => {
  it('one sign per issued or AS-signed forged token, one verify per RS check until the token is accepted, by outcome', async () => {
    const parsed = parseScenario({
      ...workdayJson('rotating-refresh'),
      behaviour: {},
      steps: [
        { at: 0, do: 'client.login' },
        { at: 10, do: 'client.callApi' },
        { at: 15, do: 'client.callApi' },
        { at: 20, do: 'attacker.steal', what: 'both' },
        { at: 30, do: 'attacker.forge', kind: 'own-key' },
        { at: 40, do: 'attacker.forge', kind: 'wrong-audience' },
        { at: 50, do: 'attacker.forge', kind: 'alg-none' },
        { at: 400, do: 'client.callApi' },
        { at: 410, do: 'client.refresh' },
        { at: 420, do: 'client.logout' },
        { at: 430, do: 'client.callApi' },
      ],
      until: '1h',
    });
    if (!parsed.ok) throw new Error(parsed.error);
    const outcome = await (await World.create(parsed.scenario)).run();
    const work = cryptoWork(outcome.events);
    // login + refresh issue two access tokens; the wrong-audience forgery is a genuine AS token.
    expect(work.signsAuthServer).toBe(3);
    expect(work.signsAttacker).toBe(1);
    // callApi ok, three forgeries (own key, other audience, alg none); the second call and the one
    // that finds the token expired present a token already accepted (jwt.ts's memo answers them,
    // no jose call); the last has no token.
    expect(work.verifies).toEqual({ ok: 1, expired: 0, bad_signature: 2, wrong_audience: 1 });
    expect(totalVerifies(work)).toBe(4);
    expect((await cryptoFloor(work)).ms).toBeGreaterThan(0);
  });
});
