import { describe, expect, it } from 'vitest';
import type { Action } from '../sim/types';
import { availability } from './availability';
import { viewOf, worldAt } from './test-support';

async function viewAt(file: Record<string, unknown>, t?: number) {
  return viewOf(await worldAt(file, t));
}

const reason = (a: ReturnType<typeof availability>) => (a.enabled ? null : a.reason);
const stealAll: Action = { do: 'attacker.steal', what: 'all' };
const fromLogs: Action = { do: 'attacker.steal', what: 'access', from: 'api-logs' };

describe('availability: stealing', () => {
  it('steal all needs something the app keeps; a confidential client’s secret counts', async () => {
    expect(reason(availability(await viewAt({ steps: [] }), stealAll))).toMatch(/keeps no token, password or secret/);
    expect(availability(await viewAt({ steps: [{ at: 0, do: 'client.login' }] }), stealAll).enabled).toBe(true);
    expect(availability(await viewAt({ config: { client: { type: 'confidential' } }, steps: [] }), stealAll).enabled).toBe(true);
  });

  it('under a BFF nothing can be stolen from the app, whatever is asked for, but the API’s logs still leak', async () => {
    const view = await viewAt({
      config: { preset: 'bff' },
      steps: [
        { at: 0, do: 'client.login' },
        { at: 1, do: 'client.callApi' },
      ],
    });
    expect(view.state.client.accessToken).not.toBeNull();
    for (const what of ['access', 'refresh', 'both', 'password', 'clientSecret', 'all'] as const) {
      expect(reason(availability(view, { do: 'attacker.steal', what }))).toMatch(
        /BFF .* holds the tokens; the browser holds only an HttpOnly cookie/,
      );
    }
    expect(availability(view, fromLogs).enabled).toBe(true);
    expect(reason(availability(view, { do: 'attacker.wipe' }))).toMatch(/BFF keeps them/);
  });

  it('the API’s logs hold nothing until the app has called the API with a token', async () => {
    expect(reason(availability(await viewAt({ steps: [{ at: 0, do: 'client.login' }] }), fromLogs))).toMatch(
      /Nothing in the API’s logs yet/,
    );
    expect(
      availability(
        await viewAt({
          steps: [
            { at: 0, do: 'client.login' },
            { at: 1, do: 'client.callApi' },
          ],
        }),
        fromLogs,
      ).enabled,
    ).toBe(true);
  });
});

describe('availability: signing in and the page', () => {
  it('code interception needs the code login, and is armed once', async () => {
    expect(availability(await viewAt({ steps: [] }), { do: 'attacker.interceptCode' }).enabled).toBe(true);
    expect(
      reason(availability(await viewAt({ config: { preset: 'stored-password' }, steps: [] }), { do: 'attacker.interceptCode' })),
    ).toMatch(/password grant has no authorization code/);
    expect(
      reason(availability(await viewAt({ steps: [{ at: 0, do: 'attacker.interceptCode' }] }), { do: 'attacker.interceptCode' })),
    ).toMatch(/Already armed/);
  });

  it('silent sign-in and release need the attacker’s script in the page; hijack needs the page open', async () => {
    const before = await viewAt({ steps: [] });
    expect(reason(availability(before, { do: 'attacker.silentLogin' }))).toMatch(/not running in the app’s page/);
    expect(reason(availability(before, { do: 'attacker.releasePage' }))).toMatch(/not running in the app’s page/);
    expect(availability(before, { do: 'attacker.hijackPage' }).enabled).toBe(true);
    const held = await viewAt({ steps: [{ at: 0, do: 'attacker.hijackPage' }] });
    expect(availability(held, { do: 'attacker.silentLogin' }).enabled).toBe(true);
    expect(availability(held, { do: 'attacker.releasePage' }).enabled).toBe(true);
    expect(reason(availability(held, { do: 'attacker.hijackPage' }))).toMatch(/already runs/);
    const closed = await viewAt({
      steps: [
        { at: 0, do: 'user.arrive' },
        { at: 1, do: 'user.leave' },
      ],
    });
    expect(reason(availability(closed, { do: 'attacker.hijackPage' }))).toMatch(/page is closed/);
  });

  it('under a BFF the script in the page can call the API through it without holding a token', async () => {
    const file = { config: { preset: 'bff' }, steps: [{ at: 0, do: 'client.login' }] };
    expect(reason(availability(await viewAt(file), { do: 'attacker.callApi' }))).toMatch(/holds no access token/);
    const held = await viewAt({ ...file, steps: [...file.steps, { at: 1, do: 'attacker.hijackPage' }] });
    expect(held.state.attacker.accessTokens).toEqual([]);
    expect(availability(held, { do: 'attacker.callApi' }).enabled).toBe(true);
  });

  it('logout stays available to forget a stored password with no token held', async () => {
    const view = await viewAt({
      config: { preset: 'stored-password' },
      steps: [
        { at: 0, do: 'client.login' },
        { at: 1, do: 'attacker.wipe' },
      ],
    });
    expect(view.state.client.accessToken).toBeNull();
    expect(view.state.client.storedPassword).not.toBeNull();
    expect(availability(view, { do: 'client.logout' }).enabled).toBe(true);
    expect(reason(availability(await viewAt({ steps: [] }), { do: 'client.logout' }))).toMatch(/no token to revoke/);
  });
});
