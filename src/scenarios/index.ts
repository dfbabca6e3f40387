// The built-in guided scenarios, as data (SCENARIO-FORMAT.md), in teaching order: first what
// the two tokens are for and how signing in works (code + PKCE, the AS's sign-in session), then
// why an access token must be short-lived, what revocation does and does not reach, how refresh
// tokens are stolen and what rotation, grace windows and client secrets do about it, and last a
// script in the page against DPoP and a backend-for-frontend. The comparison scripts come last: they are meant to be run under
// several configurations side by side (Compare mode, or `npm run sim -- FILE --preset ID`).
//
// The JSON is untrusted-format data like any imported file: callers run it through
// parseScenario before use.
import basicCycle from './basic-cycle.json';
import signInCodePkce from './sign-in-code-pkce.json';
import codeInterceptionWithoutPkce from './code-interception-without-pkce.json';
import signInSession from './sign-in-session.json';
import walkAway59Minutes from './walk-away-59-minutes.json';
import stolenAccessToken from './stolen-access-token.json';
import longLivedAccessOnly from './long-lived-access-only.json';
import passwordChange from './password-change.json';
import suspensionVsAccessTokens from './suspension-vs-access-tokens.json';
import suspensionIntrospection from './suspension-introspection.json';
import stolenStaticRefresh from './stolen-static-refresh.json';
import rotationClientFirst from './rotation-client-first.json';
import rotationAttackerFirst from './rotation-attacker-first.json';
import reuseInterval from './reuse-interval.json';
import persistentXss from './persistent-xss.json';
import confidentialClient from './confidential-client.json';
import dpopStolenToken from './dpop-stolen-token.json';
import dpopSilentLogin from './dpop-silent-login.json';
import browserTokenStorage from './browser-token-storage.json';
import compareSeedQuestion from './compare-seed-question.json';
import compareSuspension from './compare-suspension.json';
import compareQuietAttacker from './compare-quiet-attacker.json';
import compareDpop from './compare-dpop.json';
import compareTokenStorage from './compare-token-storage.json';

export type BuiltInScenarioKind = 'lesson' | 'comparison';

export interface BuiltInScenario {
  /** Stable id: the file name without `.json` (used in URLs and golden files). */
  id: string;
  kind: BuiltInScenarioKind;
  /** The scenario file as written; parse it with parseScenario. */
  json: unknown;
}

export const BUILT_IN_SCENARIOS: readonly BuiltInScenario[] = [
  { id: 'basic-cycle', kind: 'lesson', json: basicCycle },
  { id: 'sign-in-code-pkce', kind: 'lesson', json: signInCodePkce },
  { id: 'code-interception-without-pkce', kind: 'lesson', json: codeInterceptionWithoutPkce },
  { id: 'walk-away-59-minutes', kind: 'lesson', json: walkAway59Minutes },
  { id: 'sign-in-session', kind: 'lesson', json: signInSession },
  { id: 'stolen-access-token', kind: 'lesson', json: stolenAccessToken },
  { id: 'long-lived-access-only', kind: 'lesson', json: longLivedAccessOnly },
  { id: 'password-change', kind: 'lesson', json: passwordChange },
  { id: 'suspension-vs-access-tokens', kind: 'lesson', json: suspensionVsAccessTokens },
  { id: 'suspension-introspection', kind: 'lesson', json: suspensionIntrospection },
  { id: 'stolen-static-refresh', kind: 'lesson', json: stolenStaticRefresh },
  { id: 'rotation-client-first', kind: 'lesson', json: rotationClientFirst },
  { id: 'rotation-attacker-first', kind: 'lesson', json: rotationAttackerFirst },
  { id: 'reuse-interval', kind: 'lesson', json: reuseInterval },
  { id: 'persistent-xss', kind: 'lesson', json: persistentXss },
  { id: 'confidential-client', kind: 'lesson', json: confidentialClient },
  { id: 'dpop-stolen-token', kind: 'lesson', json: dpopStolenToken },
  { id: 'dpop-silent-login', kind: 'lesson', json: dpopSilentLogin },
  { id: 'browser-token-storage', kind: 'lesson', json: browserTokenStorage },
  { id: 'compare-seed-question', kind: 'comparison', json: compareSeedQuestion },
  { id: 'compare-suspension', kind: 'comparison', json: compareSuspension },
  { id: 'compare-quiet-attacker', kind: 'comparison', json: compareQuietAttacker },
  { id: 'compare-dpop', kind: 'comparison', json: compareDpop },
  { id: 'compare-token-storage', kind: 'comparison', json: compareTokenStorage },
];
