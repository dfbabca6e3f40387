import { expectNoSeriousAxeViolations, expect, freshStart, region, shot, test } from './fixtures';
import type { Locator, Page } from '@playwright/test';

/** Focuses a button by keyboard-reachable focus and presses Enter (no pointer). */
async function press(button: Locator): Promise<void> {
  await button.focus();
  await button.press('Enter');
}

function diagramText(page: Page) {
  return page.getByRole('log', { name: 'Narration' });
}

test.describe('signing in at the authorization server (SEMANTICS.md §10)', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('intercept the code, then log in: PKCE refuses the attacker; the inspector shows the code and its PKCE pair', async ({
    page,
    offsite,
  }) => {
    void offsite;
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await freshStart(page);
    const client = region(page, 'Client');
    const attacker = region(page, 'Attacker');
    await expect(client).toContainText('code + PKCE: the user types the password at the AS’s page; the app never sees it');

    await press(attacker.getByRole('button', { name: 'Intercept code' }));
    await expect(attacker).toContainText('interception armed');
    await press(client.getByRole('button', { name: 'Log in' }));
    await expect(client).toContainText('intercepted: it went to the attacker');
    await expect(region(page, 'Authorization server')).toContainText('Grants (token families): none yet');
    // The sequence diagram's rows in words (its screen-reader list), and the narration.
    await expect(page.getByText('Authorization server answers Attacker: ✗ 400 PKCE check failed').first()).toBeAttached();
    await expect(diagramText(page)).toContainText('the attacker received it instead of the app');

    // The code opens in the inspector like a token: its record and the PKCE pair.
    await press(attacker.getByRole('button', { name: 'AC#1' }));
    const inspector = page.getByRole('region', { name: /Token inspector/ });
    await expect(inspector).toContainText('An authorization code and its PKCE pair');
    await expect(inspector).toContainText('60 s, single use');
    const pkce = inspector.getByRole('region', { name: 'PKCE (RFC 7636)' });
    await expect(pkce).toContainText('code_verifier');
    await expect(inspector).toContainText('the attacker has no verifier');
    await shot(page, 'signin-intercepted-1440');
    await expectNoSeriousAxeViolations(page, 'code interception, inspector on the code');

    // A script in the page: hijack, then a silent sign-in of its own needs a live sign-in session.
    await press(attacker.getByRole('button', { name: 'Hijack page' }));
    await expect(client).toContainText('the attacker’s script runs in it');
    await press(attacker.getByRole('button', { name: 'Silent sign-in' }));
    await expect(page.getByText(/no live sign-in session|no sign-in session/).first()).toBeAttached();
    await press(attacker.getByRole('button', { name: 'Release page' }));
    await expect(attacker.getByRole('button', { name: 'Hijack page' })).toBeVisible();
    expect(errors, 'errors in the page').toEqual([]);
  });

  test('under a BFF the browser holds nothing to steal, but the API’s logs still leak an access token', async ({ page, offsite }) => {
    void offsite;
    await freshStart(page);
    await press(page.getByRole('button', { name: 'Settings' }));
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByLabel('Tokens kept').focus();
    await dialog.getByLabel('Tokens kept').selectOption('bff');
    await expect(dialog.getByLabel('Client type')).toHaveValue('confidential');
    // An invalid combination is named by the validator, and the dialog stays open.
    await dialog.getByLabel('Client type').selectOption('public');
    await press(dialog.getByRole('button', { name: 'Restart with these settings' }));
    await expect(dialog.getByRole('alert')).toContainText('config.client.type');
    await dialog.getByLabel('Client type').selectOption('confidential');
    await dialog.getByLabel('Sign-in session').check();
    await dialog.getByLabel('Session idle lifetime').fill('1h');
    await dialog.getByLabel('On a password change').selectOption('keep');
    await shot(page, 'signin-settings-1440');
    await expectNoSeriousAxeViolations(page, 'settings with the sign-in fields');
    await press(dialog.getByRole('button', { name: 'Restart with these settings' }));
    await expect(dialog).toBeHidden();

    const client = region(page, 'Client');
    const attacker = region(page, 'Attacker');
    await expect(client).toContainText('at the BFF (a backend): the browser holds only an HttpOnly session cookie no script can read');
    await press(client.getByRole('button', { name: 'Log in' }));
    await expect(region(page, 'Authorization server')).toContainText('S1 ✓ live since');
    await expect(region(page, 'Authorization server')).toContainText('configured to keep the grants');

    const stealAll = attacker.getByRole('button', { name: 'Steal all' });
    await expect(stealAll).toHaveAttribute('aria-disabled', 'true');
    await press(stealAll);
    await expect(attacker.getByRole('status').filter({ hasText: 'Nothing to steal' })).toContainText(
      'the browser holds only an HttpOnly cookie',
    );

    const fromLogs = attacker.getByRole('button', { name: 'Steal access token from the API’s logs' });
    await expect(fromLogs).toHaveAttribute('aria-disabled', 'true');
    await press(client.getByRole('button', { name: 'Call API' }));
    await expect(fromLogs).not.toHaveAttribute('aria-disabled', 'true');
    await press(fromLogs);
    await expect(attacker.getByRole('button', { name: 'AT#1' }).first()).toBeVisible();
    await shot(page, 'signin-bff-1440');
    await expectNoSeriousAxeViolations(page, 'BFF sandbox');

    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'signin-bff-390');
  });

  test('presenter mode at 1280×720 with the new panels', async ({ page, offsite }) => {
    void offsite;
    await page.setViewportSize({ width: 1280, height: 720 });
    await freshStart(page);
    await press(region(page, 'Attacker').getByRole('button', { name: 'Intercept code' }));
    await press(region(page, 'Client').getByRole('button', { name: 'Log in' }));
    await press(page.getByRole('button', { name: 'Presenter mode' }));
    await expect(page.locator('html')).toHaveClass(/presenter/);
    await shot(page, 'signin-presenter-720');
    await expectNoSeriousAxeViolations(page, 'presenter mode with the sign-in panels');
  });
});
