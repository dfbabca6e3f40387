import type { Page } from '@playwright/test';
import { expectNoSeriousAxeViolations, expect, freshStart, region, shot, test, saveNow } from './fixtures';

const time = (page: Page) => page.getByLabel('Simulated time');
const caption = (page: Page) => page.getByRole('status', { name: 'Caption: the newest narration line' });

const SCRIPT = {
  format: 'tokenscope/1',
  title: 'Stolen refresh token, live',
  steps: [
    { at: '0s', do: 'client.login' },
    { at: '2m', do: 'attacker.steal', what: 'refresh' },
    { at: '5m', do: 'client.refresh' },
    { at: '6m', do: 'attacker.refresh' },
  ],
};

async function importScript(page: Page): Promise<void> {
  await page
    .getByLabel('Scenario file to import')
    .setInputFiles({ name: 'live.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(SCRIPT)) });
  await expect(page.getByRole('banner')).toContainText('Stolen refresh token, live');
}

test.describe('presenter mode', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  test('large type, a caption bar with the newest line, a clicker steps through events', async ({ page, offsite }) => {
    void offsite;
    await freshStart(page);
    await importScript(page);
    const toggle = page.getByRole('button', { name: 'Presenter mode' });
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('html')).toHaveClass(/presenter/);
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('20px');
    await expect(caption(page)).toContainText('Nothing has happened yet');

    // A clicker: PageDown = next event, PageUp = step back.
    await page.keyboard.press('PageDown');
    await expect(caption(page)).toContainText('issued AT#1');
    await expect(region(page, 'Client').getByRole('button', { name: 'AT#1' })).toBeVisible();
    await page.keyboard.press('PageDown');
    await expect(time(page)).toHaveText('Mon 5 Jan 2026 09:02:00');
    await expect(caption(page)).toContainText('The attacker copied the refresh token RT#1');
    await page.keyboard.press('PageDown');
    await page.keyboard.press('PageDown');
    await expect(time(page)).toHaveText('Mon 5 Jan 2026 09:06:00');
    await expect(caption(page)).toContainText('That is reuse');
    await shot(page, 'presenter-1080p');
    await expectNoSeriousAxeViolations(page, 'presenter mode, light');

    await page.keyboard.press('PageUp');
    await expect(caption(page)).toContainText('The app exchanged RT#1');
    await expect(time(page)).toHaveText('Mon 5 Jan 2026 09:05:00');
    // The full log stays available below the diagram.
    await expect(page.getByRole('log', { name: 'Narration' })).toContainText('The attacker copied the refresh token');

    await page.keyboard.press('t');
    await expect(page.locator('html')).toHaveClass(/dark/);
    await expectNoSeriousAxeViolations(page, 'presenter mode, dark');
    await shot(page, 'presenter-dark-1080p');

    // It survives a reload, and `p` turns it off.
    await saveNow(page);
    await page.reload();
    await expect(page.locator('html')).toHaveClass(/presenter/);
    await expect(time(page)).toHaveText('Mon 5 Jan 2026 09:05:00');
    await page.keyboard.press('p');
    await expect(page.locator('html')).not.toHaveClass(/presenter/);
    await expect(caption(page)).toHaveCount(0);
  });

  test('every control is on the keyboard: the compact menu, dialogs, the mode switch', async ({ page, offsite }) => {
    void offsite;
    await freshStart(page);
    await page.keyboard.press('p');
    await expect(page.locator('html')).toHaveClass(/presenter/);
    // Secondary commands sit in a compact "More" menu.
    await expect(page.getByRole('button', { name: 'Settings' })).toBeHidden();
    const more = page.getByRole('button', { name: 'More' });
    await more.focus();
    await page.keyboard.press('Enter');
    await expect(more).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByRole('button', { name: 'Settings' })).toBeVisible();
    await shot(page, 'presenter-more-menu');
    await expectNoSeriousAxeViolations(page, 'presenter menu open');
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Import' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(more).toHaveAttribute('aria-expanded', 'false');
    await expect(more).toBeFocused();

    // Help lists the presenter shortcuts.
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Help' });
    await expect(help).toContainText('PageDown / PageUp');
    await expect(help).toContainText('Presenter mode on / off');
    await shot(page, 'presenter-help');
    await page.keyboard.press('Escape');

    // Log in with the keyboard alone, then step back with PageUp.
    const login = region(page, 'Client').getByRole('button', { name: 'Log in' });
    await login.focus();
    await page.keyboard.press('Enter');
    await expect(caption(page)).toContainText('issued AT#1');
    await page.locator('body').click({ position: { x: 2, y: 300 } });
    await page.keyboard.press('PageUp');
    await expect(region(page, 'Client').getByRole('button', { name: 'AT#1' })).toHaveCount(0);
  });

  test('axe on every view in presenter mode, and a look at 1280×720', async ({ page, offsite }) => {
    void offsite;
    await freshStart(page);
    await region(page, 'Client').getByRole('button', { name: 'Log in' }).click();
    await page.keyboard.press('p');
    for (const mode of ['Lessons', 'Compare', 'Sandbox']) {
      await page.getByRole('navigation', { name: 'Mode' }).getByRole('button', { name: mode }).click();
      await expect(page.getByRole('navigation', { name: 'Mode' }).getByRole('button', { name: mode })).toHaveAttribute(
        'aria-current',
        'page',
      );
      await expect(page.getByText('Loading…')).toHaveCount(0);
      await expectNoSeriousAxeViolations(page, `presenter mode, ${mode}`);
      await shot(page, `presenter-${mode.toLowerCase()}-1080p`);
    }
    await page.setViewportSize({ width: 1280, height: 720 });
    await shot(page, 'presenter-720p');
    await page.keyboard.press('p');
    await shot(page, 'sandbox-720p-header');
    await expectNoSeriousAxeViolations(page, 'sandbox at 1280×720');
  });
});
