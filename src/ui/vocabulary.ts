// The app's one vocabulary: a short label and one sentence for every reason code, action and
// cause the trace can name. Narration, the sequence diagram, the token timeline, the inspector,
// the lesson bar and the sign-in panel all word these from here, so a reason reads the same
// everywhere. Labels are short enough for a diagram arrow ("✗ 400 reuse detected — family
// revoked"); sentences say what happened in the simulator (where it simplifies, they say "here").
// Why a sign-in session ended is worded in session-words.ts, a leaf: the first page's panels
// show it, and they should not load the rest.
import type { Action, ActionName, ForgeKind, ProofChoice, Reason, RevocationCause, StealWhat } from '../sim/types';

export interface Words {
  /** A few words: a diagram label, a status in brackets. */
  label: string;
  /** One sentence of what it means here. */
  sentence: string;
}

/** Reason codes, in the order of SEMANTICS.md §8. */
const REASON_WORDS: Record<Reason, Words> = {
  no_token: {
    label: 'no token',
    sentence: 'There was no token: the request carried none, or the party held none to send.',
  },
  expired: {
    label: 'expired',
    sentence: 'The access token is past its exp (plus the resource server’s leeway, when one is configured).',
  },
  not_yet_valid: {
    label: 'not yet valid',
    sentence: 'The token’s nbf or iat lies ahead of the resource server’s clock, so it is not valid yet.',
  },
  bad_signature: {
    label: 'bad signature',
    sentence: 'The signature does not verify with the authorization server’s published keys (its JWKS).',
  },
  wrong_audience: {
    label: 'wrong audience',
    sentence: 'The token’s aud names another API, so this resource server refuses it.',
  },
  wrong_issuer: {
    label: 'wrong issuer',
    sentence: 'The token’s iss is not the authorization server this resource server trusts.',
  },
  wrong_type: {
    label: 'not an access token (typ)',
    sentence: 'The token’s typ header does not say it is an access token, so the resource server refuses it.',
  },
  inactive: {
    label: 'inactive (auth server said no)',
    sentence: 'The resource server asked the authorization server (introspection), which answered that the token is not active.',
  },
  dpop_required: {
    label: 'DPoP proof required',
    sentence: 'The token is bound to a DPoP key, and the request carried no DPoP proof.',
  },
  dpop_invalid: {
    label: 'invalid DPoP proof',
    sentence:
      'The DPoP proof failed a check: its signature, typ, method, URL, iat window, a jti already seen, the token hash, or the key the token is bound to.',
  },
  unknown_token: {
    label: 'unknown token',
    sentence: 'The authorization server has no record of it; here an authorization code also counts as unknown once its 60 s have passed.',
  },
  expired_idle: {
    label: 'idle lifetime over',
    sentence: 'The refresh token’s family went unused for longer than its idle lifetime.',
  },
  expired_absolute: {
    label: 'absolute lifetime over',
    sentence: 'The refresh token’s family is older than its absolute lifetime, counted from the sign-in.',
  },
  revoked: {
    label: 'family revoked',
    sentence: 'The token’s family (its grant) was revoked, so every refresh token in it is refused.',
  },
  reused: {
    label: 'reuse detected — family revoked',
    sentence: 'A refresh token that had already been rotated was presented again: reuse detection revoked its whole family.',
  },
  consumed: {
    label: 'already used (rotated)',
    sentence:
      'The refresh token was used once and replaced by a new one (rotation); with reuse detection off, only this request is refused.',
  },
  user_suspended: {
    label: 'user suspended',
    sentence: 'The user’s account is suspended, so the authorization server issues nothing for it.',
  },
  bad_password: {
    label: 'wrong password',
    sentence: 'The password sent is not the user’s current one.',
  },
  dpop_key_mismatch: {
    label: 'DPoP key mismatch',
    sentence: 'The refresh token is bound to one DPoP key, and the request’s proof was made with another key, or was missing.',
  },
  client_auth_failed: {
    label: 'client authentication failed',
    sentence: 'A confidential client must authenticate with its secret at the token endpoint, and this request did not.',
  },
  login_required: {
    label: 'no live sign-in session',
    sentence: 'A silent sign-in (prompt=none) found no live sign-in session at the authorization server, and no password can be typed.',
  },
  pkce_failed: {
    label: 'PKCE check failed',
    sentence: 'The code was issued for a PKCE challenge, and the verifier sent with it does not match that challenge.',
  },
  code_used: {
    label: 'code already redeemed',
    sentence: 'The authorization code was redeemed before; a code is single use.',
  },
  no_password: {
    label: 'no password',
    sentence: 'Nothing was sent: the attacker has no password to sign in with.',
  },
  nothing_to_steal: {
    label: 'nothing to steal',
    sentence:
      'Nothing was taken: there was nothing of that kind the attacker could reach (none held, kept in a backend, or no authorization code with the password grant).',
  },
  no_code: {
    label: 'code intercepted',
    sentence: 'Nothing was sent: the authorization code went to the attacker, so the app had none to redeem.',
  },
  page_not_held: {
    label: 'no script in the page',
    sentence: 'Nothing was done: this needs the app’s page open, and for a silent sign-in the attacker’s script running in it.',
  },
};

/** Every reason code, in the order of SEMANTICS.md §8 (for tests and legends). */
export const REASONS = /* @__PURE__ */ Object.keys(REASON_WORDS) as Reason[];

/** A short phrase for a reason code, e.g. "expired", "reuse detected — family revoked". */
export function reasonText(reason: Reason | string): string {
  return (REASON_WORDS as Record<string, Words | undefined>)[reason]?.label ?? reason.replace(/_/g, ' ');
}

/** One sentence for a reason code. */
export function reasonSentence(reason: Reason): string {
  return REASON_WORDS[reason].sentence;
}

// ---------------------------------------------------------------------------------------------
// Actions

interface ActionWords extends Words {
  /** As a noun, e.g. "login" in "login: nothing sent (no password)". */
  noun: string;
}

const ACTION_WORDS: Record<ActionName, ActionWords> = {
  'client.login': {
    label: 'Log in',
    noun: 'login',
    sentence: 'The user signs in to the app, which gets tokens from the authorization server.',
  },
  'client.callApi': { label: 'Call API', noun: 'API call', sentence: 'The app calls the API with its access token.' },
  'client.refresh': { label: 'Refresh', noun: 'refresh', sentence: 'The app trades its refresh token for a new access token.' },
  'client.logout': {
    label: 'Log out',
    noun: 'logout',
    sentence: 'The app sends its refresh token (or, holding none, its access token) to the revocation endpoint and forgets its tokens.',
  },
  'user.changePassword': { label: 'Change password', noun: 'password change', sentence: 'The user changes the account’s password.' },
  'user.arrive': {
    label: 'Start using the app',
    noun: 'arrival',
    sentence: 'The user starts using the app: its page is open, and its automatic calls, if any, run.',
  },
  'user.leave': { label: 'Walk away', noun: 'departure', sentence: 'The user leaves; the page closes and the app stops its calls.' },
  'admin.suspendUser': { label: 'Suspend user', noun: 'suspension', sentence: 'An admin suspends the user’s account.' },
  'admin.reinstateUser': { label: 'Reinstate user', noun: 'reinstatement', sentence: 'An admin lifts the suspension.' },
  'admin.revokeAll': {
    label: 'Revoke all sessions',
    noun: 'revocation',
    sentence: 'An admin revokes every grant of the user at the authorization server.',
  },
  'attacker.steal': { label: 'Steal', noun: 'theft', sentence: 'The attacker copies what the app keeps (or the API’s logs show).' },
  'attacker.wipe': { label: 'Wipe app’s tokens', noun: 'wipe', sentence: 'The attacker deletes the tokens the app keeps.' },
  'attacker.callApi': {
    label: 'Call API',
    noun: 'API call',
    sentence: 'The attacker calls the API with the newest access token it holds.',
  },
  'attacker.refresh': { label: 'Refresh', noun: 'refresh', sentence: 'The attacker presents the newest refresh token it holds.' },
  'attacker.login': {
    label: 'Log in with stolen password',
    noun: 'login',
    sentence: 'The attacker signs in with the user’s stolen password.',
  },
  'attacker.forge': { label: 'Forge token', noun: 'forgery', sentence: 'The attacker makes up an access token of its own.' },
  'attacker.hijackPage': {
    label: 'Hijack the open page',
    noun: 'page hijack',
    sentence: 'The attacker’s script starts running inside the app’s open page.',
  },
  'attacker.releasePage': { label: 'Leave the page', noun: 'page release', sentence: 'The attacker’s script stops running in the page.' },
  'attacker.interceptCode': {
    label: 'Intercept the next authorization code',
    noun: 'code interception',
    sentence: 'The app’s next authorization code will be delivered to the attacker instead.',
  },
  'attacker.silentLogin': {
    label: 'Silent sign-in from the page',
    noun: 'silent sign-in',
    sentence: 'From inside the app’s page, the attacker asks the authorization server for a code without a password prompt.',
  },
};

const STEAL_LABEL: Record<StealWhat, string> = {
  access: 'Steal access token',
  refresh: 'Steal refresh token',
  both: 'Steal both tokens',
  password: 'Steal stored password',
  clientSecret: 'Steal client secret',
  all: 'Steal everything the app keeps',
};

const FORGE_LABEL: Record<ForgeKind, string> = {
  'own-key': 'Forge token (own key)',
  'alg-none': 'Forge unsigned token (alg none)',
  'wrong-audience': 'Replay other API’s token',
};

const PROOF_LABEL: Record<ProofChoice, string> = {
  'own-key': ' (proof with own key)',
  replay: ' (replaying the app’s proof)',
};

/** A short label for an action, e.g. "Log in", "Steal refresh token", "Forge token (own key)". */
export function actionLabel(action: Action): string {
  switch (action.do) {
    case 'attacker.steal':
      return STEAL_LABEL[action.what];
    case 'attacker.forge':
      return FORGE_LABEL[action.kind ?? 'own-key'];
    case 'attacker.callApi':
    case 'attacker.refresh':
      return `${ACTION_WORDS[action.do].label}${action.proof ? PROOF_LABEL[action.proof] : ''}`;
    default:
      return ACTION_WORDS[action.do].label;
  }
}

/** The action as a noun: "login", "API call", "theft". */
export function actionNoun(name: ActionName): string {
  return ACTION_WORDS[name].noun;
}

export function actionSentence(name: ActionName): string {
  return ACTION_WORDS[name].sentence;
}

// ---------------------------------------------------------------------------------------------
// Causes: why a grant was revoked

interface CauseWords extends Words {
  /** The end of "revoked by …": "a logout", "reuse detection". */
  by: string;
}

const REVOCATION_WORDS: Record<RevocationCause, CauseWords> = {
  logout: { label: 'logout', by: 'a logout', sentence: 'The app logged out, revoking its grant at the authorization server.' },
  password_change: {
    label: 'password change',
    by: 'a password change',
    sentence: 'The user changed the password, and this server revokes the user’s grants when that happens.',
  },
  revoke_all: {
    label: 'admin revoked all',
    by: 'an admin’s “revoke all”',
    sentence: 'An admin revoked every grant of the user.',
  },
  reuse: {
    label: 'reuse',
    by: 'reuse detection',
    sentence: 'A rotated refresh token was presented again, and reuse detection revoked the whole family.',
  },
  code_reuse: {
    label: 'authorization code redeemed twice',
    by: 'a second redemption of its authorization code',
    sentence: 'The authorization code the grant came from was redeemed a second time, so the grant issued from it was revoked.',
  },
};

/** "logout", "password change", "reuse": after "revoked (…)". */
export function revocationLabel(cause: RevocationCause): string {
  return REVOCATION_WORDS[cause].label;
}

/** What revoked a grant, as the end of "revoked by …": "a logout", "reuse detection". */
export function revocationCauseText(cause: RevocationCause): string {
  return REVOCATION_WORDS[cause].by;
}

export function revocationSentence(cause: RevocationCause): string {
  return REVOCATION_WORDS[cause].sentence;
}

/** For tests: every table, to check each entry has both forms. */
export const VOCABULARY = {
  reasons: REASON_WORDS,
  actions: ACTION_WORDS,
  revocations: REVOCATION_WORDS,
} as const;
