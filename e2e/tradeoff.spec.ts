import { expectNoSeriousAxeViolations, expect, freshStart, shot, test } from './fixtures';

test('the trade-off chart sweeps the access-token lifetime with the real core, off the main thread', async ({ page, offsite }) => {
  void offsite;
  await freshStart(page);
  await page.getByRole('navigation', { name: 'Mode' }).getByRole('button', { name: 'Compare' }).click();
  const chart = page.getByRole('region', { name: 'Trade-off: access-token lifetime' });
  await expect(chart).toBeVisible();
  // A five-day script with a working user and an active thief: twelve real runs, a few seconds.
  await chart.getByLabel('Script').selectOption({ label: 'Suspending a user for an hour: what it stops, and when' });
  await chart.getByLabel('Configuration').selectOption('access-only');
  await chart.getByRole('button', { name: 'Run sweep' }).click();
  const table = chart.locator('table');
  await expect(table.locator('tbody tr')).toHaveCount(12, { timeout: 60_000 });
  await expect(table.locator('tbody tr').first().locator('th')).toHaveText('1 min');
  await expect(table.locator('tbody tr').last().locator('th')).toHaveText('30 d');
  await expect(chart.getByRole('img', { name: /Trade-off chart/ })).toBeVisible();
  // A finished sweep is cached: showing it again needs no new runs.
  await expect(chart.getByRole('button', { name: 'Show sweep' })).toBeVisible();
  await chart.scrollIntoViewIfNeeded();
  await shot(page, 'tradeoff-chart');
  await expectNoSeriousAxeViolations(page, 'compare view with the trade-off chart');
});
