import { readFileSync } from 'node:fs';
import { parseScenario } from '../src/sim/scenario';
import { World } from '../src/sim/world';
import { formatInstant } from '../src/ui/format';
import { STORAGE_KEY, STORAGE_VERSION } from '../src/ui/persistence';
import { expectNoSeriousAxeViolations, expect, freshStart, region, shot, test, saveNow } from './fixtures';

test.describe('the simulator screen', () => {
  test('a learner walks through rotation and reuse detection, steps back and branches', async ({ page, offsite }) => {
    void offsite;
    await freshStart(page);
    const client = region(page, 'Client');
    const attacker = region(page, 'Attacker');
    const authServer = region(page, 'Authorization server');
    const narration = page.getByRole('log', { name: 'Narration' });

    await expect(page.getByLabel('Simulated time')).toHaveText('Mon 5 Jan 2026 09:00:00');
    // Nothing to steal before a login: the button says why instead of vanishing.
    await expect(attacker.getByRole('button', { name: 'Steal refresh token' })).toBeDisabled();

    await client.getByRole('button', { name: 'Log in' }).click();
    await expect(client.getByRole('button', { name: 'AT#1' })).toBeVisible();
    await attacker.getByRole('button', { name: 'Steal refresh token' }).click();
    await expect(attacker.getByRole('button', { name: 'RT#1' })).toBeVisible();

    await page.getByRole('button', { name: '+5 minutes' }).click();
    await expect(page.getByLabel('Simulated time')).toHaveText('Mon 5 Jan 2026 09:05:00');
    await client.getByRole('button', { name: 'Call API' }).click();
    await expect(narration).toContainText('expired');

    await client.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect(client.getByRole('button', { name: 'RT#2' })).toBeVisible();
    await attacker.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect(narration).toContainText('That is reuse');
    await expect(authServer).toContainText('revoked (reuse)');
    await shot(page, 'simulator-reuse-detected');

    // Step back: the reuse never happened; the family is active again and the log agrees.
    await page.getByRole('button', { name: 'Step back' }).click();
    await expect(authServer).not.toContainText('revoked (reuse)');
    await expect(narration).not.toContainText('That is reuse');
    await expect(attacker.getByRole('button', { name: 'RT#1' })).toBeVisible();

    // Branch: this time the attacker refreshes first... after the client already did, so still reuse;
    // instead the user logs out, which revokes the family for everyone.
    await client.getByRole('button', { name: 'Log out' }).click();
    await expect(authServer).toContainText('revoked (logout)');
    await attacker.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect(narration).toContainText('revoked');
    await shot(page, 'simulator-branch-logout');
  });

  test('the sequence diagram, timeline and inspector show a token', async ({ page, offsite }) => {
    void offsite;
    await freshStart(page);
    await region(page, 'Client').getByRole('button', { name: 'Log in' }).click();
    await region(page, 'Client').getByRole('button', { name: 'Call API' }).click();
    await region(page, 'Client').getByRole('button', { name: 'AT#1' }).click();
    const inspector = page.getByRole('region', { name: /Token inspector/ });
    await expect(inspector).toContainText('at+jwt');
    await expect(inspector).toContainText('would accept');
    await shot(page, 'simulator-inspector');
    await page.getByRole('tab', { name: 'Token timeline' }).click();
    await expect(page.getByRole('tabpanel')).toContainText('AT#1');
    await shot(page, 'simulator-timeline');
    await expectNoSeriousAxeViolations(page, 'timeline + inspector');
  });

  test('keyboard alone: log in, jump, step back, help', async ({ page, offsite }) => {
    void offsite;
    await freshStart(page);
    const login = region(page, 'Client').getByRole('button', { name: 'Log in' });
    // Tab until the login button has focus: every control is reachable.
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      if (await login.evaluate((el) => el === document.activeElement)) break;
    }
    await expect(login).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(region(page, 'Client').getByRole('button', { name: 'AT#1' })).toBeVisible();
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    await page.keyboard.press('4');
    await expect(page.getByLabel('Simulated time')).toHaveText('Tue 6 Jan 2026 09:00:00');
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByLabel('Simulated time')).toHaveText('Mon 5 Jan 2026 09:00:00');
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog', { name: 'Help' })).toBeVisible();
    await shot(page, 'help-dialog');
    await expectNoSeriousAxeViolations(page, 'help dialog');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  });

  test('settings restart the run; the session survives a reload', async ({ page, offsite }) => {
    void offsite;
    await freshStart(page);
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByLabel('Preset').selectOption('static-refresh');
    await dialog.getByLabel('Lifetime (ttl)').fill('10m');
    await shot(page, 'settings-dialog');
    await expectNoSeriousAxeViolations(page, 'settings dialog');
    await dialog.getByRole('button', { name: 'Restart with these settings' }).click();
    await expect(page.getByRole('banner')).toContainText('Access + static refresh token');
    await region(page, 'Client').getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: '+1 minute' }).click();
    await expect(page.getByLabel('Simulated time')).toHaveText('Mon 5 Jan 2026 09:01:00');

    await saveNow(page);
    await page.reload();
    await expect(page.getByLabel('Simulated time')).toHaveText('Mon 5 Jan 2026 09:01:00');
    await expect(page.getByRole('banner')).toContainText('Access + static refresh token');
    await expect(region(page, 'Client').getByRole('button', { name: 'AT#1' })).toBeVisible();
  });

  test('a corrupt saved session starts fresh with a notice', async ({ page, offsite }) => {
    void offsite;
    // Written before the app's scripts run, as if left by an older or broken build.
    await page.addInitScript(() => {
      if (!sessionStorage.getItem('seeded')) {
        sessionStorage.setItem('seeded', '1');
        localStorage.setItem('tokenscope-session', '{"state": {"session": {"scenario": {"format": "nope"}, "ops": []}}, "version": 1}');
      }
    });
    await page.goto('/');
    await expect(page.getByRole('status').filter({ hasText: 'could not be read' })).toBeVisible();
    await expect(region(page, 'Client')).toBeVisible();
    await page.evaluate(() => {
      sessionStorage.removeItem('seeded');
      localStorage.clear();
    });
    await page.addInitScript(() => {
      if (sessionStorage.getItem('seeded') !== '2') {
        sessionStorage.setItem('seeded', '2');
        localStorage.setItem('tokenscope-session', '{not json');
      }
    });
    await page.reload();
    await expect(page.getByRole('status').filter({ hasText: 'could not be read' })).toBeVisible();
    await region(page, 'Client').getByRole('button', { name: 'Log in' }).click();
    await expect(region(page, 'Client').getByRole('button', { name: 'AT#1' })).toBeVisible();
  });

  test('axe finds nothing serious in light and dark themes', async ({ page, offsite }) => {
    void offsite;
    await freshStart(page);
    await region(page, 'Client').getByRole('button', { name: 'Log in' }).click();
    await region(page, 'Attacker').getByRole('button', { name: 'Steal both' }).click();
    await page.getByRole('button', { name: '+5 minutes' }).click();
    await region(page, 'Attacker').getByRole('button', { name: 'Call API' }).click();
    await expectNoSeriousAxeViolations(page, 'light theme');
    await shot(page, 'simulator-light');
    await page.keyboard.press('t');
    await expect(page.locator('html')).toHaveClass(/dark/);
    // Buttons fade to the dark colours (transition-colors): axe must read them once the fade is over.
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    await expectNoSeriousAxeViolations(page, 'dark theme');
    await shot(page, 'simulator-dark');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await shot(page, 'simulator-1080p');
  });

  test('days run in the engine worker (clicks, a hovered button, a key) show what the headless core computes', async ({
    page,
    offsite,
  }) => {
    void offsite;
    // The headless reference run below is four days of real signing: give a busy machine time.
    test.setTimeout(180_000);
    const file = JSON.parse(readFileSync(new URL('../src/scenarios/compare-seed-question.json', import.meta.url), 'utf8')) as unknown;
    const parsed = parseScenario(file);
    if (!parsed.ok) throw new Error(parsed.error);
    const DAY = 86_400;
    const stored = {
      state: { session: { scenario: file, ops: [] }, preferences: { theme: 'light', pauseOnKeyEvents: false }, branches: [] },
      version: STORAGE_VERSION,
    };
    // Seeded once: the reload at the end must read what the app saved.
    await page.addInitScript(
      ([key, value]) => {
        if (sessionStorage.getItem('seeded')) return;
        sessionStorage.setItem('seeded', '1');
        localStorage.setItem(key!, value!);
      },
      [STORAGE_KEY, JSON.stringify(stored)] as [string, string],
    );
    await page.goto('/');
    const clock = page.getByLabel('Simulated time');
    const day = page.getByRole('button', { name: '+1 day', exact: true });
    const at = (days: number) => formatInstant(parsed.scenario.epochSeconds + days * DAY);

    // Day 1 at once; day 2 after a pause; day 3 after the pointer passed over "+1 hour" and rested
    // on the button; day 4 by keyboard (key 4) right after.
    await day.click();
    await expect(clock).toHaveText(at(1));
    await page.waitForTimeout(500);
    await day.click();
    await expect(clock).toHaveText(at(2));
    await page.getByRole('button', { name: '+1 hour', exact: true }).hover();
    await day.hover();
    await day.click();
    await expect(clock).toHaveText(at(3));
    await page.keyboard.press('4');
    await expect(clock).toHaveText(at(4));

    const world = await World.create(parsed.scenario);
    for (let d = 1; d <= 4; d++) {
      await world.advanceTo(d * DAY);
    }
    const rs = world.current.resourceServer;
    await expect(region(page, 'Resource server')).toContainText(`✓ ${rs.accepted} accepted, ✗ ${rs.rejected} rejected`);
    // The session saved after those days replays to the same moment and the same story.
    // The narration follows the clock a moment later (a deferred render): wait until its count settles.
    const count = page.getByText(/^\d+ entries/);
    let entries: string | null = null;
    await expect
      .poll(async () => {
        const before = await count.textContent();
        await page.waitForTimeout(1000);
        entries = await count.textContent();
        return entries === before;
      })
      .toBe(true);
    await page.waitForTimeout(400);
    await page.reload();
    await expect(clock).toHaveText(at(4));
    await expect(page.getByText(/^\d+ entries/)).toHaveText(entries!);
    await expect(region(page, 'Resource server')).toContainText(`✓ ${rs.accepted} accepted, ✗ ${rs.rejected} rejected`);
  });
});
