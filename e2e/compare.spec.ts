// Compare mode: the default comparison (the seed question, long-lived access token versus access +
// rotating refresh token) must show exactly the measures the headless runner computes for the
// same script under both presets; the page stays usable while it simulates; no axe violations.
import { readFileSync } from 'node:fs';
import { parseScenario, withPreset } from '../src/sim/scenario';
import type { Metrics, PresetId } from '../src/sim/types';
import { runScenario } from '../src/sim/world';
import { expectNoSeriousAxeViolations, expect, freshStart, shot, test } from './fixtures';

/** The runner's metrics for a built-in script under a preset (what `npm run sim -- FILE --preset ID` prints). */
async function runnerMetrics(file: string, preset: PresetId): Promise<Metrics> {
  const parsed = parseScenario(JSON.parse(readFileSync(new URL(`../src/scenarios/${file}`, import.meta.url), 'utf8')));
  if (!parsed.ok) throw new Error(parsed.error);
  return (await runScenario(withPreset(parsed.scenario, preset))).metrics;
}

/** "28 d 21 h 58 min" / "3 min" / "0 s" → seconds. */
function spanSeconds(text: string): number {
  const size: Record<string, number> = { d: 86_400, h: 3600, min: 60, s: 1 };
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+) (d|h|min|s)\b/g)) total += Number(n) * size[unit!]!;
  return total;
}

/** "+29 d 23:47:00" / "+01:02:03" → seconds. */
function elapsedSeconds(text: string): number {
  const match = /^\+(?:(\d+) d )?(\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) throw new Error(`not an elapsed time: ${text}`);
  return Number(match[1] ?? 0) * 86_400 + Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4]);
}

const count = (text: string) => Number(text.replace(/,/g, ''));

test.describe('compare mode', () => {
  test('the default comparison shows the runner’s measures for both presets', async ({ page, offsite }) => {
    void offsite;
    test.setTimeout(180_000);
    // The expected numbers, computed by the core in Node while the browser simulates.
    const expected = Promise.all([
      runnerMetrics('compare-seed-question.json', 'long-lived-access'),
      runnerMetrics('compare-seed-question.json', 'rotating-refresh'),
    ]);

    await freshStart(page);
    await page.getByRole('navigation', { name: 'Mode' }).getByRole('button', { name: 'Compare' }).click();
    await expect(page.getByRole('heading', { name: 'Compare two setups on one script' })).toBeVisible();
    await expect(page.getByLabel('Script', { exact: true })).toHaveValue('compare-seed-question');
    await expect(page.getByLabel('Configuration A', { exact: true })).toHaveValue('long-lived-access');
    await expect(page.getByLabel('Configuration B', { exact: true })).toHaveValue('rotating-refresh');
    // The seed's other alternatives are there to pick; DPoP only once the core supports it.
    const options = await page.getByLabel('Configuration A', { exact: true }).locator('option').allTextContents();
    expect(options).toEqual(
      expect.arrayContaining([
        'Short access token only (password every time)',
        'Client stores the password (legacy password grant)',
        'Access token + introspection on every call',
        'Access + static refresh token',
      ]),
    );
    await shot(page, 'compare-start-1280');
    await expectNoSeriousAxeViolations(page, 'compare, before a run');

    await page.getByRole('button', { name: 'Run comparison' }).click();
    // While it simulates, both runs show their progress and the page still answers.
    await expect(page.getByRole('status').filter({ hasText: 'Simulating both runs' })).toBeVisible();
    await expect(page.getByRole('progressbar')).toHaveCount(2);
    const started = Date.now();
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    expect(Date.now() - started, 'a frame while simulating').toBeLessThan(1000);
    await shot(page, 'compare-running-1280');

    await expect(page.getByRole('status').filter({ hasText: 'Done:' })).toBeVisible({ timeout: 120_000 });
    const [a, b] = await expected;
    const table = page.getByRole('table');
    await expect(table.locator('caption')).toContainText('✓ better');

    const cell = (measure: string, side: 'a' | 'b') => table.locator(`tr[data-measure="${measure}"] td[data-side="${side}"] [data-value]`);
    for (const [side, m] of [
      ['a', a],
      ['b', b],
    ] as const) {
      expect(spanSeconds(await cell('exposure', side).innerText()), `exposure ${side}`).toBe(m.attacker.exposureSeconds);
      expect(count(await cell('attackerCallsOk', side).innerText()), `attacker calls ${side}`).toBe(m.attacker.apiCallsOk);
      const last = table.locator(`tr[data-measure="attackerLastCallOk"] td[data-side="${side}"]`);
      if (m.attacker.lastApiCallOkAt === null) await expect(last.locator('[data-value]')).toHaveText('never');
      else expect(elapsedSeconds(await last.locator('[data-detail]').innerText()), `last call ${side}`).toBe(m.attacker.lastApiCallOkAt);
      const lag = await cell('revocationLag', side).innerText();
      expect(m.attacker.revocationLagSeconds === null ? lag : spanSeconds(lag), `revocation lag ${side}`).toBe(
        m.attacker.revocationLagSeconds ?? 'no stopping event',
      );
      expect(count(await cell('passwordPrompts', side).innerText()), `prompts ${side}`).toBe(m.user.passwordPrompts);
      expect(count(await cell('userCallsRejected', side).innerText()), `user rejected ${side}`).toBe(m.user.apiCallsRejected);
      expect(count(await cell('userCallsOk', side).innerText()), `user ok ${side}`).toBe(m.user.apiCallsOk);
      expect(count(await cell('tokenRequests', side).innerText()), `token requests ${side}`).toBe(m.authServer.tokenRequests);
      expect(count(await cell('stateLookups', side).innerText()), `state lookups ${side}`).toBe(m.authServer.stateLookups);
      expect(count(await cell('introspections', side).innerText()), `introspections ${side}`).toBe(m.resourceServer.introspections);
    }

    // The better value is marked in words, and the difference is said in words.
    await expect(table.locator('tr[data-measure="exposure"] td[data-side="b"]')).toContainText('✓ better');
    await expect(table.locator('tr[data-measure="exposure"] td[data-side="a"]')).not.toContainText('better');
    await expect(table.locator('tr[data-measure="passwordPrompts"] td[data-side="a"]')).toContainText('✓ better');
    await expect(table.locator('tr[data-measure="exposure"] td[data-words]')).toHaveText(
      /^The attacker had access 28 d 21 h longer under A/,
    );

    // The picture: one lane per configuration, with the theft and the password change marked, and its text twin.
    const picture = page.getByRole('img', { name: /attacker's exposure/ });
    await expect(picture).toBeVisible();
    await expect(picture.locator('[data-lane]')).toHaveCount(2);
    await expect(picture).toContainText('everything stolen');
    await expect(picture).toContainText('password changed');
    await expect(picture).toContainText('reuse detected');
    await expect(page.getByText(/^A, Long-lived access token only: the attacker had access for 28 d 21 h 58 min in total/)).toBeAttached();

    await shot(page, 'compare-result-1280');
    await expectNoSeriousAxeViolations(page, 'compare results');

    // Both worlds at one moment: a minute after the password change, only the month-long token still works.
    await page.getByRole('button', { name: /^password changed/ }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Both worlds at Wed 7 Jan 2026 11:01:00' })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole('region', { name: /^A · / })).toContainText('The attacker could call the API now');
    await expect(page.getByRole('region', { name: /^B · / })).toContainText('The attacker could not call the API successfully now');
    await shot(page, 'compare-moment-1280');
    await expectNoSeriousAxeViolations(page, 'compare moment');

    await page.setViewportSize({ width: 1920, height: 1080 });
    await shot(page, 'compare-result-1920');
    await page.getByRole('button', { name: /^Theme:/ }).click();
    if (!(await page.evaluate(() => document.documentElement.classList.contains('dark'))))
      await page.getByRole('button', { name: /^Theme:/ }).click();
    await expect(page.locator('html')).toHaveClass(/dark/);
    await shot(page, 'compare-result-dark-1920');
    await expectNoSeriousAxeViolations(page, 'compare results, dark');
  });

  test('any script and any two presets: a lesson script under introspection versus static refresh', async ({ page, offsite }) => {
    void offsite;
    test.setTimeout(120_000);
    const expected = Promise.all([
      runnerMetrics('compare-suspension.json', 'introspected-access'),
      runnerMetrics('compare-suspension.json', 'static-refresh'),
    ]);
    await freshStart(page);
    await page.getByRole('navigation', { name: 'Mode' }).getByRole('button', { name: 'Compare' }).click();
    await page.getByLabel('Script', { exact: true }).selectOption('compare-suspension');
    await page.getByLabel('Configuration A', { exact: true }).selectOption('introspected-access');
    await page.getByLabel('Configuration B', { exact: true }).selectOption('static-refresh');
    await page.getByRole('button', { name: 'Run comparison' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Done:' })).toBeVisible({ timeout: 90_000 });
    const [a, b] = await expected;
    const table = page.getByRole('table');
    for (const [side, m] of [
      ['a', a],
      ['b', b],
    ] as const) {
      const exposure = await table.locator(`tr[data-measure="exposure"] td[data-side="${side}"] [data-value]`).innerText();
      expect(spanSeconds(exposure)).toBe(m.attacker.exposureSeconds);
      const lookups = await table.locator(`tr[data-measure="stateLookups"] td[data-side="${side}"] [data-value]`).innerText();
      expect(count(lookups)).toBe(m.authServer.stateLookups);
    }
    const picture = page.getByRole('img', { name: /attacker's exposure/ });
    await expect(picture).toContainText('user suspended');
    await expect(picture).toContainText('user reinstated');
    await shot(page, 'compare-suspension-1280');

    // Changing a choice afterwards says the results are from the previous run.
    await page.getByLabel('Script', { exact: true }).selectOption('walk-away-59-minutes');
    await expect(page.getByText(/you have changed the choice since/)).toBeVisible();
    await expect(
      page.getByLabel('Configuration A', { exact: true }).locator('option', { hasText: 'The script’s own settings' }),
    ).toHaveCount(1);
  });
});
