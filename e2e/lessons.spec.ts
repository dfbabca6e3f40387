import type { Locator, Page } from '@playwright/test';
import { expectNoSeriousAxeViolations, expect, freshStart, region, shot, test } from './fixtures';

const LESSON = 'Stolen refresh token, rotation: what if the app refreshes first?';

/** Presses Tab (or Shift+Tab) until `target` has focus: proves it is reachable by keyboard. */
async function tabTo(page: Page, target: Locator, backwards = false, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  await expect(target).toBeFocused();
}

test.describe('guided lessons', () => {
  test('a learner completes a lesson by keyboard alone, predicting right and wrong', async ({ page, offsite }) => {
    void offsite;
    test.slow(); // four axe runs and a whole lesson
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await freshStart(page);

    // Open the lessons from the header, by keyboard.
    await tabTo(page, page.getByRole('navigation', { name: 'Mode' }).getByRole('button', { name: 'Lessons' }));
    await page.keyboard.press('Enter');
    const picker = page.getByRole('heading', { name: 'Guided lessons' });
    await expect(picker).toBeVisible();
    expect(await page.getByRole('list').getByRole('listitem').count()).toBeGreaterThanOrEqual(8);
    await shot(page, 'lessons-picker');
    await expectNoSeriousAxeViolations(page, 'lesson picker');

    await tabTo(page, page.getByRole('button', { name: LESSON }));
    await page.keyboard.press('Enter');

    const lesson = page.getByRole('region', { name: 'Lesson' });
    await expect(lesson.getByRole('heading', { name: LESSON })).toBeFocused();
    await expect(lesson.getByText('Rotation with reuse detection is how')).toBeVisible(); // the goal, open before the start
    const progress = lesson.getByRole('progressbar', { name: 'Lesson progress' });
    await expect(progress).toHaveAttribute('aria-valuenow', '0');
    await expect(progress).toHaveAttribute('aria-valuemax', '7');
    await shot(page, 'lessons-start');
    const status = lesson.getByRole('status');
    const next = lesson.getByRole('button', { name: 'Next', exact: true });
    const time = page.getByLabel('Simulated time');

    // Step 1 with Enter on Next, step 2 with N, step 3 with Page Down (a presenter's clicker).
    await tabTo(page, next);
    await page.keyboard.press('Enter');
    await expect(status).toContainText('Step 1 of 7: Alice’s app: Log in');
    await expect(status).toContainText('Accepted: 200 OK');
    await expect(lesson.getByText('Rotation with reuse detection is how')).toBeHidden(); // the goal folds away
    await page.keyboard.press('n');
    await expect(status).toContainText('Step 2 of 7: The attacker: Steal refresh token');
    await expect(time).toHaveText('Mon 5 Jan 2026 09:10:00');
    await page.keyboard.press('PageDown');
    await expect(status).toContainText('Step 3 of 7');
    await expect(time).toHaveText('Mon 5 Jan 2026 09:12:00');
    // A question is open: the parties, diagram and narration are veiled (no spoilers) until it is answered.
    await expect(region(page, 'Client')).toHaveCount(0);
    await expect(page.getByRole('note')).toContainText('Hidden while you predict');

    // A question before step 4: Next waits for an answer and takes the learner to it.
    const question = lesson.getByRole('group', { name: /The attacker now presents RT#1/ });
    await expect(question).toBeVisible();
    await expect(next).toBeDisabled();
    await page.keyboard.press('n');
    await expect(question.getByRole('radio').first()).toBeFocused();
    await expect(lesson).toContainText('Choose an answer first');
    await expect(time).toHaveText('Mon 5 Jan 2026 09:12:00'); // nothing ran
    await shot(page, 'lessons-question');
    await expectNoSeriousAxeViolations(page, 'lesson with a question');

    // The right answer is the second choice: arrow keys move and select within the group.
    await page.keyboard.press('ArrowDown');
    await expect(question.getByRole('radio', { name: /revokes every token of the grant/ })).toBeChecked();
    await expect(lesson).toContainText('Run the step to see');
    await page.keyboard.press('n');
    await expect(status).toContainText('Step 4 of 7');
    await expect(status).toContainText('✓ Right');
    await expect(status).toContainText('Refused: 400 invalid_grant (reuse detected — family revoked)');
    await expect(status).toContainText('the server knows that two parties hold copies'); // the explanation
    await expect(next).toBeFocused(); // the question went away; focus stays on Next
    await expect(region(page, 'Client').getByRole('button', { name: 'RT#2' })).toBeVisible(); // unveiled
    await shot(page, 'lessons-right');

    await page.keyboard.press('Enter');
    await expect(status).toContainText('Step 5 of 7');

    // Second question: choose the wrong answer this time (the second choice), then Tab back to Next.
    await expect(next).toBeDisabled();
    await page.keyboard.press('Enter');
    const question2 = lesson.getByRole('group', { name: /refreshes with RT#2/ });
    await expect(question2.getByRole('radio').first()).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(question2.getByRole('radio').nth(1)).toBeChecked();
    await tabTo(page, next); // past the glossary's buttons for the words the question uses
    await expect(next).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(status).toContainText('✗ Not quite');
    await expect(status).toContainText('The answer: “No: RT#2 belongs to the grant that was just revoked”');
    await expect(status).toContainText('Reuse detection cannot tell the thief from the owner');
    await expect(status).toContainText('Refused: 400 invalid_grant (family revoked)');
    await shot(page, 'lessons-wrong');

    // The last step, then the summary.
    await page.keyboard.press('Enter');
    const complete = lesson.getByRole('heading', { name: 'Lesson complete' });
    await expect(complete).toBeFocused();
    await expect(lesson).toContainText('You predicted 1 of 2 outcomes right.');
    await expect(lesson).toContainText('Password prompts for Alice');
    await expect(progress).toHaveAttribute('aria-valuenow', '7');
    await expect(time).toHaveText('Mon 5 Jan 2026 09:17:00');
    await shot(page, 'lessons-complete');
    await expectNoSeriousAxeViolations(page, 'lesson complete');
    await page.keyboard.press('t');
    await expect(page.locator('html')).toHaveClass(/dark/);
    await expectNoSeriousAxeViolations(page, 'lesson complete, dark');
    await shot(page, 'lessons-complete-dark');
    await page.keyboard.press('t');

    // Page Up goes back one lesson step; the answers are kept.
    await page.keyboard.press('PageUp');
    await expect(complete).toHaveCount(0);
    await expect(status).toContainText('Step 6 of 7');
    await expect(status).toContainText('✗ Not quite');
    await page.keyboard.press('PageDown');
    await expect(lesson.getByRole('heading', { name: 'Lesson complete' })).toBeVisible();

    // Restart: back to the start of the lesson, by keyboard.
    await tabTo(page, lesson.getByRole('button', { name: 'Restart' }));
    await page.keyboard.press('Enter');
    await expect(lesson).toContainText('Not started: 7 steps');
    await expect(time).toHaveText('Mon 5 Jan 2026 09:00:00');
    await expect(progress).toHaveAttribute('aria-valuenow', '0');
    await expect(region(page, 'Client').getByRole('button', { name: 'Log in' })).toBeEnabled();
    expect(errors, 'errors in the page').toEqual([]);
  });

  test('Explore from here leaves the script with the moment and the tokens intact', async ({ page, offsite }) => {
    void offsite;
    await freshStart(page);
    await page.getByRole('navigation', { name: 'Mode' }).getByRole('button', { name: 'Lessons' }).click();
    await page.getByRole('button', { name: LESSON }).click();
    const lesson = page.getByRole('region', { name: 'Lesson' });
    const next = lesson.getByRole('button', { name: 'Next', exact: true });
    for (let i = 1; i <= 3; i++) {
      await next.click();
      await expect(lesson.getByRole('status')).toContainText(`Step ${i} of 7`);
    }
    await page.setViewportSize({ width: 1920, height: 1080 });
    await shot(page, 'lessons-question-1080p');
    await page.setViewportSize({ width: 1280, height: 720 });

    await lesson.getByRole('button', { name: 'Explore from here' }).click();
    await expect(page.getByRole('navigation', { name: 'Mode' }).getByRole('button', { name: 'Sandbox' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    await expect(page.getByRole('region', { name: 'Lesson' })).toHaveCount(0);
    const time = page.getByLabel('Simulated time');
    await expect(time).toHaveText('Mon 5 Jan 2026 09:12:00');
    await expect(region(page, 'Client').getByRole('button', { name: 'RT#2' })).toBeVisible();
    await expect(region(page, 'Attacker').getByRole('button', { name: 'RT#1' })).toBeVisible();

    // The script's remaining steps are gone: at 09:13 the attacker no longer refreshes by itself.
    await page.getByRole('button', { name: '+5 minutes' }).click();
    await expect(time).toHaveText('Mon 5 Jan 2026 09:17:00');
    await expect(region(page, 'Authorization server')).not.toContainText('revoked (reuse)');
    // ...but the learner can do it by hand.
    await region(page, 'Attacker').getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect(region(page, 'Authorization server')).toContainText('revoked (reuse)');
    await shot(page, 'lessons-explored');

    // The sandbox got a copy: back in Lessons, the lesson is where it was, its script still on.
    await page.getByRole('navigation', { name: 'Mode' }).getByRole('button', { name: 'Lessons' }).click();
    await expect(page.getByRole('region', { name: 'Lesson' }).getByRole('status')).toContainText('Step 3 of 7');
    await expect(time).toHaveText('Mon 5 Jan 2026 09:12:00');
  });

  test('a lesson under way can be left and continued; the clock bar moves the lesson too', async ({ page, offsite }) => {
    void offsite;
    await freshStart(page);
    await page.getByRole('navigation', { name: 'Mode' }).getByRole('button', { name: 'Lessons' }).click();
    await page.getByRole('button', { name: 'Only a long-lived access token: why not skip refresh tokens?' }).click();
    const lesson = page.getByRole('region', { name: 'Lesson' });
    const status = lesson.getByRole('status');
    await lesson.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(status).toContainText('Step 1 of 9');
    // The clock bar's own controls run the script as well, and the lesson follows.
    await page.getByRole('button', { name: '+1 hour' }).click();
    await expect(status).toContainText('Step 2 of 9: The attacker: Steal access token');
    await page.getByRole('button', { name: '← Step back' }).click();
    await expect(status).toContainText('Step 1 of 9');

    await lesson.getByRole('button', { name: '← Back to lessons' }).click();
    await expect(page.getByRole('heading', { name: 'Guided lessons' })).toBeFocused();
    await expect(page.locator('p', { hasText: 'In progress:' })).toContainText(
      'Only a long-lived access token: why not skip refresh tokens? (step 1 of 9)',
    );
    await page.getByRole('button', { name: 'Continue this lesson' }).click();
    await expect(status).toContainText('Step 1 of 9');

    // A repeated step is one lesson step: 29 daily calls with one press.
    for (let i = 2; i <= 5; i++) {
      await lesson.getByRole('button', { name: 'Next', exact: true }).click();
      await expect(status).toContainText(`Step ${i} of 9`);
    }
    await lesson.getByRole('radio', { name: /Yes: the API checks only the signature/ }).check();
    await lesson.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(status).toContainText('Step 6 of 9');
    await lesson.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(status).toContainText('Step 7 of 9: The attacker: Call API (29 times)');
    await expect(status).toContainText('all 29 succeeded');
    await expect(page.getByLabel('Simulated time')).toHaveText('Tue 3 Feb 2026 09:00:00');
    await shot(page, 'lessons-repeat');
  });
});
