// Which actions can apply right now, and why not: buttons stay visible but disabled with the
// reason, so a learner sees what is missing ("the client holds no refresh token"). Whether an
// action can apply is the core's own precondition (sim/rules/preconditions.ts, which the world's
// dispatch asks too); this module only words each blocker.
import { precondition, type Blocker } from '../sim/rules/preconditions';
import type { Action } from '../sim/types';
import type { WorldView } from './view';

export type Availability = { enabled: true } | { enabled: false; reason: string };

const YES: Availability = { enabled: true };

const PAGE_NOT_HELD = 'The attacker’s script is not running in the app’s page (hijack the page first).';

/** One sentence per blocker (SEMANTICS.md §7, §10 for the thefts). */
const BLOCKER_TEXT: Record<Blocker, string> = {
  no_refresh_tokens_configured: 'This configuration issues no refresh tokens.',
  client_no_refresh_token: 'The client holds no refresh token.',
  client_holds_nothing: 'The client holds no token to revoke and no password to forget.',
  user_present: 'The user is already using the app.',
  user_absent: 'The user is not using the app.',
  user_suspended: 'The user is already suspended.',
  user_not_suspended: 'The user is not suspended.',
  no_active_grant: 'No grant is active.',
  api_logs_empty: 'Nothing in the API’s logs yet: the app has not called the API with a token.',
  steal_bff: 'Nothing to steal: the BFF (a backend) holds the tokens; the browser holds only an HttpOnly cookie no script can read.',
  steal_no_access_token: 'Nothing to steal: the client holds no access token.',
  steal_no_refresh_token: 'Nothing to steal: the client holds no refresh token.',
  steal_no_tokens: 'Nothing to steal: the client holds no tokens.',
  steal_no_password: 'Nothing to steal: the client stores no password.',
  steal_public_client: 'A public client has no secret.',
  steal_nothing_kept: 'Nothing to steal: the client keeps no token, password or secret.',
  no_code_in_password_grant: 'The password grant has no authorization code: the app sends the password itself.',
  intercept_armed: 'Already armed: the app’s next authorization code goes to the attacker.',
  page_not_held: PAGE_NOT_HELD,
  wipe_bff: 'The browser holds no tokens to wipe: the BFF keeps them.',
  client_no_tokens: 'The client holds no tokens to wipe.',
  attacker_no_access_token: 'The attacker holds no access token.',
  attacker_no_refresh_token: 'The attacker holds no refresh token.',
  attacker_no_password: 'The attacker holds no password.',
  already_in_page: 'The attacker’s script already runs in the page.',
  page_closed: 'The app’s page is closed (the user walked away).',
};

export function availability(view: WorldView, action: Action): Availability {
  const unmet = precondition(view.state, view.config, action);
  return unmet === null ? YES : { enabled: false, reason: BLOCKER_TEXT[unmet.blocker] };
}
