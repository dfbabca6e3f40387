import { expect, test } from '@playwright/test';

test('the page runs a scenario through the core', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'tokenscope' })).toBeVisible();
  // At exactly t = exp the resource server rejects the token (SEMANTICS.md §2).
  await expect(page.getByText('300s client.callApi: rejected 401 expired')).toBeVisible();
});
