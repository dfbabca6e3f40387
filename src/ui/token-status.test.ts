import { describe, expect, it } from 'vitest';
import { viewOf, worldAt } from './test-support';
import { clientLapsedSince } from './lapsed';
import { grantDisplayStatus } from './token-status';

describe('status that follows the simulated time', () => {
  it('a token family is active until its idle lifetime passes, then expired (no event needed)', async () => {
    const file = {
      config: { preset: 'rotating-refresh', refreshToken: { idleTtl: '1h', absoluteTtl: '8h' } },
      steps: [{ at: '0s', do: 'client.login' }],
    };
    const w = await worldAt(file, 59 * 60);
    const grant = () => Object.values(w.current.authServer.grants)[0]!;
    expect(grantDisplayStatus(viewOf(w), grant()).status).toBe('active');
    await w.advanceTo(61 * 60);
    expect(grantDisplayStatus(viewOf(w), grant())).toEqual({ status: 'expired', since: 3600, by: 'idle' });
  });

  it('the client still "signed in" is flagged once nothing it holds works by time', async () => {
    const file = {
      config: { preset: 'rotating-refresh', refreshToken: { idleTtl: '1h', absoluteTtl: '8h' } },
      steps: [{ at: '0s', do: 'client.login' }],
    };
    const w = await worldAt(file, 60);
    expect(w.current.client.phase).toBe('signedIn');
    expect(clientLapsedSince(viewOf(w))).toBeNull();
    await w.advanceTo(60 * 86_400);
    expect(w.current.client.phase).toBe('signedIn'); // the app has not tried since
    expect(clientLapsedSince(viewOf(w))).toBe(3600); // the family's idle hour ended at 10:00
  });
});
