// Issue 13: a learner's first ten minutes and an instructor's demo. The sandbox is the user's own
// world (no lesson leaks into it), predictions are answered by number key with nothing spoiled,
// the presenter sees lesson and parties on one 1280×720 screen, a phone never scrolls sideways,
// and a reload keeps the compare choices and a lesson's score.
import type { Page } from '@playwright/test';
import { expect, freshStart, region, shot, test } from './fixtures';

const BASIC = 'The basic cycle: why two tokens?';

function modeButton(page: Page, name: 'Sandbox' | 'Lessons' | 'Compare') {
  return page.getByRole('navigation', { name: 'Mode' }).getByRole('button', { name });
}

test.describe('first ten minutes', () => {
  test('a first visit offers the first lesson; the welcome, once dismissed, stays away', async ({ page, offsite }) => {
    void offsite;
    await freshStart(page);
    const welcome = page.getByRole('region', { name: 'Welcome' });
    await expect(welcome).toContainText('lets you watch OAuth access and refresh tokens');
    await welcome.getByRole('button', { name: 'Start the first lesson' }).click();
    const lesson = page.getByRole('region', { name: 'Lesson' });
    await expect(lesson.getByRole('heading', { name: BASIC })).toBeVisible();
    await expect(welcome).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole('region', { name: 'Lesson' }).getByRole('heading', { name: BASIC })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Welcome' })).toHaveCount(0);
  });

  test('New sandbox after a lesson: an empty world, the clock moves exactly as asked, the old line under Branches', async ({
    page,
    offsite,
  }) => {
    void offsite;
    await freshStart(page);
    await page.getByRole('region', { name: 'Welcome' }).getByRole('button', { name: 'Dismiss' }).click();
    await modeButton(page, 'Lessons').click();
    await page.getByRole('button', { name: BASIC }).click();
    await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('Not started'); // its world is ready
    const lesson = page.getByRole('region', { name: 'Lesson' });
    const next = lesson.getByRole('button', { name: 'Next', exact: true });
    await next.click();
    await next.click();
    await expect(lesson.getByRole('status')).toContainText('Step 2 of 9');

    // The sandbox was never touched by the lesson: still at its start, signed out.
    await modeButton(page, 'Sandbox').click();
    const time = page.getByLabel('Simulated time');
    await expect(time).toHaveText('Mon 5 Jan 2026 09:00:00');
    await expect(region(page, 'Authorization server')).toContainText('none yet');

    // "Explore from here" carries the lesson's moment over, without its script.
    await modeButton(page, 'Lessons').click();
    await lesson.getByRole('button', { name: 'Explore from here' }).click();
    await expect(modeButton(page, 'Sandbox')).toHaveAttribute('aria-current', 'page');
    await expect(time).toHaveText('Mon 5 Jan 2026 09:01:00');
    await expect(region(page, 'Client')).toContainText('AT#1');

    // Settings' restart in the sandbox does not bring the lesson's script back.
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Restart with these settings' }).click();
    await expect(time).toHaveText('Mon 5 Jan 2026 09:00:00');
    await page.getByRole('button', { name: '+5 minutes' }).click();
    await expect(time).toHaveText('Mon 5 Jan 2026 09:05:00');
    await expect(region(page, 'Authorization server')).toContainText('none yet'); // the script's login did not run

    // New sandbox: empty, same settings; one login, +5 minutes moves the clock exactly 5 minutes.
    await region(page, 'Client').getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'New sandbox' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'A new, empty sandbox' })).toBeVisible();
    await expect(time).toHaveText('Mon 5 Jan 2026 09:00:00');
    await expect(region(page, 'Authorization server')).toContainText('none yet');
    await region(page, 'Client').getByRole('button', { name: 'Log in' }).click();
    await expect(region(page, 'Authorization server')).toContainText('Grants (token families): 1');
    await page.getByRole('button', { name: '+5 minutes' }).click();
    await expect(time).toHaveText('Mon 5 Jan 2026 09:05:00');
    await expect(region(page, 'Authorization server')).toContainText('Grants (token families): 1');
    await shot(page, 'new-sandbox');

    // The line it replaced is under Branches.
    await page.getByRole('button', { name: 'Branches' }).click();
    await expect(page.getByRole('dialog', { name: /Branches/ })).toContainText('Sandbox before “New sandbox”');
    await page.keyboard.press('Escape');

    // A reload keeps the sandbox as it is, and the lesson where it was.
    await page.waitForTimeout(400); // the session is written a moment after each change
    await page.reload();
    await expect(time).toHaveText('Mon 5 Jan 2026 09:05:00');
    await page.getByRole('button', { name: '+5 minutes' }).click();
    await expect(time).toHaveText('Mon 5 Jan 2026 09:10:00');
    await modeButton(page, 'Lessons').click();
    await expect(page.getByRole('region', { name: 'Lesson' }).getByRole('status')).toContainText('Step 2 of 9');
  });

  test('a prediction is answered by number key, with nothing of the answer on screen before', async ({ page, offsite }) => {
    void offsite;
    await freshStart(page);
    await modeButton(page, 'Lessons').click();
    await page.getByRole('button', { name: BASIC }).click();
    await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('Not started'); // its world is ready
    const lesson = page.getByRole('region', { name: 'Lesson' });
    const time = page.getByLabel('Simulated time');
    await page.keyboard.press('n');
    await expect(lesson.getByRole('status')).toContainText('Step 1 of 9');
    await page.keyboard.press('n');
    await expect(lesson.getByRole('status')).toContainText('Step 2 of 9');
    const question = lesson.getByRole('group', { name: /one second before it runs out/ });
    await expect(question).toBeVisible();
    // The simulator is veiled: no panels, no narration, and the clock keys do nothing.
    await expect(region(page, 'Client')).toHaveCount(0);
    await expect(page.getByRole('note')).toContainText('Hidden while you predict');
    await page.keyboard.press('5'); // +30 days, were it not held
    await page.keyboard.press('Space');
    await page.keyboard.press('3');
    await expect(question.getByRole('radio', { name: /Yes: it is still inside its lifetime/ })).toBeChecked();
    await expect(question.getByRole('radio', { name: /Yes: it is still inside its lifetime/ })).toBeFocused();
    await page.keyboard.press('1');
    await expect(question.getByRole('radio').first()).toBeChecked();
    await page.keyboard.press('ArrowDown'); // arrows move within the question, as in any radio group
    await page.keyboard.press('ArrowDown');
    await expect(question.getByRole('radio', { name: /Yes: it is still inside its lifetime/ })).toBeChecked();
    await page.keyboard.press('n');
    await expect(lesson.getByRole('status')).toContainText('Step 3 of 9');
    await expect(lesson.getByRole('status')).toContainText('✓ Right');
    await expect(time).toHaveText('Mon 5 Jan 2026 09:04:59'); // the 30 days never ran
    // After the reveal, focus is on Next (not on the clock's speed slider).
    await expect(lesson.getByRole('button', { name: 'Next', exact: true })).toBeFocused();

    // Lesson keys: L the list, ] the next lesson, in the list 1–9 start one.
    await page.keyboard.press('l');
    await expect(page.getByRole('heading', { name: 'Guided lessons' })).toBeFocused();
    await page.keyboard.press('9');
    await expect(lesson.getByRole('heading', { level: 2 })).toBeFocused();
    const ninth = await lesson.getByRole('heading', { level: 2 }).textContent();
    await page.keyboard.press(']');
    await expect(lesson.getByRole('heading', { level: 2 })).not.toHaveText(ninth ?? '');
  });

  test('a reload keeps the compare choices and a lesson’s predictions and score', async ({ page, offsite }) => {
    void offsite;
    await freshStart(page);
    await modeButton(page, 'Compare').click();
    await page.getByLabel('Script', { exact: true }).selectOption('compare-suspension');
    await page.getByLabel('Configuration A', { exact: true }).selectOption('introspected-access');
    await page.getByLabel('Configuration B', { exact: true }).selectOption('static-refresh');

    await modeButton(page, 'Lessons').click();
    await page.getByRole('button', { name: BASIC }).click();
    await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('Not started'); // its world is ready
    const lesson = page.getByRole('region', { name: 'Lesson' });
    // Right, then wrong.
    for (const [key, step] of [
      ['n', 1],
      ['n', 2],
      ['3', 2],
      ['n', 3],
      ['2', 3],
      ['n', 4],
    ] as const) {
      await page.keyboard.press(key);
      await expect(lesson.getByRole('status')).toContainText(`Step ${step} of 9`);
    }
    await expect(lesson.getByRole('status')).toContainText('✗ Not quite');

    await page.waitForTimeout(400);
    await page.reload();
    await expect(lesson.getByRole('status')).toContainText('Step 4 of 9');
    await expect(lesson.getByRole('status')).toContainText(
      '✗ Not quite. You predicted: “Yes: a token is valid up to and including its exp”',
    );
    await page.keyboard.press('PageUp');
    await expect(lesson.getByRole('status')).toContainText('✓ Right');

    await modeButton(page, 'Compare').click();
    await expect(page.getByLabel('Script', { exact: true })).toHaveValue('compare-suspension');
    await expect(page.getByLabel('Configuration A', { exact: true })).toHaveValue('introspected-access');
    await expect(page.getByLabel('Configuration B', { exact: true })).toHaveValue('static-refresh');
  });
});

test.describe('every screen', () => {
  test('presenter mode at 1280×720: the four parties share the screen with the lesson step', async ({ page, offsite }) => {
    void offsite;
    await page.setViewportSize({ width: 1280, height: 720 });
    await freshStart(page);
    await page.getByRole('region', { name: 'Welcome' }).getByRole('button', { name: 'Dismiss' }).click();
    await page.keyboard.press('p');
    await modeButton(page, 'Lessons').click();
    await page.getByRole('button', { name: BASIC }).click();
    await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('Not started'); // its world is ready
    await page.keyboard.press('n');
    const lesson = page.getByRole('region', { name: 'Lesson' });
    await expect(lesson.getByRole('status')).toContainText('Step 1 of 9');
    await page.waitForLoadState('networkidle'); // the diagram and narration drawn below
    await page.evaluate(() => window.scrollTo(0, 0));
    for (const name of ['Client', 'Attacker', 'Authorization server', 'Resource server'] as const) {
      const box = await region(page, name).boundingBox();
      expect(box, name).not.toBeNull();
      expect(box!.x, `${name} left`).toBeGreaterThanOrEqual(0);
      expect(box!.y, `${name} top`).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, `${name} right`).toBeLessThanOrEqual(1280);
      expect(box!.y + box!.height, `${name} bottom`).toBeLessThanOrEqual(720);
    }
    // The lesson's step text and its Next button are on the same screen.
    for (const target of [lesson.getByRole('status'), lesson.getByRole('button', { name: 'Next', exact: true })]) {
      const box = await target.boundingBox();
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.y + Math.min(box!.height, 40)).toBeLessThanOrEqual(720);
    }
    await shot(page, 'presenter-lesson-1280');
  });

  test('no horizontal scrolling at 390 px, in every mode', async ({ page, offsite }) => {
    void offsite;
    await page.setViewportSize({ width: 390, height: 844 });
    await freshStart(page);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow(), 'sandbox').toBeLessThanOrEqual(0);
    // The header folds its commands into a menu.
    await page.getByRole('button', { name: 'Menu' }).click();
    await expect(page.getByRole('button', { name: 'New sandbox' })).toBeVisible();
    await page.getByRole('button', { name: 'Menu' }).click();
    await region(page, 'Client').getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'AT#1' }).first().click();
    await expect(page.getByRole('heading', { name: /Token inspector/ })).toBeInViewport();
    expect(await overflow(), 'sandbox with the inspector').toBeLessThanOrEqual(0);
    await shot(page, 'phone-sandbox');
    await modeButton(page, 'Lessons').click();
    expect(await overflow(), 'lesson list').toBeLessThanOrEqual(0);
    await page.getByRole('button', { name: BASIC }).click();
    await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('Not started'); // its world is ready
    const lesson = page.getByRole('region', { name: 'Lesson' });
    await page.keyboard.press('n');
    await expect(lesson.getByRole('status')).toContainText('Step 1 of 9');
    await page.keyboard.press('n');
    await expect(lesson.getByRole('status')).toContainText('Step 2 of 9');
    expect(await overflow(), 'lesson question').toBeLessThanOrEqual(0);
    await shot(page, 'phone-lesson');
    await modeButton(page, 'Compare').click();
    await expect(page.getByLabel('Script', { exact: true })).toBeVisible();
    expect(await overflow(), 'compare').toBeLessThanOrEqual(0);
    await shot(page, 'phone-compare');
  });
});
