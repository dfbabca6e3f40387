import { describe, expect, it } from 'vitest';
import { parseScenario } from '../sim/scenario';
import { SANDBOX_SCENARIO, SANDBOX_SCENARIO_JSON } from './sandbox';

describe('the sandbox scenario literal', () => {
  it('is exactly what the validator makes of the sandbox file', () => {
    const parsed = parseScenario(SANDBOX_SCENARIO_JSON);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(SANDBOX_SCENARIO).toStrictEqual(parsed.scenario);
  });
});
