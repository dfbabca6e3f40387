// Fuzzing what the other property tests (scenario.test.ts, properties.test.ts) leave implicit.
// The validator: a rejection does not only look like `path: message`, its path names a real place
// of the input; hostile keys (__proto__, constructor, prototype) anywhere, arriving the way a file
// or link brings them (JSON text, so they are own properties), are refused and pollute nothing;
// markup in accepted text fields is kept verbatim, as data. The core: checkpoints are only a
// cache, so a world without them (the headless runner's) gives the same runs and rewinds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRESET_IDS } from './config';
import { parseScenario, parseScenarioText, scenarioToJson } from './scenario';
import { plain } from './test-helpers';
import { runScenario, World } from './world';

const VALID = {
  format: 'tokenscope/1',
  title: 'Fuzz base',
  description: 'Plain text',
  seed: 7,
  epoch: '2026-01-05T09:00:00Z',
  config: {
    preset: 'rotating-refresh',
    accessToken: { ttl: '5m' },
    refreshToken: { rotation: true, reuseDetection: true, reuseInterval: '0s', idleTtl: null, absoluteTtl: '30d' },
    client: { type: 'public', storesPassword: false },
    resourceServer: { validation: 'local', leeway: '0s' },
  },
  behaviour: { user: { callApiEvery: '5m' }, attacker: { callApiEvery: '15m' } },
  steps: [
    { at: '0s', do: 'user.arrive', repeat: { every: '1d', times: 3 }, lesson: { narration: 'Morning.' } },
    { at: '1h', do: 'attacker.steal', what: 'both' },
    {
      at: '2h',
      do: 'attacker.forge',
      kind: 'alg-none',
      lesson: { predict: { question: 'Accepted?', choices: ['yes', 'no'], answer: 1, explanation: 'alg none.' } },
    },
    { at: '8h', do: 'user.leave', repeat: { every: '1d', times: 3 } },
  ],
  until: '3d',
};

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__'];
const HOSTILE_TEXT = [
  '<script>globalThis.pwned = 1</script>',
  '<img src=x onerror="globalThis.pwned=1">',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  '\u2028\u2029 line separators',
  '{{constructor.constructor("return 1")()}}',
  '${process.exit(1)}',
];

type Segment = string | number;

/** `steps[3].repeat.times` → ['steps', 3, 'repeat', 'times']; `(root)` → []. */
function segmentsOf(path: string): Segment[] | null {
  if (path === '(root)') return [];
  if (!/^[A-Za-z]+(?:\.[A-Za-z]+|\[\d+\])*$/.test(path)) return null;
  return [...path.matchAll(/([A-Za-z]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

function resolves(root: unknown, segments: readonly Segment[]): boolean {
  let at: unknown = root;
  for (const segment of segments) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, segment)) return false;
    at = (at as Record<Segment, unknown>)[segment];
  }
  return true;
}

/**
 * The contract: never throws; a rejection is one line `path: message` whose path is a place in
 * the input. A merged-config check may name a field the preset supplied (its object exists).
 */
function checkNamesAPlace(input: unknown): void {
  const result = parseScenario(input);
  if (result.ok) return;
  const match = /^([^:\n]+): ([^\n]+)$/.exec(result.error);
  expect(match, result.error).not.toBeNull();
  const segments = segmentsOf(match![1]!);
  expect(segments, `not a path: ${match![1]}`).not.toBeNull();
  const fromPreset = /needs rotation|must be at least 1s/.test(match![2]!) && segments![0] === 'config';
  const mustExist = fromPreset ? segments!.slice(0, -1) : segments!;
  expect(resolves(input, mustExist), `${result.error} — the path is not in the input`).toBe(true);
}

/** Every place (path) in a JSON value. */
function placesIn(value: unknown, path: Segment[] = []): Segment[][] {
  const places = [path];
  if (Array.isArray(value)) value.forEach((item, i) => places.push(...placesIn(item, [...path, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) places.push(...placesIn(v, [...path, k]));
  return places;
}

/** Sets (or, with `undefined`, deletes) the value at a place; returns a new value. */
function setAt(root: unknown, path: readonly Segment[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<Segment, unknown>;
  let parent = copy;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<Segment, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = value;
  return copy;
}

/** Adds a hostile key to the object at a place, as JSON text would (an own property). */
function withKeyAt(root: unknown, path: readonly Segment[], key: string, value: unknown): unknown {
  const MARK = '\u0000fuzz-key\u0000';
  const target = path.reduce<unknown>((at, s) => (at as Record<Segment, unknown>)[s], root);
  if (!target || typeof target !== 'object' || Array.isArray(target)) return root;
  const marked = setAt(root, [...path, MARK], value);
  // A replacer function: a key like "$&" must not be read as a replacement pattern.
  return JSON.parse(JSON.stringify(marked).replace(JSON.stringify(MARK), () => JSON.stringify(key)));
}

const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(...HOSTILE_TEXT, '5m', '0s', -1, 0, 1, 1e300, -0, null, true, '', [], {}, '9007199254740993', '2026-02-30T00:00:00Z'),
);

const edit = fc.record({
  kind: fc.constantFrom('replace', 'delete', 'key'),
  place: fc.nat(),
  key: fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 8 })),
  value: anyValue,
});

function applyEdit(root: unknown, e: { kind: string; place: number; key: string; value: unknown }): unknown {
  const places = placesIn(root);
  const path = places[e.place % places.length]!;
  if (e.kind === 'replace') return setAt(root, path, e.value);
  if (e.kind === 'delete') return path.length === 0 ? root : setAt(root, path, undefined);
  return withKeyAt(root, path, e.key, e.value);
}

describe('validator fuzz: every rejection names a place in the input', () => {
  it('arbitrary JSON values, at the top and in every field of a valid file', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => checkNamesAPlace(value)),
      { numRuns: 300 },
    );
    const places = placesIn(VALID).filter((p) => p.length > 0);
    fc.assert(
      fc.property(fc.constantFrom(...places), anyValue, (place, value) => checkNamesAPlace(setAt(VALID, place, value))),
      { numRuns: 600 },
    );
  });

  it('valid files after a few random edits (replace, delete, add a hostile key)', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        const input = edits.reduce<unknown>(applyEdit, VALID);
        checkNamesAPlace(input);
      }),
      { numRuns: 800 },
    );
  });
});

describe('validator fuzz: hostile keys and text', () => {
  it('a hostile key anywhere is an unknown field of the object holding it, and pollutes nothing', () => {
    const objects = placesIn(VALID).filter((p) => {
      const at = p.reduce<unknown>((v, s) => (v as Record<Segment, unknown>)[s], VALID);
      return at !== null && typeof at === 'object' && !Array.isArray(at);
    });
    fc.assert(
      fc.property(fc.constantFrom(...objects), fc.constantFrom(...HOSTILE_KEYS), anyValue, (place, key, value) => {
        const input = withKeyAt(VALID, place, key, value);
        const result = parseScenario(input);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          const where =
            place.length === 0 ? '(root)' : place.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
          expect(result.error).toBe(`${where}: unknown field ${JSON.stringify(key)}`);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.getPrototypeOf({})).toBe(Object.prototype);
      }),
      { numRuns: 300 },
    );
  });

  it('JSON text with __proto__ payloads is refused by parseScenarioText and changes no prototype', () => {
    fc.assert(
      fc.property(fc.constantFrom(...HOSTILE_KEYS), fc.jsonValue({ maxDepth: 2 }), (key, payload) => {
        const text = `{"format":"tokenscope/1","steps":[],${JSON.stringify(key)}:{"polluted":true,"x":${JSON.stringify(payload)}}}`;
        const result = parseScenarioText(text);
        expect(result).toEqual({ ok: false, error: `(root): unknown field ${JSON.stringify(key)}` });
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });

  it('markup and script in text fields is accepted as plain text and kept verbatim', () => {
    fc.assert(
      fc.property(fc.constantFrom(...HOSTILE_TEXT), fc.string({ maxLength: 40 }), (hostile, extra) => {
        const text = `${hostile}${extra}`;
        const input = setAt(
          setAt(setAt(VALID, ['title'], text.slice(0, 200)), ['description'], text),
          ['steps', 0, 'lesson', 'narration'],
          text,
        );
        const result = parseScenario(input);
        expect(result.ok).toBe(true);
        if (result.ok) {
          expect(result.scenario.title).toBe(text.slice(0, 200));
          expect(result.scenario.description).toBe(text);
          expect(result.scenario.steps[0]!.lesson?.narration).toBe(text);
          const again = parseScenario(JSON.parse(JSON.stringify(scenarioToJson(result.scenario))));
          expect(again.ok && again.scenario).toStrictEqual(result.scenario);
        }
        expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });

  it('huge and deeply nested input is refused at once, naming the place', () => {
    const deep = (n: number) => JSON.parse('['.repeat(n) + ']'.repeat(n)) as unknown;
    for (const [input, error] of [
      [setAt(VALID, ['title'], 'x'.repeat(1_000_000)), /^title: too long: 1000000 characters/],
      [
        setAt(
          VALID,
          ['steps'],
          Array.from({ length: 200_000 }, () => ({ at: 0, do: 'client.login' })),
        ),
        /^steps: needs 0 to 10000 steps, got 200000$/,
      ],
      [setAt(VALID, ['config'], deep(50_000)), /^config: expected an object, got \[…\]$/],
      [setAt(VALID, ['steps', 1, 'what'], deep(50_000)), /^steps\[1\]\.what: expected one of/],
      [deep(100_000), /^\(root\): expected an object, got \[…\]$/],
    ] as const) {
      const started = performance.now();
      const result = parseScenario(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(error);
      // Not a timing test: a generous bound that only catches an accidental walk of the whole input.
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });
});

describe('core fuzz: checkpoints are a cache', () => {
  const MINUTE = 60;
  const actions = [
    'client.login',
    'client.callApi',
    'client.refresh',
    'client.logout',
    'user.changePassword',
    'admin.revokeAll',
    'attacker.callApi',
    'attacker.refresh',
    'attacker.login',
  ];
  const stepArb = fc.oneof(
    fc.record({ at: fc.integer({ min: 0, max: 240 }), do: fc.constantFrom(...actions) }),
    fc.record({
      at: fc.integer({ min: 0, max: 240 }),
      do: fc.constant('attacker.steal'),
      what: fc.constantFrom('access', 'refresh', 'both', 'password'),
    }),
  );
  const fileArb = fc.record({
    seed: fc.nat(1000),
    preset: fc.constantFrom(...PRESET_IDS),
    steps: fc.array(stepArb, { maxLength: 8 }),
    userEvery: fc.constantFrom(2 * MINUTE, 5 * MINUTE),
    attackerEvery: fc.constantFrom(5 * MINUTE, 15 * MINUTE),
  });

  /** Two hours of a random file: the user present 0-90 min, random steps, both behaviours on. */
  function scenarioFrom(f: typeof fileArb extends fc.Arbitrary<infer T> ? T : never) {
    const parsed = parseScenario({
      format: 'tokenscope/1',
      seed: f.seed,
      config: { preset: f.preset },
      behaviour: { user: { callApiEvery: f.userEvery }, attacker: { callApiEvery: f.attackerEvery } },
      steps: [{ at: 0, do: 'user.arrive' }, ...[...f.steps].sort((a, b) => a.at - b.at), { at: 90 * MINUTE, do: 'user.leave' }],
      until: '2h',
    });
    if (!parsed.ok) throw new Error(`generated file is invalid: ${parsed.error}`);
    return parsed.scenario;
  }

  it('with and without checkpoints: the same run, the same moment after rewinding anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(fileArb, fc.double({ min: 0, max: 1, noNaN: true }), async (f, cut) => {
        const scenario = scenarioFrom(f);
        const cached = await World.create(scenario);
        const bare = await World.create(scenario, { checkpoints: false });
        const straight = plain(await cached.run());
        expect(plain(await bare.run())).toEqual(straight);
        expect(plain(await runScenario(scenario))).toEqual(straight);
        const target = Math.floor(cut * cached.opCount);
        await cached.rewindTo(target);
        await bare.rewindTo(target);
        expect(bare.opCount).toBe(target);
        expect(plain({ state: bare.current, trace: bare.trace })).toEqual(plain({ state: cached.current, trace: cached.trace }));
        expect(plain(await bare.run())).toEqual(straight);
      }),
      { numRuns: 20 },
    );
  });

  it('a fork at any moment runs on exactly like the world it came from, and leaves it alone', async () => {
    await fc.assert(
      fc.asyncProperty(fileArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), async (f, cut, act) => {
        const scenario = scenarioFrom(f);
        const expected = plain(await (await World.create(scenario)).run());
        const world = await World.create(scenario);
        await world.advanceTo(Math.floor(cut * 2 * 60 * MINUTE));
        if (act) await world.act({ do: 'attacker.steal', what: 'both' });
        const moment = plain({ state: world.current, trace: world.trace, ops: world.history });
        const fork = world.fork();
        expect(plain({ state: fork.current, trace: fork.trace, ops: fork.history })).toEqual(moment);
        const forked = plain(await fork.run());
        // The original is untouched by its fork's run, then runs to the same end by itself.
        expect(plain({ state: world.current, trace: world.trace, ops: world.history })).toEqual(moment);
        expect(plain(await world.run())).toEqual(forked);
        if (!act) expect(forked).toEqual(expected);
        // Checkpoints are shared: the fork rewinds to before the moment it was made, runs on from
        // there, and then the original, rewound to the same op, still gives the same moment and run.
        const back = Math.floor(cut * fork.opCount * cut);
        await fork.rewindTo(back);
        const forkRun = plain(await fork.run());
        await world.rewindTo(back);
        expect(plain(await world.run())).toEqual(forkRun);
      }),
      { numRuns: 20 },
    );
  });
});
