// The core's shared vocabulary: configuration, scenarios, actions, the trace and the outcome.
// Everything here is plain, serialisable data (no classes, no functions), so a world's state
// can be cloned for snapshots and a trace can be printed as JSON.

/** Simulated time: whole seconds since the scenario started. */
export type Seconds = number;

export type PresetId =
  | 'long-lived-access'
  | 'short-access-only'
  | 'stored-password'
  | 'introspected-access'
  | 'static-refresh'
  | 'rotating-refresh'
  | 'dpop-bound'
  | 'bff';

export interface RefreshTokenConfig {
  rotation: boolean;
  reuseDetection: boolean;
  reuseInterval: Seconds;
  /** Idle (sliding) lifetime; null = unlimited. */
  idleTtl: Seconds | null;
  /** Absolute lifetime from the family's login; null = unlimited. */
  absoluteTtl: Seconds | null;
}

/**
 * How the user signs in (SEMANTICS.md §10): at the AS's own sign-in page with an authorization
 * code and PKCE (the default, RFC 6749 §4.1 + RFC 7636), or by handing the password to the app
 * (the legacy password grant, RFC 6749 §4.3, which RFC 9700 §2.4 forbids).
 */
export type LoginMode = 'code-pkce' | 'password-grant';

/** Lifetimes of the AS's sign-in session (its cookie, SEMANTICS.md §10); null = unlimited. */
export interface SignInSessionConfig {
  idleTtl: Seconds | null;
  absoluteTtl: Seconds | null;
}

/** Where the app's tokens live (SEMANTICS.md §10): in the page, or at a backend-for-frontend. */
export type TokenStorage = 'browser' | 'bff';

/** A public client has no secret; a confidential one authenticates with its client secret (RFC 6749 §2.1). */
export type ClientType = 'public' | 'confidential';

export interface Config {
  preset: PresetId;
  accessToken: { ttl: Seconds };
  /** null: the configuration issues no refresh tokens. */
  refreshToken: RefreshTokenConfig | null;
  login: LoginMode;
  /**
   * Whether the app's code + PKCE login sends a PKCE challenge (RFC 7636). Meaningful under
   * `code-pkce` only (a file may not write it with `password-grant`; it then stays true here).
   */
  pkce: boolean;
  authServer: {
    /** null: no sign-in session, every authorization prompts for the password. */
    signInSession: SignInSessionConfig | null;
    /** Whether a password change revokes every grant of the user (SEMANTICS.md §4). */
    revokeGrantsOnPasswordChange: boolean;
  };
  /** `tokenStorage: "bff"` always comes with `type: "confidential"` (the BFF is the client). */
  client: { type: ClientType; storesPassword: boolean; tokenStorage: TokenStorage };
  resourceServer: { validation: 'local' | 'introspection'; leeway: Seconds };
  senderConstraint: 'none' | 'dpop';
}

export type StealWhat = 'access' | 'refresh' | 'both' | 'password' | 'clientSecret' | 'all';
/**
 * Where `attacker.steal` copies from: what the app holds (`app`, the default), or the API's
 * request logs (`api-logs`, access tokens only: the newest one the RS received from the app).
 */
export type StealFrom = 'app' | 'api-logs';
export type ForgeKind = 'own-key' | 'alg-none' | 'wrong-audience';
/**
 * How the attacker tries to prove possession for a DPoP-bound token (DPoP configurations only):
 * `own-key` signs a proof with its own key; `replay` resends the newest proof the app sent
 * (captured, RFC 9449 §11.1). Without it, the attacker signs with a key it can use for that token
 * (its own for tokens bound to it, the app's through a hijacked page), else sends no proof.
 */
export type ProofChoice = 'own-key' | 'replay';

/** A command: something a party is told to do (scripted, automatic or from the UI). */
export type Action =
  | { do: 'client.login' }
  | { do: 'client.callApi' }
  | { do: 'client.refresh' }
  | { do: 'client.logout' }
  | { do: 'user.changePassword' }
  | { do: 'user.arrive' }
  | { do: 'user.leave' }
  | { do: 'admin.suspendUser' }
  | { do: 'admin.reinstateUser' }
  | { do: 'admin.revokeAll' }
  | { do: 'attacker.steal'; what: StealWhat; from?: StealFrom }
  | { do: 'attacker.wipe' }
  | { do: 'attacker.callApi'; proof?: ProofChoice }
  | { do: 'attacker.refresh'; proof?: ProofChoice }
  | { do: 'attacker.login' }
  | { do: 'attacker.forge'; kind?: ForgeKind }
  | { do: 'attacker.hijackPage' }
  | { do: 'attacker.releasePage' }
  | { do: 'attacker.interceptCode' }
  | { do: 'attacker.silentLogin' };

export type ActionName = Action['do'];

export const ACTION_NAMES: readonly ActionName[] = [
  'client.login',
  'client.callApi',
  'client.refresh',
  'client.logout',
  'user.changePassword',
  'user.arrive',
  'user.leave',
  'admin.suspendUser',
  'admin.reinstateUser',
  'admin.revokeAll',
  'attacker.steal',
  'attacker.wipe',
  'attacker.callApi',
  'attacker.refresh',
  'attacker.login',
  'attacker.forge',
  'attacker.hijackPage',
  'attacker.releasePage',
  'attacker.interceptCode',
  'attacker.silentLogin',
];

/** Optional teaching text a guided scenario attaches to a step (the UI shows it). */
/** What a prediction's right answer says the step will give: a success, or a refusal and why. */
export interface PredictedResult {
  ok: boolean;
  /** The reason code (SEMANTICS.md §8); null or absent on a success, absent when any refusal will do. */
  reason?: Reason | null;
  /** The HTTP status, when the answer names one; null when nothing is sent. */
  status?: number | null;
}

export interface StepLesson {
  /** Plain-text narration shown when the learner reaches this step. */
  narration?: string;
  /** A question asked before the step runs; the step's result reveals the answer. */
  predict?: {
    question: string;
    choices: string[];
    answer: number;
    explanation: string;
    /** The step's result the right answer names (checked against the run by the lesson tests). */
    expect?: PredictedResult;
  };
}

export type Step = Action & {
  at: Seconds;
  repeat?: { every: Seconds; times: number };
  lesson?: StepLesson;
};

export interface Behaviour {
  user?: { callApiEvery: Seconds };
  attacker?: { callApiEvery: Seconds };
}

export interface Scenario {
  format: 'tokenscope/1';
  title?: string;
  description?: string;
  /** Lesson text for guided scenarios (optional; see docs/SCENARIO-FORMAT-EXTENSIONS.md). */
  goal?: string;
  seed: number;
  /** RFC 3339 instant for t = 0. */
  epoch: string;
  /** The same instant as Unix seconds. */
  epochSeconds: number;
  config: Config;
  behaviour: Behaviour;
  steps: Step[];
  /** End of the run; null: the last step occurrence. */
  until: Seconds | null;
}

// ---------------------------------------------------------------------------------------------
// The trace

export type Party = 'client' | 'authServer' | 'resourceServer' | 'attacker';
export type Actor = Party | 'user' | 'admin';

/** Why something happened: a scenario step, an automatic behaviour, or a direct UI command. */
export type Cause = { kind: 'step'; index: number } | { kind: 'auto'; who: 'user' | 'attacker' } | { kind: 'command' };

/** `authorize`: the AS's sign-in page (the authorization endpoint, RFC 6749 §3.1). */
export type Endpoint = 'authorize' | 'token' | 'revocation' | 'api' | 'introspection';

export type Reason =
  // resource server
  | 'no_token'
  | 'expired'
  | 'not_yet_valid'
  | 'bad_signature'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'wrong_type'
  | 'inactive'
  | 'dpop_required'
  | 'dpop_invalid'
  // token endpoint
  | 'unknown_token'
  | 'expired_idle'
  | 'expired_absolute'
  | 'revoked'
  | 'reused'
  | 'consumed'
  | 'user_suspended'
  | 'bad_password'
  | 'dpop_key_mismatch'
  | 'client_auth_failed'
  // the AS's sign-in page (authorization): a silent sign-in found no live sign-in session
  | 'login_required'
  // the token endpoint's code exchange
  | 'pkce_failed'
  | 'code_used'
  // nothing sent
  | 'no_password'
  | 'nothing_to_steal'
  | 'no_code'
  | 'page_not_held';

export type ErrorCode = 'invalid_token' | 'invalid_grant' | 'invalid_client' | 'invalid_dpop_proof';

/** A short stable name for a token: AT#3, RT#2, or FT#1 for a forged one. */
export type TokenLabel = string;

export interface AccessTokenRecord {
  label: TokenLabel;
  kind: 'access';
  /** Compact JWS as issued (real jose output). */
  jwt: string;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  grantId: string | null;
  issuedAt: Seconds;
  expiresAt: Seconds;
  /** Signed by the AS for this API (false for forged or other-audience tokens). */
  genuine: boolean;
  audienceOk: boolean;
}

export type RefreshStatus = 'active' | 'consumed' | 'revoked';

export interface RefreshTokenRecord {
  label: TokenLabel;
  kind: 'refresh';
  /** Opaque random string from the world's RNG. */
  value: string;
  grantId: string;
  issuedAt: Seconds;
  parent: TokenLabel | null;
  status: RefreshStatus;
  consumedAt: Seconds | null;
  revokedAt: Seconds | null;
  /**
   * DPoP: the thumbprint (RFC 7638) of the key this refresh token is bound to — a public client's
   * refresh tokens only (RFC 9449 §5). Absent when unbound.
   */
  jkt?: string;
}

/**
 * A PKCE pair (RFC 7636 §4.1, §4.2): a fresh `code_verifier` from the world's seeded RNG and its
 * S256 challenge, base64url(SHA-256(verifier)). The authorize request carries the challenge; the
 * code exchange carries the verifier.
 */
export interface PkcePair {
  verifier: string;
  challenge: string;
  method: 'S256';
}

/**
 * An authorization code the AS issued at its sign-in page (RFC 6749 §4.1.2): lives
 * `CODE_LIFETIME` seconds, single use. Shown in the inspector like a token.
 */
export interface AuthorizationCodeRecord {
  /** AC#1, AC#2, … */
  label: TokenLabel;
  kind: 'code';
  /** Opaque random string from the world's RNG (the code's own stream). */
  value: string;
  issuedAt: Seconds;
  /** issuedAt + CODE_LIFETIME: redeemed at t ≥ expiresAt it is `unknown_token`. */
  expiresAt: Seconds;
  /** The PKCE challenge it was issued for (S256), or null when the request carried none. */
  challenge: string | null;
  /** Whose authorization it was: the user's app, or the attacker's silent sign-in from the page. */
  requestedBy: 'client' | 'attacker';
  /** Who received it at the redirect: the app (its BFF under `bff`), or the attacker. */
  deliveredTo: Party;
  /** Set when it was redeemed successfully. */
  usedAt: Seconds | null;
  /** The grant its redemption started (a second redemption revokes it, RFC 6749 §4.1.2). */
  grantId: string | null;
}

/** How long an authorization code can be redeemed (SEMANTICS.md §10: 60 s). */
export const CODE_LIFETIME: Seconds = 60;

/** Why the AS's sign-in session ended (SEMANTICS.md §10). */
export type SignInSessionEnd = 'logout' | 'password_change' | 'revoke_all' | 'suspension';

// ---------------------------------------------------------------------------------------------
// DPoP (RFC 9449)

/**
 * Whose key signed a proof, and how it got onto the request: the app's own requests (`app`), the
 * attacker's requests made through the app's page it hijacked (`hijackedPage`, the app's key),
 * the attacker's own key (`attackerKey`), or a proof the app sent earlier, resent (`replayed`).
 */
export type ProofSource = 'app' | 'hijackedPage' | 'attackerKey' | 'replayed';

/** One DPoP proof JWT as sent in a request's DPoP header: real jose output, decoded for display. */
export interface DpopProof {
  /** Compact JWS (typ dpop+jwt, the public key in the `jwk` header). */
  jwt: string;
  header: Record<string, unknown>;
  /** jti, htm, htu, iat, and ath (the access token's SHA-256) at the resource server. */
  claims: Record<string, unknown>;
  /** Thumbprint of the key that signed it (the header's jwk, RFC 7638). */
  jkt: string;
  source: ProofSource;
}

/**
 * The DPoP check that refused a request (RFC 9449 §4.3, §5, §7): no proof at all, a proof that is
 * not a well-formed signed JWT with the required claims, a bad signature, the wrong `typ`, the
 * wrong method (`htm`) or URL (`htu`), an `iat` outside the window, a `jti` already seen (a
 * replay), an `ath` that is not this access token's hash, or a key other than the bound one.
 */
export type DpopCheck = 'missing' | 'malformed' | 'signature' | 'type' | 'method' | 'url' | 'iat' | 'replay' | 'ath' | 'key';

/** A server's check of a DPoP proof (dpop.ts checkProof): passed with the proof key's thumbprint, or the check that failed. */
export type ProofCheck = { ok: true; jkt: string } | { ok: false; check: DpopCheck };

/** `code_reuse`: an authorization code was redeemed a second time (RFC 6749 §4.1.2). */
export type RevocationCause = 'logout' | 'password_change' | 'revoke_all' | 'reuse' | 'code_reuse';

/** What an action got: an HTTP-like status (null: nothing was sent), and for a refusal its error and reason (SEMANTICS.md §8). */
export interface ActionResult {
  ok: boolean;
  status: number | null;
  error: ErrorCode | null;
  reason: Reason | null;
}

export interface ChecksMade {
  signature: boolean;
  type: boolean | null;
  issuer: boolean | null;
  audience: boolean | null;
  expiry: boolean | null;
  /** Introspection answer when the RS asked the AS; null when it did not. */
  introspection: boolean | null;
  /**
   * DPoP configurations only: the proof of possession for a bound token (true passed, false
   * failed, null not made because an earlier check failed).
   */
  dpop?: boolean | null;
}

interface EventBase {
  /** Position in the trace (0-based, strictly increasing). */
  seq: number;
  t: Seconds;
  cause: Cause;
}

export type SimEventBody =
  | { type: 'ActionStarted'; actor: Actor; action: Action }
  | {
      type: 'ActionFinished';
      actor: Actor;
      action: Action;
      ok: boolean;
      status: number | null;
      error: ErrorCode | null;
      reason: Reason | null;
    }
  | {
      type: 'RequestSent';
      id: number;
      from: Party;
      to: Party;
      endpoint: Endpoint;
      /** For the token endpoint: which grant type. */
      grantType?: 'password' | 'refresh_token' | 'authorization_code';
      token: TokenLabel | null;
      /**
       * At the sign-in page (`authorize`): the PKCE challenge sent (absent without PKCE), and
       * whether it was a silent authorization (`prompt=none`: no password can be typed).
       */
      pkceChallenge?: string;
      silent?: boolean;
      /** Code exchange: the code redeemed (AC#n) and the PKCE verifier sent (absent: none). */
      code?: TokenLabel;
      codeVerifier?: string;
      /**
       * An attacker's API call from the hijacked page under `bff`: the BFF proxied it with its own
       * tokens (and, under DPoP, its own key), so the RS saw the app's request.
       */
      via?: 'bff';
      clientAuth?: boolean;
      /** The DPoP proof the request carried (DPoP configurations; absent: none, i.e. plain Bearer). */
      proof?: DpopProof;
    }
  | {
      type: 'ResponseSent';
      requestId: number;
      from: Party;
      to: Party;
      endpoint: Endpoint;
      status: number;
      error: ErrorCode | null;
      reason: Reason | null;
      issued: TokenLabel[];
      checks?: ChecksMade;
      /** For introspection answers. */
      active?: boolean;
      /** DPoP: the check that refused the request (absent when no DPoP check failed). */
      dpop?: DpopCheck;
      /** Sign-in page: the code the redirect carries (status 302), and where it went. */
      code?: TokenLabel;
      /** Sign-in page: true when a live sign-in session let it skip the password. */
      silent?: boolean;
    }
  | { type: 'AccessTokenIssued'; token: AccessTokenRecord; to: Party }
  | { type: 'RefreshTokenIssued'; token: RefreshTokenRecord; to: Party }
  | { type: 'AccessTokenForged'; token: AccessTokenRecord; forgeKind: ForgeKind }
  | { type: 'GrantStarted'; grantId: string; by: Party }
  | { type: 'RefreshTokenConsumed'; label: TokenLabel; grantId: string }
  | { type: 'ReuseIntervalUsed'; label: TokenLabel; grantId: string }
  // Not `cause`: every event's `cause` (EventBase) says what made it happen.
  | { type: 'GrantRevoked'; grantId: string; revocationCause: RevocationCause; labels: TokenLabel[] }
  | {
      type: 'TokensStolen';
      what: StealWhat;
      labels: TokenLabel[];
      /** Present when not from the app: `api-logs` (the API's request logs). */
      from?: StealFrom;
      /** `all` or `password`/`clientSecret`: which non-token secrets were copied too. */
      password?: true;
      clientSecret?: true;
    }
  /** The attacker's script in the page copied tokens the app holds (at hijack, or as each arrives). */
  | { type: 'TokensCopied'; labels: TokenLabel[] }
  /** The attacker's script started running in the app's open page (attacker.hijackPage). */
  | { type: 'PageHijacked' }
  /** The script stopped: attacker.releasePage, or the page closed (user.leave). */
  | { type: 'PageReleased'; by: 'attacker' | 'pageClosed' }
  /** attacker.interceptCode: the app's next authorization will deliver its code to the attacker. */
  | { type: 'CodeInterceptionArmed' }
  /** The app's authorization code went to the attacker instead of the app (the interception fired). */
  | { type: 'CodeIntercepted'; code: TokenLabel }
  /** The AS issued an authorization code at its sign-in page (with the PKCE pair of the request). */
  | { type: 'AuthorizationCodeIssued'; code: AuthorizationCodeRecord; pkce: PkcePair | null }
  /** The user's browser gained a sign-in session cookie at the AS (a password sign-in). */
  | { type: 'SignInSessionStarted'; sessionId: string; startedAt: Seconds }
  /** A silent authorization found the session live and renewed its idle time. */
  | { type: 'SignInSessionRenewed'; sessionId: string }
  /** The session ended at the AS (it also ends silently by its idle or absolute lifetime). */
  | { type: 'SignInSessionEnded'; sessionId: string; why: SignInSessionEnd }
  /** A silent sign-in of the user's app: new tokens from a live sign-in session, no prompt. */
  | { type: 'SilentSignIn'; by: 'client' | 'attacker' }
  /** The app forgot its stored password (client.logout, even holding no token). */
  | { type: 'PasswordForgotten'; by: 'client' }
  | { type: 'TokensWiped'; labels: TokenLabel[] }
  | { type: 'TokenDropped'; by: Party; label: TokenLabel | 'password'; reason: Reason }
  | { type: 'ClientForgotTokens'; labels: TokenLabel[] }
  /** A password change left grants alive (`revokeGrantsOnPasswordChange: false`). */
  | { type: 'GrantsKept'; grantIds: string[] }
  | { type: 'PasswordStored'; by: 'client' }
  | { type: 'PasswordChanged' }
  | { type: 'UserSuspended' }
  | { type: 'UserReinstated' }
  | { type: 'UserArrived' }
  | {
      type: 'UserLeft';
      /** The page closed while the attacker's script ran in it: it lost the app's DPoP key. */
      hijackEnded?: true;
    }
  | { type: 'StateChanged'; party: Party; from: string; to: string; on: string };

export type SimEvent = SimEventBody & EventBase;

// ---------------------------------------------------------------------------------------------
// The outcome (SCENARIO-FORMAT.md "The outcome")

export interface StepResult {
  index: number;
  at: Seconds;
  do: ActionName;
  ok: boolean;
  status: number | null;
  error: ErrorCode | null;
  reason: Reason | null;
}

export interface Metrics {
  attacker: {
    exposureSeconds: number;
    apiCallsOk: number;
    apiCallsRejected: number;
    lastApiCallOkAt: Seconds | null;
    revocationLagSeconds: Seconds | null;
  };
  /** `silentSignIns`: new tokens from a live AS sign-in session with no prompt (SEMANTICS.md §10). */
  user: { passwordPrompts: number; silentSignIns: number; apiCallsOk: number; apiCallsRejected: number };
  /** `signInRequests`: visits to the AS's sign-in page, silent or not, the attacker's included. */
  authServer: { tokenRequests: number; stateLookups: number; signInRequests: number };
  resourceServer: { requests: number; introspections: number };
}

export interface Outcome {
  format: 'tokenscope-outcome/1';
  end: Seconds;
  steps: StepResult[];
  events: SimEvent[];
  metrics: Metrics;
}
