// Hostile input through the doors a stranger can open: imported files, share links and the saved
// store. Each is refused with a message that names the place (shown as text), or accepted with its
// markup shown as inert text; nothing executes, no prototype is polluted, and the session the
// learner had is still there. (share.spec.ts covers the ordinary broken link and file; this file
// covers the huge, the deep, the prototype keys, the decompression bomb and old or alien stores.)
import { deflateRawSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { expect, freshStart, region, shot, test, saveNow } from './fixtures';

const time = (page: Page) => page.getByLabel('Simulated time');
const STORAGE_KEY = 'tokenscope-session';

const MARKUP = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';

const SCENARIO = {
  format: 'tokenscope/1',
  title: 'A plain file',
  config: { preset: 'rotating-refresh' },
  steps: [
    { at: '0s', do: 'client.login' },
    { at: '2m', do: 'attacker.steal', what: 'refresh' },
  ],
};

/** Anything that ran, or anything that leaked onto Object.prototype, shows up here. */
async function expectNothingExecuted(page: Page): Promise<void> {
  const probe = await page.evaluate(() => ({
    pwned: (window as unknown as { pwned?: unknown }).pwned,
    polluted: ({} as Record<string, unknown>).polluted,
    protoKeys: Object.getOwnPropertyNames(Object.prototype).filter(
      (k) =>
        ![
          'constructor',
          '__defineGetter__',
          '__defineSetter__',
          'hasOwnProperty',
          '__lookupGetter__',
          '__lookupSetter__',
          'isPrototypeOf',
          'propertyIsEnumerable',
          'toString',
          'valueOf',
          '__proto__',
          'toLocaleString',
        ].includes(k),
    ),
    strayImages: document.querySelectorAll('img[src="x"], img[onerror]').length,
    inlineScripts: [...document.scripts].filter((s) => !s.src).length,
  }));
  expect(probe).toEqual({ pwned: undefined, polluted: undefined, protoKeys: [], strayImages: 0, inlineScripts: 0 });
}

/** The learner's moment before the hostile input: logged in, five minutes on. */
async function aMoment(page: Page): Promise<void> {
  await freshStart(page);
  await region(page, 'Client').getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: '+5 minutes' }).click();
  await expect(time(page)).toHaveText('Mon 5 Jan 2026 09:05:00');
}

async function expectMomentIntact(page: Page): Promise<void> {
  await expect(time(page)).toHaveText('Mon 5 Jan 2026 09:05:00');
  await expect(region(page, 'Client').getByRole('button', { name: 'AT#1' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Sandbox');
}

const deep = (n: number, inner = '') => '['.repeat(n) + inner + ']'.repeat(n);

/** A fragment holding any JSON text, compressed the way the app's links are. */
const fragmentOfText = (text: string) => `#s=${deflateRawSync(Buffer.from(text)).toString('base64url')}`;
const fragmentOf = (json: unknown) => fragmentOfText(JSON.stringify(json));

test.describe('hostile files', () => {
  test('huge, deep, binary and prototype-key files are refused, naming the place; the session stays', async ({ page, offsite }) => {
    void offsite;
    test.setTimeout(120_000);
    await aMoment(page);
    const input = page.getByLabel('Scenario file to import');
    const cases: [string, string | Buffer, RegExp][] = [
      ['huge.json', Buffer.alloc(6 * 1024 * 1024, 0x20), /✗ huge\.json: the file is too large \(6\.0 MB; at most 5 MB\)/],
      [
        'long-title.json',
        JSON.stringify({ ...SCENARIO, title: 'x'.repeat(4_000_000) }),
        /✗ long-title\.json: title: too long: 4000000 characters/,
      ],
      [
        'many-steps.json',
        JSON.stringify({ ...SCENARIO, steps: Array.from({ length: 50_000 }, () => ({ at: 0, do: 'client.login' })) }),
        /✗ many-steps\.json: steps: needs 0 to 10000 steps, got 50000/,
      ],
      ['deep.json', deep(200_000), /✗ deep\.json: \(root\): expected an object, got \[…\]/],
      [
        'deep-step.json',
        `{"format":"tokenscope/1","steps":[${deep(100_000)}]}`,
        /✗ deep-step\.json: steps\[0\]: expected an object, got \[…\]/,
      ],
      [
        'proto.json',
        `{"format":"tokenscope/1","steps":[],"__proto__":{"polluted":true}}`,
        /✗ proto\.json: \(root\): unknown field "__proto__"/,
      ],
      [
        'constructor.json',
        `{"format":"tokenscope/1","steps":[],"config":{"constructor":{"prototype":{"polluted":true}}}}`,
        /✗ constructor\.json: config: unknown field "constructor"/,
      ],
      [
        'step-proto.json',
        `{"format":"tokenscope/1","steps":[{"at":0,"do":"client.login","__proto__":{"polluted":true}}]}`,
        /✗ step-proto\.json: steps\[0\]: unknown field "__proto__"/,
      ],
      [
        'binary.json',
        Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x22, 0x00, 0x89, 0x50, 0x4e, 0x47]),
        /✗ binary\.json: \(file\): not valid JSON/,
      ],
      ['markup.json', JSON.stringify(MARKUP), /✗ markup\.json: \(root\): expected an object, got "<img src=x onerror=/],
      [`${MARKUP}.json`, JSON.stringify({ ...SCENARIO, steps: [{ at: 0, do: MARKUP }] }), /unknown action "<img src=x onerror=/],
    ];
    for (const [name, content, error] of cases) {
      await input.setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.isBuffer(content) ? content : Buffer.from(content) });
      await expect(page.getByRole('alert')).toHaveText(error);
      await expectMomentIntact(page);
      await expectNothingExecuted(page);
    }
    // Still fully usable.
    await region(page, 'Client').getByRole('button', { name: 'Call API' }).click();
    await expect(page.getByRole('log', { name: 'Narration' })).toContainText('accept');
  });

  test('markup in every text field of an accepted file is shown as text and never runs', async ({ page, offsite }) => {
    void offsite;
    await aMoment(page);
    const hostile = {
      format: 'tokenscope/1',
      title: `${MARKUP} title`,
      description: `${MARKUP} description`,
      goal: `${MARKUP} goal`,
      steps: [
        { at: '0s', do: 'client.login', lesson: { narration: `${MARKUP} narration` } },
        {
          at: '1m',
          do: 'attacker.steal',
          what: 'both',
          lesson: {
            predict: {
              question: `${MARKUP} question`,
              choices: [`${MARKUP} a`, `${MARKUP} b`],
              answer: 0,
              explanation: `${MARKUP} explanation`,
            },
          },
        },
      ],
    };
    await page
      .getByLabel('Scenario file to import')
      .setInputFiles({ name: 'markup.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(hostile)) });
    await expect(page.getByRole('status').filter({ hasText: '✓ Imported markup.json' })).toBeVisible();
    await expect(page.getByRole('banner')).toContainText(`${MARKUP} title`);
    await page.getByRole('button', { name: 'Next event' }).click();
    await page.getByRole('button', { name: 'Next event' }).click();
    await expect(time(page)).toHaveText('Mon 5 Jan 2026 09:01:00');
    await expectNothingExecuted(page);
  });
});

test.describe('hostile links', () => {
  test('a decompression bomb, deep nesting, prototype keys and markup in a link: refused as text; the session stays', async ({
    page,
    context,
    offsite,
  }) => {
    void offsite;
    test.setTimeout(120_000);
    await aMoment(page);
    await saveNow(page);
    const wrapper = (session: unknown) => ({ share: 'tokenscope-share/1', mode: 'sandbox', session });
    const cases: [string, RegExp][] = [
      // 8 MB of spaces compress to a few kilobytes: decompression must stop at the cap.
      [fragmentOfText(' '.repeat(8 * 1024 * 1024)), /the link is too large once decompressed/],
      [fragmentOfText(deep(100_000)), /link: not an object/],
      [
        fragmentOfText(`{"share":"tokenscope-share/1","mode":"sandbox","session":{"scenario":${deep(50_000)},"ops":[]}}`),
        /session\.scenario.*expected an object, got \[…\]/,
      ],
      [
        fragmentOfText(
          `{"share":"tokenscope-share/1","mode":"sandbox","__proto__":{"polluted":true},"session":{"scenario":${JSON.stringify(SCENARIO)},"ops":[]}}`,
        ),
        /__proto__/,
      ],
      [
        fragmentOfText(
          `{"share":"tokenscope-share/1","mode":"sandbox","session":{"scenario":{"format":"tokenscope/1","steps":[],"__proto__":{"polluted":true}},"ops":[]}}`,
        ),
        /unknown field "__proto__"/,
      ],
      [fragmentOf(wrapper({ scenario: SCENARIO, ops: [{ kind: 'act', action: { do: MARKUP } }] })), /unknown action "<img src=x onerror=/],
      [fragmentOf(wrapper({ scenario: SCENARIO, ops: [{ kind: 'next', n: 1e12 }] })), /session\.ops\[0\]/],
      [`#s=${encodeURIComponent(MARKUP)}`, /is not base64url/],
    ];
    for (const [fragment, error] of cases) {
      const other = await context.newPage();
      await other.goto(`/${fragment}`);
      await expect(other.getByRole('alert')).toContainText('This link could not be opened');
      await expect(other.getByRole('alert')).toContainText(error);
      await expectMomentIntact(other);
      await expectNothingExecuted(other);
      await other.close();
    }
  });

  test('markup in an accepted link is shown as text and never runs', async ({ page, offsite }) => {
    void offsite;
    await freshStart(page);
    await page.goto('about:blank');
    await page.goto(`/${fragmentOf({ ...SCENARIO, title: `${MARKUP} linked`, description: MARKUP })}`);
    await expect(page.getByRole('banner')).toContainText(`${MARKUP} linked`);
    await page.getByRole('button', { name: 'Next event' }).click();
    await expect(region(page, 'Client').getByRole('button', { name: 'AT#1' })).toBeVisible();
    await expectNothingExecuted(page);
  });
});

test.describe('saved state', () => {
  /** Writes the store before the app's scripts run, once (later reloads see what the app saved). */
  async function seedStore(page: Page, raw: string): Promise<void> {
    await page.addInitScript(
      ([key, value]) => {
        if (sessionStorage.getItem('seeded') === value) return;
        sessionStorage.setItem('seeded', value!);
        localStorage.setItem(key!, value!);
      },
      [STORAGE_KEY, raw],
    );
  }

  const SAVED_SESSION = {
    scenario: { format: 'tokenscope/1', title: 'Saved long ago', config: { preset: 'static-refresh' }, steps: [] },
    ops: [
      { kind: 'act', action: { do: 'client.login' } },
      { kind: 'clock', to: 300 },
    ],
  };

  for (const [version, state] of [
    [0, { session: SAVED_SESSION }],
    [1, { session: SAVED_SESSION, preferences: { theme: 'light', speedIndex: 2, pauseOnKeyEvents: true } }],
  ] as const) {
    test(`a store saved by an older version (${version}) is migrated and the session restored`, async ({ page, offsite }) => {
      void offsite;
      await seedStore(page, JSON.stringify({ state, version }));
      await page.goto('/');
      await expect(page.getByRole('banner')).toContainText('Saved long ago');
      await expect(page.getByRole('banner')).toContainText('Access + static refresh token');
      await expect(time(page)).toHaveText('Mon 5 Jan 2026 09:05:00');
      await expect(region(page, 'Client').getByRole('button', { name: 'AT#1' })).toBeVisible();
      await expect(page.getByRole('status').filter({ hasText: 'could not be' })).toHaveCount(0);
      // Saved again in the current version: a reload reads it without migrating.
      await saveNow(page);
      const saved = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null') as { version: number }, STORAGE_KEY);
      expect(saved.version).toBeGreaterThan(version);
      await page.reload();
      await expect(time(page)).toHaveText('Mon 5 Jan 2026 09:05:00');
    });
  }

  const alien: [string, string][] = [
    ['a newer version', JSON.stringify({ state: { session: SAVED_SESSION, future: true }, version: 99 })],
    ['a session that is not an object', JSON.stringify({ state: { session: 42 }, version: 1 })],
    [
      'a session with a __proto__ key',
      '{"state":{"session":{"scenario":{"format":"tokenscope/1","steps":[],"__proto__":{"polluted":true}},"ops":[]}},"version":1}',
    ],
    [
      'a session that moves the clock back',
      JSON.stringify({
        state: {
          session: {
            ...SAVED_SESSION,
            ops: [
              { kind: 'clock', to: 300 },
              { kind: 'clock', to: 10 },
            ],
          },
        },
        version: 1,
      }),
    ],
    ['an absurd op count', JSON.stringify({ state: { session: { ...SAVED_SESSION, ops: [{ kind: 'next', n: 1e15 }] } }, version: 1 })],
    ['markup instead of JSON', MARKUP],
    // Issue 12: JSON of the wrong type was dropped silently, without this notice.
    ['a number', '42'],
    ['a string', '"str"'],
    ['a list', '[]'],
    ['an empty object', '{}'],
    ['no state', JSON.stringify({ version: 2 })],
    ['a string as state', JSON.stringify({ state: 'str', version: 2 })],
  ];
  for (const [what, raw] of alien) {
    test(`a store holding ${what} starts fresh with a notice, never a blank page`, async ({ page, offsite }) => {
      void offsite;
      await seedStore(page, raw);
      await page.goto('/');
      await expect(page.getByRole('status').filter({ hasText: /could not be (read|replayed)/ })).toBeVisible();
      await expect(region(page, 'Client')).toBeVisible();
      await expectNothingExecuted(page);
      await region(page, 'Client').getByRole('button', { name: 'Log in' }).click();
      await expect(region(page, 'Client').getByRole('button', { name: 'AT#1' })).toBeVisible();
    });
  }

  test('a full storage: the failed save is said once, the session stays in memory, Export offers a copy', async ({ page, offsite }) => {
    void offsite;
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await freshStart(page);
    // Fill localStorage to the brim with other data (and drop the app's own entry, whose room a
    // smaller save could reuse).
    await page.evaluate((key) => {
      localStorage.removeItem(key);
      let chunk = 'x'.repeat(1 << 20);
      for (let i = 0; chunk.length > 0; i++) {
        try {
          localStorage.setItem(`filler-${i}`, chunk);
        } catch {
          chunk = chunk.slice(0, chunk.length >> 1);
        }
      }
    }, STORAGE_KEY);
    await region(page, 'Client').getByRole('button', { name: 'Log in' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'could not be saved in this browser' });
    await expect(notice).toContainText('(QuotaExceededError: its storage is full or blocked)');
    await expect(notice).toContainText('a reload would lose it: Export it to keep a copy');
    // Nothing is lost: the session is there, and Export downloads it.
    await expect(region(page, 'Client').getByRole('button', { name: 'AT#1' })).toBeVisible();
    const download = page.waitForEvent('download');
    await notice.getByRole('button', { name: 'Export a copy' }).click();
    expect((await download).suggestedFilename()).toMatch(/^tokenscope-.*\.json$/);
    await shot(page, 'storage-full-notice');
    // Said once: more work that cannot be saved brings no second notice.
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await page.getByRole('button', { name: '+5 minutes' }).click();
    await expect(time(page)).toHaveText('Mon 5 Jan 2026 09:05:00');
    await saveNow(page);
    await expect(page.getByRole('status').filter({ hasText: 'could not be saved' })).toHaveCount(0);
    expect(pageErrors).toEqual([]);
    await expectNothingExecuted(page);
  });
});
