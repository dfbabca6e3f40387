import { expectNoSeriousAxeViolations, expect, freshStart, region, shot, test } from './fixtures';

const LESSON = 'DPoP: what is a stolen token worth without its key?';

test.describe('DPoP-bound tokens', () => {
  test('the DPoP lesson: a stolen token fails without the key, the inspector shows the proof next to the token', async ({
    page,
    offsite,
  }) => {
    void offsite;
    test.slow();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await freshStart(page);
    await page.getByRole('navigation', { name: 'Mode' }).getByRole('button', { name: 'Lessons' }).click();
    await page.getByRole('button', { name: LESSON }).click();

    const lesson = page.getByRole('region', { name: 'Lesson' });
    const status = lesson.getByRole('status');
    const next = lesson.getByRole('button', { name: 'Next', exact: true });
    const narration = page.getByRole('log', { name: 'Narration' });

    // Alice opens the app, logs in, and calls the API with a proof.
    for (let i = 1; i <= 3; i++) {
      await next.click();
      await expect(status).toContainText(`Step ${i} of 12`);
    }
    await expect(narration).toContainText('cnf.jkt');

    // The inspector shows the bound token next to the proofs that carried it, decoded.
    await region(page, 'Client').getByRole('button', { name: 'AT#1' }).click();
    const inspector = page.getByRole('region', { name: /Token inspector/ });
    const dpop = inspector.getByRole('region', { name: 'Proof of possession (DPoP)' });
    await expect(dpop).toBeVisible();
    await expect(dpop).toContainText('Bound to the app’s DPoP key');
    await expect(dpop).toContainText('cnf.jkt');
    await expect(dpop.getByRole('region', { name: /Last proof sent with it: API call/ })).toContainText('"dpop+jwt"');
    await expect(dpop.getByRole('region', { name: /Last proof sent with it/ })).toContainText('hash (SHA-256) of AT#1');
    await expect(dpop.getByRole('region', { name: /Proof on the request that got it issued: token request/ })).toContainText('"POST"');
    await shot(page, 'dpop-inspector');
    await expectNoSeriousAxeViolations(page, 'DPoP inspector');

    // The theft, then the stolen access token sent as Bearer: refused.
    await next.click();
    await expect(status).toContainText('Step 4 of 12');
    const question = lesson.getByRole('group', { name: /stolen access token/ });
    await question.getByRole('radio', { name: /bound to a key/ }).check();
    await next.click();
    await expect(status).toContainText('Step 5 of 12');
    await expect(status).toContainText('✓ Right');
    await expect(status).toContainText('Refused: 401 invalid_token (DPoP proof required)');
    // The next question is open, so the simulator (narration included) is veiled: checked below.

    // The stolen refresh token: refused, and nothing is revoked.
    await lesson
      .getByRole('group', { name: /stolen refresh token/ })
      .getByRole('radio', { name: /nothing else changes/ })
      .check();
    await next.click();
    await expect(status).toContainText('Refused: 400 invalid_grant (DPoP key mismatch)');
    await expect(region(page, 'Authorization server')).not.toContainText('revoked');
    await shot(page, 'dpop-refused');

    // Alice's call, the replayed proof, the hijacked page: the stolen token works through the page.
    for (let i = 7; i <= 9; i++) {
      await next.click();
      await expect(status).toContainText(`Step ${i} of 12`);
    }
    await lesson
      .getByRole('group', { name: /Through the hijacked page/ })
      .getByRole('radio', { name: /page signs a valid proof/ })
      .check();
    await next.click();
    await expect(status).toContainText('Step 10 of 12');
    await expect(status).toContainText('Accepted: 200 OK');
    // No question is open now: the narration tells every step so far.
    await expect(narration).toContainText('as a plain Bearer token');
    await expect(narration).toContainText('this one is a replay');
    await expect(narration).toContainText('RFC 9449 §11.4');
    expect(errors, 'errors in the page').toEqual([]);
  });
});
