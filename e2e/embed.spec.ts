// Embeds: a host page of the test's own (on another origin, as a course page would be) frames the
// built app twice with the Share menu's sandbox: a lesson and a comparison. Each runs on its own,
// neither touches the visitor's saved session, and both pass axe. A third run blocks storage in
// the frame altogether (as some sandboxes and browser settings do): the embed still works.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Frame, type Page } from '@playwright/test';
import { serveDist, type StaticSite } from './static-server';

const PREFIX = '/app/';
const SANDBOX = 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox';
let app: StaticSite;
let host: StaticSite;
/** The host server's pages, read at each request (a test adds its own). */
const hostPages: Record<string, string> = {};

function hostPage(frames: { src: string; title: string }[]): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A course page</title></head><body>
<main><h1>OAuth tokens, week 3</h1>
${frames.map((f) => `<iframe src="${f.src}" title="${f.title}" width="1000" height="760" sandbox="${SANDBOX}"></iframe>`).join('\n')}
</main></body></html>`;
}

test.beforeAll(async () => {
  app = await serveDist({ prefix: PREFIX });
  const embed = `${app.origin}${PREFIX}?embed=1`;
  hostPages['/course.html'] = hostPage([
    { src: `${embed}#lesson=rotation-client-first`, title: 'tokenscope: a lesson' },
    { src: `${embed}#compare=rotation-client-first&a=long-lived-access&b=rotating-refresh`, title: 'tokenscope: a comparison' },
  ]);
  host = await serveDist({ prefix: '/nothing-here/', extra: hostPages });
});
test.afterAll(async () => {
  await Promise.all([app.close(), host.close()]);
});

async function frameOf(page: Page, title: string): Promise<Frame> {
  const handle = await page.locator(`iframe[title="${title}"]`).elementHandle();
  const frame = await handle!.contentFrame();
  return frame!;
}

test('a host page embeds a lesson and a comparison; they keep nothing and pass axe', async ({ page, context }) => {
  // The visitor has a saved session in the full app, on the app's origin.
  const full = await context.newPage();
  await full.goto(`${app.origin}${PREFIX}`);
  const client = full.getByRole('region', { name: 'Client', exact: true });
  await client.getByRole('button', { name: 'Log in' }).click();
  await expect(client.getByRole('button', { name: 'AT#1' })).toBeVisible();
  await expect.poll(() => full.evaluate(() => localStorage.getItem('tokenscope-session') ?? '')).toContain('client.login');
  const saved = await full.evaluate(() => localStorage.getItem('tokenscope-session'));

  await page.goto(`${host.origin}/course.html`);
  const lessonFrame = await frameOf(page, 'tokenscope: a lesson');
  const compareFrame = await frameOf(page, 'tokenscope: a comparison');

  // The lesson: no app header, the lesson bar, the clock and the parties; Next runs a step.
  const lesson = lessonFrame.getByRole('region', { name: 'Lesson' });
  await expect(lesson.getByRole('heading', { name: 'Stolen refresh token, rotation: what if the app refreshes first?' })).toBeVisible();
  await expect(lessonFrame.getByRole('navigation', { name: 'Mode' })).toHaveCount(0);
  // Opening the lesson did not take the focus (an embed that does scrolls its host page).
  expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BODY');
  await expect(lessonFrame.getByLabel('Simulated time')).toBeVisible();
  await lesson.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(lesson.getByRole('status')).toContainText('Step 1 of 7');
  await expect(lessonFrame.getByRole('region', { name: 'Client', exact: true }).getByRole('button', { name: 'AT#1' })).toBeVisible();

  // The comparison ran by itself, with the link's two setups.
  await expect(compareFrame.getByRole('status').filter({ hasText: 'Done:' })).toContainText('A versus B', { timeout: 30_000 });
  await expect(compareFrame.getByLabel('Configuration A')).toHaveValue('long-lived-access');
  await expect(compareFrame.getByLabel('Configuration B')).toHaveValue('rotating-refresh');

  // "Open in tokenscope": the full app, in a new tab, on the same lesson.
  const open = lessonFrame.getByRole('link', { name: /Open in tokenscope/ });
  await expect(open).toHaveAttribute('target', '_blank');
  await expect(open).toHaveAttribute('href', `${app.origin}${PREFIX}#lesson=rotation-client-first`);

  // Neither embed wrote the visitor's session; the full app's is as it was.
  for (const frame of [lessonFrame, compareFrame])
    expect(await frame.evaluate(() => localStorage.getItem('tokenscope-session'))).toBe(saved);
  await full.reload();
  await expect(full.getByRole('region', { name: 'Client', exact: true }).getByRole('button', { name: 'AT#1' })).toBeVisible();
  await expect(full.getByRole('region', { name: 'Lesson' })).toHaveCount(0);

  await page.screenshot({ path: 'test-results/screenshots/embed-host-page.png', fullPage: true });
  const results = await new AxeBuilder({ page }).analyze();
  expect(
    results.violations.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    ),
  ).toEqual([]);
});

test('the full app opens #lesson= and #compare= links', async ({ page }) => {
  // Something done in the sandbox first: the lesson link leaves it as it is (lessons have their own world).
  await page.goto(`${app.origin}${PREFIX}`);
  await page.getByRole('region', { name: 'Client', exact: true }).getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('region', { name: 'Client', exact: true }).getByRole('button', { name: 'AT#1' })).toBeVisible();
  await page.waitForTimeout(400); // the session is saved a moment after the change
  await page.goto('about:blank');
  await page.goto(`${app.origin}${PREFIX}#lesson=stolen-access-token`);
  await expect(page.getByRole('region', { name: 'Lesson' }).getByRole('heading', { level: 2 })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Mode' }).getByRole('button', { name: 'Lessons' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  expect(new URL(page.url()).hash).toBe('');
  // A lesson under way, shared as an embed, opens in the lesson at the same step.
  const lesson = page.getByRole('region', { name: 'Lesson' });
  await lesson.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(lesson.getByRole('status')).toContainText('Step 1 of');
  await page.getByRole('button', { name: 'Share' }).click();
  const src = /src="([^"]+)"/.exec(await page.getByLabel('Embed in a page').inputValue())![1]!.replace(/&amp;/g, '&');
  expect(src).toMatch(/\?embed=1#s=/);
  const embedded = await page.context().newPage();
  await embedded.goto(src);
  await expect(embedded.getByRole('region', { name: 'Lesson' }).getByRole('status')).toContainText('Step 1 of');
  await expect(embedded.getByRole('navigation', { name: 'Mode' })).toHaveCount(0);
  await embedded.close();

  await page.goto('about:blank');
  await page.goto(`${app.origin}${PREFIX}#compare=no-such-script`);
  await expect(page.getByText(/a script this version of tokenscope does not have \(“no-such-script”\)/)).toBeVisible();
  await page.getByRole('navigation', { name: 'Mode' }).getByRole('button', { name: 'Sandbox' }).click();
  await expect(page.getByRole('region', { name: 'Client', exact: true }).getByRole('button', { name: 'AT#1' })).toBeVisible();
});

test('an embed works where storage is blocked, and opens a shared session', async ({ page, context }) => {
  await context.addInitScript(() => {
    if (!location.search.includes('embed=1')) return;
    const blocked = () => {
      throw new DOMException('storage is blocked here', 'SecurityError');
    };
    Object.defineProperty(window, 'localStorage', { get: blocked });
    Object.defineProperty(window, 'sessionStorage', { get: blocked });
  });
  // A share link made in the full app (Share menu), then its embed code, framed by a host page.
  await page.goto(`${app.origin}${PREFIX}`);
  const client = page.getByRole('region', { name: 'Client', exact: true });
  await client.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: '+1 hour' }).click();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
  await page.getByRole('button', { name: 'Share' }).click();
  const code = await page.getByLabel('Embed in a page').inputValue();
  expect(code).toMatch(
    /^<iframe src="[^"]+\?embed=1#s=[A-Za-z0-9_-]+" title="tokenscope: [^"]+" width="100%" height="760" loading="lazy" style="[^"]+" sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"><\/iframe>$/,
  );
  await page.getByRole('button', { name: 'Copy embed code' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Embed code copied' })).toBeVisible();

  // Served by the host's server, not page.route: Chromium treats a routed page as public and
  // would refuse its frame from 127.0.0.1 (Private Network Access).
  hostPages['/share.html'] =
    `<!doctype html><html lang="en"><head><title>A blog post</title></head><body><main>${code}</main></body></html>`;
  await page.goto(`${host.origin}/share.html`);
  const frame = (await (await page.locator('iframe').elementHandle())!.contentFrame())!;
  await expect(frame.getByLabel('Simulated time')).toHaveText('Mon 5 Jan 2026 10:00:00', { timeout: 20_000 });
  await expect(frame.getByRole('region', { name: 'Client', exact: true }).getByRole('button', { name: 'AT#1' })).toBeVisible();
  await frame.getByRole('button', { name: '+1 hour' }).click();
  await expect(frame.getByLabel('Simulated time')).toHaveText('Mon 5 Jan 2026 11:00:00');
  await expect(frame.getByRole('alert')).toHaveText('');
});
