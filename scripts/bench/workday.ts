// The benchmark's script, exactly as the performance issue describes it: a month of workdays.
// Alice's app is open 8 h a day (09:00–17:00) and calls the API every 5 minutes; on day 2 at
// 11:02 an attacker copies both tokens and from then on calls the API every 15 minutes. Nothing
// else happens (unlike src/scenarios/compare-seed-question.json, nobody changes the password), so
// the attacker keeps trying for 28 days.
import { parseScenario } from '../../src/sim/scenario';
import type { PresetId, Scenario } from '../../src/sim/types';

export const WORKDAY_PRESETS: readonly PresetId[] = ['rotating-refresh', 'short-access-only'];

export function workdayJson(preset: PresetId = 'rotating-refresh') {
  return {
    format: 'tokenscope/1',
    title: 'Benchmark: a month of workdays, both tokens stolen on day 2',
    description:
      'Alice uses the app 8 hours a day for 30 days; it calls the API every 5 minutes. On day 2 at 11:02 an attacker copies both tokens and calls the API every 15 minutes.',
    config: { preset },
    behaviour: { user: { callApiEvery: '5m' }, attacker: { callApiEvery: '15m' } },
    steps: [
      { at: '0s', do: 'user.arrive', repeat: { every: '1d', times: 30 } },
      { at: '8h', do: 'user.leave', repeat: { every: '1d', times: 30 } },
      { at: '1d2h2m', do: 'attacker.steal', what: 'both' },
    ],
    until: '30d',
  } as const;
}

export function workdayScenario(preset: PresetId = 'rotating-refresh'): Scenario {
  const parsed = parseScenario(workdayJson(preset));
  if (!parsed.ok) throw new Error(`the benchmark's own scenario is invalid: ${parsed.error}`);
  return parsed.scenario;
}
