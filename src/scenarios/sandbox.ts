// The sandbox's starting point as a ready-made Scenario: the recommended setup (rotating refresh
// tokens), nothing scripted, the user signed out. A literal rather than a parsed file, so the
// first paint needs no validator; sandbox.test.ts checks it equals what parseScenario makes of
// SANDBOX_SCENARIO_JSON.
import { resolveConfig } from '../sim/config';
import type { Scenario } from '../sim/types';

export const SANDBOX_SCENARIO_JSON = {
  format: 'tokenscope/1',
  title: 'Sandbox',
  config: { preset: 'rotating-refresh' },
  steps: [],
} as const;

export const SANDBOX_SCENARIO: Scenario = {
  format: 'tokenscope/1',
  title: 'Sandbox',
  seed: 1,
  epoch: '2026-01-05T09:00:00Z',
  epochSeconds: 1_767_603_600,
  config: resolveConfig({ preset: 'rotating-refresh' }),
  behaviour: {},
  steps: [],
  until: null,
};
