// The preconditions of actions, once: what an action needs before it can do anything. The world
// (world.ts dispatch) and the UI's buttons (ui/availability.ts, which words each blocker) both ask
// this, so they cannot drift.
//
// An unmet precondition says what the core then does (`notSent`): most send nothing and end with
// that reason (SEMANTICS.md §8 "nothing sent"); for some (`notSent: null`) the core still runs the
// action — harmless, or with an effect a script may want (a call with no token gets 401
// `no_token`; a second suspension is still a stopping event) — and only the UI disables it.
import type { AttackerState, AuthServerState, ClientState, ResourceServerState } from '../state';
import type { Action, Config, Reason, StealWhat } from '../types';
import { stealLoot } from './attacker';

export type Blocker =
  | 'no_refresh_tokens_configured'
  | 'client_no_refresh_token'
  | 'client_holds_nothing'
  | 'user_present'
  | 'user_absent'
  | 'user_suspended'
  | 'user_not_suspended'
  | 'no_active_grant'
  | 'api_logs_empty'
  | 'steal_bff'
  | 'steal_no_access_token'
  | 'steal_no_refresh_token'
  | 'steal_no_tokens'
  | 'steal_no_password'
  | 'steal_public_client'
  | 'steal_nothing_kept'
  | 'no_code_in_password_grant'
  | 'intercept_armed'
  | 'page_not_held'
  | 'wipe_bff'
  | 'client_no_tokens'
  | 'attacker_no_access_token'
  | 'attacker_no_refresh_token'
  | 'attacker_no_password'
  | 'already_in_page'
  | 'page_closed';

export interface Unmet {
  blocker: Blocker;
  /** What the core answers without sending anything; null: the core still performs the action. */
  notSent: Reason | null;
}

/** The parts of the world state the preconditions read (a published view's copy will do). */
export interface PreconditionState {
  client: ClientState;
  attacker: AttackerState;
  authServer: AuthServerState;
  resourceServer: ResourceServerState;
}

const unmet = (blocker: Blocker, notSent: Reason | null): Unmet => ({ blocker, notSent });

const STEAL_BLOCKER: Record<StealWhat, Blocker> = {
  access: 'steal_no_access_token',
  refresh: 'steal_no_refresh_token',
  both: 'steal_no_tokens',
  password: 'steal_no_password',
  clientSecret: 'steal_public_client',
  all: 'steal_nothing_kept',
};

/** The first unmet precondition of `action` in this state, or null when it can apply. */
export function precondition(state: PreconditionState, config: Config, action: Action): Unmet | null {
  const { client, attacker, authServer } = state;
  const bff = config.client.tokenStorage === 'bff';
  switch (action.do) {
    case 'client.login':
    case 'client.callApi':
    case 'user.changePassword':
    case 'attacker.forge':
      return null;
    case 'client.refresh':
      if (config.refreshToken === null) return unmet('no_refresh_tokens_configured', 'no_token');
      return client.refreshToken ? null : unmet('client_no_refresh_token', 'no_token');
    case 'client.logout':
      // Holding only a stored password, the logout sends nothing but forgets it.
      return client.accessToken || client.refreshToken || client.storedPassword !== null ? null : unmet('client_holds_nothing', 'no_token');
    case 'user.arrive':
      return client.present ? unmet('user_present', null) : null;
    case 'user.leave':
      return client.present ? null : unmet('user_absent', null);
    case 'admin.suspendUser':
      return authServer.phase === 'userSuspended' ? unmet('user_suspended', null) : null;
    case 'admin.reinstateUser':
      return authServer.phase === 'userSuspended' ? null : unmet('user_not_suspended', null);
    case 'admin.revokeAll':
      return authServer.grantOrder.some((id) => !authServer.grants[id]?.revoked) ? null : unmet('no_active_grant', null);
    case 'attacker.steal': {
      const from = action.from ?? 'app';
      const loot = stealLoot(
        action.what,
        from,
        { client, apiLog: state.resourceServer.lastAppToken },
        { clientType: config.client.type, tokenStorage: config.client.tokenStorage },
      );
      if (loot !== null) return null;
      const blocker = from === 'api-logs' ? 'api_logs_empty' : bff ? 'steal_bff' : STEAL_BLOCKER[action.what];
      return unmet(blocker, 'nothing_to_steal');
    }
    case 'attacker.interceptCode':
      // The password grant has no authorization code (SCENARIO-FORMAT.md).
      if (config.login === 'password-grant') return unmet('no_code_in_password_grant', 'nothing_to_steal');
      return attacker.interceptArmed ? unmet('intercept_armed', null) : null;
    case 'attacker.silentLogin':
      return attacker.inPage ? null : unmet('page_not_held', 'page_not_held');
    case 'attacker.wipe':
      if (bff) return unmet('wipe_bff', null);
      return client.accessToken || client.refreshToken ? null : unmet('client_no_tokens', null);
    case 'attacker.callApi':
      // Under a BFF the script in the page sends its calls through the BFF, with the BFF's tokens.
      if (bff && attacker.inPage) return null;
      return attacker.accessTokens.length > 0 ? null : unmet('attacker_no_access_token', null);
    case 'attacker.refresh':
      return attacker.refreshTokens.length > 0 ? null : unmet('attacker_no_refresh_token', 'no_token');
    case 'attacker.login':
      return attacker.password !== null ? null : unmet('attacker_no_password', 'no_password');
    case 'attacker.hijackPage':
      if (attacker.inPage) return unmet('already_in_page', null);
      return client.pageOpen ? null : unmet('page_closed', 'page_not_held');
    case 'attacker.releasePage':
      return attacker.inPage ? null : unmet('page_not_held', null);
  }
}
