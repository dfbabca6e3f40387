// Narration: the trace told as plain sentences a newcomer can follow, one line per meaningful
// event. A request and its answer become one sentence that says what was decided and why; the
// bookkeeping events around it (tokens issued, a family revoked, a token dropped) are folded in.
//
// Sentences describe the world *as it was at that event* ("it expires in 2 min 10 s" counts from
// the event's own instant), so a line never changes once written: the log can stay append-only
// and a screen reader hears each line once. To know that moment, the narrator keeps a small
// record of what each party held and what the AS had revoked, built from the trace as it goes.
import type {
  AccessTokenRecord,
  Cause,
  Config,
  DpopCheck,
  DpopProof,
  ForgeKind,
  Party,
  Reason,
  RevocationCause,
  Scenario,
  Seconds,
  SimEvent,
  StealWhat,
  TokenLabel,
} from '../sim/types';
import { formatClock, formatRelative, formatSpan } from './format';
import { familyDeadlines } from '../sim/rules/family';
import { actionLabel, reasonText, revocationCauseText } from './vocabulary';

import type { NarrationActor, NarrationLine, NarrationTone } from './reading-types';

export type { NarrationActor, NarrationLine, NarrationTone };

/** What the narrator reads: the trace and the run it belongs to (a WorldView is one). */
export interface NarrationSource {
  events: readonly SimEvent[];
  scenario: Scenario;
  config: Config;
  epochSeconds: number;
}

type Ev<T extends SimEvent['type']> = Extract<SimEvent, { type: T }>;

// ---------------------------------------------------------------------------------------------
// What the narrator remembers while reading the trace

interface GrantMemo {
  id: string;
  by: Party;
  startedAt: Seconds;
  lastUse: Seconds;
  revoked: { t: Seconds; cause: RevocationCause } | null;
  refreshTokens: TokenLabel[];
  accessTokens: TokenLabel[];
}

interface RefreshMemo {
  grantId: string;
  consumedAt: Seconds | null;
}

interface Memory {
  epoch: number;
  config: Config;
  callApiEvery: Seconds | null;
  grants: Map<string, GrantMemo>;
  access: Map<TokenLabel, AccessTokenRecord>;
  refresh: Map<TokenLabel, RefreshMemo>;
  forged: Map<TokenLabel, ForgeKind>;
  suspendedAt: Seconds | null;
  passwordChangedAt: Seconds | null;
  client: { accessToken: TokenLabel | null; refreshToken: TokenLabel | null; storedPassword: boolean };
  attacker: { accessTokens: TokenLabel[]; refreshTokens: TokenLabel[]; password: boolean; clientSecret: boolean };
  /** DPoP: whether the attacker's script runs inside the app's open page (it can use the app's key). */
  attackerInPage: boolean;
  /** DPoP: the thumbprints of the app's key and of the attacker's own, learnt from proofs. */
  keys: { app: string | null; attacker: string | null };
  /** The app's last silent (stored-password) login that failed: the next login is a prompt. */
  silentLoginFailedAt: Seconds | null;
  /** Whether the last sign-in page visit skipped the password (a live AS sign-in session). */
  signInSilent: boolean;
  /** Explanations already given in full; later lines of the same kind stay short. */
  explained: Set<string>;
}

function remember(view: NarrationSource): Memory {
  return {
    epoch: view.epochSeconds,
    config: view.config,
    callApiEvery: view.scenario.behaviour.user?.callApiEvery ?? null,
    grants: new Map(),
    // Learnt from the trace, not from view.accessTokens: a line must not know later tokens.
    access: new Map(),
    refresh: new Map(),
    forged: new Map(),
    suspendedAt: null,
    passwordChangedAt: null,
    client: { accessToken: null, refreshToken: null, storedPassword: false },
    attacker: { accessTokens: [], refreshTokens: [], password: false, clientSecret: false },
    attackerInPage: false,
    keys: { app: null, attacker: null },
    silentLoginFailedAt: null,
    signInSilent: false,
    explained: new Set(),
  };
}

/** True the first time a kind of explanation is asked for (then it is given in full). */
function firstTime(m: Memory, kind: string): boolean {
  if (m.explained.has(kind)) return false;
  m.explained.add(kind);
  return true;
}

function without(list: TokenLabel[], label: TokenLabel): TokenLabel[] {
  return list.filter((l) => l !== label);
}

/** Updates the memory with one event (after the event's line, if any, was written). */
function learn(m: Memory, e: SimEvent, requests: Map<number, Ev<'RequestSent'>>): void {
  switch (e.type) {
    case 'GrantStarted':
      m.grants.set(e.grantId, {
        id: e.grantId,
        by: e.by,
        startedAt: e.t,
        lastUse: e.t,
        revoked: null,
        refreshTokens: [],
        accessTokens: [],
      });
      return;
    case 'AccessTokenIssued':
    case 'AccessTokenForged':
      m.access.set(e.token.label, e.token);
      if (e.type === 'AccessTokenForged') m.forged.set(e.token.label, e.forgeKind);
      if (e.token.grantId) m.grants.get(e.token.grantId)?.accessTokens.push(e.token.label);
      return;
    case 'RefreshTokenIssued':
      m.refresh.set(e.token.label, { grantId: e.token.grantId, consumedAt: null });
      m.grants.get(e.token.grantId)?.refreshTokens.push(e.token.label);
      return;
    case 'RefreshTokenConsumed': {
      const record = m.refresh.get(e.label);
      if (record) record.consumedAt = e.t;
      return;
    }
    case 'GrantRevoked': {
      const grant = m.grants.get(e.grantId);
      if (grant && !grant.revoked) grant.revoked = { t: e.t, cause: e.revocationCause };
      return;
    }
    case 'RequestSent':
      requests.set(e.id, e);
      if (e.proof?.source === 'app' || e.proof?.source === 'hijackedPage') m.keys.app = e.proof.jkt;
      if (e.proof?.source === 'attackerKey') m.keys.attacker = e.proof.jkt;
      return;
    case 'ResponseSent': {
      const request = requests.get(e.requestId);
      requests.delete(e.requestId);
      if (e.endpoint === 'authorize') m.signInSilent = e.silent === true;
      if (!request || e.endpoint !== 'token') return;
      const party = e.to;
      if (e.status === 200) {
        const [access, refresh] = e.issued;
        if (request.grantType === 'refresh_token' && request.token) {
          const grantId = m.refresh.get(request.token)?.grantId;
          const grant = grantId ? m.grants.get(grantId) : undefined;
          if (grant) grant.lastUse = e.t;
        }
        if (party === 'client') {
          if (access) m.client.accessToken = access;
          m.client.refreshToken = refresh ?? (request.grantType === 'refresh_token' ? m.client.refreshToken : null);
        } else if (party === 'attacker') {
          if (access) m.attacker.accessTokens = [...without(m.attacker.accessTokens, access), access];
          if (refresh) {
            const replaced = request.grantType === 'refresh_token' && request.token && request.token !== refresh ? request.token : null;
            const rest = without(m.attacker.refreshTokens, refresh).filter((l) => l !== replaced);
            m.attacker.refreshTokens = [...rest, refresh];
          }
        }
      } else if (party === 'client' && request.grantType === 'password' && m.client.storedPassword && !isInteractiveCause(request.cause)) {
        // A silent login refused for a wrong (outdated) password falls back to a prompt at once.
        if (m.silentLoginFailedAt === e.t) m.silentLoginFailedAt = null;
        else if (e.reason === 'bad_password') m.silentLoginFailedAt = e.t;
      }
      return;
    }
    case 'TokenDropped':
      if (e.by === 'client' && e.label === m.client.refreshToken) m.client.refreshToken = null;
      if (e.by === 'attacker') {
        if (e.label === 'password') m.attacker.password = false;
        else m.attacker.refreshTokens = without(m.attacker.refreshTokens, e.label);
      }
      return;
    case 'ClientForgotTokens':
      m.client = { accessToken: null, refreshToken: null, storedPassword: false };
      return;
    case 'TokensWiped':
      m.client = { ...m.client, accessToken: null, refreshToken: null };
      return;
    case 'TokensStolen':
      for (const label of e.labels) {
        if (label.startsWith('RT#')) m.attacker.refreshTokens = [...without(m.attacker.refreshTokens, label), label];
        else m.attacker.accessTokens = [...without(m.attacker.accessTokens, label), label];
      }
      if (e.what === 'password' || e.password) m.attacker.password = true;
      if (e.what === 'clientSecret' || e.clientSecret) m.attacker.clientSecret = true;
      return;
    case 'TokensCopied':
      for (const label of e.labels) {
        if (label.startsWith('RT#')) m.attacker.refreshTokens = [...without(m.attacker.refreshTokens, label), label];
        else m.attacker.accessTokens = [...without(m.attacker.accessTokens, label), label];
      }
      return;
    case 'PasswordForgotten':
      m.client.storedPassword = false;
      return;
    case 'PasswordStored':
      m.client.storedPassword = true;
      return;
    case 'PasswordChanged':
      m.passwordChangedAt = e.t;
      return;
    case 'UserSuspended':
      m.suspendedAt = e.t;
      return;
    case 'UserReinstated':
      m.suspendedAt = null;
      return;
    case 'ActionFinished':
      if (e.ok && e.action.do === 'attacker.hijackPage') m.attackerInPage = true;
      if (e.action.do === 'attacker.releasePage') m.attackerInPage = false;
      return;
    case 'UserLeft':
      if (e.hijackEnded) m.attackerInPage = false;
      return;
    case 'ActionStarted':
    case 'ReuseIntervalUsed':
    case 'UserArrived':
    case 'StateChanged':
    case 'PageHijacked':
    case 'PageReleased':
    case 'CodeInterceptionArmed':
    case 'CodeIntercepted':
    case 'AuthorizationCodeIssued':
    case 'SignInSessionStarted':
    case 'SignInSessionRenewed':
    case 'SignInSessionEnded':
    case 'SilentSignIn':
    case 'GrantsKept':
      return;
    default:
      assertNever(e);
  }
}

/** Scripted steps and UI commands; "auto" is the app's or attacker's own automatic traffic. */
function isInteractiveCause(cause: Cause): boolean {
  return cause.kind !== 'auto';
}

// ---------------------------------------------------------------------------------------------
// Wording helpers

function clock(m: Memory, t: Seconds): string {
  return formatClock(m.epoch + t, m.epoch);
}

/** "09:15:00, in 2 min 10 s" seen from `now`. */
function when(m: Memory, at: Seconds, now: Seconds): string {
  return `${formatClock(m.epoch + at, m.epoch + now)}, ${formatRelative(at, now)}`;
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** At most `max` labels, then "and N more". */
function shortList(labels: string[], max = 6): string {
  if (labels.length <= max) return labels.join(', ');
  return `${labels.slice(0, max).join(', ')} and ${labels.length - max} more`;
}

/** Ends a sentence with a full stop unless it already ends with one (also inside a parenthesis). */
function withPeriod(text: string): string {
  return /[.!?]\)?$/.test(text) ? text : `${text}.`;
}

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const PARTY_NOUN: Record<Party, string> = {
  client: 'the app',
  authServer: 'the auth server',
  resourceServer: 'the resource server',
  attacker: 'the attacker',
};

/** The sender of a request as the subject of a sentence, marking automatic traffic as such. */
function subject(from: Party, cause: Cause): string {
  if (cause.kind === 'auto') return from === 'attacker' ? 'The attacker’s script, on its own,' : 'The app, on its own,';
  return sentenceCase(PARTY_NOUN[from]);
}

function holderText(m: Memory, label: TokenLabel, clientForgets = false): string {
  const holders: string[] = [];
  if (!clientForgets && (m.client.accessToken === label || m.client.refreshToken === label)) holders.push('the app');
  if (m.attacker.accessTokens.includes(label) || m.attacker.refreshTokens.includes(label)) holders.push('the attacker');
  return holders.length ? ` (held by ${list(holders)})` : '';
}

const TOKEN_PATTERN = /\b(?:AT|RT|FT)#\d+\b/g;

function line(e: SimEvent, actor: NarrationActor, tone: NarrationTone, text: string): NarrationLine {
  const tokens = [...new Set(text.match(TOKEN_PATTERN) ?? [])];
  return { seq: e.seq, t: e.t, actor, tone, text, tokens };
}

/**
 * Access tokens a locally validating RS would still accept at `t` (by time alone), among the
 * given ones (default: every genuine one issued so far), with where they are held.
 */
function stillValid(m: Memory, t: Seconds, labels?: TokenLabel[]): AccessTokenRecord[] {
  const records = labels
    ? labels.map((l) => m.access.get(l)).filter((r): r is AccessTokenRecord => r !== undefined)
    : [...m.access.values()];
  const leeway = m.config.resourceServer.leeway;
  return records.filter((r) => r.genuine && r.audienceOk && t < r.expiresAt + leeway);
}

/**
 * What a stopping event (logout, password change, suspension, revocation) does NOT stop: access
 * tokens already issued, at a locally validating RS, until their exp.
 */
function outstandingNote(m: Memory, t: Seconds, records: AccessTokenRecord[], what: string, clientForgets = false): string {
  if (m.config.resourceServer.validation === 'introspection') {
    return records.length
      ? ` Because this resource server asks the auth server about every token (introspection), ${shortList(records.map((r) => r.label))} ${records.length === 1 ? 'stops' : 'stop'} working right away.`
      : ' This resource server asks the auth server about every token (introspection), so the change takes effect at once.';
  }
  if (!records.length)
    return ' No access token issued so far is still unexpired, so the resource server has nothing left to accept anyway.';
  const items = records.slice(0, 4).map((r) => `${r.label}${holderText(m, r.label, clientForgets)} until ${when(m, r.expiresAt, t)}`);
  const more = records.length > 4 ? ` and ${records.length - 4} more` : '';
  return ` Access tokens already issued, though, stay valid at the resource server until they expire — ${items.join('; ')}${more} — because it checks them locally and is never told about ${what}.`;
}

function thingToSteal(what: StealWhat): string {
  switch (what) {
    case 'access':
      return 'the app holds no access token right now';
    case 'refresh':
      return 'the app holds no refresh token right now';
    case 'both':
      return 'the app holds no tokens right now';
    case 'password':
      return 'the app has no stored password (only an app that keeps the password has one to steal)';
    case 'clientSecret':
      return 'this app has no client secret (only a confidential client, one running on a server, has one)';
    case 'all':
      return 'the app keeps nothing the attacker can read (no tokens, no stored password, no client secret in the page)';
    default:
      return assertNever(what);
  }
}

// ---------------------------------------------------------------------------------------------
// DPoP (RFC 9449): proofs, keys and the check that failed

/** The thumbprint an access token is bound to (its cnf.jkt claim), or null. */
function boundKeyOf(record: AccessTokenRecord | undefined): string | null {
  const cnf = record?.claims.cnf;
  const jkt = cnf && typeof cnf === 'object' ? (cnf as Record<string, unknown>).jkt : undefined;
  return typeof jkt === 'string' ? jkt : null;
}

/** "the app’s DPoP key" or "the attacker’s own DPoP key", as far as the trace has told. */
function keyName(m: Memory, jkt: string | null): string {
  if (jkt !== null && jkt === m.keys.attacker) return 'the attacker’s own DPoP key';
  return 'the app’s DPoP key';
}

/** How a request proved possession, as a phrase after "called the API with AT#1". */
function proofPhrase(proof: DpopProof | undefined): string {
  switch (proof?.source) {
    case 'hijackedPage':
      return ' through the app’s hijacked page, with a proof signed there by the app’s key';
    case 'attackerKey':
      return ' and a DPoP proof signed with its own key';
    case 'replayed':
      return ' and a DPoP proof the app had sent earlier, captured and resent unchanged';
    default:
      return '';
  }
}

/** What was wrong with a proof (the DPoP check that failed), as a clause. */
function proofProblem(m: Memory, check: DpopCheck | undefined, proof: DpopProof | undefined, t: Seconds): string {
  const claims = proof?.claims ?? {};
  switch (check) {
    case 'missing':
      return 'the request carried no DPoP proof at all';
    case 'malformed':
      return 'it is not a well-formed proof (a signed JWT with its public key in the header and a jti, htm, htu and iat)';
    case 'signature':
      return 'its signature does not verify with the public key in its own header';
    case 'type':
      return 'its typ header is not dpop+jwt';
    case 'method':
      return `it was made for another HTTP method (htm ${JSON.stringify(claims.htm ?? '?')}) — a proof is good for one method and URL only`;
    case 'url':
      return `it was made for another URL (htu ${JSON.stringify(claims.htu ?? '?')}) — a proof is good for one method and URL only`;
    case 'iat': {
      const iat = typeof claims.iat === 'number' ? claims.iat - m.epoch : null;
      const made = iat === null ? '' : ` (it was made at ${clock(m, iat)}, ${formatSpan(Math.abs(t - iat))} ${iat <= t ? 'ago' : 'ahead'})`;
      return `its iat is more than 1 min from the server’s clock${made}, and a proof is only good for a minute either way`;
    }
    case 'replay':
      return 'the server has already seen a proof with this jti, so this one is a replay (this server remembers the jti of every proof for as long as the proof’s iat is within the minute it accepts; RFC 9449 lets real servers skip that and rely on short windows or nonces)';
    case 'ath':
      return 'its ath is the hash of a different access token: a proof is good only with the token it was made for';
    case 'key':
      return 'it was signed with a different key from the one the token is bound to';
    default:
      return 'wrong key, method, URL, time or token hash, or a replay';
  }
}

// ---------------------------------------------------------------------------------------------
// The resource server's reasons

function forgeHow(kind: ForgeKind, label: TokenLabel): string {
  switch (kind) {
    case 'own-key':
      return `made ${label}, a token signed with its own key, and sent it to the API`;
    case 'alg-none':
      return `made ${label}, an unsigned token (alg: none), and sent it to the API`;
    case 'wrong-audience':
      return `sent ${label} — a genuine token the auth server issued to the user for a different API — to this API`;
    default:
      return assertNever(kind);
  }
}

function rsRejection(
  m: Memory,
  reason: Reason,
  label: TokenLabel | null,
  from: Party,
  t: Seconds,
  dpop?: { check?: DpopCheck; proof?: DpopProof },
): string {
  const record = label ? m.access.get(label) : undefined;
  const kind = label ? m.forged.get(label) : undefined;
  const leeway = m.config.resourceServer.leeway;
  switch (reason) {
    case 'no_token':
      return `the request carried no token at all, so there was nothing to check (a bare 401, no error code) — ${from === 'attacker' ? 'the attacker holds no access token' : 'the app holds none'}`;
    case 'expired': {
      if (!record) return 'the token has expired';
      const deadline = record.expiresAt + leeway;
      const rule = leeway > 0 ? `now < exp + leeway (${formatSpan(leeway)})` : 'now < exp';
      const moment = t === deadline ? `exactly now, at ${clock(m, deadline)}` : `at ${clock(m, deadline)}, ${formatSpan(t - deadline)} ago`;
      const exp = leeway > 0 ? ` (its exp was ${clock(m, record.expiresAt)})` : '';
      if (t !== deadline && !firstTime(m, 'expired')) return `${label} expired ${moment}${exp} (accepted only while ${rule})`;
      const thief = from === 'attacker' && firstTime(m, 'expired-thief') ? ' A stolen access token is only good until then.' : '';
      return `${label} expired ${moment}${exp}; the resource server accepts a token only while ${rule}, so from that very second on it is refused.${thief}`;
    }
    case 'not_yet_valid':
      return `${label ?? 'the token'} is not valid yet: its issue time (iat or nbf) lies in the future by the resource server’s clock`;
    case 'bad_signature':
      if (kind === 'own-key')
        return 'its signature does not verify against the auth server’s public key. Only the auth server holds the signing key, so nobody else can make a token this resource server accepts';
      if (kind === 'alg-none')
        return 'it carries no signature at all (alg: none), and the resource server accepts only EdDSA signatures made with the auth server’s key, so it fails the signature check';
      if (label?.startsWith('RT#')) return `${label} is a refresh token: it is not a JWT, and a resource server never accepts one`;
      return `its signature does not verify against the auth server’s public key`;
    case 'wrong_audience': {
      const aud = record ? String(record.claims.aud ?? '') : '';
      return `its signature is genuine, but its audience (aud${aud ? ` = ${aud}` : ''}) is another API, not this one. The audience check is what stops a token meant for one API from being replayed at another`;
    }
    case 'wrong_issuer':
      return `its issuer (iss) is not the auth server this resource server trusts`;
    case 'wrong_type':
      return 'its type header (typ) is not at+jwt, the type RFC 9068 gives JWT access tokens, and this resource server insists on it (so an ID token cannot pass for an access token). Many real servers issue access tokens with other typ values, and their APIs do not check it';
    case 'inactive':
      return `its signature and claims check out, but the resource server asked the auth server (introspection), and the auth server answered “inactive” because ${inactiveWhy(m, record, t)}. With introspection, a revocation takes effect at once`;
    case 'dpop_required': {
      const thief =
        from === 'attacker' && firstTime(m, 'dpop-required')
          ? ' A stolen copy of a sender-constrained token is useless elsewhere without the private key, and the app’s key cannot be copied out of the app'
          : '';
      return `${label ?? 'the token'} is bound to ${keyName(m, boundKeyOf(record))} (its cnf.jkt claim), but the request came without a proof of that key — as a plain Bearer token.${thief}`;
    }
    case 'dpop_invalid':
      return `the DPoP proof that came with it is invalid: ${proofProblem(m, dpop?.check, dpop?.proof, t)}. So the sender did not prove it holds ${keyName(m, boundKeyOf(record))}, which ${label ?? 'the token'} is bound to`;
    default:
      return `${reasonText(reason)}`;
  }
}

function inactiveWhy(m: Memory, record: AccessTokenRecord | undefined, t: Seconds): string {
  const grant = record?.grantId ? m.grants.get(record.grantId) : undefined;
  if (grant?.revoked)
    return `its grant ${grant.id} was revoked by ${revocationCauseText(grant.revoked.cause)} at ${clock(m, grant.revoked.t)}`;
  if (m.suspendedAt !== null) return `the user was suspended at ${clock(m, m.suspendedAt)}`;
  if (record && t >= record.expiresAt) return 'it has expired';
  return 'it no longer knows it as valid';
}

/** Why a local acceptance may be wrong: what the RS cannot see because it did not ask. */
function blindSpot(m: Memory, record: AccessTokenRecord | undefined, t: Seconds): { text: string; specific: boolean } {
  const grant = record?.grantId ? m.grants.get(record.grantId) : undefined;
  const facts: string[] = [];
  if (m.suspendedAt !== null) facts.push(`the user was suspended ${formatRelative(m.suspendedAt, t)}`);
  if (grant?.revoked)
    facts.push(`its grant ${grant.id} was revoked by ${revocationCauseText(grant.revoked.cause)} ${formatRelative(grant.revoked.t, t)}`);
  else if (m.passwordChangedAt !== null && record && record.issuedAt < m.passwordChangedAt)
    facts.push(`the password was changed ${formatRelative(m.passwordChangedAt, t)}`);
  if (facts.length) return { text: `so it cannot know that ${list(facts)}`, specific: true };
  return { text: 'so it would not notice a logout, suspension or revocation until the token expires', specific: false };
}

// ---------------------------------------------------------------------------------------------
// Lines for requests

interface Exchange {
  request: Ev<'RequestSent'>;
  response: Ev<'ResponseSent'>;
  /** Events between the request and its response (tokens issued, families revoked, introspection). */
  inner: SimEvent[];
  /** Right after the response: the sender dropping a refused refresh token or forgetting its tokens. */
  after: SimEvent[];
}

function apiLine(m: Memory, x: Exchange): NarrationLine {
  const { request, response } = x;
  const from = request.from;
  const label = request.token;
  const record = label ? m.access.get(label) : undefined;
  const forged = label ? m.forged.get(label) : undefined;
  const who = subject(from, request.cause);
  const proof = request.proof;
  const start = forged
    ? `${who} ${forgeHow(forged, label!)}`
    : request.via === 'bff'
      ? `${who}, through its script in the app’s page, sent a request that the backend-for-frontend passed on to the API with its own token ${label ?? ''}`.trimEnd()
      : label
        ? `${who} called the API with ${label}${proofPhrase(proof)}`
        : `${who} called the API without a token`;
  const t = response.t;
  if (response.status === 200) {
    const expires = record ? `it expires at ${when(m, record.expiresAt, t)}` : 'it has not expired';
    let bearer =
      request.via === 'bff'
        ? ' The backend-for-frontend cannot tell the script’s request from the app’s: both come from the page with the session cookie. This lasts only while the script runs there.'
        : from === 'attacker' && !proof && firstTime(m, 'bearer')
          ? ' A bearer token works for whoever holds it: the resource server cannot tell the attacker from the app.'
          : '';
    if (proof?.source === 'app' && firstTime(m, 'dpop-proof')) {
      bearer = ` The request carried a fresh DPoP proof signed with the app’s key — a new jti, the method and URL (htm, htu), the time (iat) and the token’s hash (ath) — and that key is the one ${label} is bound to (cnf.jkt).`;
    } else if (proof?.source === 'hijackedPage') {
      bearer = firstTime(m, 'dpop-hijack')
        ? ' The proof is genuine: the attacker’s script runs inside the app’s open page, where it can have the app’s key sign for it without ever reading the key. DPoP cannot tell this request from the app’s own (RFC 9449 §11.4).'
        : ' The app’s key signed the proof inside the hijacked page.';
    } else if (proof?.source === 'attackerKey' && firstTime(m, 'dpop-own-key')) {
      bearer = ` ${label} is bound to the attacker’s own key — it got it with its own login — so its own proofs are all it needs.`;
    }
    const introspected = response.checks?.introspection === true;
    if (introspected) {
      const text = firstTime(m, 'accept-introspection')
        ? `${start}, and the resource server accepted it: its signature and claims check out (${expires}), and the resource server asked the auth server (introspection), which confirmed the token is still active. That costs one auth-server lookup per call, but a revocation would take effect at once.${bearer}`
        : `${start}, and the resource server accepted it after asking the auth server (introspection), which said it is still active; ${expires}.${bearer}`;
      return line(request, from, from === 'attacker' ? 'warn' : 'ok', text);
    }
    const blind = blindSpot(m, record, t);
    const full = firstTime(m, blind.specific ? 'accept-local-blind' : 'accept-local');
    const text = full
      ? `${start}, and the resource server accepted it: its signature checks out against the auth server’s public key, and ${expires}. The resource server did not ask the auth server, ${blind.text}.${bearer}`
      : blind.specific
        ? `${start}, and the resource server accepted it after checking it locally; ${expires}. It did not ask the auth server, ${blind.text}.${bearer}`
        : `${start}, and the resource server accepted it after checking it locally; ${expires}.${bearer}`;
    return line(request, from, from === 'attacker' || blind.specific ? 'warn' : 'ok', text);
  }
  const code = response.error ? `401 ${response.error}` : '401';
  const reason = response.reason ?? 'bad_signature';
  const why = rsRejection(m, reason, label, from, t, { check: response.dpop, proof });
  const text = `${start}, and the resource server rejected it (${code}): ${withPeriod(why)}`;
  return line(request, from, 'bad', text);
}

function loginLine(m: Memory, x: Exchange): NarrationLine {
  const { request, response } = x;
  const from = request.from;
  const t = response.t;
  let who: string;
  let tried: string;
  let silent = false;
  if (from === 'attacker') {
    who = `${subject('attacker', request.cause)} logged in with the stolen password`;
    tried = `${subject('attacker', request.cause)} tried to log in with the stolen password`;
  } else if (request.grantType === 'authorization_code' && m.signInSilent) {
    silent = true;
    who = `${request.cause.kind === 'auto' ? 'The app, on its own, signed the user in' : 'The app signed the user in'} silently (the auth server’s sign-in session was still live, so nobody typed the password) and redeemed the authorization code`;
    tried = 'The app signed the user in silently, but redeeming the code failed';
  } else if (request.cause.kind !== 'auto' && request.grantType === 'authorization_code') {
    who =
      'The user typed the password at the auth server’s sign-in page (the app never sees it), and the app redeemed the authorization code';
    tried = 'The user signed in at the auth server’s sign-in page, but redeeming the code failed';
  } else if (request.cause.kind !== 'auto') {
    who =
      'The user typed the password into the app, which sent it to the auth server (the legacy password grant: the app sees the password, which RFC 9700 §2.4 forbids)';
    tried = 'The user typed the password into the app, which sent it to the auth server (the legacy password grant), but the login failed';
  } else if (m.client.storedPassword && m.silentLoginFailedAt !== t) {
    silent = true;
    who = 'The app, on its own, logged in again with the password it stored (no prompt for the user)';
    tried = 'The app, on its own, tried to log in again with the password it stored';
  } else {
    who = 'The app, on its own, asked the user for the password (a password prompt) and logged in';
    tried = 'The app, on its own, asked the user for the password (a password prompt), but the login failed';
  }
  if (response.status === 200) {
    const grant = x.inner.find((e): e is Ev<'GrantStarted'> => e.type === 'GrantStarted');
    const access = x.inner.find((e): e is Ev<'AccessTokenIssued'> => e.type === 'AccessTokenIssued');
    const refresh = x.inner.find((e): e is Ev<'RefreshTokenIssued'> => e.type === 'RefreshTokenIssued');
    const issued = access ? `${access.token.label} (it expires at ${when(m, access.token.expiresAt, t)})` : 'an access token';
    let text = `${who}: the auth server started a new grant${grant ? ` ${grant.grantId}` : ''} (a token family) and issued ${issued}${refresh ? ` and refresh token ${refresh.token.label}` : ''}.`;
    if (from === 'attacker')
      text +=
        ' The auth server cannot tell the attacker from the user: here, the password is all it checks (real servers may add other factors).';
    else if (!refresh && !m.config.client.storesPassword)
      text += ' With no refresh token, the user will have to type the password again when it expires.';
    if (request.proof?.source === 'attackerKey') {
      text += ` Its DPoP proof was signed with the attacker’s own key, so the new tokens are bound to that key: DPoP binds tokens to a key, and does nothing against a stolen password.`;
    } else if (request.proof && firstTime(m, 'dpop-bind')) {
      const rt = refresh && m.config.client.type === 'public' ? `, and ${refresh.token.label} is bound to the same key` : '';
      text += ` The request carried a DPoP proof signed with the app’s key, a key the app cannot export. The auth server bound what it issued to that key: ${access?.token.label ?? 'the access token'} carries the key’s thumbprint in its cnf.jkt claim${rt}. A copy is useless without the key.`;
    }
    return line(request, from, from === 'attacker' ? 'warn' : 'ok', text);
  }
  const code = `${response.status}${response.error ? ` ${response.error}` : ''}`;
  let why: string;
  switch (response.reason) {
    case 'bad_password':
      why =
        from === 'attacker'
          ? `the stolen password no longer works${m.passwordChangedAt !== null ? ` since the user changed it at ${clock(m, m.passwordChangedAt)}` : ''}, so the attacker throws it away`
          : silent
            ? 'the stored password is out of date (the password was changed), so the app will have to ask the user'
            : 'the password is wrong';
      break;
    case 'user_suspended':
      why =
        'the user is suspended by an admin. (The password itself was right: the auth server checks the password before the account’s status.)';
      break;
    case 'client_auth_failed':
      why =
        from === 'attacker'
          ? 'the request did not carry the app’s client secret, which this confidential client must present; a stolen password alone is not enough'
          : 'the app did not authenticate itself with its client secret';
      break;
    case 'dpop_invalid':
      why = `this auth server requires a valid DPoP proof with every token request, and ${proofProblem(m, response.dpop, request.proof, t)}`;
      break;
    default:
      why = reasonText(response.reason ?? 'unknown_token');
  }
  return line(request, from, 'bad', `${tried}: the auth server refused it (${code}) because ${withPeriod(why)}`);
}

function refreshLine(m: Memory, x: Exchange): NarrationLine {
  const { request, response, inner, after } = x;
  const from = request.from;
  const presented = request.token ?? 'its refresh token';
  const who = subject(from, request.cause);
  const t = response.t;
  const rules = m.config.refreshToken;
  const memo = request.token ? m.refresh.get(request.token) : undefined;
  const grant = memo ? m.grants.get(memo.grantId) : undefined;

  if (response.status === 200) {
    const access = inner.find((e): e is Ev<'AccessTokenIssued'> => e.type === 'AccessTokenIssued');
    const refresh = inner.find((e): e is Ev<'RefreshTokenIssued'> => e.type === 'RefreshTokenIssued');
    const interval = inner.some((e) => e.type === 'ReuseIntervalUsed');
    const newAccess = access ? `${access.token.label} (it expires at ${when(m, access.token.expiresAt, t)})` : 'a new access token';
    const tone: NarrationTone = from === 'attacker' || interval ? 'warn' : 'ok';
    const viaPage =
      request.proof?.source === 'hijackedPage'
        ? ' It went through the app’s hijacked page, where the app’s key signed the DPoP proof; the new tokens are bound to that key too, so they work for the attacker only while its script stays in the page.'
        : '';
    if (interval && refresh) {
      const usedAt = memo?.consumedAt;
      const text = `${who} presented ${presented}, which had already been used${usedAt !== null && usedAt !== undefined ? ` at ${clock(m, usedAt)}` : ''}; but within the ${formatSpan(rules?.reuseInterval ?? 0)} reuse interval the auth server took it for a harmless retry and issued ${newAccess} and ${refresh.token.label} without revoking anything. The family now has two live branches — exactly the gap a thief can slip through unnoticed.${viaPage}`;
      return line(request, from, tone, text);
    }
    if (refresh) {
      if (!firstTime(m, 'rotation')) {
        return line(
          request,
          from,
          tone,
          `${who} exchanged ${presented} for ${newAccess} and a new refresh token, ${refresh.token.label}; ${presented} is now used up.${viaPage}`,
        );
      }
      const next = rules?.reuseDetection
        ? 'if anyone presents it again, the auth server will treat that as reuse and revoke the whole family'
        : 'presenting it again is simply refused (this auth server has no reuse detection)';
      const text = `${who} exchanged ${presented} at the auth server for ${newAccess} and a new refresh token, ${refresh.token.label}. With rotation, ${presented} is now used up: ${next}.${viaPage}`;
      return line(request, from, tone, text);
    }
    if (!firstTime(m, 'static')) {
      return line(
        request,
        from,
        tone,
        `${who} refreshed with ${presented} and got ${newAccess}; the same ${presented} came back again (no rotation).${viaPage}`,
      );
    }
    const { absolute } = familyDeadlines(rules, grant);
    const end =
      absolute !== null ? `until the family’s absolute lifetime ends at ${clock(m, absolute)} or it is revoked` : 'until it is revoked';
    const text = `${who} refreshed with ${presented} and got ${newAccess}. The auth server handed back the same ${presented} (no rotation), so it keeps working for anyone holding a copy ${end}; the auth server cannot tell the holders apart.${viaPage}`;
    return line(request, from, tone, text);
  }

  const code = `${response.status}${response.error ? ` ${response.error}` : ''}`;
  const dropped = after.some((e) => e.type === 'TokenDropped');
  const dropNote = dropped
    ? from === 'client'
      ? ` The app drops ${presented}; the user will have to log in again.`
      : ` The attacker drops ${presented}.`
    : '';

  if (response.reason === 'reused') {
    const revoked = inner.find((e): e is Ev<'GrantRevoked'> => e.type === 'GrantRevoked');
    const family = revoked ? `${revoked.grantId} (${shortList(revoked.labels, 10)})` : grant ? grant.id : 'of that token';
    const usedAt = memo?.consumedAt;
    const losers = reuseLosers(m, from, grant, revoked?.labels ?? [], t);
    const text = `${who} presented ${presented}, which had already been used${usedAt !== null && usedAt !== undefined ? ` at ${clock(m, usedAt)}` : ''}. That is reuse: a refresh token presented twice means two parties hold copies, and the auth server cannot tell which one is the thief, so it revoked the whole family ${family} and refused the request (${code}). ${losers}`;
    return line(request, from, 'warn', text);
  }

  let why: string;
  switch (response.reason) {
    case 'client_auth_failed':
      why = firstTime(m, 'client-auth')
        ? `the request did not carry the app’s client secret. The auth server stops right there, before it even looks up ${presented}: nothing changed, not even reuse detection, so a thief with only the refresh token gets nothing`
        : 'the request did not carry the app’s client secret, so nothing was even looked up';
      break;
    case 'unknown_token':
      why = rules
        ? `the auth server has no record of ${presented}`
        : `the auth server has no record of ${presented} (this setup issues no refresh tokens)`;
      break;
    case 'revoked': {
      const r = grant?.revoked;
      why = r
        ? `its family ${grant!.id} was revoked by ${revocationCauseText(r.cause)} at ${clock(m, r.t)}; every refresh token of a revoked family is dead`
        : `${presented} was revoked`;
      break;
    }
    case 'user_suspended':
      why =
        'an admin suspended the user, and the auth server refuses every login and refresh of a suspended user. (Suspension itself revokes nothing.)';
      break;
    case 'expired_absolute': {
      const ttl = rules?.absoluteTtl ?? null;
      why =
        grant && ttl !== null
          ? `the family’s absolute lifetime is over: it began with the login at ${clock(m, grant.startedAt)} and may last at most ${formatSpan(ttl)}, until ${clock(m, grant.startedAt + ttl)}; refreshing never extends it. Only a new login, with the password, helps`
          : 'the family’s absolute lifetime is over';
      break;
    }
    case 'expired_idle': {
      const ttl = rules?.idleTtl ?? null;
      why =
        grant && ttl !== null
          ? `the family sat idle too long: it was last used (by a login or refresh) at ${clock(m, grant.lastUse)}, and its idle lifetime of ${formatSpan(ttl)} ran out at ${clock(m, grant.lastUse + ttl)}. API calls do not count as use; only refreshes and logins reset this timer`
          : 'the family’s idle lifetime ran out';
      break;
    }
    case 'consumed': {
      const usedAt = memo?.consumedAt;
      why = `${presented} was already used${usedAt !== null && usedAt !== undefined ? ` at ${clock(m, usedAt)}` : ''}. This auth server rotates refresh tokens but has no reuse detection, so it just refuses the old token and revokes nothing: whoever refreshed first keeps the family`;
      break;
    }
    case 'dpop_key_mismatch': {
      const how =
        response.dpop === 'missing'
          ? 'this request carried no DPoP proof at all, so nothing shows the sender holds that key'
          : `this request’s proof was made with a different key${request.proof?.source === 'attackerKey' ? ' (the attacker’s own)' : ''}`;
      why = `${presented} is bound to the app’s DPoP key, and ${how}. The auth server checks possession before it acts on the token’s state, so nothing changed — no family is revoked, not even as reuse: without the app’s private key a stolen bound refresh token is simply useless`;
      break;
    }
    case 'dpop_invalid':
      why =
        response.dpop === 'missing'
          ? `this auth server requires a DPoP proof with every token request, and the request carried none`
          : `the DPoP proof that came with it is invalid: ${proofProblem(m, response.dpop, request.proof, t)}. The auth server refuses such a request before it even looks up ${presented}, so nothing changed`;
      break;
    default:
      why = reasonText(response.reason ?? 'unknown_token');
  }
  const text = `${who} presented ${presented}${proofPhrase(request.proof)}, but the auth server refused it (${code}): ${withPeriod(why)}${dropNote}`;
  return line(request, from, 'bad', text);
}

/** Who loses after reuse detection: the presenter now, the other holder at its next refresh. */
function reuseLosers(m: Memory, presenter: Party, grant: GrantMemo | undefined, labels: TokenLabel[], t: Seconds): string {
  const familyRefresh = new Set(grant?.refreshTokens ?? labels.filter((l) => l.startsWith('RT#')));
  const introspection = m.config.resourceServer.validation === 'introspection';
  if (presenter === 'attacker') {
    const clientRefresh = m.client.refreshToken && familyRefresh.has(m.client.refreshToken) ? m.client.refreshToken : null;
    const later = clientRefresh
      ? ` The app loses too, at its next refresh, when ${clientRefresh} is refused and the user must log in again.`
      : '';
    return `The attacker loses now.${later}${introspection ? ' Because the resource server introspects, every access token of the family stops working at once.' : ''}`;
  }
  const attackerAccess = stillValid(
    m,
    t,
    labels.filter((l) => m.attacker.accessTokens.includes(l)),
  );
  const attackerRefresh = m.attacker.refreshTokens.some((l) => familyRefresh.has(l));
  const keeps =
    attackerAccess.length && !introspection
      ? ` The attacker’s refresh token dies with the family, but it keeps using ${list(attackerAccess.map((r) => `${r.label} (until ${when(m, r.expiresAt, t)})`))}, because the resource server checks tokens locally and never hears of the revocation.`
      : attackerRefresh
        ? ' The attacker is cut off too, at its next refresh.'
        : '';
  return `The app is the one refused here, and the user must log in again.${keeps}`;
}

function revocationLine(m: Memory, x: Exchange): NarrationLine {
  const { request, inner } = x;
  const revoked = inner.filter((e): e is Ev<'GrantRevoked'> => e.type === 'GrantRevoked');
  const label = request.token ?? 'its token';
  const start =
    request.cause.kind === 'auto'
      ? `The app, on its own, logged out: it sent ${label} to the auth server’s revocation endpoint`
      : `The user logged out: the app sent ${label} to the auth server’s revocation endpoint`;
  if (!revoked.length) {
    return line(
      request,
      request.from,
      'info',
      `${start}. That grant was already revoked (or unknown), and the auth server answered 200 anyway, as RFC 7009 asks; the app forgot its tokens.`,
    );
  }
  const access = stillValid(
    m,
    request.t,
    revoked.flatMap((e) => e.labels),
  );
  const text =
    `${start}; the auth server revoked grant ${revoked.map((e) => `${e.grantId} (${shortList(e.labels)})`).join(', ')}, and the app forgot its tokens.` +
    outstandingNote(m, request.t, access, 'the logout', true);
  return line(request, request.from, 'info', text);
}

function introspectionLine(m: Memory, x: Exchange): NarrationLine {
  const active = x.response.active ?? x.response.reason === null;
  const text = `The resource server asked the auth server about ${x.request.token ?? 'a token'} (introspection); the auth server answered “${active ? 'active' : 'inactive'}”.`;
  return line(x.request, 'resourceServer', active ? 'ok' : 'bad', text);
}

function exchangeLine(m: Memory, x: Exchange): NarrationLine {
  switch (x.request.endpoint) {
    case 'api':
      return apiLine(m, x);
    case 'token':
      if (x.request.grantType === 'authorization_code') return codeExchangeLine(m, x);
      return x.request.grantType === 'refresh_token' ? refreshLine(m, x) : loginLine(m, x);
    case 'authorize':
      return authorizeLine(x);
    case 'revocation':
      return revocationLine(m, x);
    case 'introspection':
      return introspectionLine(m, x);
    default:
      return assertNever(x.request.endpoint);
  }
}

// ---------------------------------------------------------------------------------------------
// Lines for actions that change state without a request, and for actions that sent nothing

/** The AS's sign-in page (code + PKCE, SEMANTICS.md §10): the authorize request and its redirect. */
function authorizeLine(x: Exchange): NarrationLine {
  const { request, response } = x;
  const from = request.from;
  const page =
    from === 'attacker'
      ? 'The attacker’s script, in a hidden frame of the app’s page, asked the auth server’s sign-in page for a silent sign-in'
      : 'The browser went to the auth server’s sign-in page';
  if (response.status === 302) {
    const how = response.silent
      ? 'its sign-in session was still live, so nobody typed the password'
      : 'the user typed the password there (the app never sees it)';
    const to = response.to === 'attacker' && from !== 'attacker' ? ' — but the attacker received it instead of the app' : '';
    return line(
      request,
      from,
      response.to === 'attacker' ? 'warn' : 'ok',
      `${page}: ${how}, and it redirected back with the one-time authorization code ${response.code ?? ''}${to}.`.replace(' .', '.'),
    );
  }
  const code = `${response.status}${response.error ? ` ${response.error}` : ''}`;
  const why =
    response.reason === 'login_required'
      ? 'there is no live sign-in session, and a silent sign-in cannot ask for the password'
      : response.reason === 'user_suspended'
        ? 'the user is suspended by an admin'
        : reasonText(response.reason ?? 'bad_password');
  return line(request, from, 'bad', `${page}, and it refused (${code}) because ${why}.`);
}

/** The code exchange at the token endpoint (RFC 6749 §4.1.3, RFC 7636 §4.5). */
function codeExchangeLine(m: Memory, x: Exchange): NarrationLine {
  const { request, response } = x;
  const from = request.from;
  const who = from === 'attacker' ? 'The attacker' : 'The app';
  const code = request.code ?? 'the code';
  if (response.status === 200 && from === 'client') return loginLine(m, x);
  if (response.status === 200) {
    const grant = x.inner.find((e): e is Ev<'GrantStarted'> => e.type === 'GrantStarted');
    const access = x.inner.find((e): e is Ev<'AccessTokenIssued'> => e.type === 'AccessTokenIssued');
    const refresh = x.inner.find((e): e is Ev<'RefreshTokenIssued'> => e.type === 'RefreshTokenIssued');
    const issued = access ? `${access.token.label} (it expires at ${when(m, access.token.expiresAt, response.t)})` : 'an access token';
    const verifier = request.codeVerifier ? ' with its PKCE verifier' : '';
    return line(
      request,
      from,
      from === 'attacker' ? 'warn' : 'ok',
      `${who} redeemed ${code}${verifier}: the auth server started grant ${grant?.grantId ?? ''} (a token family) and issued ${issued}${refresh ? ` and refresh token ${refresh.token.label}` : ''}.`.replace(
        'grant  (',
        'a new grant (',
      ),
    );
  }
  const status = `${response.status}${response.error ? ` ${response.error}` : ''}`;
  const why =
    response.reason === 'pkce_failed'
      ? 'the PKCE verifier does not match the challenge the code was issued for (whoever intercepted the code does not have the app’s verifier)'
      : response.reason === 'code_used'
        ? 'the code was already redeemed once; the auth server also revoked the grant issued from it'
        : response.reason === 'unknown_token'
          ? 'the auth server does not know that code any more (it lives 60 seconds here)'
          : response.reason === 'client_auth_failed'
            ? 'the request did not carry the client secret, which this confidential client must present'
            : reasonText(response.reason ?? 'unknown_token');
  return line(request, from, 'bad', `${who} tried to redeem ${code}: the auth server refused it (${status}) because ${why}.`);
}

function nothingSentLine(m: Memory, start: Ev<'ActionStarted'>, finished: Ev<'ActionFinished'>): NarrationLine {
  const action = start.action;
  const who = action.do.startsWith('attacker.') ? 'the attacker' : 'the app';
  let why: string;
  switch (finished.reason) {
    case 'no_token':
      why =
        action.do === 'client.logout'
          ? 'the app holds no token to log out with'
          : action.do === 'client.refresh' || action.do === 'attacker.refresh'
            ? `${who} holds no refresh token to refresh with`
            : `${who} holds no token for that`;
      break;
    case 'no_password':
      why = 'the attacker has no stolen password to log in with';
      break;
    case 'nothing_to_steal':
      why =
        action.do === 'attacker.steal'
          ? action.from === 'api-logs'
            ? 'the API has not yet received a request from the app, so its logs hold no access token'
            : m.config.client.tokenStorage === 'bff'
              ? 'the tokens are at the backend-for-frontend (BFF); the page holds only a session cookie no script can read'
              : thingToSteal(action.what)
          : action.do === 'attacker.interceptCode'
            ? 'with the password grant there is no authorization code to intercept'
            : action.do === 'attacker.silentLogin'
              ? 'the code went to the BFF, which redeemed it with its secret and keeps the tokens'
              : 'there is nothing to steal';
      break;
    case 'no_code':
      why = 'the app never received its authorization code: the attacker intercepted it';
      break;
    case 'page_not_held':
      why =
        action.do === 'attacker.hijackPage'
          ? 'the app’s page is closed (the user walked away), so there is no page for the attacker’s script to run in'
          : 'the attacker’s script is not running in the app’s open page';
      break;
    default:
      why = reasonText(finished.reason ?? 'no_token');
  }
  return line(start, start.actor, 'info', `Nothing was sent: ${why}.`);
}

function stealLine(m: Memory, e: Ev<'TokensStolen'>): NarrationLine {
  const parts: string[] = [];
  const t = e.t;
  const rules = m.config.refreshToken;
  for (const label of e.labels) {
    if (label.startsWith('AT#')) {
      const record = m.access.get(label);
      if (record && t >= record.expiresAt + m.config.resourceServer.leeway) {
        parts.push(`the access token ${label}, but it already expired at ${clock(m, record.expiresAt)}, so it is worthless`);
      } else if (boundKeyOf(record) !== null) {
        // DPoP: the copy is bound to the app's key, which stays in the app.
        const until = record ? `, until it expires at ${when(m, record.expiresAt, t)}` : '';
        parts.push(
          m.attackerInPage
            ? `the access token ${label}: it is bound to the app’s DPoP key, but the attacker’s script runs inside the app’s open page, where it can have that key sign proofs — so it can use the token there${until}, or until the page closes`
            : `the access token ${label}, but it is bound to the app’s DPoP key (cnf.jkt), and the key cannot be copied out of the app: without a proof signed by it, the API refuses the token`,
        );
      } else {
        const until = record ? ` until it expires at ${when(m, record.expiresAt, t)}` : '';
        const stop =
          m.config.resourceServer.validation === 'introspection'
            ? ' — unless the grant is revoked first, since this resource server asks the auth server every time'
            : ' — and under local validation nothing can stop it before then';
        parts.push(`the access token ${label}: the attacker can call the API as the user${until}${stop}`);
      }
    } else {
      let fate: string;
      // DPoP binds a public client's refresh tokens; a confidential client's stay bound by its secret.
      if (m.config.senderConstraint === 'dpop' && m.config.client.type === 'public') {
        fate = m.attackerInPage
          ? 'and although it is bound to the app’s DPoP key, the attacker’s script runs inside the app’s open page, where that key signs for it'
          : 'but it is bound to the app’s DPoP key, which the attacker cannot copy: without it the auth server refuses it, and revokes nothing';
      } else if (m.config.client.type === 'confidential' && !m.attacker.clientSecret)
        fate = 'but only together with the app’s client secret, which the attacker does not have';
      else if (!rules || !rules.rotation) {
        const end =
          rules?.absoluteTtl !== null && rules?.absoluteTtl !== undefined
            ? 'until the family’s lifetime ends'
            : 'for as long as nobody revokes it';
        fate = `again and again, ${end} or it is revoked — the auth server cannot tell the two holders apart`;
      } else if (rules.reuseDetection) {
        fate =
          'but the app holds the same token, and with rotation whichever of the two refreshes second presents a used token, which the auth server detects as reuse';
      } else {
        fate =
          'and with rotation but no reuse detection, whichever of the two refreshes first keeps the family, while the other is simply refused';
      }
      parts.push(`the refresh token ${label}: it lets the attacker ask the auth server for fresh access tokens, ${fate}`);
    }
  }
  if (e.what === 'password') {
    parts.push(
      'the password the app stored: the attacker can log in as the user until the password changes — and people often reuse passwords on other sites',
    );
  }
  if (e.what === 'clientSecret')
    parts.push('the app’s client secret: with it, a stolen refresh token or password works just as it does for the app');
  const text = parts.length
    ? `The attacker copied ${parts.join('. It also copied ')}.`
    : 'The attacker copied what the app holds, but it holds nothing useful.';
  return line(e, 'attacker', 'warn', text);
}

function wipeLine(m: Memory, e: Ev<'TokensWiped'>): NarrationLine {
  if (!e.labels.length)
    return line(e, 'attacker', 'info', 'The attacker’s script tried to delete the app’s tokens, but the app held none.');
  const stolenRefresh = m.attacker.refreshTokens.find(
    (l) => e.labels.includes(l) || m.refresh.get(l)?.grantId === m.refresh.get(m.client.refreshToken ?? '')?.grantId,
  );
  const rotation = m.config.refreshToken?.rotation;
  const note = stolenRefresh
    ? rotation
      ? ` The attacker now holds the only copy of ${stolenRefresh}: nobody will ever present a used token, so rotation’s reuse detection never fires — only a lifetime, a revocation or a bound key can end this.`
      : ` The attacker keeps its copy of ${stolenRefresh}.`
    : '';
  return line(
    e,
    'attacker',
    'warn',
    `The attacker’s script deleted the app’s tokens (${e.labels.join(', ')}) — persistent XSS. The app is signed out and the user will have to log in again.${note}`,
  );
}

function passwordChangeLine(m: Memory, e: SimEvent, revoked: Ev<'GrantRevoked'>[], kept: readonly string[] = []): NarrationLine {
  const grants = revoked.map((r) => `${r.grantId}${m.grants.get(r.grantId)?.by === 'attacker' ? ' (the attacker’s)' : ''}`);
  const copies = [
    m.client.storedPassword ? 'the copy the app stored' : null,
    m.attacker.password ? 'the copy the attacker stole' : null,
  ].filter((s): s is string => s !== null);
  const keptGrants = kept.map((id) => `${id}${m.grants.get(id)?.by === 'attacker' ? ' (the attacker’s)' : ''}`);
  const revokedText = revoked.length
    ? `This auth server is configured to revoke every grant of the user on a password change, so it revoked ${list(grants)}: all their refresh tokens are dead`
    : kept.length
      ? `This auth server is configured to keep the user’s grants on a password change (Auth0’s default; others revoke them), so ${list(keptGrants)} ${kept.length === 1 ? 'stays' : 'stay'} usable: their refresh tokens still work`
      : 'The user had no live grant to revoke';
  const text =
    `The user changed the password. ${revokedText}, and the old password stops working${copies.length ? ` — including ${list(copies)}` : ''}.` +
    outstandingNote(m, e.t, stillValid(m, e.t), 'the password change');
  return line(e, 'user', 'info', text);
}

function revokeAllLine(m: Memory, e: SimEvent, revoked: Ev<'GrantRevoked'>[]): NarrationLine {
  if (!revoked.length) return line(e, 'admin', 'info', 'An admin revoked all of the user’s grants, but none was live: nothing changed.');
  const access = stillValid(m, e.t);
  const text =
    `An admin revoked all of the user’s grants — ${revoked.map((r) => `${r.grantId} (${shortList(r.labels)})`).join('; ')} — without touching the password. Every refresh token of them is dead.` +
    outstandingNote(m, e.t, access, 'the revocation');
  return line(e, 'admin', 'info', text);
}

function suspendLine(m: Memory, e: SimEvent): NarrationLine {
  // Under local validation even tokens of revoked grants still work until exp.
  const access = stillValid(m, e.t);
  const text =
    'An admin suspended the user. From now on the auth server refuses the user’s logins and refreshes, and would answer “inactive” to introspection — but suspension revokes nothing.' +
    outstandingNote(m, e.t, access, 'the suspension');
  return line(e, 'admin', 'info', text);
}

function reinstateLine(m: Memory, e: SimEvent): NarrationLine {
  const live = [...m.grants.values()].filter((g) => !g.revoked).map((g) => g.id);
  const text = `An admin reinstated the user. Suspension revoked nothing, so ${live.length ? `the unrevoked grants (${list(live)}) work again` : 'the user can simply log in again'}.`;
  return line(e, 'admin', 'info', text);
}

function arriveLine(m: Memory, e: SimEvent): NarrationLine {
  const every = m.callApiEvery;
  return line(
    e,
    'user',
    'info',
    `The user opened the app${every ? `; while they use it, the app calls the API every ${formatSpan(every)}` : ''}.`,
  );
}

function leaveLine(m: Memory, e: Ev<'UserLeft'>): NarrationLine {
  const rules = m.config.refreshToken;
  const refresh = m.client.refreshToken;
  const grantId = refresh ? m.refresh.get(refresh)?.grantId : undefined;
  const grant = grantId ? m.grants.get(grantId) : undefined;
  let note = '';
  if (rules?.idleTtl !== null && rules?.idleTtl !== undefined && grant) {
    note = ` The refresh token’s idle lifetime is ${formatSpan(rules.idleTtl)}: if the user is back before ${clock(m, grant.lastUse + rules.idleTtl)}, no password will be needed.`;
  }
  // Only DPoP gives the script in the page a key to lose; otherwise the PageReleased line says it.
  const hijack =
    e.hijackEnded && m.config.senderConstraint === 'dpop'
      ? ' Closing the app closed its page, and with it the attacker’s script running inside: the attacker can no longer have the app’s DPoP key sign proofs, so the bound copies it took fail again when it uses them from elsewhere.'
      : '';
  return line(e, 'user', 'info', `The user walked away; the app stops calling the API.${note}${hijack}`);
}

function hijackLine(m: Memory, e: Ev<'ActionStarted'>): NarrationLine {
  if (m.attackerInPage) return line(e, 'attacker', 'info', 'The attacker’s script is already running inside the app’s page.');
  const text =
    m.config.senderConstraint === 'dpop'
      ? 'The attacker’s script now runs inside the app’s open page (persistent XSS). It still cannot read the app’s private DPoP key — the key is non-extractable — but it does not need to: from inside the page it can have the browser sign proofs with it, just as the app does. While it runs there, the app’s DPoP-bound tokens work for the attacker too, and with a live sign-in session at the auth server it could even sign in on its own, with its own key (RFC 9449 §11.4). Key binding stops copies used elsewhere, not a script in the page.'
      : m.config.client.tokenStorage === 'bff'
        ? 'The attacker’s script now runs inside the app’s open page (persistent XSS). The tokens live at the backend-for-frontend, so there is nothing in the page to copy, but while the script runs there it can send requests through the page, as the app does (BBA §5.1).'
        : 'The attacker’s script now runs inside the app’s open page (persistent XSS). It can read whatever the app keeps in the page, copy every new token the moment the app receives it (so rotation never sees a second use), and act as the app while it runs; with a live sign-in session at the auth server it could even sign in on its own. Only keeping tokens out of the page, behind a backend-for-frontend, limits it to the time it runs there (BBA §5.1, §6.1).';
  return line(e, 'attacker', 'warn', text);
}

function releaseLine(m: Memory, e: Ev<'ActionStarted'>): NarrationLine {
  if (!m.attackerInPage) return line(e, 'attacker', 'info', 'The attacker’s script was not running in the app’s page, so nothing changed.');
  const text =
    m.config.senderConstraint === 'dpop'
      ? 'The attacker’s script left the app’s page. It keeps the tokens it copied, but it can no longer have the app’s key sign proofs, so the DPoP-bound copies fail again when it uses them from elsewhere.'
      : 'The attacker’s script left the app’s page; it keeps the tokens it copied.';
  return line(e, 'attacker', 'info', text);
}

function passwordStoredLine(e: SimEvent): NarrationLine {
  return line(
    e,
    'client',
    'info',
    'The app saved the user’s password so it can log in again without asking. Convenient, but whoever steals it can log in as the user until the password changes — and passwords are often reused elsewhere.',
  );
}

function grantRevokedLine(m: Memory, e: Ev<'GrantRevoked'>): NarrationLine {
  const access = stillValid(m, e.t, e.labels);
  const text = `The auth server revoked grant ${e.grantId} (${shortList(e.labels)}) because of ${revocationCauseText(e.revocationCause)}.${outstandingNote(m, e.t, access, 'the revocation')}`;
  return line(e, 'authServer', 'info', text);
}

// ---------------------------------------------------------------------------------------------
// The narrator

/** Events a request/response pair folds in after the response. */
function isAfterEvent(e: SimEvent, x: Ev<'RequestSent'>): boolean {
  return (
    (e.type === 'TokenDropped' && e.by === x.from) ||
    (e.type === 'ClientForgotTokens' && x.endpoint === 'revocation') ||
    (e.type === 'StateChanged' && e.t === x.t)
  );
}

type Step = { kind: 'line'; line: NarrationLine | null; consumed: number[] } | { kind: 'pending' };

/** Narrates the event at `i` (reading ahead as needed); `pending` when its story is not complete yet. */
function narrateAt(m: Memory, events: readonly SimEvent[], i: number): Step {
  const e = events[i]!;
  switch (e.type) {
    case 'RequestSent': {
      let r = i + 1;
      while (r < events.length && !(events[r]!.type === 'ResponseSent' && (events[r] as Ev<'ResponseSent'>).requestId === e.id)) r++;
      if (r >= events.length) return { kind: 'pending' };
      const inner = events.slice(i + 1, r);
      const after: SimEvent[] = [];
      for (let k = r + 1; k < events.length && isAfterEvent(events[k]!, e); k++) after.push(events[k]!);
      const consumed = [...inner, events[r]!, ...after].map((x) => x.seq);
      const response = events[r] as Ev<'ResponseSent'>;
      // A sign-in page visit that redirected the code back to its requester is told with the exchange.
      if (e.endpoint === 'authorize' && response.status === 302 && response.to === e.from) return { kind: 'line', line: null, consumed };
      return { kind: 'line', line: exchangeLine(m, { request: e, response, inner, after }), consumed };
    }
    case 'ActionStarted': {
      let f = i + 1;
      while (f < events.length && events[f]!.type !== 'ActionFinished') f++;
      if (f >= events.length) return { kind: 'pending' };
      const finished = events[f] as Ev<'ActionFinished'>;
      const span = events.slice(i + 1, f);
      const all = [...span, finished].map((x) => x.seq);
      if (!finished.ok && finished.status === null && finished.reason) {
        // Requests went out after all (an intercepted code: the sign-in page, the attacker's
        // redemption): they tell the story themselves, and the app's sign-in line says who got the code.
        if (span.some((x) => x.type === 'RequestSent')) return { kind: 'line', line: null, consumed: [finished.seq] };
        return { kind: 'line', line: nothingSentLine(m, e, finished), consumed: all };
      }
      const revoked = span.filter((x): x is Ev<'GrantRevoked'> => x.type === 'GrantRevoked');
      switch (e.action.do) {
        case 'user.changePassword': {
          const kept = span.flatMap((x) => (x.type === 'GrantsKept' ? x.grantIds : []));
          return { kind: 'line', line: passwordChangeLine(m, e, revoked, kept), consumed: all };
        }
        case 'admin.revokeAll':
          return { kind: 'line', line: revokeAllLine(m, e, revoked), consumed: all };
        case 'user.arrive':
          if (!span.some((x) => x.type === 'UserArrived'))
            return { kind: 'line', line: line(e, 'user', 'info', 'The user is already using the app.'), consumed: all };
          return { kind: 'line', line: null, consumed: [finished.seq] };
        case 'user.leave':
          if (!span.some((x) => x.type === 'UserLeft'))
            return {
              kind: 'line',
              line: line(e, 'user', 'info', 'The user is not using the app, so there is nothing to walk away from.'),
              consumed: all,
            };
          return { kind: 'line', line: null, consumed: [finished.seq] };
        case 'attacker.hijackPage':
          return { kind: 'line', line: hijackLine(m, e), consumed: all };
        case 'attacker.releasePage':
          return { kind: 'line', line: releaseLine(m, e), consumed: all };
        default:
          // Inner events (requests, thefts, suspensions) tell the story themselves.
          return { kind: 'line', line: null, consumed: [finished.seq] };
      }
    }
    case 'ActionFinished':
    case 'StateChanged':
      return { kind: 'line', line: null, consumed: [] };
    case 'AccessTokenForged': {
      // Told with the API request that carries it, unless none follows.
      const next = events[i + 1];
      if (!next) return { kind: 'pending' };
      const carried = next.type === 'RequestSent' && next.token === e.token.label;
      if (carried) return { kind: 'line', line: null, consumed: [] };
      return {
        kind: 'line',
        line: line(
          e,
          'attacker',
          'info',
          `The attacker made ${e.token.label} (${actionLabel({ do: 'attacker.forge', kind: e.forgeKind }).toLowerCase()}).`,
        ),
        consumed: [],
      };
    }
    case 'TokensStolen':
      return { kind: 'line', line: stealLine(m, e), consumed: [] };
    case 'TokensWiped':
      return { kind: 'line', line: wipeLine(m, e), consumed: [] };
    case 'PasswordStored':
      return { kind: 'line', line: passwordStoredLine(e), consumed: [] };
    case 'PasswordChanged': {
      const revoked: Ev<'GrantRevoked'>[] = [];
      const consumed: number[] = [];
      for (let k = i + 1; k < events.length && events[k]!.t === e.t && events[k]!.type !== 'ActionFinished'; k++) {
        const x = events[k]!;
        if (x.type === 'GrantRevoked' && x.revocationCause === 'password_change') {
          revoked.push(x);
          consumed.push(x.seq);
        }
      }
      return { kind: 'line', line: passwordChangeLine(m, e, revoked), consumed };
    }
    case 'UserSuspended':
      return { kind: 'line', line: suspendLine(m, e), consumed: [] };
    case 'UserReinstated':
      return { kind: 'line', line: reinstateLine(m, e), consumed: [] };
    case 'UserArrived':
      return { kind: 'line', line: arriveLine(m, e), consumed: [] };
    case 'UserLeft':
      return { kind: 'line', line: leaveLine(m, e), consumed: [] };
    case 'GrantRevoked':
      return { kind: 'line', line: grantRevokedLine(m, e), consumed: [] };
    case 'GrantStarted':
      return {
        kind: 'line',
        line: line(e, 'authServer', 'info', `The auth server started grant ${e.grantId}, a new token family.`),
        consumed: [],
      };
    case 'AccessTokenIssued':
      return {
        kind: 'line',
        line: line(e, 'authServer', 'info', `The auth server issued ${e.token.label} to ${PARTY_NOUN[e.to]}.`),
        consumed: [],
      };
    case 'RefreshTokenIssued':
      return {
        kind: 'line',
        line: line(e, 'authServer', 'info', `The auth server issued refresh token ${e.token.label} to ${PARTY_NOUN[e.to]}.`),
        consumed: [],
      };
    case 'RefreshTokenConsumed':
      return { kind: 'line', line: line(e, 'authServer', 'info', `${e.label} is now used up (rotation).`), consumed: [] };
    case 'ReuseIntervalUsed':
      return {
        kind: 'line',
        line: line(e, 'authServer', 'warn', `${e.label} was reused within the reuse interval and treated as a harmless retry.`),
        consumed: [],
      };
    case 'TokenDropped':
      return {
        kind: 'line',
        line: line(
          e,
          e.by,
          'info',
          `${sentenceCase(PARTY_NOUN[e.by])} dropped ${e.label === 'password' ? 'the stolen password' : e.label} (${reasonText(e.reason)}).`,
        ),
        consumed: [],
      };
    case 'ClientForgotTokens':
      return {
        kind: 'line',
        line: line(e, 'client', 'info', `The app forgot its tokens${e.labels.length ? ` (${e.labels.join(', ')})` : ''}.`),
        consumed: [],
      };
    case 'GrantsKept':
      return {
        kind: 'line',
        line: line(
          e,
          'authServer',
          'warn',
          `This auth server is configured to keep grants on a password change: ${e.grantIds.join(', ')} stay usable.`,
        ),
        consumed: [],
      };
    case 'TokensCopied':
      return {
        kind: 'line',
        line: line(e, 'attacker', 'bad', `The attacker’s script in the page copied ${e.labels.join(', ')} the moment the app held it.`),
        consumed: [],
      };
    case 'PageHijacked':
      return { kind: 'line', line: line(e, 'attacker', 'bad', 'The attacker’s script now runs inside the app’s open page.'), consumed: [] };
    case 'PageReleased':
      return {
        kind: 'line',
        line: line(
          e,
          'attacker',
          'info',
          e.by === 'pageClosed' ? 'The page closed, and the attacker’s script with it.' : 'The attacker’s script left the page.',
        ),
        consumed: [],
      };
    case 'CodeInterceptionArmed':
      return {
        kind: 'line',
        line: line(
          e,
          'attacker',
          'warn',
          'A malicious app claimed the app’s redirect address: the next authorization code goes to the attacker.',
        ),
        consumed: [],
      };
    case 'CodeIntercepted':
      return { kind: 'line', line: line(e, 'attacker', 'bad', `The attacker intercepted the authorization code ${e.code}.`), consumed: [] };
    case 'SignInSessionStarted':
      return {
        kind: 'line',
        line: line(
          e,
          'authServer',
          'info',
          'The auth server started a sign-in session (a cookie in the user’s browser, separate from any grant).',
        ),
        consumed: [],
      };
    case 'SignInSessionEnded':
      return { kind: 'line', line: line(e, 'authServer', 'info', 'The auth server ended the user’s sign-in session.'), consumed: [] };
    case 'PasswordForgotten':
      return { kind: 'line', line: line(e, 'client', 'info', 'The app forgot the password it stored.'), consumed: [] };
    case 'AuthorizationCodeIssued':
    case 'SignInSessionRenewed':
    case 'SilentSignIn':
      return { kind: 'line', line: null, consumed: [] };
    case 'ResponseSent':
      return {
        kind: 'line',
        line: line(
          e,
          e.from,
          e.status === 200 ? 'ok' : 'bad',
          `${sentenceCase(PARTY_NOUN[e.from])} answered ${e.status}${e.reason ? ` (${reasonText(e.reason)})` : ''}.`,
        ),
        consumed: [],
      };
    default:
      return assertNever(e);
  }
}

/**
 * An incremental narrator: call it with each new view; it narrates only events it has not seen,
 * and starts over when the trace was rewound or replaced. Lines already returned keep their
 * identity, so a list keyed by `seq` never re-renders old entries.
 */
export function createNarrator(): (view: NarrationSource) => NarrationLine[] {
  let memory: Memory | null = null;
  let requests = new Map<number, Ev<'RequestSent'>>();
  let consumed = new Set<number>();
  let lines: NarrationLine[] = [];
  let done = 0;
  let lastEvent: SimEvent | undefined;
  let scenario: Scenario | null = null;
  let result: NarrationLine[] = [];

  return (view) => {
    const events = view.events;
    const sameRun =
      memory !== null && scenario === view.scenario && events.length >= done && (done === 0 || events[done - 1] === lastEvent);
    if (!sameRun) {
      memory = remember(view);
      requests = new Map();
      consumed = new Set();
      lines = [];
      done = 0;
      scenario = view.scenario;
      result = [];
    }
    const m = memory!;
    const before = lines.length;
    for (; done < events.length; done++) {
      const e = events[done]!;
      if (!consumed.has(e.seq)) {
        const step = narrateAt(m, events, done);
        if (step.kind === 'pending') break;
        if (step.line) lines.push(step.line);
        for (const seq of step.consumed) consumed.add(seq);
      } else {
        consumed.delete(e.seq);
      }
      learn(m, e, requests);
    }
    lastEvent = done > 0 ? events[done - 1] : undefined;
    if (lines.length !== before || result.length !== lines.length) result = lines.slice();
    return result;
  };
}

/** The whole trace of a view as narration lines, oldest first. */
export function narrate(view: NarrationSource): NarrationLine[] {
  return createNarrator()(view);
}

function assertNever(value: never): never {
  throw new Error(`narration: unexpected ${JSON.stringify(value)}`);
}
