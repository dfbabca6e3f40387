// Shared e2e helpers: a fresh page with empty storage, a guard that no request leaves the
// origin, and screenshots saved for people to look at.
import { expect, test as base, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const test = base.extend<{ offsite: string[] }>({
  offsite: async ({ page, baseURL }, use) => {
    const offsite: string[] = [];
    const origin = new URL(baseURL!).origin;
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) offsite.push(url);
    });
    await use(offsite);
    expect(offsite, 'requests that left the origin').toEqual([]);
  },
});

export { expect };

export async function freshStart(page: Page): Promise<void> {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(page.getByRole('region', { name: 'Client' })).toBeVisible();
}

/**
 * Saves the session now instead of waiting for the app's quarter-second debounce: the app flushes
 * a pending save on `pagehide` (a reload or a closed tab), and this sends it one. No fixed wait,
 * so a busy machine cannot make a test reload before the save.
 */
export async function saveNow(page: Page): Promise<void> {
  await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

export async function expectNoSeriousAxeViolations(page: Page, context: string): Promise<void> {
  // Colours still fading (a theme switched a moment ago, `transition-colors`) would be measured
  // half-way: wait for running CSS transitions to end first (at most 2 s).
  await page.evaluate(() =>
    Promise.race([
      Promise.all(
        document
          .getAnimations()
          .filter((a) => a instanceof CSSTransition)
          .map((a) => a.finished.catch(() => undefined)),
      ),
      new Promise((resolve) => setTimeout(resolve, 2000)),
    ]),
  );
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map(
      (v) =>
        `${v.id}: ${v.help} (${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')})`,
    ),
    `serious axe violations in ${context}`,
  ).toEqual([]);
}

export function region(page: Page, name: 'Client' | 'Authorization server' | 'Resource server' | 'Attacker') {
  return page.getByRole('region', { name, exact: true });
}
