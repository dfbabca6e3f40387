// Which actions can apply right now, and why not: buttons stay visible but disabled with the
// reason, so a learner sees what is missing ("the client holds no refresh token").
import type { Action, StealWhat } from '../sim/types';
import type { WorldView } from './view';

export type Availability = { enabled: true } | { enabled: false; reason: string };

const YES: Availability = { enabled: true };
const no = (reason: string): Availability => ({ enabled: false, reason });

/** Why the attacker cannot take this from the app, or null when it can (SEMANTICS.md §7, §10). */
function stealBlocker(view: WorldView, what: StealWhat): string | null {
  const { client } = view.state;
  // One guard for the BFF: the browser holds only an HttpOnly cookie, whatever is asked for.
  if (view.config.client.tokenStorage === 'bff')
    return 'Nothing to steal: the BFF (a backend) holds the tokens; the browser holds only an HttpOnly cookie no script can read.';
  const secret = view.config.client.type === 'confidential';
  switch (what) {
    case 'access':
      return client.accessToken ? null : 'Nothing to steal: the client holds no access token.';
    case 'refresh':
      return client.refreshToken ? null : 'Nothing to steal: the client holds no refresh token.';
    case 'both':
      return client.accessToken || client.refreshToken ? null : 'Nothing to steal: the client holds no tokens.';
    case 'password':
      return client.storedPassword !== null ? null : 'Nothing to steal: the client stores no password.';
    case 'clientSecret':
      return secret ? null : 'A public client has no secret.';
    case 'all':
      return client.accessToken || client.refreshToken || client.storedPassword !== null || secret
        ? null
        : 'Nothing to steal: the client keeps no token, password or secret.';
  }
}

/** Whether the attacker's script runs in the app's open page (what in-page actions need). */
function pageHeld(view: WorldView): Availability {
  return view.state.attacker.inPage ? YES : no('The attacker’s script is not running in the app’s page (hijack the page first).');
}

export function availability(view: WorldView, action: Action): Availability {
  const { client, attacker, authServer } = view.state;
  const hasRefreshConfig = view.config.refreshToken !== null;
  const bff = view.config.client.tokenStorage === 'bff';
  switch (action.do) {
    case 'client.login':
    case 'client.callApi':
    case 'user.changePassword':
      return YES;
    case 'client.refresh':
      if (!hasRefreshConfig) return no('This configuration issues no refresh tokens.');
      return client.refreshToken ? YES : no('The client holds no refresh token.');
    case 'client.logout':
      return client.accessToken || client.refreshToken || client.storedPassword !== null
        ? YES
        : no('The client holds no token to revoke and no password to forget.');
    case 'user.arrive':
      return client.present ? no('The user is already using the app.') : YES;
    case 'user.leave':
      return client.present ? YES : no('The user is not using the app.');
    case 'admin.suspendUser':
      return authServer.phase === 'userSuspended' ? no('The user is already suspended.') : YES;
    case 'admin.reinstateUser':
      return authServer.phase === 'userSuspended' ? YES : no('The user is not suspended.');
    case 'admin.revokeAll':
      return authServer.grantOrder.some((id) => !authServer.grants[id]?.revoked) ? YES : no('No grant is active.');
    case 'attacker.steal': {
      if (action.from === 'api-logs') {
        return view.state.resourceServer.lastAppToken
          ? YES
          : no('Nothing in the API’s logs yet: the app has not called the API with a token.');
      }
      const blocker = stealBlocker(view, action.what);
      return blocker === null ? YES : no(blocker);
    }
    case 'attacker.interceptCode':
      if (view.config.login === 'password-grant')
        return no('The password grant has no authorization code: the app sends the password itself.');
      return attacker.interceptArmed ? no('Already armed: the app’s next authorization code goes to the attacker.') : YES;
    case 'attacker.silentLogin':
      return pageHeld(view);
    case 'attacker.wipe':
      if (bff) return no('The browser holds no tokens to wipe: the BFF keeps them.');
      return client.accessToken || client.refreshToken ? YES : no('The client holds no tokens to wipe.');
    case 'attacker.callApi':
      // Under a BFF the script in the page sends its calls through the BFF, with the BFF's tokens.
      if (bff && attacker.inPage) return YES;
      return attacker.accessTokens.length > 0 ? YES : no('The attacker holds no access token.');
    case 'attacker.refresh':
      return attacker.refreshTokens.length > 0 ? YES : no('The attacker holds no refresh token.');
    case 'attacker.login':
      return attacker.password !== null ? YES : no('The attacker holds no password.');
    case 'attacker.forge':
      return YES;
    case 'attacker.hijackPage':
      if (attacker.inPage) return no('The attacker’s script already runs in the page.');
      return client.pageOpen ? YES : no('The app’s page is closed (the user walked away).');
    case 'attacker.releasePage':
      return pageHeld(view);
  }
}
