import fc from 'fast-check';
import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseScenario, parseScenarioText } from '../sim/scenario';
import type { Action, Scenario } from '../sim/types';
import { scenarioOf } from '../sim/test-helpers';
import { World } from '../sim/world';
import { BUILT_IN_SCENARIOS } from '../scenarios';
import { decodeShare, embedCode, encodeShare, exportFileName, inflateCapped, MAX_FRAGMENT, MAX_JSON, SHARE_VERSION } from './share';
import { exportSession } from './share-export';
import type { Session } from './session-format';
import { createSimStore } from './store';
import { worldOfSession } from './test-support';

function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

/** A fragment holding any JSON value, compressed the way links are. */
function fragmentOf(json: unknown): string {
  return `#s=${b64url(deflateSync(strToU8(JSON.stringify(json))))}`;
}

async function sessionAfter(s: Scenario, drive: (store: ReturnType<typeof createSimStore>) => Promise<void>) {
  const store = createSimStore();
  await store.getState().load(s);
  await drive(store);
  return store;
}

describe('share links', () => {
  it('round-trips a session and mode, and the link rebuilds the same moment', async () => {
    const store = await sessionAfter(scenarioOf({ title: 'Round trip', behaviour: { user: { callApiEvery: '5m' } } }), async (st) => {
      const s = st.getState();
      await s.act({ do: 'user.arrive' });
      await s.act({ do: 'attacker.steal', what: 'both' });
      await s.advanceBy(3600);
      await s.act({ do: 'admin.revokeAll' });
      await s.advanceBy(90);
    });
    const session = store.getState().session!;
    const fragment = encodeShare({ mode: 'lessons', session });
    expect(fragment).toMatch(/^#s=[A-Za-z0-9_-]+$/);
    const decoded = decodeShare(fragment);
    if (!decoded.ok) throw new Error(decoded.error);
    expect(decoded.mode).toBe('lessons');
    expect(decoded.session).toEqual(session);

    const copy = createSimStore();
    await copy.getState().load(decoded.scenario, decoded.ops);
    const a = store.getState().view!;
    const b = copy.getState().view!;
    expect(b.t).toBe(a.t);
    expect(b.events).toEqual(a.events);
    expect(b.state.client).toEqual(a.state.client);
    expect(b.accessTokens.map((r) => r.jwt)).toEqual(a.accessTokens.map((r) => r.jwt));
  });

  it('accepts the fragment with or without "#" and a bare scenario file', () => {
    const file = { format: 'tokenscope/1', title: 'Bare', steps: [{ at: '0s', do: 'client.login' }] };
    const decoded = decodeShare(fragmentOf(file).slice(1));
    expect(decoded).toMatchObject({ ok: true, mode: 'sandbox', ops: [] });
    if (decoded.ok) expect(decoded.scenario.title).toBe('Bare');
  });

  it('says what is wrong with a bad link, in one line', () => {
    const good = { share: SHARE_VERSION, mode: 'sandbox', session: { scenario: { format: 'tokenscope/1', steps: [] }, ops: [] } };
    const cases: [string, RegExp][] = [
      ['#x=abc', /not a tokenscope share link/],
      ['#s=', /empty/],
      ['#s=abc%def', /^the link is not base64url \(unexpected character "%" at position 4\)$/],
      ['#s=abcde', /cut short/],
      ['#s=' + b64url(strToU8('plain text, not deflate')), /^the link cannot be decompressed \(/],
      ['#s=' + b64url(deflateSync(strToU8('{"share": oops'))), /not JSON once decompressed/],
      [fragmentOf([1, 2]), /^link: not an object$/],
      [fragmentOf({ ...good, share: 'tokenscope-share/9' }), /^link\.share: unsupported version "tokenscope-share\/9"/],
      [fragmentOf({ ...good, extra: 1 }), /^link: unknown field "extra"$/],
      [fragmentOf({ ...good, mode: 'teach' }), /^link\.mode: expected one of "sandbox", "lessons", "compare", got "teach"$/],
      [
        fragmentOf({ ...good, session: { ...good.session, ops: [{ kind: 'act', action: { do: 'client.fly' } }] } }),
        /^session\.ops\[0\]: bad action \(do: unknown action "client\.fly"\)$/,
      ],
      [
        fragmentOf({
          ...good,
          session: { ...good.session, scenario: { format: 'tokenscope/1', steps: [{ at: '5x', do: 'client.login' }] } },
        }),
        /^session\.scenario\.steps\[0\]\.at: /,
      ],
      [
        fragmentOf({ ...good, session: { ...good.session, scenario: { format: 'tokenscope/1', steps: [], titel: 'x' } } }),
        /^session\.scenario: unknown field "titel"$/,
      ],
      [fragmentOf({ ...good, session: { ...good.session, evil: true } }), /^session: unknown field "evil"$/],
    ];
    for (const [fragment, expected] of cases) {
      const decoded = decodeShare(fragment);
      expect(decoded.ok, fragment).toBe(false);
      if (!decoded.ok) {
        expect(decoded.error).toMatch(expected);
        expect(decoded.error).not.toMatch(/\n/);
      }
    }
  });

  it('refuses oversized links before decoding, and bombs while decompressing', () => {
    const long = decodeShare(`#s=${'A'.repeat(MAX_FRAGMENT + 1)}`);
    expect(long).toEqual({ ok: false, error: 'the link is too long (65 KB; at most 64 KB)' });
    // 40 MB of spaces compress to ~40 KB: under the link cap, far over the JSON cap.
    const bomb = deflateSync(strToU8(' '.repeat(40 * 1024 * 1024)), { level: 9 });
    const fragment = `#s=${b64url(bomb)}`;
    expect(fragment.length).toBeLessThan(MAX_FRAGMENT);
    const started = performance.now();
    const decoded = decodeShare(fragment);
    expect(decoded).toEqual({ ok: false, error: 'the link is too large once decompressed (over 1 MB)' });
    expect(performance.now() - started).toBeLessThan(2000);
    // Exactly at the cap is fine; one byte over is not.
    expect(inflateCapped(deflateSync(new Uint8Array(MAX_JSON)), MAX_JSON)).toMatchObject({ ok: true });
    expect(inflateCapped(deflateSync(new Uint8Array(MAX_JSON + 1)), MAX_JSON)).toMatchObject({ ok: false });
  });

  it('refuses sessions whose replay could run for ever, or past the work budget of one run, or past 100 years', () => {
    const s = { format: 'tokenscope/1', behaviour: { user: { callApiEvery: 1 } }, steps: [] };
    const link = (ops: unknown[]) => decodeShare(fragmentOf({ share: SHARE_VERSION, mode: 'sandbox', session: { scenario: s, ops } }));
    const skip = link([
      { kind: 'act', action: { do: 'user.arrive' } },
      { kind: 'clock', to: 1e9 },
    ]);
    // Readable, but the store refuses to replay a clock move past scheduled events (tested below).
    expect(skip.ok).toBe(true);
    // The link: about a million events to replay. Refused before any work, naming the op.
    expect(link([{ kind: 'next', n: 1_000_000 }])).toEqual({
      ok: false,
      error: 'session.ops[0]: the session replays over 200,000 commands and events, the budget of one run',
    });
    const many = link([
      { kind: 'next', n: 150_000 },
      { kind: 'act', action: { do: 'user.arrive' } },
      { kind: 'next', n: 49_999 },
      { kind: 'next', n: 1 },
    ]);
    expect(many).toMatchObject({ ok: false, error: expect.stringMatching(/^session\.ops\[3\]: the session replays over 200,000/) });
    expect(
      link([
        { kind: 'next', n: 150_000 },
        { kind: 'act', action: { do: 'user.arrive' } },
        { kind: 'next', n: 49_999 },
      ]).ok,
    ).toBe(true);
    // A clock past the longest run (the 9e15 s) would show "NaN" for every time.
    for (const to of [9e15, 36_500 * 86_400 + 1]) {
      expect(link([{ kind: 'clock', to }])).toEqual({ ok: false, error: 'session.ops[0]: clock moved past the longest run (100 years)' });
    }
  });

  it('the store refuses a clock move that skips scheduled events, keeping the current world', async () => {
    const store = await sessionAfter(scenarioOf({}), async (st) => void (await st.getState().act({ do: 'client.login' })));
    const before = store.getState().view;
    const s = scenarioOf({ behaviour: { user: { callApiEvery: 1 } } });
    await expect(
      store.getState().load(s, [
        { kind: 'act', action: { do: 'user.arrive' } },
        { kind: 'clock', to: 1e12 },
      ]),
    ).rejects.toThrow(/skips scheduled events/);
    expect(store.getState().view).toBe(before);
  });

  it('never throws on hostile input, and keeps strings as data', () => {
    const hostile = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: fc.constantFrom(...'AZaz09-_=+/%#<>'.split('')), maxLength: 300 }),
      fc.jsonValue({ maxDepth: 6 }).map((json) => fragmentOf(json)),
      fc.jsonValue({ maxDepth: 4 }).map((json) => fragmentOf({ share: SHARE_VERSION, mode: 'sandbox', session: json })),
      fc
        .jsonValue({ maxDepth: 4 })
        .map((json) =>
          fragmentOf({ share: SHARE_VERSION, mode: 'sandbox', session: { scenario: { format: 'tokenscope/1', steps: [] }, ops: json } }),
        ),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => `#s=${b64url(bytes)}`),
    );
    fc.assert(
      fc.property(hostile, (fragment) => {
        const decoded = decodeShare(fragment);
        expect(typeof decoded.ok).toBe('boolean');
        if (!decoded.ok) expect(decoded.error).toMatch(/^[^\n]+$/);
      }),
      { numRuns: 400 },
    );
  });

  it('handles deep nesting, __proto__ keys and markup without harm', () => {
    const deep = `{"share":"${SHARE_VERSION}","mode":"sandbox","session":{"scenario":${'['.repeat(200_000)}${']'.repeat(200_000)},"ops":[]}}`;
    const deepResult = decodeShare(`#s=${b64url(deflateSync(strToU8(deep)))}`);
    expect(deepResult.ok).toBe(false);
    if (!deepResult.ok) expect(deepResult.error).toMatch(/^session\.scenario|not JSON/);
    const proto = JSON.parse('{"share":"tokenscope-share/1","mode":"sandbox","__proto__":{"polluted":true},"session":{}}');
    expect(decodeShare(fragmentOf(proto))).toEqual({ ok: false, error: 'link: unknown field "__proto__"' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const opProto = JSON.parse('{"kind":"act","action":{"do":"client.login","__proto__":{"x":1}}}');
    const withOp = decodeShare(
      fragmentOf({ share: SHARE_VERSION, mode: 'sandbox', session: { scenario: { format: 'tokenscope/1', steps: [] }, ops: [opProto] } }),
    );
    expect(withOp).toEqual({ ok: false, error: 'session.ops[0]: bad action (unknown field "__proto__")' });
    // Markup is just text: it is kept as written and React renders it as text.
    const title = '<img src=x onerror=alert(1)><script>alert(1)</script>';
    const decoded = decodeShare(fragmentOf({ format: 'tokenscope/1', title, steps: [] }));
    expect(decoded.ok && decoded.scenario.title).toBe(title);
    const bad = decodeShare(fragmentOf({ format: 'tokenscope/1', steps: [{ at: 0, do: '<script>alert(1)</script>' }] }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toBe('session.scenario.steps[0].do: unknown action "<script>alert(1)</script>"');
  });
});

describe('export', () => {
  it('names the file after the title', () => {
    expect(exportFileName('Stolen refresh token: the client refreshes first')).toBe(
      'tokenscope-stolen-refresh-token-the-client-refreshes-first.json',
    );
    expect(exportFileName(undefined)).toBe('tokenscope-scenario.json');
    expect(exportFileName('<script>/../..')).toBe('tokenscope-script.json');
    expect(exportFileName('Café — déjà vu')).toBe('tokenscope-cafe-deja-vu.json');
  });

  it('writes the user actions as steps at their instants, and the file replays the session', async () => {
    const base = scenarioOf({ title: 'Sandbox', behaviour: { user: { callApiEvery: '5m' }, attacker: { callApiEvery: '15m' } } });
    const store = await sessionAfter(base, async (st) => {
      const s = st.getState();
      await s.act({ do: 'client.login' });
      await s.act({ do: 'user.arrive' });
      await s.advanceBy(640); // not a multiple of 5 min: no automatic traffic at that instant
      await s.act({ do: 'attacker.steal', what: 'refresh' });
      await s.advanceBy(1234);
      await s.act({ do: 'attacker.forge', kind: 'alg-none' });
      await s.advanceBy(60);
    });
    const exported = await exportSession(store.getState().session!);
    expect(exported.notes).toEqual([]);
    expect(exported.fileName).toBe('tokenscope-sandbox.json');
    const parsed = parseScenarioText(exported.text);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.scenario.steps.map((s) => [s.at, s.do])).toEqual([
      [0, 'client.login'],
      [0, 'user.arrive'],
      [640, 'attacker.steal'],
      [1874, 'attacker.forge'],
    ]);
    expect(parsed.scenario.until).toBe(1934);
    await expectSameFuture(await worldOfSession(store.getState().session!), parsed.scenario, 7200);
  });

  it('keeps the order of actions and scripted steps at one instant, and drops what "explore" skipped', async () => {
    const script = scenarioOf({
      title: 'Script',
      steps: [
        { at: '0s', do: 'client.login' },
        { at: '10m', do: 'client.callApi', repeat: { every: '10m', times: 6 } },
        { at: '30m', do: 'attacker.steal', what: 'access' },
      ],
    });
    const store = await sessionAfter(script, async (st) => {
      const s = st.getState();
      await s.act({ do: 'attacker.steal', what: 'refresh' }); // at 0, before the scripted login: nothing to steal
      await s.nextEvent(); // the login
      await s.act({ do: 'attacker.steal', what: 'both' }); // at 0, after it
      await s.advanceTo(1200); // two calls ran
      await s.detachScript();
      await s.act({ do: 'client.refresh' });
      await s.advanceBy(4000);
    });
    const exported = await exportSession(store.getState().session!);
    expect(exported.notes).toEqual([]);
    const parsed = parseScenario(exported.json);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.scenario.steps.map((s) => [s.at, s.do, s.repeat?.times ?? null])).toEqual([
      [0, 'attacker.steal', null],
      [0, 'client.login', null],
      [0, 'attacker.steal', null],
      [600, 'client.callApi', 2],
      [1200, 'client.refresh', null],
    ]);
    expect(parsed.scenario.until).toBe(5200);
    await expectSameFuture(await worldOfSession(store.getState().session!), parsed.scenario, 8000);
  });

  it('notes actions taken after automatic traffic at the same instant', async () => {
    const s = scenarioOf({ behaviour: { user: { callApiEvery: '5m' } } });
    const store = await sessionAfter(s, async (st) => {
      const c = st.getState();
      await c.act({ do: 'user.arrive' });
      await c.advanceBy(300); // the app's call at 5 min runs, then:
      await c.act({ do: 'attacker.steal', what: 'access' });
    });
    const exported = await exportSession(store.getState().session!);
    expect(exported.notes).toHaveLength(1);
    expect(exported.notes[0]).toMatch(/1 action was taken just after automatic traffic/);
  });

  it('replays random sandbox sessions exactly when it adds no note', async () => {
    const actions: Action[] = [
      { do: 'client.login' },
      { do: 'client.callApi' },
      { do: 'client.refresh' },
      { do: 'client.logout' },
      { do: 'user.arrive' },
      { do: 'user.leave' },
      { do: 'attacker.steal', what: 'both' },
      { do: 'attacker.refresh' },
      { do: 'attacker.callApi' },
      { do: 'admin.revokeAll' },
    ];
    const move = fc.oneof(
      fc.constantFrom(...actions).map((a) => ({ act: a })),
      fc.integer({ min: 1, max: 5000 }).map((seconds) => ({ wait: seconds })),
    );
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(move, { maxLength: 12 }), async (moves) => {
        const base = scenarioOf({ behaviour: { user: { callApiEvery: '7m' }, attacker: { callApiEvery: '11m' } } });
        const store = await sessionAfter(base, async (st) => {
          for (const m of moves) {
            if ('act' in m) await st.getState().act(m.act);
            else await st.getState().advanceBy(m.wait);
          }
        });
        const exported = await exportSession(store.getState().session!);
        const parsed = parseScenario(exported.json);
        if (!parsed.ok) throw new Error(parsed.error);
        if (exported.notes.length > 0) return;
        compared++;
        await expectSameFuture(await worldOfSession(store.getState().session!), parsed.scenario, 20_000);
      }),
      { numRuns: 25 },
    );
    expect(compared).toBeGreaterThan(10);
  });
});

describe('export of the built-in scenarios', () => {
  it.each(BUILT_IN_SCENARIOS.map((b) => [b.id, b.json] as const))(
    '%s: midway, with an action and "explore from here", exports a file that replays',
    async (_id, json) => {
      const parsed = parseScenario(json);
      if (!parsed.ok) throw new Error(parsed.error);
      const store = await sessionAfter(parsed.scenario, async (st) => {
        const s = st.getState();
        for (let i = 0; i < 4; i++) await s.nextEvent();
        await s.act({ do: 'attacker.steal', what: 'both' });
        await s.nextEvent();
        await s.detachScript();
        await s.act({ do: 'admin.revokeAll' });
        await s.advanceBy(601);
      });
      const exported = await exportSession(store.getState().session!);
      const again = parseScenarioText(exported.text);
      if (!again.ok) throw new Error(again.error);
      expect(again.scenario.title).toBe(parsed.scenario.title);
      if (exported.notes.length === 0) await expectSameFuture(await worldOfSession(store.getState().session!), again.scenario, 3600);
    },
  );
});

/** The live world and the exported file agree from now on: same tokens, holdings and measures. */
async function expectSameFuture(live: World, exported: Scenario, horizon: number): Promise<void> {
  const file = await World.create(exported);
  const until = live.now + horizon;
  await file.advanceTo(live.now);
  await live.advanceTo(until);
  await file.advanceTo(until);
  const strip = (w: World) => ({
    client: w.current.client,
    attacker: w.current.attacker,
    grants: w.current.authServer.grants,
    tokens: w.allAccessTokens().map((r) => r.jwt),
    metrics: w.metricsNow(),
  });
  expect(strip(file)).toEqual(strip(live));
}

describe('sessions as data', () => {
  it('export refuses a session that does not validate', async () => {
    const bad: Session = { scenario: { format: 'nope' }, ops: [] };
    await expect(exportSession(bad)).rejects.toThrow(/session\.scenario\.format/);
  });
});

describe('embed code', () => {
  it('is one iframe with the URL and title escaped, a sandbox and a size', () => {
    const code = embedCode({ url: 'https://x.example/app/?embed=1#compare=compare-dpop&a=static-refresh', title: 'Tom & "Jerry" <3' });
    expect(code).toBe(
      '<iframe src="https://x.example/app/?embed=1#compare=compare-dpop&amp;a=static-refresh" title="tokenscope: Tom &amp; &quot;Jerry&quot; &lt;3" width="100%" height="760" loading="lazy" style="border: 1px solid #94a3b8; border-radius: 8px" sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"></iframe>',
    );
  });
});
