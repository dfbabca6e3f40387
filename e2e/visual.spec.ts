// Visual regression: each view (sandbox, a lesson with its question open, compare, the token
// inspector) at 1440×900, at 1280×720 in presenter mode and at 390×844, light and dark, against
// committed baselines (visual.spec.ts-snapshots/). The tolerance lets font antialiasing through
// but not an overlap or a clipped label. After an intended change of the UI, regenerate them all
// with one command and LOOK at every changed PNG before committing:
//   npx vite build && npx playwright test e2e/visual.spec.ts --update-snapshots=all
// The baselines are made with this machine kind's Chromium and fonts (Debian, as in CI).
import type { Page } from '@playwright/test';
import { expect, region, test } from './fixtures';

type Size = { name: string; width: number; height: number; presenter: boolean };
const SIZES: Size[] = [
  { name: 'desktop', width: 1440, height: 900, presenter: false },
  { name: 'presenter', width: 1280, height: 720, presenter: true },
  { name: 'phone', width: 390, height: 844, presenter: false },
];
const THEMES = ['light', 'dark'] as const;

/** A fixed start: nothing saved but these preferences (welcome seen, the theme, presenter mode). */
async function start(page: Page, size: Size, theme: (typeof THEMES)[number]): Promise<void> {
  await page.setViewportSize({ width: size.width, height: size.height });
  await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: theme });
  // Before the app's own script, on this one load: nothing else is saved.
  await page.addInitScript(
    ({ theme, presenter }) => {
      localStorage.clear();
      const preferences = {
        theme,
        speedIndex: 2,
        pauseOnKeyEvents: true,
        presenter,
        mode: 'sandbox',
        welcomed: true,
        lesson: null,
        compare: null,
      };
      localStorage.setItem(
        'tokenscope-session',
        JSON.stringify({ state: { session: null, lessonSession: null, preferences, branches: [] }, version: 2 }),
      );
    },
    { theme, presenter: size.presenter },
  );
  await page.goto('/');
  await expect(region(page, 'Client')).toBeVisible();
}

/** Everything lazily loaded has arrived and drawn (diagrams, narration), and nothing moves. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await expect(page.getByText('Loading', { exact: false })).toHaveCount(0);
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
}

async function look(page: Page, name: string, top: () => Promise<void>): Promise<void> {
  await page.mouse.move(0, 0); // no hover style on the last button clicked
  await settle(page);
  // A click Playwright had to scroll for (under presenter mode's caption bar) must not move the picture.
  await top();
  await page.waitForTimeout(100);
  await expect(page).toHaveScreenshot(`${name}.png`, { animations: 'disabled', caret: 'hide', maxDiffPixelRatio: 0.015 });
}

const pageTop = (page: Page) => () => page.evaluate(() => window.scrollTo(0, 0));

const VIEWS: { name: string; open: (page: Page) => Promise<void>; top?: (page: Page) => () => Promise<void> }[] = [
  {
    name: 'sandbox',
    open: async (page) => {
      await region(page, 'Client').getByRole('button', { name: 'Log in' }).click();
      await region(page, 'Attacker').getByRole('button', { name: 'Steal both' }).click();
      await page.getByRole('button', { name: '+1 minute' }).click();
      await expect(page.getByLabel('Simulated time')).toHaveText('Mon 5 Jan 2026 09:01:00');
    },
  },
  {
    name: 'lesson-question',
    open: async (page) => {
      await page.getByRole('navigation', { name: 'Mode' }).getByRole('button', { name: 'Lessons' }).click();
      await page.getByRole('button', { name: 'The basic cycle: why two tokens?' }).click();
      await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('Not started'); // its world is ready
      const lesson = page.getByRole('region', { name: 'Lesson' });
      await page.keyboard.press('n');
      await expect(lesson.getByRole('status')).toContainText('Step 1 of');
      await page.keyboard.press('n');
      await expect(lesson.getByRole('status')).toContainText('Step 2 of');
      await expect(lesson.getByRole('radiogroup').or(lesson.getByRole('group')).first()).toBeVisible();
      await page.locator('body').click({ position: { x: 1, y: 1 } }); // no focus ring on a button
      await page.evaluate(() => window.scrollTo(0, 0));
    },
  },
  {
    name: 'compare',
    open: async (page) => {
      await page.getByRole('navigation', { name: 'Mode' }).getByRole('button', { name: 'Compare' }).click();
      await expect(page.getByLabel('Script', { exact: true })).toBeVisible();
    },
  },
  {
    name: 'inspector',
    open: async (page) => {
      await region(page, 'Client').getByRole('button', { name: 'Log in' }).click();
      await region(page, 'Client').getByRole('button', { name: 'AT#1' }).click();
      await expect(page.getByRole('heading', { name: /Token inspector/ })).toBeInViewport();
    },
    // The inspector's top at the top of the screen, as opening it from below the fold does.
    top: (page) => () =>
      page.getByRole('heading', { name: /Token inspector/ }).evaluate((h) => h.closest('section')!.scrollIntoView({ block: 'start' })),
  },
];

test.describe('visual baselines', () => {
  for (const size of SIZES) {
    for (const theme of THEMES) {
      for (const view of VIEWS) {
        test(`${view.name} ${size.name} ${theme}`, async ({ page, offsite }) => {
          void offsite;
          await start(page, size, theme);
          await view.open(page);
          await look(page, `${view.name}-${size.name}-${theme}`, (view.top ?? pageTop)(page));
        });
      }
    }
  }
});
