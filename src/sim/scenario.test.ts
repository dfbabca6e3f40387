import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { PRESETS, PRESET_IDS } from './config';
import {
  endOf,
  isPresetId,
  parseScenario,
  parseScenarioText,
  scenarioToJson,
  stepOccurrences,
  withPreset,
  type ParseResult,
} from './scenario';
import { FORMAT_EXAMPLE } from './test-helpers';
import { ACTION_NAMES, type Scenario } from './types';

const FORMAT = 'tokenscope/1';
const ONE_LINE_ERROR = /^[^\n]+: [^\n]+$/;

/** The smallest valid file, plus whatever a test adds or overrides. */
function file(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { format: FORMAT, steps: [], ...fields };
}

function scenarioOf(input: unknown): Scenario {
  const result = parseScenario(input);
  if (!result.ok) throw new Error(`expected a valid scenario, got: ${result.error}`);
  return result.scenario;
}

function errorOf(input: unknown): string {
  const result = parseScenario(input);
  if (result.ok) throw new Error('expected a rejection');
  return result.error;
}

const errorOfSteps = (...steps: unknown[]) => errorOf(file({ steps }));
const errorOfConfig = (config: unknown) => errorOf(file({ config }));
const configOf = (config: unknown) => scenarioOf(file({ config })).config;

/** A file using every optional feature, for round trips and mutations. */
const RICH = {
  format: 'tokenscope/1',
  title: 'Everything at once',
  description: 'A line\nand another',
  goal: 'See the attacker lose access',
  seed: 42,
  epoch: '2026-03-01T12:00:00+01:00',
  config: {
    preset: 'long-lived-access',
    refreshToken: { idleTtl: '1d' },
    client: { type: 'confidential' },
    resourceServer: { leeway: 30 },
  },
  behaviour: { user: { callApiEvery: 300 } },
  steps: [
    { at: 0, do: 'user.arrive', lesson: { narration: 'The user opens the app.' } },
    {
      at: '1m',
      do: 'attacker.steal',
      what: 'both',
      lesson: {
        predict: {
          question: 'Will the stolen refresh token work?',
          choices: ['yes', 'no', 'only once'],
          answer: 2,
          explanation: 'Rotation.',
        },
      },
    },
    { at: '1m', do: 'attacker.callApi', repeat: { every: '10m', times: 5 } },
    { at: '5m', do: 'attacker.forge', kind: 'alg-none' },
    { at: '5m', do: 'attacker.forge' },
    { at: '1h', do: 'user.leave' },
  ],
  until: '2h',
};

describe('parseScenario: the documented example and defaults', () => {
  it('accepts the example of SCENARIO-FORMAT.md', () => {
    const scenario = scenarioOf(FORMAT_EXAMPLE);
    expect(scenario.config).toEqual(PRESETS['rotating-refresh']);
    expect(scenario.behaviour).toEqual({ user: { callApiEvery: 300 }, attacker: { callApiEvery: 900 } });
    expect(scenario.steps).toEqual([
      { at: 0, do: 'client.login' },
      { at: 600, do: 'attacker.steal', what: 'refresh' },
      { at: 720, do: 'client.refresh' },
      { at: 780, do: 'attacker.refresh' },
    ]);
    expect(scenario.until).toBe(3600);
  });

  it('needs only format and steps, and fills in every default', () => {
    expect(scenarioOf(file())).toStrictEqual({
      format: FORMAT,
      seed: 1,
      epoch: '2026-01-05T09:00:00Z',
      epochSeconds: 1_767_603_600,
      config: PRESETS['rotating-refresh'],
      behaviour: {},
      steps: [],
      until: null,
    });
  });

  it('keeps title, description and goal as plain strings', () => {
    const scenario = scenarioOf(file({ title: '<b>t</b>', description: 'd\ne', goal: 'g' }));
    expect(scenario).toMatchObject({ title: '<b>t</b>', description: 'd\ne', goal: 'g' });
  });

  it('accepts seed 0 and large safe seeds', () => {
    expect(scenarioOf(file({ seed: 0 })).seed).toBe(0);
    expect(scenarioOf(file({ seed: Number.MAX_SAFE_INTEGER })).seed).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('parseScenario: the top level', () => {
  it('requires format and steps', () => {
    expect(errorOf({ steps: [] })).toBe('(root): missing field "format"');
    expect(errorOf({ format: FORMAT })).toBe('(root): missing field "steps"');
  });

  it('reads only tokenscope/1', () => {
    expect(errorOf(file({ format: 'tokenscope/2' }))).toBe('format: unsupported format "tokenscope/2" (this version reads "tokenscope/1")');
    expect(errorOf(file({ format: 1 }))).toBe('format: unsupported format 1 (this version reads "tokenscope/1")');
  });

  it('rejects unknown fields, naming the object that holds them', () => {
    expect(errorOf(file({ titel: 'x' }))).toBe('(root): unknown field "titel"');
    expect(errorOf(file({ epochSeconds: 0 }))).toBe('(root): unknown field "epochSeconds"');
    expect(errorOfConfig({ client: { kind: 'public' } })).toBe('config.client: unknown field "kind"');
    expect(errorOf(file({ behaviour: { user: { callApiEvery: 60, jitter: 1 } } }))).toBe('behaviour.user: unknown field "jitter"');
    expect(errorOf(file({ behaviour: { admin: {} } }))).toBe('behaviour: unknown field "admin"');
  });

  it('rejects values that are not a scenario object', () => {
    expect(errorOf(null)).toBe('(root): expected an object, got null');
    expect(errorOf(undefined)).toBe('(root): expected an object, got nothing');
    expect(errorOf([])).toBe('(root): expected an object, got […]');
    expect(errorOf('{"format":"tokenscope/1"}')).toBe('(root): expected an object, got "{\\"format\\":\\"tokenscope/1\\"}"');
    expect(errorOf(7)).toBe('(root): expected an object, got 7');
    expect(errorOf(true)).toBe('(root): expected an object, got true');
  });

  it('rejects arrays where objects belong (valibot alone would accept them)', () => {
    expect(errorOfConfig([])).toBe('config: expected an object, got […]');
    expect(errorOf(file({ behaviour: [] }))).toBe('behaviour: expected an object, got […]');
    expect(errorOfSteps([])).toBe('steps[0]: expected an object, got […]');
  });

  it('checks seed', () => {
    expect(errorOf(file({ seed: -1 }))).toBe('seed: expected a whole number ≥ 0, got -1');
    expect(errorOf(file({ seed: 1.5 }))).toBe('seed: expected a whole number ≥ 0, got 1.5');
    expect(errorOf(file({ seed: '1' }))).toBe('seed: expected a whole number ≥ 0, got "1"');
    expect(errorOf(file({ seed: 2 ** 53 }))).toBe('seed: expected a whole number ≥ 0, got 9007199254740992');
  });

  it('caps the lengths of plain texts', () => {
    expect(scenarioOf(file({ title: 'x'.repeat(200) })).title).toHaveLength(200);
    expect(errorOf(file({ title: 'x'.repeat(201) }))).toBe('title: too long: 201 characters (at most 200)');
    expect(errorOf(file({ description: 'x'.repeat(5001) }))).toBe('description: too long: 5001 characters (at most 5000)');
    expect(errorOf(file({ goal: 'x'.repeat(5001) }))).toBe('goal: too long: 5001 characters (at most 5000)');
    expect(errorOf(file({ title: 5 }))).toBe('title: expected a string, got 5');
    expect(errorOf(file({ description: null }))).toBe('description: expected a string, got null');
  });

  it('checks steps is an array of at most 10,000 steps', () => {
    expect(errorOf(file({ steps: {} }))).toBe('steps: expected an array, got {…}');
    const steps = Array.from({ length: 10_000 }, () => ({ at: 0, do: 'client.callApi' }));
    expect(scenarioOf(file({ steps })).steps).toHaveLength(10_000);
    expect(errorOf(file({ steps: [...steps, { at: 0, do: 'client.callApi' }] }))).toBe('steps: needs 0 to 10000 steps, got 10001');
  });
});

describe('parseScenario: durations', () => {
  const ttl = (value: unknown) => configOf({ accessToken: { ttl: value } }).accessToken.ttl;

  it('reads whole seconds and unit strings', () => {
    expect(ttl(90)).toBe(90);
    expect(ttl('90s')).toBe(90);
    expect(ttl('5m')).toBe(300);
    expect(ttl('1h30m')).toBe(5400);
    expect(ttl('16m59s')).toBe(1019);
    expect(ttl('30d')).toBe(2_592_000);
    expect(ttl('1d2h3m4s')).toBe(93_784);
  });

  it('rejects anything else, with a hint', () => {
    for (const bad of ['5 min', '1.5m', '5m1h', '-5m', '+5m', '5', 'm', '5M', '1h 30m', '']) {
      expect(errorOfConfig({ accessToken: { ttl: bad } })).toBe(
        `config.accessToken.ttl: bad duration ${JSON.stringify(bad)} (use e.g. "90s", "5m", "1h30m")`,
      );
    }
    expect(errorOfConfig({ accessToken: { ttl: 1.5 } })).toBe('config.accessToken.ttl: bad duration 1.5 (use e.g. "90s", "5m", "1h30m")');
    expect(errorOfConfig({ accessToken: { ttl: -1 } })).toBe('config.accessToken.ttl: bad duration -1 (use e.g. "90s", "5m", "1h30m")');
    expect(errorOfConfig({ accessToken: { ttl: true } })).toBe('config.accessToken.ttl: bad duration true (use e.g. "90s", "5m", "1h30m")');
    expect(errorOfConfig({ accessToken: { ttl: ['5m'] } })).toBe(
      'config.accessToken.ttl: bad duration […] (use e.g. "90s", "5m", "1h30m")',
    );
  });

  it('allows null only for idleTtl and absoluteTtl', () => {
    const refresh = configOf({ refreshToken: { idleTtl: null, absoluteTtl: null } }).refreshToken;
    expect(refresh).toMatchObject({ idleTtl: null, absoluteTtl: null });
    expect(errorOfConfig({ resourceServer: { leeway: null } })).toBe(
      'config.resourceServer.leeway: bad duration null (null means unlimited, allowed only for idleTtl and absoluteTtl)',
    );
    expect(errorOf(file({ until: null }))).toBe(
      'until: bad duration null (null means unlimited, allowed only for idleTtl and absoluteTtl)',
    );
  });

  it('requires at least 1s for the access-token ttl and callApiEvery', () => {
    expect(errorOfConfig({ accessToken: { ttl: '0s' } })).toBe('config.accessToken.ttl: must be at least 1s, got 0s');
    expect(errorOf(file({ behaviour: { attacker: { callApiEvery: 0 } } }))).toBe(
      'behaviour.attacker.callApiEvery: must be at least 1s, got 0s',
    );
  });

  it('allows zero elsewhere, repeat.every included (several occurrences at one instant)', () => {
    const repeated = scenarioOf(file({ steps: [{ at: 5, do: 'client.callApi', repeat: { every: '0m', times: 3 } }] }));
    expect(repeated.steps[0]!.repeat).toEqual({ every: 0, times: 3 });
    expect(stepOccurrences(repeated).map((o) => o.at)).toEqual([5, 5, 5]);
    expect(endOf(repeated)).toBe(5);
    expect(configOf({ resourceServer: { leeway: 0 } }).resourceServer.leeway).toBe(0);
    expect(scenarioOf(file({ steps: [{ at: 0, do: 'client.login' }], until: '0s' })).until).toBe(0);
  });
});

describe('parseScenario: config', () => {
  it('starts from rotating-refresh, or from the named preset', () => {
    expect(configOf({})).toEqual(PRESETS['rotating-refresh']);
    for (const preset of PRESET_IDS) expect(configOf({ preset })).toEqual(PRESETS[preset]);
  });

  it('rejects unknown presets, including names that live on Object.prototype', () => {
    expect(errorOfConfig({ preset: 'x' })).toBe('config.preset: unknown preset "x"');
    expect(errorOfConfig({ preset: 'constructor' })).toBe('config.preset: unknown preset "constructor"');
    expect(errorOfConfig({ preset: '__proto__' })).toBe('config.preset: unknown preset "__proto__"');
    expect(errorOfConfig({ preset: null })).toBe('config.preset: unknown preset null');
  });

  it('merges field by field', () => {
    expect(configOf({ preset: 'static-refresh', accessToken: { ttl: '1m' }, refreshToken: { idleTtl: '1d' } })).toEqual({
      ...PRESETS['static-refresh'],
      accessToken: { ttl: 60 },
      refreshToken: { ...PRESETS['static-refresh'].refreshToken, idleTtl: 86_400 },
    });
    expect(configOf({ login: 'password-grant', client: { storesPassword: true } }).client).toEqual({
      type: 'public',
      storesPassword: true,
      tokenStorage: 'browser',
    });
    expect(configOf({ resourceServer: { validation: 'introspection' } }).resourceServer).toEqual({
      validation: 'introspection',
      leeway: 0,
    });
  });

  it('reads refreshToken null as "no refresh tokens"', () => {
    expect(configOf({ refreshToken: null }).refreshToken).toBeNull();
    expect(configOf({ preset: 'dpop-bound', refreshToken: null })).toEqual({
      ...PRESETS['dpop-bound'],
      refreshToken: null,
    });
  });

  it('starts a refreshToken object on a preset without refresh tokens from the rotating values', () => {
    expect(configOf({ preset: 'long-lived-access', refreshToken: {} }).refreshToken).toEqual(PRESETS['rotating-refresh'].refreshToken);
    expect(configOf({ preset: 'long-lived-access', refreshToken: { absoluteTtl: '7d' } })).toEqual({
      ...PRESETS['long-lived-access'],
      refreshToken: { ...PRESETS['rotating-refresh'].refreshToken, absoluteTtl: 604_800 },
    });
  });

  it('refuses reuse detection or a reuse interval without rotation', () => {
    expect(errorOfConfig({ preset: 'static-refresh', refreshToken: { reuseDetection: true } })).toBe(
      'config.refreshToken.reuseDetection: reuse detection needs rotation (rotation: true)',
    );
    // The merged value counts: rotating-refresh has reuse detection on.
    expect(errorOfConfig({ refreshToken: { rotation: false } })).toBe(
      'config.refreshToken.reuseDetection: reuse detection needs rotation (rotation: true)',
    );
    expect(errorOfConfig({ preset: 'static-refresh', refreshToken: { reuseInterval: '30s' } })).toBe(
      'config.refreshToken.reuseInterval: a reuse interval needs rotation (rotation: true)',
    );
    expect(configOf({ refreshToken: { rotation: false, reuseDetection: false } }).refreshToken).toMatchObject({
      rotation: false,
      reuseDetection: false,
    });
    expect(configOf({ refreshToken: { reuseInterval: '2s' } }).refreshToken?.reuseInterval).toBe(2);
  });

  it('accepts the dpop sender constraint and checks the enumerations', () => {
    expect(configOf({ senderConstraint: 'dpop' }).senderConstraint).toBe('dpop');
    expect(errorOfConfig({ senderConstraint: 'mtls' })).toBe('config.senderConstraint: expected one of "none", "dpop", got "mtls"');
    expect(errorOfConfig({ client: { type: 'private' } })).toBe(
      'config.client.type: expected one of "public", "confidential", got "private"',
    );
    expect(errorOfConfig({ resourceServer: { validation: 'remote' } })).toBe(
      'config.resourceServer.validation: expected one of "local", "introspection", got "remote"',
    );
    expect(errorOfConfig({ refreshToken: { rotation: 'yes' } })).toBe('config.refreshToken.rotation: expected true or false, got "yes"');
  });
});

describe('parseScenario: steps', () => {
  it('accepts every action', () => {
    const steps = ACTION_NAMES.map((name) => ({
      at: 0,
      do: name,
      ...(name === 'attacker.steal' && { what: 'access' }),
    }));
    expect(scenarioOf(file({ steps })).steps.map((step) => step.do)).toEqual(ACTION_NAMES);
  });

  it('rejects unknown actions and a missing "do"', () => {
    expect(errorOfSteps({ at: 0, do: 'client.login' }, { at: 0, do: 'client.fly' })).toBe('steps[1].do: unknown action "client.fly"');
    expect(errorOfSteps({ at: 0, do: 'constructor' })).toBe('steps[0].do: unknown action "constructor"');
    expect(errorOfSteps({ at: 0, do: 3 })).toBe('steps[0].do: unknown action 3');
    expect(errorOfSteps({ at: 0 })).toBe('steps[0]: missing field "do"');
    expect(errorOfSteps({ do: 'client.login' })).toBe('steps[0]: missing field "at"');
    expect(errorOfSteps(null)).toBe('steps[0]: expected an object, got null');
  });

  it('requires "what" on attacker.steal, and allows it nowhere else', () => {
    for (const what of ['access', 'refresh', 'both', 'password', 'clientSecret'] as const) {
      expect(scenarioOf(file({ steps: [{ at: 0, do: 'attacker.steal', what }] })).steps[0]).toEqual({
        at: 0,
        do: 'attacker.steal',
        what,
      });
    }
    expect(errorOfSteps({ at: 0, do: 'attacker.steal' })).toBe('steps[0]: missing field "what"');
    expect(errorOfSteps({ at: 0, do: 'attacker.steal', what: 'cookie' })).toBe(
      'steps[0].what: expected one of "access", "refresh", "both", "password", "clientSecret", "all", got "cookie"',
    );
    expect(errorOfSteps({ at: 0, do: 'client.login', what: 'access' })).toBe('steps[0]: unknown field "what"');
    expect(errorOfSteps({ at: 0, do: 'attacker.steal', what: 'access', kind: 'own-key' })).toBe('steps[0]: unknown field "kind"');
  });

  it('takes an optional "kind" on attacker.forge only', () => {
    expect(scenarioOf(file({ steps: [{ at: 0, do: 'attacker.forge' }] })).steps[0]).toStrictEqual({
      at: 0,
      do: 'attacker.forge',
    });
    for (const kind of ['own-key', 'alg-none', 'wrong-audience'] as const) {
      expect(scenarioOf(file({ steps: [{ at: 0, do: 'attacker.forge', kind }] })).steps[0]).toEqual({
        at: 0,
        do: 'attacker.forge',
        kind,
      });
    }
    expect(errorOfSteps({ at: 0, do: 'attacker.forge', kind: 'hs256' })).toBe(
      'steps[0].kind: expected one of "own-key", "alg-none", "wrong-audience", got "hs256"',
    );
    expect(errorOfSteps({ at: 0, do: 'attacker.callApi', kind: 'alg-none' })).toBe('steps[0]: unknown field "kind"');
  });

  it('requires non-decreasing "at" order (equal times allowed)', () => {
    const login = { at: '10m', do: 'client.login' };
    expect(scenarioOf(file({ steps: [login, login] })).steps).toHaveLength(2);
    expect(errorOfSteps({ at: 0, do: 'client.login' }, { at: '15m', do: 'client.callApi' }, login)).toBe(
      'steps[2].at: steps must be in non-decreasing "at" order (10m after 15m)',
    );
  });

  it('checks repeat', () => {
    const callApi = (repeat: unknown) => ({ at: 0, do: 'client.callApi', repeat });
    expect(scenarioOf(file({ steps: [callApi({ every: '1m', times: 3 })] })).steps[0]?.repeat).toEqual({
      every: 60,
      times: 3,
    });
    expect(errorOfSteps(callApi({ every: '1m', times: 0 }))).toBe('steps[0].repeat.times: expected a whole number ≥ 1, got 0');
    expect(errorOfSteps(callApi({ every: '1m', times: 1.5 }))).toBe('steps[0].repeat.times: expected a whole number ≥ 1, got 1.5');
    expect(errorOfSteps(callApi({ every: '1m' }))).toBe('steps[0].repeat: missing field "times"');
    expect(errorOfSteps(callApi({ times: 2 }))).toBe('steps[0].repeat: missing field "every"');
    expect(errorOfSteps(callApi({ every: '1m', times: 2, until: '1h' }))).toBe('steps[0].repeat: unknown field "until"');
  });

  it('caps the total number of occurrences at 10,000 (budget.ts)', () => {
    const callApi = (times: number) => ({ at: 0, do: 'client.callApi', repeat: { every: 1, times } });
    expect(scenarioOf(file({ steps: [callApi(6_000), callApi(4_000)] })).steps).toHaveLength(2);
    expect(errorOfSteps(callApi(6_000), callApi(4_001))).toBe('steps[1].repeat.times: too many step occurrences (over 10000 in all)');
    expect(errorOfSteps(callApi(Number.MAX_SAFE_INTEGER))).toBe('steps[0].repeat.times: too many step occurrences (over 10000 in all)');
  });

  it('refuses a repeat whose last occurrence is past the longest run (100 years) or beyond safe integers', () => {
    const past = 'the last repeat is past the longest run, 100 years (36500d)';
    expect(errorOfSteps({ at: 0, do: 'client.callApi', repeat: { every: Number.MAX_SAFE_INTEGER, times: 3 } })).toBe(
      `steps[0].repeat: ${past}`,
    );
    expect(errorOfSteps({ at: 0, do: 'client.callApi', repeat: { every: '18251d', times: 3 } })).toBe(`steps[0].repeat: ${past}`);
    expect(scenarioOf(file({ steps: [{ at: 0, do: 'client.callApi', repeat: { every: '18250d', times: 3 } }] })).steps).toHaveLength(1);
  });

  it('refuses a step or an until past the longest run (100 years): no instant the app shows is past a real date', () => {
    expect(errorOfSteps({ at: '36500d1s', do: 'client.login' })).toBe('steps[0].at: 36500d1s is past the longest run, 100 years (36500d)');
    expect(errorOfSteps({ at: 9e15, do: 'client.login' })).toBe(
      'steps[0].at: 104166666666d16h is past the longest run, 100 years (36500d)',
    );
    expect(errorOf(file({ steps: [], until: '36500d1s' }))).toBe('until: 36500d1s is past the longest run, 100 years (36500d)');
    expect(scenarioOf(file({ steps: [], until: '36500d' })).until).toBe(36500 * 86_400);
  });
});

describe('parseScenario: until', () => {
  const steps = [
    { at: 0, do: 'client.login' },
    { at: 0, do: 'client.callApi', repeat: { every: '1h', times: 3 } },
  ];

  it('defaults to null (the last occurrence)', () => {
    expect(scenarioOf(file({ steps })).until).toBeNull();
  });

  it('allows an occurrence exactly at until', () => {
    expect(scenarioOf(file({ steps, until: '2h' })).until).toBe(7200);
  });

  it('refuses an occurrence after until, naming the first one', () => {
    expect(errorOf(file({ steps, until: '1h' }))).toBe('until: step occurrence at 2h (steps[1], repeat 3) is after until 1h');
    expect(errorOf(file({ steps, until: '59m' }))).toBe('until: step occurrence at 1h (steps[1], repeat 2) is after until 59m');
    expect(errorOf(file({ steps: [{ at: '2h', do: 'client.login' }], until: '1h' }))).toBe(
      'until: step occurrence at 2h (steps[0]) is after until 1h',
    );
    expect(errorOf(file({ steps: [{ at: '2h', do: 'client.login', repeat: { every: '1m', times: 2 } }], until: '1h' }))).toBe(
      'until: step occurrence at 2h (steps[0], repeat 1) is after until 1h',
    );
  });
});

describe('parseScenario: epoch', () => {
  const epochSecondsOf = (epoch: string) => scenarioOf(file({ epoch })).epochSeconds;

  it('converts RFC 3339 date-times to Unix seconds', () => {
    // Expected values from Date.parse in Node.
    const known: Array<[string, number]> = [
      ['2026-01-05T09:00:00Z', 1_767_603_600],
      ['1970-01-01T00:00:00Z', 0],
      ['1969-12-31T23:59:59Z', -1],
      ['2000-02-29T12:34:56Z', 951_827_696],
      ['1900-03-01T00:00:00Z', -2_203_891_200],
      ['2024-12-31T23:59:59-05:30', 1_735_709_399],
      ['2100-03-01T00:00:00+14:00', 4_107_492_000],
      ['0000-01-01T00:00:00Z', -62_167_219_200],
      ['9999-12-31T23:59:59Z', 253_402_300_799],
    ];
    for (const [epoch, seconds] of known) expect(epochSecondsOf(epoch)).toBe(seconds);
  });

  it('keeps the text as written', () => {
    expect(scenarioOf(file({ epoch: '2026-01-05T10:00:00+01:00' }))).toMatchObject({
      epoch: '2026-01-05T10:00:00+01:00',
      epochSeconds: 1_767_603_600,
    });
  });

  it('accepts lower-case t and z, -00:00, and zero fractions', () => {
    expect(epochSecondsOf('2026-01-05t09:00:00z')).toBe(1_767_603_600);
    expect(epochSecondsOf('2026-01-05T09:00:00-00:00')).toBe(1_767_603_600);
    expect(epochSecondsOf('2026-01-05T09:00:00.000Z')).toBe(1_767_603_600);
  });

  it('refuses malformed date-times', () => {
    for (const epoch of [
      '2026-01-05',
      '2026-01-05T09:00:00',
      '2026-01-05 09:00:00Z',
      '2026-01-05T09:00Z',
      '2026-1-5T09:00:00Z',
      '2026-01-05T09:00:00+0100',
      '2026-01-05T09:00:00.Z',
      '+2026-01-05T09:00:00Z',
      ' 2026-01-05T09:00:00Z',
      '',
    ]) {
      expect(errorOf(file({ epoch }))).toBe(`epoch: bad date-time ${JSON.stringify(epoch)} (use RFC 3339, e.g. "2026-01-05T09:00:00Z")`);
    }
    expect(errorOf(file({ epoch: 1_767_603_600 }))).toBe('epoch: expected an RFC 3339 date-time string, got 1767603600');
  });

  it('refuses dates and times that do not exist', () => {
    for (const epoch of [
      '2026-02-29T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-01-00T00:00:00Z',
      '2026-01-05T24:00:00Z',
      '2026-01-05T09:60:00Z',
      '2016-12-31T23:59:60Z',
      '2026-01-05T09:00:00+24:00',
      '2026-01-05T09:00:00+01:60',
    ]) {
      expect(errorOf(file({ epoch }))).toBe(`epoch: no such date-time ${JSON.stringify(epoch)}`);
    }
    expect(epochSecondsOf('2024-02-29T00:00:00Z')).toBe(1_709_164_800);
  });

  it('refuses non-zero fractional seconds', () => {
    expect(errorOf(file({ epoch: '2026-01-05T09:00:00.5Z' }))).toBe('epoch: fractional seconds must be zero, got "2026-01-05T09:00:00.5Z"');
  });

  it('agrees with Date.parse on any instant and offset', () => {
    const instant = fc.integer({ min: -62_135_596_800, max: 253_402_300_799 }); // years 0001 to 9999
    const offset = fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }); // minutes
    fc.assert(
      fc.property(instant, offset, (seconds, offsetMinutes) => {
        // Write the instant's local wall time at that offset, then the offset itself.
        const wall = new Date((seconds + offsetMinutes * 60) * 1000).toISOString().slice(0, 19);
        if (!/^\d{4}-/.test(wall)) return; // local time outside years 0000 to 9999
        const abs = Math.abs(offsetMinutes);
        const zone = `${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        const text = `${wall}${zone}`;
        expect(epochSecondsOf(text)).toBe(seconds);
        expect(epochSecondsOf(text)).toBe(Date.parse(text) / 1000);
      }),
    );
  });
});

describe('parseScenario: lessons', () => {
  const predict = { question: 'What happens?', choices: ['a', 'b', 'c'], answer: 1, explanation: 'Because.' };
  const withLesson = (lesson: unknown) => ({ at: 0, do: 'client.login', lesson });

  it('accepts goal, narration and predict', () => {
    const scenario = scenarioOf(file({ goal: 'Learn', steps: [withLesson({ narration: 'Hello', predict })] }));
    expect(scenario.goal).toBe('Learn');
    expect(scenario.steps[0]?.lesson).toEqual({ narration: 'Hello', predict });
    expect(scenarioOf(file({ steps: [withLesson({})] })).steps[0]?.lesson).toEqual({});
  });

  it('requires 2 to 4 choices and an answer among them', () => {
    expect(errorOfSteps(withLesson({ predict: { ...predict, choices: ['a'], answer: 0 } }))).toBe(
      'steps[0].lesson.predict.choices: needs 2 to 4 choices, got 1',
    );
    expect(errorOfSteps(withLesson({ predict: { ...predict, choices: ['a', 'b', 'c', 'd', 'e'] } }))).toBe(
      'steps[0].lesson.predict.choices: needs 2 to 4 choices, got 5',
    );
    expect(errorOfSteps(withLesson({ predict: { ...predict, choices: ['a', 2] } }))).toBe(
      'steps[0].lesson.predict.choices[1]: expected a string, got 2',
    );
    expect(errorOfSteps(withLesson({ predict: { ...predict, answer: 3 } }))).toBe(
      'steps[0].lesson.predict.answer: must be the index of one of the 3 choices (0 to 2), got 3',
    );
    expect(errorOfSteps(withLesson({ predict: { ...predict, answer: -1 } }))).toBe(
      'steps[0].lesson.predict.answer: expected a whole number ≥ 0, got -1',
    );
    expect(errorOfSteps(withLesson({ predict: { ...predict, answer: '1' } }))).toBe(
      'steps[0].lesson.predict.answer: expected a whole number ≥ 0, got "1"',
    );
  });

  it('requires every predict field and allows no others', () => {
    const { explanation: _, ...withoutExplanation } = predict;
    expect(errorOfSteps(withLesson({ predict: withoutExplanation }))).toBe('steps[0].lesson.predict: missing field "explanation"');
    expect(errorOfSteps(withLesson({ predict: { ...predict, hint: 'x' } }))).toBe('steps[0].lesson.predict: unknown field "hint"');
    expect(errorOfSteps(withLesson({ naration: 'typo' }))).toBe('steps[0].lesson: unknown field "naration"');
    expect(errorOfSteps(withLesson({ narration: 'x'.repeat(5001) }))).toBe(
      'steps[0].lesson.narration: too long: 5001 characters (at most 5000)',
    );
  });
});

describe("parseScenario: a prediction's expected result", () => {
  const predict = { question: 'What happens?', choices: ['a', 'b'], answer: 1, explanation: 'Because.' };
  const withExpect = (expect: unknown) => ({ at: 0, do: 'client.login', lesson: { predict: { ...predict, expect } } });

  it('accepts a success, a refusal with or without its reason and status, and nothing at all', () => {
    for (const wanted of [
      { ok: true },
      { ok: true, reason: null, status: 200 },
      { ok: false },
      { ok: false, reason: 'reused', status: 400 },
      { ok: false, reason: 'no_token', status: null },
    ]) {
      expect(scenarioOf(file({ steps: [withExpect(wanted)] })).steps[0]?.lesson?.predict?.expect).toEqual(wanted);
    }
    expect(scenarioOf(file({ steps: [{ at: 0, do: 'client.login', lesson: { predict } }] })).steps[0]?.lesson?.predict).toEqual(predict);
  });

  it('names the field of a wrong expectation', () => {
    expect(errorOfSteps(withExpect({ reason: 'reused' }))).toBe('steps[0].lesson.predict.expect: missing field "ok"');
    expect(errorOfSteps(withExpect({ ok: 'no' }))).toBe('steps[0].lesson.predict.expect.ok: expected true or false, got "no"');
    expect(errorOfSteps(withExpect({ ok: false, reason: 'stolen' }))).toMatch(
      /^steps\[0\]\.lesson\.predict\.expect\.reason: expected one of "no_token", .*, got "stolen"$/,
    );
    expect(errorOfSteps(withExpect({ ok: true, reason: 'expired' }))).toBe(
      'steps[0].lesson.predict.expect.reason: a success has no reason (give "ok": false, or leave "reason" out)',
    );
    expect(errorOfSteps(withExpect({ ok: false, status: 99 }))).toBe(
      'steps[0].lesson.predict.expect.status: expected a whole number ≥ 100, got 99',
    );
    expect(errorOfSteps(withExpect({ ok: false, status: 600 }))).toBe(
      'steps[0].lesson.predict.expect.status: expected an HTTP status (100 to 599), got 600',
    );
    expect(errorOfSteps(withExpect({ ok: false, why: 'x' }))).toBe('steps[0].lesson.predict.expect: unknown field "why"');
  });
});

describe('parseScenario: hostile input', () => {
  it('treats a JSON __proto__ key as an unknown field and pollutes nothing', () => {
    const input: unknown = JSON.parse(`{"__proto__": {"polluted": true}, "format": "${FORMAT}", "steps": []}`);
    expect(errorOf(input)).toBe('(root): unknown field "__proto__"');
    expect(errorOf(JSON.parse('{"__proto__": {"steps": []}, "format": "tokenscope/1"}'))).toBe('(root): missing field "steps"');
    expect(errorOfConfig(JSON.parse('{"__proto__": {"preset": "x"}}'))).toBe('config: unknown field "__proto__"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('treats constructor and toString keys as unknown fields', () => {
    expect(errorOf(file({ constructor: 1 }))).toBe('(root): unknown field "constructor"');
    expect(errorOfSteps({ at: 0, do: 'client.login', toString: 'x' })).toBe('steps[0]: unknown field "toString"');
  });

  it('survives nesting 10,000 deep', () => {
    const deep: unknown = JSON.parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    const deepObject: unknown = JSON.parse(`${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`);
    expect(errorOf(deep)).toBe('(root): expected an object, got […]');
    expect(errorOf(file({ steps: deep }))).toBe('steps[0]: expected an object, got […]');
    expect(errorOf(file({ title: deepObject }))).toBe('title: expected a string, got {…}');
    expect(errorOf(file({ config: deepObject }))).toBe('config: unknown field "a"');
    expect(errorOfSteps({ at: 0, do: 'client.login', lesson: { predict: { ...(deepObject as object) } } })).toBe(
      'steps[0].lesson.predict: missing field "question"',
    );
  });

  it('refuses huge arrays at once', () => {
    expect(errorOf(file({ steps: new Array(1_000_000).fill(0) }))).toBe('steps: needs 0 to 10000 steps, got 1000000');
    const choices = new Array(1_000_000).fill('x');
    expect(
      errorOfSteps({
        at: 0,
        do: 'client.login',
        lesson: { predict: { question: 'q', choices, answer: 0, explanation: 'e' } },
      }),
    ).toBe('steps[0].lesson.predict.choices: needs 2 to 4 choices, got 1000000');
  });

  it('keeps messages short and on one line whatever the input holds', () => {
    const long = errorOf(file({ format: 'x'.repeat(1_000_000) }));
    expect(long.length).toBeLessThan(200);
    expect(errorOf(file({ 'bad\nkey': 1 }))).toBe('(root): unknown field "bad\\nkey"');
    expect(errorOf(file({ 'sep\u2028key': 1 }))).toBe('(root): unknown field "sep\\u2028key"');
    expect(errorOf(file({ format: 'a\r\nb' }))).toBe('format: unsupported format "a\\r\\nb" (this version reads "tokenscope/1")');
  });

  it('never throws on values JSON cannot even hold', () => {
    expect(errorOf(Symbol('s'))).toBe('(root): expected an object, got a symbol');
    expect(errorOf(10n)).toBe('(root): expected an object, got 10');
    expect(errorOf(() => 1)).toBe('(root): expected an object, got a function');
    expect(errorOf(file({ seed: Number.NaN }))).toBe('seed: expected a whole number ≥ 0, got NaN');
    expect(errorOf(file({ seed: Number.POSITIVE_INFINITY }))).toBe('seed: expected a whole number ≥ 0, got Infinity');
    const throwing = Object.defineProperty(file(), 'title', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(errorOf(throwing)).toBe('(root): cannot be read as plain JSON data');
    const nullPrototype = Object.assign(Object.create(null) as object, file());
    expect(parseScenario(nullPrototype).ok).toBe(true);
  });
});

describe('parseScenarioText', () => {
  it('parses JSON, then validates it', () => {
    expect(parseScenarioText(JSON.stringify(FORMAT_EXAMPLE))).toEqual(parseScenario(FORMAT_EXAMPLE));
    expect(parseScenarioText('{"format": "tokenscope/1", "steps": [], "titel": ""}')).toEqual({
      ok: false,
      error: '(root): unknown field "titel"',
    });
  });

  it('accepts a byte-order mark', () => {
    expect(parseScenarioText(`\uFEFF${JSON.stringify(file())}`).ok).toBe(true);
  });

  it('reports invalid JSON on one line', () => {
    for (const text of ['', '{', '{"format": "tokenscope/1",\n}', "{'a': 1}", 'nope', '{"a": 1}\n\n}']) {
      const result = parseScenarioText(text);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error).toMatch(/^\(file\): not valid JSON: /);
        expect(result.error).toMatch(ONE_LINE_ERROR);
      }
    }
  });
});

describe('presets', () => {
  it('isPresetId knows exactly the presets', () => {
    for (const id of PRESET_IDS) expect(isPresetId(id)).toBe(true);
    for (const id of ['x', '', 'constructor', '__proto__', 'toString', 'Rotating-refresh']) {
      expect(isPresetId(id)).toBe(false);
    }
  });

  it('withPreset replaces the whole config and nothing else', () => {
    const scenario = scenarioOf(RICH);
    for (const id of PRESET_IDS) {
      const replaced = withPreset(scenario, id);
      expect(replaced.config).toEqual(PRESETS[id]);
      expect({ ...replaced, config: scenario.config }).toEqual(scenario);
    }
    // A fresh copy: changing it does not change the preset table.
    const replaced = withPreset(scenario, 'static-refresh');
    replaced.config.accessToken.ttl = 1;
    expect(PRESETS['static-refresh'].accessToken.ttl).toBe(300);
  });
});

describe('scenarioToJson', () => {
  it('writes the file format: duration strings, config in full, no epochSeconds', () => {
    const json = scenarioToJson(scenarioOf(file({ steps: [{ at: 90, do: 'client.login' }], until: 5400 })));
    expect(json).toStrictEqual({
      format: FORMAT,
      seed: 1,
      epoch: '2026-01-05T09:00:00Z',
      config: {
        preset: 'rotating-refresh',
        accessToken: { ttl: '5m' },
        refreshToken: { rotation: true, reuseDetection: true, reuseInterval: '0s', idleTtl: null, absoluteTtl: '30d' },
        login: 'code-pkce',
        pkce: true,
        authServer: { signInSession: null, revokeGrantsOnPasswordChange: true },
        client: { type: 'public', storesPassword: false, tokenStorage: 'browser' },
        resourceServer: { validation: 'local', leeway: '0s' },
        senderConstraint: 'none',
      },
      behaviour: {},
      steps: [{ at: '1m30s', do: 'client.login' }],
      until: '1h30m',
    });
  });

  it('round-trips through parseScenario and through JSON text', () => {
    for (const input of [FORMAT_EXAMPLE, RICH, file(), file({ config: { refreshToken: null } })]) {
      const scenario = scenarioOf(input);
      expect(scenarioOf(scenarioToJson(scenario))).toStrictEqual(scenario);
      const again = parseScenarioText(JSON.stringify(scenarioToJson(scenario)));
      expect(again).toStrictEqual({ ok: true, scenario });
    }
    for (const id of PRESET_IDS) {
      const scenario = withPreset(scenarioOf(RICH), id);
      expect(scenarioOf(scenarioToJson(scenario))).toStrictEqual(scenario);
    }
  });

  it('shares nothing with the scenario', () => {
    const scenario = scenarioOf(RICH);
    const json = scenarioToJson(scenario) as { steps: Array<{ lesson?: { predict?: { choices: string[] } } }> };
    json.steps[1]?.lesson?.predict?.choices.push('changed');
    expect(scenario.steps[1]?.lesson?.predict?.choices).toEqual(['yes', 'no', 'only once']);
  });
});

describe('stepOccurrences and endOf', () => {
  it('expands repeats and orders by time, ties in file order', () => {
    const scenario = scenarioOf(
      file({
        steps: [
          { at: 0, do: 'client.login' },
          { at: '1m', do: 'client.callApi', repeat: { every: '2m', times: 3 } },
          { at: '1m', do: 'attacker.callApi', repeat: { every: '1m', times: 3 } },
          { at: '3m', do: 'client.refresh' },
        ],
      }),
    );
    const occurrences = stepOccurrences(scenario).map(({ index, at, step }) => [index, at, step.do]);
    expect(occurrences).toEqual([
      [0, 0, 'client.login'],
      [1, 60, 'client.callApi'],
      [2, 60, 'attacker.callApi'],
      [2, 120, 'attacker.callApi'],
      [1, 180, 'client.callApi'],
      [2, 180, 'attacker.callApi'],
      [3, 180, 'client.refresh'],
      [1, 300, 'client.callApi'],
    ]);
    expect(stepOccurrences(scenario)[1]?.step).toBe(scenario.steps[1]);
    expect(endOf(scenario)).toBe(300);
  });

  it('ends at until when given, else at the last occurrence, else at 0', () => {
    expect(endOf(scenarioOf(file()))).toBe(0);
    expect(endOf(scenarioOf(file({ until: '1h' })))).toBe(3600);
    expect(endOf(scenarioOf(FORMAT_EXAMPLE))).toBe(3600);
    expect(endOf(scenarioOf({ ...FORMAT_EXAMPLE, until: undefined }))).toBe(780);
    expect(stepOccurrences(scenarioOf(file()))).toEqual([]);
  });

  it('expands 10,000 occurrences quickly', () => {
    const scenario = scenarioOf(file({ steps: [{ at: 0, do: 'client.callApi', repeat: { every: 1, times: 10_000 } }] }));
    expect(stepOccurrences(scenario)).toHaveLength(10_000);
    expect(endOf(scenario)).toBe(9_999);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

/** Checks the contract on one input: no throw, one-line `path: message` errors, round trips. */
function checkContract(input: unknown): ParseResult {
  const result = parseScenario(input);
  if (result.ok) {
    expect(scenarioOf(scenarioToJson(result.scenario))).toStrictEqual(result.scenario);
  } else {
    expect(result.error).toMatch(ONE_LINE_ERROR);
  }
  return result;
}

/** Every place in a JSON value, as a path of keys. */
function placesIn(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  const places = [path];
  if (Array.isArray(value)) value.forEach((item, i) => places.push(...placesIn(item, [...path, i])));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) places.push(...placesIn(item, [...path, key]));
  }
  return places;
}

type Mutation = { kind: 'replace' | 'delete' | 'add'; place: number; key: string; value: unknown };

function mutate(original: unknown, { kind, place, key, value }: Mutation): unknown {
  const root = structuredClone(original);
  const places = placesIn(root);
  const path = places[place % places.length] ?? [];
  if (path.length === 0) return kind === 'replace' ? value : root;
  let parent = root as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (kind === 'replace') parent[last] = value;
  else if (kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    const target = parent[last];
    if (Array.isArray(target)) target.push(value);
    else if (target && typeof target === 'object') Object.defineProperty(target, key, { value, enumerable: true });
    else parent[last] = value;
  }
  return root;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('replace', 'delete', 'add'),
  place: fc.nat(),
  key: fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'what', 'kind', 'repeat', 'lesson')),
  value: fc.oneof(
    fc.jsonValue(),
    fc.constantFrom('5m', '0s', 0, 1, null, 'attacker.steal', 'refresh', 'static-refresh', '2026-02-29T00:00:00Z'),
  ),
});

describe('properties', () => {
  it('any JSON value: no throw, and a rejection is one "path: message" line', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => void checkContract(value)),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), (value) => void checkContract(file({ steps: [value] }))),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), (value) => void checkContract(file({ config: value }))),
      { numRuns: 300 },
    );
  });

  it('mutations of valid scenarios: no throw, one-line errors, accepted ones round-trip', () => {
    for (const original of [FORMAT_EXAMPLE, RICH]) {
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
          void checkContract(mutations.reduce<unknown>(mutate, original));
        }),
        { numRuns: 500 },
      );
    }
  });

  it('any text: no throw, and a rejection is one line', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((value) => JSON.stringify(value)),
        ),
        (text) => {
          const result = parseScenarioText(text);
          if (!result.ok) expect(result.error).toMatch(ONE_LINE_ERROR);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('parseScenario: SEMANTICS.md §10 configuration (each error names its field)', () => {
  const config = (c: Record<string, unknown>) => ({ format: FORMAT, config: c, steps: [] });

  it('defaults: code + PKCE, no sign-in session, grants revoked on a password change, tokens in the browser', () => {
    const { config: resolved } = scenarioOf(config({}));
    expect(resolved).toMatchObject({
      login: 'code-pkce',
      pkce: true,
      authServer: { signInSession: null, revokeGrantsOnPasswordChange: true },
      client: { type: 'public', storesPassword: false, tokenStorage: 'browser' },
    });
  });

  it('presets: stored-password is the password grant; bff keeps tokens at a confidential BFF', () => {
    expect(PRESETS['stored-password']).toMatchObject({ login: 'password-grant', client: { storesPassword: true }, refreshToken: null });
    expect(PRESETS.bff).toMatchObject({
      client: { type: 'confidential', tokenStorage: 'bff' },
      refreshToken: PRESETS['rotating-refresh'].refreshToken,
    });
    expect(PRESET_IDS).toContain('bff');
  });

  it('storesPassword needs the password grant', () => {
    expect(errorOf(config({ client: { storesPassword: true } }))).toMatch(/^config\.client\.storesPassword: .*password-grant/);
    expect(errorOf(config({ preset: 'stored-password', login: 'code-pkce' }))).toMatch(/^config\.login: /);
    expect(scenarioOf(config({ login: 'password-grant', client: { storesPassword: true } })).config.client.storesPassword).toBe(true);
  });

  it('a sign-in session or pkce written with the password grant is an error, pkce true included', () => {
    const session = { signInSession: { idleTtl: '1h', absoluteTtl: null } };
    expect(errorOf(config({ login: 'password-grant', authServer: session }))).toMatch(/^config\.authServer\.signInSession: /);
    expect(errorOf(config({ preset: 'stored-password', authServer: session }))).toMatch(/^config\.authServer\.signInSession: /);
    expect(errorOf(config({ login: 'password-grant', pkce: true }))).toMatch(/^config\.pkce: /);
    expect(errorOf(config({ preset: 'stored-password', pkce: false }))).toMatch(/^config\.pkce: /);
    expect(scenarioOf(config({ login: 'password-grant', authServer: { signInSession: null } })).config.login).toBe('password-grant');
  });

  it('signInSession must give both lifetimes (each may be null), as durations', () => {
    expect(errorOf(config({ authServer: { signInSession: { idleTtl: '1h' } } }))).toBe(
      'config.authServer.signInSession: missing field "absoluteTtl"',
    );
    expect(errorOf(config({ authServer: { signInSession: { absoluteTtl: null } } }))).toBe(
      'config.authServer.signInSession: missing field "idleTtl"',
    );
    expect(errorOf(config({ authServer: { signInSession: { idleTtl: '1 h', absoluteTtl: null } } }))).toMatch(
      /^config\.authServer\.signInSession\.idleTtl: bad duration/,
    );
    expect(
      scenarioOf(config({ authServer: { signInSession: { idleTtl: null, absoluteTtl: '8h' } } })).config.authServer.signInSession,
    ).toEqual({ idleTtl: null, absoluteTtl: 28_800 });
  });

  it('bff implies a confidential client; written as public with bff it is an error', () => {
    expect(scenarioOf(config({ client: { tokenStorage: 'bff' } })).config.client.type).toBe('confidential');
    expect(errorOf(config({ client: { type: 'public', tokenStorage: 'bff' } }))).toMatch(/^config\.client\.type: .*confidential/);
    expect(errorOf(config({ preset: 'bff', client: { type: 'public' } }))).toMatch(/^config\.client\.type: /);
    expect(errorOf(config({ client: { tokenStorage: 'cookie' } }))).toMatch(
      /^config\.client\.tokenStorage: expected one of "browser", "bff"/,
    );
    expect(errorOf(config({ login: 'implicit' }))).toMatch(/^config\.login: expected one of "code-pkce", "password-grant"/);
    expect(errorOf(config({ authServer: { revokeGrantsOnPasswordChange: 'no' } }))).toMatch(
      /^config\.authServer\.revokeGrantsOnPasswordChange: expected true or false/,
    );
  });

  it('new actions; steal what all; from api-logs only with what access', () => {
    const steps = (s: unknown[]) => ({ format: FORMAT, steps: s });
    expect(
      scenarioOf(
        steps([
          { at: 0, do: 'attacker.interceptCode' },
          { at: 0, do: 'attacker.silentLogin' },
        ]),
      ).steps.map((s) => s.do),
    ).toEqual(['attacker.interceptCode', 'attacker.silentLogin']);
    expect(scenarioOf(steps([{ at: 0, do: 'attacker.steal', what: 'all' }])).steps[0]).toMatchObject({ what: 'all' });
    expect(scenarioOf(steps([{ at: 0, do: 'attacker.steal', what: 'access', from: 'api-logs' }])).steps[0]).toMatchObject({
      from: 'api-logs',
    });
    expect(errorOf(steps([{ at: 0, do: 'attacker.steal', what: 'refresh', from: 'api-logs' }]))).toMatch(
      /^steps\[0\]\.what: the API's logs hold only access tokens/,
    );
    expect(errorOf(steps([{ at: 0, do: 'attacker.steal', what: 'access', from: 'disk' }]))).toMatch(
      /^steps\[0\]\.from: expected one of "app", "api-logs"/,
    );
    expect(errorOf(steps([{ at: 0, do: 'attacker.silentLogin', what: 'all' }]))).toBe('steps[0]: unknown field "what"');
  });

  it('round-trips through scenarioToJson (pkce left out under the password grant)', () => {
    for (const c of [
      { preset: 'bff', authServer: { signInSession: { idleTtl: '30m', absoluteTtl: '8h' }, revokeGrantsOnPasswordChange: false } },
      { preset: 'stored-password' },
      { pkce: false },
    ]) {
      const scenario = scenarioOf(config(c));
      expect(scenarioOf(scenarioToJson(scenario)).config).toEqual(scenario.config);
    }
  });
});
