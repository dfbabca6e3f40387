import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { parseScenarioText } from '../src/sim/scenario';
import { expectNoSeriousAxeViolations, expect, freshStart, region, shot, test, saveNow } from './fixtures';

const time = (page: Page) => page.getByLabel('Simulated time');

/** A fragment holding any JSON, compressed the way the app's links are (raw DEFLATE, base64url). */
function fragmentOf(json: unknown): string {
  return `#s=${deflateRawSync(Buffer.from(JSON.stringify(json))).toString('base64url')}`;
}

/** Logs in, lets the attacker steal the refresh token, waits 5 min and refreshes: a moment worth sharing. */
async function reachAMoment(page: Page): Promise<void> {
  await region(page, 'Client').getByRole('button', { name: 'Log in' }).click();
  await region(page, 'Attacker').getByRole('button', { name: 'Steal refresh token' }).click();
  await page.getByRole('button', { name: '+5 minutes' }).click();
  await page.getByRole('button', { name: '+1 minute' }).click();
  await region(page, 'Client').getByRole('button', { name: 'Refresh', exact: true }).click();
  await expect(region(page, 'Client').getByRole('button', { name: 'RT#2' })).toBeVisible();
  await expect(time(page)).toHaveText('Mon 5 Jan 2026 09:06:00');
}

/** The text of the four party panels: what each holds, token by token. */
async function panels(page: Page): Promise<string[]> {
  const names = ['Client', 'Attacker', 'Authorization server', 'Resource server'] as const;
  return Promise.all(names.map((name) => region(page, name).innerText()));
}

const SCENARIO = {
  format: 'tokenscope/1',
  title: 'Imported: stolen refresh token',
  description: 'A file made by hand.',
  config: { preset: 'rotating-refresh' },
  steps: [
    { at: '0s', do: 'client.login' },
    { at: '2m', do: 'attacker.steal', what: 'refresh' },
    { at: '5m', do: 'client.refresh' },
    { at: '6m', do: 'attacker.refresh' },
  ],
};

test.describe('share links', () => {
  test('a shared link opens in a new page at the same moment with the same tokens', async ({ page, context, browser, offsite }) => {
    void offsite;
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await freshStart(page);
    await reachAMoment(page);

    await page.getByRole('button', { name: 'Share' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Link copied' })).toBeVisible();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${process.env.PW_PORT ?? 4173}/#s=[A-Za-z0-9_-]+$`));
    await expect(page.getByLabel('Link to this moment')).toHaveValue(link);
    await shot(page, 'share-link-copied');
    await expectNoSeriousAxeViolations(page, 'share panel open');
    await page.keyboard.press('Escape');
    await expect(page.getByLabel('Link to this moment')).toBeHidden();

    // A new page in a new browser context: nothing saved, only the link.
    const other = await browser.newContext();
    const fresh = await other.newPage();
    const requests: string[] = [];
    fresh.on('request', (r) => requests.push(r.url()));
    await fresh.goto(link);
    await expect(time(fresh)).toHaveText('Mon 5 Jan 2026 09:06:00');
    await expect(fresh.getByRole('status').filter({ hasText: 'Opened a shared link' })).toBeVisible();
    expect(await panels(fresh)).toEqual(await panels(page));
    // The same signed token, byte for byte.
    for (const p of [page, fresh]) await region(p, 'Client').getByRole('button', { name: 'AT#2' }).click();
    const inspector = (p: Page) => p.getByRole('region', { name: /Token inspector/ });
    await expect(inspector(fresh)).toContainText('eyJ');
    expect(await inspector(fresh).innerText()).toEqual(await inspector(page).innerText());
    // The fragment is cleared, so a reload does not apply the link again; the session was saved.
    expect(new URL(fresh.url()).hash).toBe('');
    await shot(fresh, 'share-link-opened');
    await saveNow(fresh);
    await fresh.reload();
    await expect(time(fresh)).toHaveText('Mon 5 Jan 2026 09:06:00');
    expect(requests.every((url) => url.startsWith(`http://127.0.0.1:${process.env.PW_PORT ?? 4173}/`))).toBe(true);
    await other.close();
  });

  test('a link opened over an existing session keeps that session as a branch', async ({ page, context, offsite }) => {
    void offsite;
    await freshStart(page);
    await region(page, 'Client').getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: '+1 hour' }).click();
    await expect(time(page)).toHaveText('Mon 5 Jan 2026 10:00:00');
    await saveNow(page);
    const second = await context.newPage();
    await second.goto(
      `/${fragmentOf({ share: 'tokenscope-share/1', mode: 'sandbox', session: { scenario: SCENARIO, ops: [{ kind: 'next', n: 2 }] } })}`,
    );
    await expect(time(second)).toHaveText('Mon 5 Jan 2026 09:02:00');
    await expect(second.getByRole('banner')).toContainText('Imported: stolen refresh token');
    await expect(second.getByRole('status').filter({ hasText: 'Your own session is saved under Branches' })).toBeVisible();
    await second.getByRole('button', { name: 'Branches' }).click();
    const dialog = second.getByRole('dialog', { name: 'Branches: what if?' });
    await dialog.getByRole('button', { name: 'Return to Your session before opening a link' }).click();
    await expect(time(second)).toHaveText('Mon 5 Jan 2026 10:00:00');
    await expect(second.getByRole('banner')).toContainText('Sandbox');
  });

  test('a broken or oversized link says what is wrong and keeps the session', async ({ page, context, offsite }) => {
    void offsite;
    await freshStart(page);
    await region(page, 'Client').getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: '+5 minutes' }).click();
    // Saved once the jump has been published: the mirror saves the moment the page shows.
    await expect(time(page)).toHaveText('Mon 5 Jan 2026 09:05:00');
    await saveNow(page);
    const cases: [string, string][] = [
      [
        fragmentOf({
          share: 'tokenscope-share/1',
          mode: 'sandbox',
          session: { scenario: SCENARIO, ops: [{ kind: 'act', action: { do: 'client.fly' } }] },
        }),
        'This link could not be opened: session.ops[0]: bad action (do: unknown action "client.fly"). Your session is as it was.',
      ],
      [
        '#s=' + Buffer.from('plain text, not deflate').toString('base64url'),
        'This link could not be opened: the link cannot be decompressed',
      ],
      ['#s=' + 'A'.repeat(70_000), 'This link could not be opened: the link is too long (69 KB; at most 64 KB)'],
      [
        fragmentOf({
          format: 'tokenscope/1',
          title: '<img src=x onerror="window.pwned=1">',
          steps: [{ at: 0, do: '<script>window.pwned=1</script>' }],
        }),
        'session.scenario.steps[0].do: unknown action "<script>window.pwned=1</script>"',
      ],
    ];
    for (const [fragment, error] of cases) {
      const other = await context.newPage();
      await other.goto(`/${fragment}`);
      await expect(other.getByRole('alert')).toContainText('✗ This link could not be opened: ');
      await expect(other.getByRole('alert')).toContainText(error);
      // The saved session is intact.
      await expect(time(other)).toHaveText('Mon 5 Jan 2026 09:05:00');
      await expect(region(other, 'Client').getByRole('button', { name: 'AT#1' })).toBeVisible();
      expect(await other.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      expect(new URL(other.url()).hash).toBe('');
      if (error.includes('client.fly')) await shot(other, 'share-link-broken');
      await other.close();
    }
  });
});

test.describe('import and export', () => {
  test('a broken file shows the error and leaves the session as it was', async ({ page, offsite }) => {
    void offsite;
    await freshStart(page);
    await region(page, 'Client').getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: '+5 minutes' }).click();
    const input = page.getByLabel('Scenario file to import');

    await input.setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ ...SCENARIO, steps: [{ at: '0s', do: 'client.fly' }] })),
    });
    await expect(page.getByRole('alert')).toHaveText(/✗ broken\.json: steps\[0\]\.do: unknown action "client\.fly"/);
    await expect(time(page)).toHaveText('Mon 5 Jan 2026 09:05:00');
    await expect(region(page, 'Client').getByRole('button', { name: 'AT#1' })).toBeVisible();
    await shot(page, 'import-broken-file');
    await expectNoSeriousAxeViolations(page, 'import error');

    await input.setInputFiles({ name: 'not-json.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "tokenscope/1",') });
    await expect(page.getByRole('alert')).toHaveText(/✗ not-json\.json: \(file\): not valid JSON/);
    await input.setInputFiles({
      name: 'typo.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ ...SCENARIO, titel: 'x' })),
    });
    await expect(page.getByRole('alert')).toHaveText(/✗ typo\.json: \(root\): unknown field "titel"/);
    await expect(time(page)).toHaveText('Mon 5 Jan 2026 09:05:00');
    await expect(page.getByRole('banner')).toContainText('Sandbox');
  });

  test('a valid file opens in the sandbox; markup in it stays text; the old session is kept', async ({ page, offsite }) => {
    void offsite;
    await freshStart(page);
    await region(page, 'Client').getByRole('button', { name: 'Log in' }).click();
    const hostile = { ...SCENARIO, title: '<img src=x onerror="window.pwned=1"> Imported' };
    await page
      .getByLabel('Scenario file to import')
      .setInputFiles({ name: 'lesson.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(hostile)) });
    await expect(page.getByRole('status').filter({ hasText: '✓ Imported lesson.json' })).toBeVisible();
    await expect(page.getByRole('banner')).toContainText('<img src=x onerror="window.pwned=1"> Imported');
    await expect(page.locator('img')).toHaveCount(0);
    await expect(time(page)).toHaveText('Mon 5 Jan 2026 09:00:00');
    // The script runs: next event is the scripted login, then the theft at 2 min.
    await page.getByRole('button', { name: 'Next event' }).click();
    await expect(region(page, 'Client').getByRole('button', { name: 'AT#1' })).toBeVisible();
    await page.getByRole('button', { name: 'Next event' }).click();
    await expect(time(page)).toHaveText('Mon 5 Jan 2026 09:02:00');
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await page.getByRole('button', { name: 'Branches' }).click();
    await expect(page.getByRole('dialog', { name: 'Branches: what if?' })).toContainText('Before importing lesson.json');
  });

  test('drag and drop a file: a visible hint, then the import', async ({ page, offsite }) => {
    void offsite;
    await freshStart(page);
    // The drop zone's code arrives with the Import button's, a moment after the first frame.
    await expect(page.getByRole('button', { name: 'Import', exact: true })).toBeEnabled();
    const dataTransfer = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
      return dt;
    }, JSON.stringify(SCENARIO));
    await page.dispatchEvent('main', 'dragenter', { dataTransfer });
    await expect(page.getByText('Drop the scenario file to import it')).toBeVisible();
    await shot(page, 'import-drop-hint');
    await page.dispatchEvent('main', 'drop', { dataTransfer });
    await expect(page.getByText('Drop the scenario file to import it')).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: '✓ Imported dropped.json' })).toBeVisible();
    await expect(page.getByRole('banner')).toContainText('Imported: stolen refresh token');
  });

  test('export downloads a scenario file that parses and replays the actions', async ({ page, offsite }) => {
    void offsite;
    await freshStart(page);
    await reachAMoment(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('tokenscope-sandbox.json');
    const text = readFileSync(await download.path(), 'utf8');
    const parsed = parseScenarioText(text);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.scenario.steps.map((s) => [s.at, s.do])).toEqual([
      [0, 'client.login'],
      [0, 'attacker.steal'],
      [360, 'client.refresh'],
    ]);
    expect(parsed.scenario.until).toBe(360); // the moment it was exported at
    await expect(page.getByRole('status').filter({ hasText: '✓ Exported tokenscope-sandbox.json' })).toBeVisible();

    // Import the exported file back: its script replays the session.
    await page
      .getByLabel('Scenario file to import')
      .setInputFiles({ name: 'tokenscope-sandbox.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect(time(page)).toHaveText('Mon 5 Jan 2026 09:00:00');
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Next event' }).click();
    await expect(time(page)).toHaveText('Mon 5 Jan 2026 09:06:00');
    await expect(region(page, 'Client').getByRole('button', { name: 'RT#2' })).toBeVisible();
    await expect(region(page, 'Attacker').getByRole('button', { name: 'RT#1' })).toBeVisible();
  });
});

test.describe('branches', () => {
  test('what if? from a moment, then back to the main line', async ({ page, offsite }) => {
    void offsite;
    await freshStart(page);
    await region(page, 'Client').getByRole('button', { name: 'Log in' }).click();
    await region(page, 'Attacker').getByRole('button', { name: 'Steal refresh token' }).click();
    await page.getByRole('button', { name: '+1 minute' }).click();

    await page.keyboard.press('b');
    const dialog = page.getByRole('dialog', { name: 'Branches: what if?' });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Name of the branch').fill('Before anyone refreshes');
    await dialog.getByRole('button', { name: 'Save branch here' }).click();
    await expect(dialog.getByRole('list', { name: 'Saved branches' })).toContainText('Before anyone refreshes');
    await expect(dialog.getByRole('list', { name: 'Saved branches' })).toContainText('Mon 5 Jan 2026 09:01:00');
    await shot(page, 'branches-dialog');
    await expectNoSeriousAxeViolations(page, 'branches dialog');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // What if the attacker refreshes first? The user's refresh is then reuse.
    await region(page, 'Attacker').getByRole('button', { name: 'Refresh', exact: true }).click();
    await page.getByRole('button', { name: '+1 hour' }).click();
    await expect(time(page)).toHaveText('Mon 5 Jan 2026 10:01:00');

    await page.getByRole('button', { name: 'Branches' }).click();
    await dialog.getByRole('button', { name: 'Return to Before anyone refreshes' }).click();
    await expect(dialog).toBeHidden();
    await expect(time(page)).toHaveText('Mon 5 Jan 2026 09:01:00');
    await expect(region(page, 'Attacker').getByRole('button', { name: 'RT#1' })).toBeVisible();

    // The what-if line was kept: return to it.
    await page.getByRole('button', { name: 'Branches' }).click();
    await expect(dialog.getByRole('list', { name: 'Saved branches' })).toContainText('Auto-saved line 1');
    await dialog.getByRole('button', { name: 'Return to Auto-saved line 1' }).click();
    await expect(time(page)).toHaveText('Mon 5 Jan 2026 10:01:00');

    // Branches survive a reload.
    await saveNow(page);
    await page.reload();
    await page.getByRole('button', { name: 'Branches' }).click();
    await expect(dialog.getByRole('list', { name: 'Saved branches' })).toContainText('Before anyone refreshes');
  });
});
