import { expect, expectNoSeriousAxeViolations, freshStart, shot, test } from './fixtures';

test.describe('glossary', () => {
  test('opens by keyboard from a lesson at the word the step uses, and from the narration', async ({ page, offsite }) => {
    void offsite;
    await page.setViewportSize({ width: 1440, height: 900 });
    await freshStart(page);
    await page.getByRole('navigation', { name: 'Mode' }).getByRole('button', { name: 'Lessons' }).click();
    await page.getByRole('button', { name: 'Stolen refresh token, rotation: what if the app refreshes first?' }).click();
    const lesson = page.getByRole('region', { name: 'Lesson' });
    const next = lesson.getByRole('button', { name: 'Next', exact: true });
    await next.click();
    // When the step has run, the lesson puts focus back on Next: wait for that, or it would take
    // focus from the term focused below (and Enter would press Next).
    await expect(next).toBeFocused();

    // The step's words, as buttons: Enter opens the glossary with focus on that term.
    const term = lesson.getByRole('button', { name: 'Rotation: open the glossary' });
    await term.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Glossary' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('term').filter({ hasText: 'Rotation' })).toBeFocused();
    await expect(dialog).toContainText('Grant (token family)');
    await expect(dialog).toContainText('Sign-in session');
    await shot(page, 'glossary-1440');
    await expectNoSeriousAxeViolations(page, 'glossary dialog');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(term).toBeFocused();

    // From the narration header.
    await page.setViewportSize({ width: 390, height: 844 });
    const narration = page.getByRole('region', { name: 'Narration' });
    await narration.getByRole('button', { name: 'Glossary' }).click();
    await expect(page.getByRole('dialog', { name: 'Glossary' })).toBeVisible();
    await shot(page, 'glossary-390');
    await page.keyboard.press('Escape');

    // Presenter mode, 1280×720: the lesson bar's glossary button.
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByRole('button', { name: 'Presenter mode' }).click();
    await lesson.getByRole('button', { name: 'Glossary', exact: true }).click();
    await expect(page.getByRole('dialog', { name: 'Glossary' })).toBeVisible();
    await shot(page, 'glossary-presenter-1280');
    await expectNoSeriousAxeViolations(page, 'glossary dialog, presenter mode');
  });
});
