import { describe, expect, it } from 'vitest';
import { grantOrigin, loginModeText, signInSessionModel, tokenStorageText } from './signin-model';
import { viewOf, worldAt } from './test-support';
import { PRESETS } from '../sim/config';

const session = { authServer: { signInSession: { idleTtl: '1h', absoluteTtl: '8h' } } };

describe('the sign-in session as the AS panel shows it', () => {
  it('none configured, live with its deadlines, ended by its idle lifetime exactly at the deadline', async () => {
    expect(signInSessionModel(viewOf(await worldAt({ steps: [{ at: 0, do: 'client.login' }] }))).text).toMatch(/keeps no sign-in session/);
    const w = await worldAt({ config: session, steps: [{ at: 0, do: 'client.login' }] }, 3599);
    const live = signInSessionModel(viewOf(w));
    expect(live.phase).toBe('live');
    expect(live.text).toMatch(/^S1 ✓ live since 09:00:00; idle until 10:00:00, at most until 17:00:00/);
    await w.advanceTo(3600);
    const ended = signInSessionModel(viewOf(w));
    expect(ended.phase).toBe('ended');
    expect(ended.text).toMatch(/^S1 ✗ ended at 10:00:00 \(idle lifetime over/);
  });

  it('ended by logout, said with the cause', async () => {
    const w = await worldAt({
      config: session,
      steps: [
        { at: 0, do: 'client.login' },
        { at: 60, do: 'client.logout' },
      ],
    });
    expect(signInSessionModel(viewOf(w))).toMatchObject({
      phase: 'ended',
      id: 'S1',
      text: expect.stringMatching(/ended at 09:01:00 \(logout\)/) as unknown as string,
    });
  });

  it('names how the attacker’s grant began: a silent sign-in from the page', async () => {
    const w = await worldAt({
      config: session,
      steps: [
        { at: 0, do: 'client.login' },
        { at: 5, do: 'attacker.hijackPage' },
        { at: 6, do: 'attacker.silentLogin' },
      ],
    });
    const view = viewOf(w);
    expect(grantOrigin(view, view.state.authServer.grants.G1!)).toBe('the user’s sign-in');
    expect(grantOrigin(view, view.state.authServer.grants.G2!)).toBe('the attacker’s silent sign-in from the hijacked page');
  });

  it('labels the password grant as the legacy anti-pattern, and says what a BFF leaves in the browser', () => {
    expect(loginModeText(PRESETS['stored-password'])).toMatch(
      /password grant \(legacy\): the app sees the password — forbidden by RFC 9700 §2.4/,
    );
    expect(loginModeText(PRESETS['rotating-refresh'])).toMatch(/the app never sees it/);
    expect(tokenStorageText(PRESETS.bff)).toMatch(/only an HttpOnly session cookie/);
  });
});
