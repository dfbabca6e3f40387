// Helpers for the core's tests: build scenarios from JSON literals (through the real parser, so
// tests speak the file format), run them, and pick results out of an outcome's trace.
import { parseScenario } from './scenario';
import type { Outcome, Party, Reason, Scenario, SimEvent, StepResult } from './types';
import { World } from './world';

/** A scenario file as JSON: `format` is filled in; `steps` defaults to none. */
export type ScenarioFile = Record<string, unknown>;

/** The example of SCENARIO-FORMAT.md "The file", verbatim. */
export const FORMAT_EXAMPLE = {
  format: 'tokenscope/1',
  title: 'Stolen refresh token: the client refreshes first',
  description: 'optional, plain text (never rendered as HTML)',
  epoch: '2026-01-05T09:00:00Z',
  config: {
    preset: 'rotating-refresh',
    accessToken: { ttl: '5m' },
    refreshToken: {
      rotation: true,
      reuseDetection: true,
      reuseInterval: '0s',
      idleTtl: null,
      absoluteTtl: '30d',
    },
    login: 'code-pkce',
    pkce: true,
    authServer: { signInSession: null, revokeGrantsOnPasswordChange: true },
    client: { type: 'public', storesPassword: false, tokenStorage: 'browser' },
    resourceServer: { validation: 'local', leeway: '0s' },
    senderConstraint: 'none',
  },
  behaviour: { user: { callApiEvery: '5m' }, attacker: { callApiEvery: '15m' } },
  steps: [
    { at: '0s', do: 'client.login' },
    { at: '10m', do: 'attacker.steal', what: 'refresh' },
    { at: '12m', do: 'client.refresh' },
    { at: '13m', do: 'attacker.refresh' },
  ],
  until: '1h',
};

export function scenarioOf(file: ScenarioFile): Scenario {
  const parsed = parseScenario({ format: 'tokenscope/1', steps: [], ...file });
  if (!parsed.ok) throw new Error(`test scenario is invalid: ${parsed.error}`);
  return parsed.scenario;
}

export async function worldOf(file: ScenarioFile): Promise<World> {
  return World.create(scenarioOf(file));
}

export async function run(file: ScenarioFile): Promise<Outcome> {
  return (await worldOf(file)).run();
}

/** The result of occurrence `nth` (0-based) of the step at file position `index`. */
export function stepResult(outcome: Outcome, index: number, nth = 0): StepResult {
  const found = outcome.steps.filter((s) => s.index === index)[nth];
  if (!found) throw new Error(`no result for steps[${index}] occurrence ${nth}`);
  return found;
}

/** Every step result with the trimmed shape tests compare against. */
export function results(outcome: Outcome): Array<{ at: number; do: string; ok: boolean; status: number | null; reason: Reason | null }> {
  return outcome.steps.map(({ at, do: action, ok, status, reason }) => ({ at, do: action, ok, status, reason }));
}

export function eventsOf<T extends SimEvent['type']>(events: readonly SimEvent[], type: T): Array<Extract<SimEvent, { type: T }>> {
  return events.filter((e): e is Extract<SimEvent, { type: T }> => e.type === type);
}

/** API responses the RS sent to `to`, in order: `[t, status, reason]`. */
export function apiCalls(events: readonly SimEvent[], to: Party): Array<[number, number, Reason | null]> {
  return eventsOf(events, 'ResponseSent')
    .filter((e) => e.endpoint === 'api' && e.to === to)
    .map((e) => [e.t, e.status, e.reason]);
}

/** Token-endpoint responses the AS sent to `to`: `[t, status, reason]`. */
export function tokenCalls(events: readonly SimEvent[], to: Party): Array<[number, number, Reason | null]> {
  return (
    eventsOf(events, 'ResponseSent')
      // A sign-in refused at the AS's page never reaches the token endpoint (SEMANTICS.md §10): it
      // is listed too, so a refused login reads the same under code + PKCE and the password grant.
      .filter((e) => (e.endpoint === 'token' || (e.endpoint === 'authorize' && e.status !== 302)) && e.to === to)
      .map((e) => [e.t, e.status, e.reason])
  );
}

/** Short step constructors: `step('5m', 'client.refresh')`, `step(0, 'attacker.steal', { what: 'both' })`. */
export function step(at: string | number, action: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { at, do: action, ...fields };
}

export const login = (at: string | number) => step(at, 'client.login');
export const callApi = (at: string | number) => step(at, 'client.callApi');
export const refresh = (at: string | number) => step(at, 'client.refresh');
export const logout = (at: string | number) => step(at, 'client.logout');
export const steal = (at: string | number, what: string) => step(at, 'attacker.steal', { what });
export const attackerCall = (at: string | number) => step(at, 'attacker.callApi');
export const attackerRefresh = (at: string | number) => step(at, 'attacker.refresh');
export const attackerLogin = (at: string | number) => step(at, 'attacker.login');

/** A plain, comparable copy of a trace (no shared object identity). */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
