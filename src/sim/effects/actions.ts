// An action carried out (SCENARIO-FORMAT.md "Actions"): its preconditions first (rules/
// preconditions.ts, shared with the UI's buttons; most unmet ones send nothing), then the party's
// part — the requests of effects/client.ts and effects/attacker.ts, or what the user's account
// page and the admin console change at the AS (SEMANTICS.md §4).
import { assertNever } from '../parties';
import { precondition } from '../rules/preconditions';
import type { Action, ActionResult } from '../types';
import { attackerLogin, attackerRefresh, attackerSilentLogin, forge, hijackPage, steal } from './attacker';
import { endSignInSession, keepGrants, revokeEveryGrant } from './authorization-server';
import { clientLogout, clientRefresh, proxiedApiCall, userSignIn } from './client';
import { notSent, OK, type WorldContext } from './context';
import { apiRequest } from './resource-server';

export async function dispatch(w: WorldContext, action: Action): Promise<ActionResult> {
  const s = w.state;
  // Preconditions (rules/preconditions.ts, shared with the UI's buttons): most unmet ones send nothing.
  const unmet = precondition(s, w.config, action);
  if (unmet?.notSent) return notSent(unmet.notSent);
  switch (action.do) {
    case 'client.login':
      return userSignIn(w);
    case 'client.callApi':
      return apiRequest(w, 'client', s.client.accessToken);
    case 'client.refresh':
      return clientRefresh(w);
    case 'client.logout':
      return clientLogout(w);
    case 'user.changePassword':
      w.setUserStatus('PasswordChanged');
      w.emit({ type: 'PasswordChanged' });
      endSignInSession(w, 'password_change');
      // SEMANTICS.md §4: revoking the grants is this server's policy; either way it is a
      // stopping event for revocationLagSeconds (§10 settled readings).
      if (w.config.authServer.revokeGrantsOnPasswordChange) revokeEveryGrant(w, 'password_change');
      else keepGrants(w);
      w.markStoppingEvent();
      return OK;
    case 'user.arrive':
      s.client = { ...s.client, pageOpen: true };
      if (!s.client.present) {
        s.client = { ...s.client, present: true };
        s.behaviour.userGeneration++;
        w.emit({ type: 'UserArrived' });
        const every = w.scenario.behaviour.user?.callApiEvery;
        if (every) w.schedule({ kind: 'userTick', time: s.t, generation: s.behaviour.userGeneration });
      }
      return OK;
    case 'user.leave': {
      // Walking away closes the app's page; an attacker script running in it dies with it.
      const present = s.client.present;
      const hijacked = s.attacker.inPage;
      s.client = { ...s.client, present: false, pageOpen: false };
      s.attacker = { ...s.attacker, inPage: false };
      if (present) s.behaviour.userGeneration++;
      if (present || hijacked) w.emit(hijacked ? { type: 'UserLeft', hijackEnded: true } : { type: 'UserLeft' });
      if (hijacked) w.emit({ type: 'PageReleased', by: 'pageClosed' });
      return OK;
    }
    case 'admin.suspendUser':
      w.setUserStatus('UserSuspended');
      w.emit({ type: 'UserSuspended' });
      endSignInSession(w, 'suspension');
      w.markStoppingEvent();
      return OK;
    case 'admin.reinstateUser':
      w.setUserStatus('UserReinstated');
      w.emit({ type: 'UserReinstated' });
      return OK;
    case 'admin.revokeAll':
      revokeEveryGrant(w, 'revoke_all');
      endSignInSession(w, 'revoke_all');
      w.markStoppingEvent();
      return OK;
    case 'attacker.steal':
      return steal(w, action.what, action.from ?? 'app');
    case 'attacker.wipe': {
      // Under a BFF the page holds no tokens: there is nothing to delete (SEMANTICS.md §10).
      if (w.bff) return OK;
      const labels = [s.client.accessToken, s.client.refreshToken].filter((l): l is string => l !== null);
      w.emit({ type: 'TokensWiped', labels });
      w.setClient({ type: 'TokensWiped' });
      return OK;
    }
    case 'attacker.callApi':
      // Under a BFF the script in the page can only send requests through it (proxying).
      if (w.bff && s.attacker.inPage) return proxiedApiCall(w);
      return apiRequest(w, 'attacker', s.attacker.accessTokens.at(-1) ?? null, action.proof);
    case 'attacker.refresh':
      return attackerRefresh(w, action.proof);
    case 'attacker.login':
      return attackerLogin(w);
    case 'attacker.forge':
      return forge(w, action.kind ?? 'own-key');
    case 'attacker.hijackPage':
      return hijackPage(w);
    case 'attacker.releasePage':
      if (s.attacker.inPage) {
        s.attacker = { ...s.attacker, inPage: false };
        w.emit({ type: 'PageReleased', by: 'attacker' });
      }
      return OK;
    case 'attacker.interceptCode':
      if (!s.attacker.interceptArmed) {
        s.attacker = { ...s.attacker, interceptArmed: true };
        w.emit({ type: 'CodeInterceptionArmed' });
      }
      return OK;
    case 'attacker.silentLogin':
      return attackerSilentLogin(w);
    default:
      return assertNever(action);
  }
}
