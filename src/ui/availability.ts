// Which actions can apply right now, and why not: buttons stay visible but disabled with the
// reason, so a learner sees what is missing ("the client holds no refresh token").
import type { Action } from '../sim/types';
import type { WorldView } from './view';

export type Availability = { enabled: true } | { enabled: false; reason: string };

const YES: Availability = { enabled: true };
const no = (reason: string): Availability => ({ enabled: false, reason });

export function availability(view: WorldView, action: Action): Availability {
  const { client, attacker, authServer } = view.state;
  const hasRefreshConfig = view.config.refreshToken !== null;
  switch (action.do) {
    case 'client.login':
    case 'client.callApi':
    case 'user.changePassword':
      return YES;
    case 'client.refresh':
      if (!hasRefreshConfig) return no('This configuration issues no refresh tokens.');
      return client.refreshToken ? YES : no('The client holds no refresh token.');
    case 'client.logout':
      return client.accessToken || client.refreshToken ? YES : no('The client holds no token to revoke.');
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
    case 'attacker.steal':
      switch (action.what) {
        case 'access':
          return client.accessToken ? YES : no('Nothing to steal: the client holds no access token.');
        case 'refresh':
          return client.refreshToken ? YES : no('Nothing to steal: the client holds no refresh token.');
        case 'both':
          return client.accessToken || client.refreshToken ? YES : no('Nothing to steal: the client holds no tokens.');
        case 'password':
          return client.storedPassword !== null ? YES : no('Nothing to steal: the client stores no password.');
        case 'clientSecret':
          return view.config.client.type === 'confidential' ? YES : no('A public client has no secret.');
      }
      return YES;
    case 'attacker.interceptCode':
      return view.config.login === 'password-grant' ? no('The password grant has no authorization code.') : YES;
    case 'attacker.silentLogin':
      return attacker.inPage ? YES : no('The attacker’s script is not running in the page.');
    case 'attacker.wipe':
      return client.accessToken || client.refreshToken ? YES : no('The client holds no tokens to wipe.');
    case 'attacker.callApi':
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
      return attacker.inPage ? YES : no('The attacker’s script is not running in the page.');
  }
}
