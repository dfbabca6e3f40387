import type { Locator, Page } from '@playwright/test';
import { expect, expectNoSeriousAxeViolations, freshStart, shot, test } from './fixtures';

const LESSON = 'Signing in: where does Alice type her password, and what does PKCE protect?';

/** Presses Tab until `target` has focus: proves it is reachable by keyboard. */
async function tabTo(page: Page, target: Locator, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

/** Answers the pending question by keyboard: N moves focus to its first choice, Space or the arrows select. */
async function answer(page: Page, question: Locator, choice: number): Promise<void> {
  await page.keyboard.press('n');
  await expect(question.getByRole('radio').first()).toBeFocused();
  if (choice === 0) await page.keyboard.press('Space');
  for (let i = 0; i < choice; i++) await page.keyboard.press('ArrowDown');
  await expect(question.getByRole('radio').nth(choice)).toBeChecked();
}

test('the sign-in lesson end to end by keyboard: code + PKCE, and an intercepted code refused', async ({ page, offsite }) => {
  void offsite;
  test.slow();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await freshStart(page);

  await tabTo(page, page.getByRole('navigation', { name: 'Mode' }).getByRole('button', { name: 'Lessons' }));
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('button', { name: LESSON }));
  await page.keyboard.press('Enter');
  const lesson = page.getByRole('region', { name: 'Lesson' });
  await expect(lesson.getByRole('heading', { name: LESSON })).toBeFocused();
  const status = lesson.getByRole('status');
  const narration = page.getByRole('log', { name: 'Narration' });

  // Step 1 asks first: who sees the password? The right answer is the first choice.
  const q1 = lesson.getByRole('group', { name: /Which parties see Alice’s password/ });
  await tabTo(page, lesson.getByRole('button', { name: 'Next', exact: true }));
  await answer(page, q1, 0);
  await page.keyboard.press('n');
  await expect(status).toContainText('Step 1 of 8');
  await expect(status).toContainText('✓ Right');
  await expect(narration).toContainText('sign-in page');
  await shot(page, 'lesson-sign-in-1');

  // Steps 2 to 4: a call, a logout, the interception armed.
  for (const n of [2, 3, 4]) {
    await page.keyboard.press('n');
    await expect(status).toContainText(`Step ${n} of 8`);
  }

  // Step 5: Alice's sign-in loses its code (first choice).
  await answer(page, lesson.getByRole('group', { name: /the malicious app catches it/ }), 0);
  await page.keyboard.press('n');
  await expect(status).toContainText('Step 5 of 8');
  await expect(status).toContainText('✓ Right');
  await expect(status).toContainText('Nothing sent');

  // Step 6: the attacker's code was refused without the verifier (third choice).
  await answer(page, lesson.getByRole('group', { name: /not the verifier/ }), 2);
  await page.keyboard.press('n');
  await expect(status).toContainText('Step 6 of 8');
  await expect(status).toContainText('✓ Right');
  await expect(status).toContainText('Refused: 401');
  await shot(page, 'lesson-sign-in-6');
  await expectNoSeriousAxeViolations(page, 'sign-in lesson');

  // A press while a step runs is dropped (the lesson never skips a step unseen): one at a time.
  await page.keyboard.press('n');
  await expect(status).toContainText('Step 7 of 8');
  await page.keyboard.press('n');
  const complete = lesson.getByRole('heading', { name: 'Lesson complete' });
  await expect(complete).toBeFocused();
  await expect(lesson).toContainText('You predicted 3 of 3 outcomes right.');
  await shot(page, 'lesson-sign-in-complete');
  expect(errors, 'errors in the page').toEqual([]);
});
