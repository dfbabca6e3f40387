// The engine runs in a worker: a long jump shows its progress with a Cancel button, Esc or the
// button stops it between two items, and the app goes on from where the clock stopped.
import { readFileSync } from 'node:fs';
import { STORAGE_KEY, STORAGE_VERSION } from '../src/ui/persistence';
import { expect, expectNoSeriousAxeViolations, shot, test } from './fixtures';

// The month of workdays with DPoP and the app calling every 2 minutes: every call signs a proof
// and has it checked, so a jump of a month lasts long enough to be seen and cancelled (about 3 s
// here; the Bearer month of the shipped file ends in about a second, since a check of a token the
// API has already accepted costs almost nothing). Its 30 days use 24,002 signatures, within
// the work budget.
const seed = JSON.parse(readFileSync(new URL('../src/scenarios/compare-seed-question.json', import.meta.url), 'utf8')) as {
  behaviour: { user: Record<string, unknown> };
};
const file = {
  ...seed,
  config: { preset: 'dpop-bound' },
  behaviour: { ...seed.behaviour, user: { ...seed.behaviour.user, callApiEvery: '2m' } },
};

async function openWorkday(page: import('@playwright/test').Page, preferences: Record<string, unknown> = {}) {
  const stored = {
    state: { session: { scenario: file, ops: [] }, preferences: { theme: 'light', pauseOnKeyEvents: false, ...preferences }, branches: [] },
    version: STORAGE_VERSION,
  };
  await page.addInitScript(
    ([key, value]) => {
      if (sessionStorage.getItem('seeded')) return;
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem(key!, value!);
    },
    [STORAGE_KEY, JSON.stringify(stored)] as [string, string],
  );
  await page.goto('/');
  await expect(page.getByRole('button', { name: '+30 days', exact: true })).toBeVisible();
}

/** Whole days since t = 0, read from the clock bar ("+12 d 04:05:06 since start"; 0 under a day). */
async function elapsedDays(page: import('@playwright/test').Page): Promise<number> {
  const text = (await page.getByText(/since start/).textContent()) ?? '';
  const days = /(\d+) d\b/.exec(text);
  return days ? Number(days[1]) : 0;
}

test.describe('the engine in a worker', () => {
  test('the worker started by the first script (engine-start.ts) is the one the sandbox uses: one engine worker, and it answers', async ({
    page,
  }) => {
    await page.goto('/');
    const logIn = page.getByRole('button', { name: 'Log in', exact: true });
    await expect(logIn).toBeVisible();
    const html = await (await page.request.get('/')).text();
    const scripts = [...html.matchAll(/<script type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts[0]).toMatch(/engine-start-[\w-]+\.js$/);
    expect(page.workers().filter((w) => /engine\.worker-[\w-]+\.js$/.test(w.url()))).toHaveLength(1);
    await logIn.click();
    await expect(page.getByRole('region', { name: 'Client' })).toContainText('Current state: signed in');
    expect(page.workers().filter((w) => /engine\.worker-[\w-]+\.js$/.test(w.url()))).toHaveLength(1);
  });

  test('a +30 days jump is cancelled with Esc: the clock stops before the end and the app goes on', async ({ page, offsite }) => {
    void offsite;
    test.setTimeout(120_000);
    await openWorkday(page);
    const clock = page.getByLabel('Simulated time');
    const start = await clock.textContent();
    await page.getByRole('button', { name: '+30 days', exact: true }).click();
    const cancel = page.getByRole('button', { name: /^Cancel/ });
    await expect(cancel).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: /simulating…/ })).toBeVisible();
    await page.waitForTimeout(300);
    await page.keyboard.press('Escape');
    await expect(cancel).toBeHidden();
    const stopped = await clock.textContent();
    expect(stopped).not.toBe(start);
    // Somewhere before the end of the month.
    expect(await elapsedDays(page)).toBeLessThan(30);
    // Step back and another jump still work.
    await page.getByRole('button', { name: '← Step back' }).click();
    await page.getByRole('button', { name: '+1 hour', exact: true }).click();
    await expect(clock).not.toHaveText(stopped!);
    await expect(page.getByRole('button', { name: '+1 minute', exact: true })).toBeEnabled();
  });

  test('the Cancel button beside the progress bar stops a jump; with "cancel" chosen, a new command stops it too', async ({
    page,
    offsite,
  }) => {
    void offsite;
    test.setTimeout(120_000);
    await openWorkday(page, { whileRunning: 'cancel' });
    const clock = page.getByLabel('Simulated time');
    await page.getByRole('button', { name: '+30 days', exact: true }).click();
    const cancel = page.getByRole('button', { name: /^Cancel/ });
    await expect(cancel).toBeVisible();
    await cancel.click();
    await expect(cancel).toBeHidden();
    const stopped = await clock.textContent();
    expect(await elapsedDays(page)).toBeLessThan(30);

    // A jump, then "+1 minute" at once: the jump is cancelled and the minute runs from where it stopped.
    await page.getByRole('button', { name: '+30 days', exact: true }).click();
    await expect(cancel).toBeVisible();
    await page.getByRole('button', { name: '+1 minute', exact: true }).click();
    await expect(cancel).toBeHidden();
    await expect(clock).not.toHaveText(stopped!);

    // The progress bar and its button, checked and pictured (the jump may end meanwhile: Esc then does nothing).
    await page.getByRole('button', { name: '+30 days', exact: true }).click();
    await expect(cancel).toBeVisible();
    await shot(page, 'worker-cancel-1440');
    await expectNoSeriousAxeViolations(page, 'a jump in progress');
    await page.keyboard.press('Escape');
    await expect(cancel).toBeHidden();

    // Presenter mode and a phone: the progress bar and its button fit. Each from a fresh page at
    // t = 0, so the jump is a whole month of work (where the jumps above left the clock, a month
    // can be quick enough on a slow machine to end before its bar is seen).
    for (const [name, viewport, presenter] of [
      ['presenter', { width: 1280, height: 720 }, true],
      ['390', { width: 390, height: 844 }, false],
    ] as const) {
      const fresh = await page.context().newPage();
      await fresh.setViewportSize(viewport);
      await openWorkday(fresh, { whileRunning: 'cancel' });
      if (presenter) await fresh.keyboard.press('p');
      const freshCancel = fresh.getByRole('button', { name: /^Cancel/ });
      await fresh.getByRole('button', { name: '+30 days', exact: true }).click();
      await expect(freshCancel).toBeVisible();
      // (The jump may have ended before the scroll or the picture: it is then of the finished jump.)
      await freshCancel.scrollIntoViewIfNeeded({ timeout: 2_000 }).catch(() => undefined);
      await shot(fresh, `worker-cancel-${name}`);
      await fresh.keyboard.press('Escape');
      await expect(freshCancel).toBeHidden();
      await fresh.close();
    }
  });
});
