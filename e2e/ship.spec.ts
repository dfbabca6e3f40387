// Shipping anywhere: the built site under a path prefix (as on a GitHub Pages project site) and
// offline once visited (the service worker's copy). Both use their own static server
// (static-server.ts) on a free port, so they need `npx vite build` first like the rest of e2e.
import { expect, test } from '@playwright/test';
import { serveDist, type StaticSite } from './static-server';

const PREFIX = '/some/sub/path/';
let site: StaticSite;

test.beforeAll(async () => {
  site = await serveDist({ prefix: PREFIX });
});
test.afterAll(async () => {
  await site.close();
});

test('the build works under a path prefix: load, log in, jump, reload', async ({ page }) => {
  await page.goto(`${site.origin}${PREFIX}`);
  const client = page.getByRole('region', { name: 'Client', exact: true });
  await client.getByRole('button', { name: 'Log in' }).click();
  await expect(client.getByRole('button', { name: 'AT#1' })).toBeVisible();
  await page.getByRole('button', { name: '+1 hour' }).click();
  await expect(page.getByLabel('Simulated time')).toHaveText('Mon 5 Jan 2026 10:00:00');
  // The lazily loaded pieces came from under the prefix too.
  await page.getByRole('tab', { name: 'Token timeline' }).click();
  await expect(page.getByRole('group', { name: /Token timeline/ })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Simulated time')).toHaveText('Mon 5 Jan 2026 10:00:00');
  await expect(client.getByRole('button', { name: 'AT#1' })).toBeVisible();
  expect(
    site.log.filter((r) => r.status !== 200),
    'requests that failed',
  ).toEqual([]);
  expect(
    site.log.filter((r) => !r.path.startsWith(PREFIX)),
    'requests outside the prefix',
  ).toEqual([]);
  // The browser reads the manifest when it looks at the page as an app: once the offline copy is
  // set up, which main.tsx does a moment after the start.
  await expect.poll(() => site.log.map((r) => r.path), { timeout: 15_000 }).toContain(`${PREFIX}manifest.webmanifest`);
});

test('after one visit the app works offline: reload with the network off and run a lesson step', async ({ page, context }) => {
  await page.goto(`${site.origin}${PREFIX}`);
  await expect(page.getByRole('region', { name: 'Client', exact: true })).toBeVisible();
  // The worker registers after load, precaches the build and takes control of this page.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toBe(`${site.origin}${PREFIX}`);
  // Installable: Chromium finds nothing missing (manifest, icons, a worker that answers fetches)
  // besides the test browser's own state: its contexts are incognito, where nothing installs.
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
  const manifest = await cdp.send('Page.getAppManifest');
  expect(manifest.errors).toEqual([]);
  expect(manifest.url).toBe(`${site.origin}${PREFIX}manifest.webmanifest`);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('region', { name: 'Client', exact: true })).toBeVisible();
  await page.getByRole('navigation', { name: 'Mode' }).getByRole('button', { name: 'Lessons' }).click();
  await page.getByRole('button', { name: 'Stolen refresh token, rotation: what if the app refreshes first?' }).click();
  const lesson = page.getByRole('region', { name: 'Lesson' });
  await lesson.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(lesson.getByRole('status')).toContainText('Step 1 of 7');
  await expect(page.getByRole('region', { name: 'Client', exact: true }).getByRole('button', { name: 'AT#1' })).toBeVisible();
  await context.setOffline(false);
});
