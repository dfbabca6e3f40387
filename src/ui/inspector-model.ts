// The token inspector's model: everything the inspector shows about one token, computed from a
// view, as plain data (the component only lays it out). Access tokens are shown the way jwt.io
// shows a JWT — the three parts, the decoded header and claims with human times — plus whether
// the resource server would accept it now; refresh tokens as the auth server's record of them.
// A DPoP-bound access token (cnf.jkt) is shown next to the proofs that bind it: the proof on the
// token request that issued it, and the last proof sent with it to the API, both decoded.
import { decodeJwt } from '../sim/crypto';
import { refreshDecision } from '../sim/rules/authorization-server';
import { ACCESS_TOKEN_TYPE, AUDIENCE, DPOP_IAT_WINDOW, DPOP_PROOF_TYPE, ISSUER } from '../sim/protocol';
import type { AuthorizationCodePhase } from '../sim/machines';
import type { Grant } from '../sim/state';
import type {
  AccessTokenRecord,
  AuthorizationCodeRecord,
  DpopCheck,
  DpopProof,
  ForgeKind,
  Party,
  ProofSource,
  Reason,
  RefreshTokenRecord,
  RevocationCause,
  Seconds,
  SimEvent,
  TokenLabel,
} from '../sim/types';
import { formatClock, formatInstant, formatRelative, formatSpan } from './format';
import { reasonText, revocationCauseText } from './vocabulary';
import { codePhase } from './signin-model';
import { familyDeadlines } from '../sim/rules/family';
import { accessLive, refreshDisplayStatus, type RefreshDisplayStatus } from './token-status';
import type { TokenVerdict, WorldView } from './view';

/** The three dot-separated parts of a compact JWS, still base64url-encoded. */
export interface JwtParts {
  header: string;
  payload: string;
  signature: string;
}

/** One decoded header field or claim: its name, its JSON value, and what it means. */
export interface FieldRow {
  name: string;
  /** The value as JSON text (strings quoted), as in the token. */
  value: string;
  /** Plain-language meaning; for NumericDates the human time ("09:15:00, in 2 min 10 s"). */
  note: string | null;
  /** False when this field is why the resource server refuses the token. */
  ok: boolean;
}

export type CheckName = 'signature' | 'type' | 'issuer' | 'audience' | 'expiry' | 'introspection' | 'dpop';

export interface CheckRow {
  name: CheckName;
  label: string;
  /** true passed, false failed, null not made. */
  result: boolean | null;
  text: string;
}

export type VerdictModel = { state: 'checking' } | { state: 'done'; ok: boolean; summary: string; checks: CheckRow[] };

export interface AccessInspection {
  kind: 'access';
  label: TokenLabel;
  /** How the attacker made it, for FT#n; null for tokens the AS issued. */
  forged: ForgeKind | null;
  /** The compact JWS, for copying. */
  raw: string;
  parts: JwtParts;
  header: FieldRow[];
  claims: FieldRow[];
  verdict: VerdictModel;
  /** Who holds it now: "the app and the attacker (a stolen copy)". */
  holders: string;
  /** Its grant (token family), or null for forged tokens. */
  grant: { id: string; revoked: boolean; text: string } | null;
  /** Plain-language explanations (why a forged token fails, what local validation cannot see). */
  notes: string[];
  /** DPoP: the key it is bound to and the proofs that carried it; null for an unbound token. */
  dpop: DpopBinding | null;
}

/** One DPoP proof from the trace, decoded the way the token itself is. */
export interface ProofView {
  /** The request that carried it (its trace id), when, where and from whom. */
  requestId: number;
  t: Seconds;
  when: string;
  from: Party;
  endpoint: 'token' | 'api';
  source: ProofSource;
  /** "signed by the app’s key, on the app’s own request", "resent unchanged (a replay)", … */
  sourceText: string;
  raw: string;
  parts: JwtParts;
  header: FieldRow[];
  claims: FieldRow[];
  /** What the server answered to that request. */
  outcome: { ok: boolean; text: string };
}

export interface DpopBinding {
  /** The thumbprint in cnf.jkt. */
  jkt: string;
  /** Whose key that is, as the trace shows. */
  keyOwner: 'app' | 'attacker' | 'unknown';
  /** What the binding means and who can use the token now. */
  text: string;
  /** The proof on the token request that got this token issued (it fixed the key). */
  issuedWith: ProofView | null;
  /** The last proof sent with this token to the API, or null if it was never presented with one. */
  lastPresented: ProofView | null;
}

export type { RefreshDisplayStatus };

export interface RefreshInspection {
  kind: 'refresh';
  label: TokenLabel;
  /** The opaque value, for copying. */
  raw: string;
  opaqueNote: string;
  status: RefreshDisplayStatus;
  statusText: string;
  /** Issued, consumed, revoked, family, parent, newest, lifetimes — as label/value rows. */
  fields: { name: string; value: string }[];
  grantId: string;
  family: TokenLabel[];
  parent: TokenLabel | null;
  isNewest: boolean;
  holders: string;
  /** What the auth server would answer to a refresh with this token right now. */
  asAnswer: { ok: boolean; text: string };
}

export interface MissingInspection {
  kind: 'missing';
  label: TokenLabel;
  message: string;
}

/** An authorization code (AC#n) and its PKCE pair, shown the way tokens are (SEMANTICS.md §10). */
export interface CodeInspection {
  kind: 'code';
  label: TokenLabel;
  /** The opaque value, for copying. */
  raw: string;
  /** What an authorization code is, in plain words. */
  about: string;
  phase: AuthorizationCodePhase;
  statusText: string;
  fields: { name: string; value: string }[];
  holders: string;
  /** The PKCE pair of the authorization that got it issued; null when the request carried none. */
  pkce: { challenge: string; verifier: string | null; method: string; verifierHolder: string; text: string } | null;
  /** Said instead of the PKCE pair when there was none. */
  noPkce: string | null;
  /** What the token endpoint would answer to a redemption now (by the holder of the code). */
  asAnswer: { ok: boolean; text: string };
}

export type Inspection = AccessInspection | RefreshInspection | CodeInspection | MissingInspection;

/** Everything the inspector shows for `label` at the view's instant. */
export function inspectToken(view: WorldView, label: TokenLabel, verdict: TokenVerdict | null): Inspection {
  const code = view.state.authServer.codes[label];
  if (code) return inspectCode(view, code);
  if (label.startsWith('RT#')) {
    const record = view.state.authServer.refreshTokens[label];
    if (record) return inspectRefresh(view, record);
  } else {
    const record = findAccessRecord(view, label);
    if (record) return inspectAccess(view, record, verdict && verdict.label === label ? verdict : null);
  }
  return { kind: 'missing', label, message: `There is no token ${label} at this moment of the run.` };
}

/** Splits a compact JWS into its three parts (an unsigned token has an empty signature). */
export function jwtParts(jwt: string): JwtParts {
  const [header = '', payload = '', signature = ''] = jwt.split('.');
  return { header, payload, signature };
}

// ---------------------------------------------------------------------------------------------
// Access tokens

function findAccessRecord(view: WorldView, label: TokenLabel): AccessTokenRecord | undefined {
  // Forged tokens may be absent from accessTokens: the trace (read once in the projection) carries every record.
  const life = view.reading?.projection.token(label);
  if (life) return life.kind === 'access' ? (life.record as AccessTokenRecord) : undefined;
  const found = view.accessTokens.findLast((r) => r.label === label);
  if (found) return found;
  for (const e of view.events) {
    if ((e.type === 'AccessTokenIssued' || e.type === 'AccessTokenForged') && e.token.label === label) return e.token;
  }
  return undefined;
}

function forgeKindOf(view: WorldView, record: AccessTokenRecord): ForgeKind | null {
  if (!record.label.startsWith('FT#')) return null;
  const life = view.reading?.projection.token(record.label);
  if (life?.forged) return life.forged;
  if (!life) for (const e of view.events) if (e.type === 'AccessTokenForged' && e.token.label === record.label) return e.forgeKind;
  if (record.header.alg === 'none') return 'alg-none';
  return record.genuine && !record.audienceOk ? 'wrong-audience' : 'own-key';
}

/** "09:15:00, in 2 min 10 s" for a NumericDate, seen from the view's instant. */
export function humanTime(view: WorldView, unixSeconds: number): string {
  const now = view.epochSeconds + view.t;
  // Months away, the year matters too (a forger's token "valid for a year").
  const when = Math.abs(unixSeconds - now) >= 180 * 86_400 ? formatInstant(unixSeconds) : formatClock(unixSeconds, now);
  return `${when}, ${formatRelative(unixSeconds - view.epochSeconds, view.t)}`;
}

function causeText(cause: RevocationCause | null): string {
  return cause === null ? 'the auth server' : revocationCauseText(cause);
}

function json(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function headerRows(header: Record<string, unknown>, forged: ForgeKind | null): FieldRow[] {
  return Object.entries(header).map(([name, value]) => {
    let note: string | null = null;
    let ok = true;
    if (name === 'alg') {
      ok = value === 'EdDSA';
      note = value === 'none' ? 'no signature at all' : value === 'EdDSA' ? 'signature algorithm: Ed25519' : 'signature algorithm';
    } else if (name === 'typ') {
      ok = value === ACCESS_TOKEN_TYPE;
      note = ok ? 'an OAuth access token (RFC 9068)' : `not an access token type (${ACCESS_TOKEN_TYPE} expected)`;
    } else if (name === 'kid') {
      note =
        forged === 'own-key'
          ? 'names the auth server’s key, but the attacker signed with its own'
          : 'which of the auth server’s keys signed it';
    }
    return { name, value: json(value), note, ok };
  });
}

function claimRows(view: WorldView, claims: Record<string, unknown>): FieldRow[] {
  const now = view.epochSeconds + view.t;
  const leeway = view.config.resourceServer.leeway;
  return Object.entries(claims).map(([name, value]) => {
    let note: string | null = null;
    let ok = true;
    const time = typeof value === 'number' ? humanTime(view, value) : null;
    switch (name) {
      case 'iss':
        ok = value === ISSUER;
        note = ok ? 'issuer: the auth server the API trusts' : 'issuer: not the auth server the API trusts';
        break;
      case 'sub':
        note = 'subject: the user';
        break;
      case 'aud':
        ok = Array.isArray(value) ? value.includes(AUDIENCE) : value === AUDIENCE;
        note = ok ? 'audience: this API' : 'audience: a different API, so this one refuses it';
        break;
      case 'client_id':
        note = 'the app it was issued to';
        break;
      case 'iat':
        note = time && `issued at ${time}`;
        break;
      case 'nbf':
        note = time && `not before ${time}`;
        break;
      case 'exp':
        ok = typeof value !== 'number' || now < value + leeway;
        note = time && `${ok ? 'expires' : 'expired'} ${time}`;
        break;
      case 'jti':
        note = 'unique id of this token';
        break;
      case 'scope':
        note = 'what it allows';
        break;
      case 'cnf': {
        const jkt = boundKeyOf(claims);
        note = jkt ? `confirmation: bound to ${keyText(keyOwnerOf(view, jkt))}, whose thumbprint is jkt (DPoP)` : 'confirmation (DPoP)';
        break;
      }
    }
    return { name, value: json(value), note, ok };
  });
}

function grantOf(view: WorldView, grantId: string | null): Grant | undefined {
  return grantId ? view.state.authServer.grants[grantId] : undefined;
}

function clock(view: WorldView, t: Seconds): string {
  return formatClock(view.epochSeconds + t, view.epochSeconds + view.t);
}

function grantText(view: WorldView, grant: Grant): string {
  const start = `started by ${grant.by === 'attacker' ? 'the attacker’s login with a stolen password' : 'the user’s login'} at ${clock(view, grant.startedAt)}`;
  const status =
    grant.revoked && grant.revokedAt !== null
      ? `revoked by ${causeText(grant.revokedCause)} at ${clock(view, grant.revokedAt)}`
      : view.state.authServer.phase === 'userSuspended'
        ? 'not revoked, but the user is suspended'
        : 'not revoked';
  return `${start}; ${status}`;
}

function inspectAccess(view: WorldView, record: AccessTokenRecord, verdict: TokenVerdict | null): AccessInspection {
  const forged = forgeKindOf(view, record);
  const decoded = decodeJwt(record.jwt);
  const header = Object.keys(decoded.header).length ? decoded.header : record.header;
  const claims = Object.keys(decoded.claims).length ? decoded.claims : record.claims;
  const grant = grantOf(view, record.grantId);
  const notes: string[] = [];
  if (forged) notes.push(forgedNote(forged, claims));
  const local = view.config.resourceServer.validation === 'local';
  const suspended = view.state.authServer.phase === 'userSuspended';
  const live = accessLive(view, record);
  if (record.genuine && record.audienceOk && local && live && (grant?.revoked || suspended)) {
    const facts = [
      grant?.revoked ? `its grant was revoked by ${causeText(grant.revokedCause)}` : null,
      suspended ? 'the user is suspended' : null,
    ].filter((f): f is string => f !== null);
    notes.push(
      `${facts.join(' and ').replace(/^./, (c) => c.toUpperCase())}, but this resource server checks tokens locally and never asks the auth server, so it accepts ${record.label} until it expires.`,
    );
  }
  return {
    kind: 'access',
    label: record.label,
    forged,
    raw: record.jwt,
    parts: jwtParts(record.jwt),
    header: headerRows(header, forged),
    claims: claimRows(view, claims),
    verdict: verdictModel(view, record, verdict),
    holders: accessHolders(view, record.label, forged),
    grant: grant ? { id: grant.id, revoked: grant.revoked, text: grantText(view, grant) } : null,
    notes,
    dpop: dpopBinding(view, record, notes),
  };
}

// ---------------------------------------------------------------------------------------------
// DPoP: the key a token is bound to, and the proofs that carried it

type RequestEvent = Extract<SimEvent, { type: 'RequestSent' }>;
type ResponseEvent = Extract<SimEvent, { type: 'ResponseSent' }>;

/** The thumbprint an access token is bound to (its cnf.jkt claim), or null. */
export function boundKeyOf(claims: Record<string, unknown>): string | null {
  const cnf = claims.cnf;
  const jkt = cnf && typeof cnf === 'object' ? (cnf as Record<string, unknown>).jkt : undefined;
  return typeof jkt === 'string' ? jkt : null;
}

/** Whose key a thumbprint is, from the proofs in the trace. */
function keyOwnerOf(view: WorldView, jkt: string): DpopBinding['keyOwner'] {
  // The projection keeps the newest thumbprint of each key; the keys never change within a run.
  const keys = view.reading?.projection.keys;
  if (keys) return keys.app === jkt ? 'app' : keys.attacker === jkt ? 'attacker' : 'unknown';
  for (const e of view.events) {
    if (e.type !== 'RequestSent' || !e.proof || e.proof.jkt !== jkt) continue;
    if (e.proof.source === 'app' || e.proof.source === 'hijackedPage') return 'app';
    if (e.proof.source === 'attackerKey') return 'attacker';
  }
  return 'unknown';
}

function keyText(owner: DpopBinding['keyOwner']): string {
  return owner === 'app' ? 'the app’s DPoP key' : owner === 'attacker' ? 'the attacker’s own DPoP key' : 'a DPoP key';
}

const SOURCE_TEXT: Record<ProofSource, string> = {
  app: 'signed by the app’s key, on the app’s own request',
  hijackedPage: 'signed by the app’s key inside the app’s page, on the attacker’s request (the attacker’s script runs in the page)',
  attackerKey: 'signed by the attacker’s own key',
  replayed: 'an earlier proof of the app’s, captured and resent unchanged by the attacker',
};

const DPOP_CHECK_TEXT: Record<DpopCheck, string> = {
  missing: 'no proof',
  malformed: 'not a well-formed proof',
  signature: 'its signature does not verify',
  type: 'its typ is not dpop+jwt',
  method: 'made for another method (htm)',
  url: 'made for another URL (htu)',
  iat: `its iat is more than ${DPOP_IAT_WINDOW} s off`,
  replay: 'its jti was already seen (a replay)',
  ath: 'made for another token (ath)',
  key: 'signed with a key other than the bound one',
};

function responseTo(view: WorldView, requestId: number): ResponseEvent | undefined {
  for (const e of view.events) if (e.type === 'ResponseSent' && e.requestId === requestId) return e;
  return undefined;
}

/** The label of the access token a proof was first made for (its ath), or null (a token request). */
function madeFor(view: WorldView, proof: DpopProof): TokenLabel | null {
  for (const e of view.events) if (e.type === 'RequestSent' && e.proof?.jwt === proof.jwt) return e.endpoint === 'api' ? e.token : null;
  return null;
}

function proofView(view: WorldView, request: RequestEvent, token: AccessTokenRecord, boundJkt: string): ProofView {
  const proof = request.proof!;
  const response = responseTo(view, request.id);
  const decoded = decodeJwt(proof.jwt);
  const header = Object.keys(decoded.header).length ? decoded.header : proof.header;
  const claims = Object.keys(decoded.claims).length ? decoded.claims : proof.claims;
  const endpoint = request.endpoint === 'api' ? 'api' : 'token';
  const headerRows: FieldRow[] = Object.entries(header).map(([name, value]) => {
    let note: string | null = null;
    let ok = true;
    if (name === 'typ') {
      ok = value === DPOP_PROOF_TYPE;
      note = ok ? 'a DPoP proof (RFC 9449)' : 'not a DPoP proof type';
    } else if (name === 'alg') {
      note = 'signature algorithm: Ed25519';
    } else if (name === 'jwk') {
      ok = endpoint === 'token' || proof.jkt === boundJkt;
      const owner = keyText(keyOwnerOf(view, proof.jkt));
      note =
        endpoint === 'token'
          ? `the public key that signed it: ${owner}. Its thumbprint ${proof.jkt === boundJkt ? 'became' : 'is not'} this token’s cnf.jkt`
          : `the public key that signed it: ${owner}; its thumbprint ${proof.jkt === boundJkt ? 'matches' : 'does not match'} this token’s cnf.jkt`;
    }
    return { name, value: json(value), note, ok };
  });
  const original = madeFor(view, proof);
  const claimRows: FieldRow[] = Object.entries(claims).map(([name, value]) => {
    let note: string | null = null;
    let ok = true;
    switch (name) {
      case 'jti':
        note = 'unique id: a server refuses a jti it has already seen';
        ok = response?.dpop !== 'replay';
        break;
      case 'htm':
        note = 'the HTTP method it is for';
        ok = response?.dpop !== 'method';
        break;
      case 'htu':
        note = 'the URL it is for';
        ok = response?.dpop !== 'url';
        break;
      case 'iat':
        note = typeof value === 'number' ? `made at ${humanTime(view, value)}; good for ${DPOP_IAT_WINDOW} s either way` : null;
        ok = response?.dpop !== 'iat';
        break;
      case 'ath':
        ok = original === token.label;
        note = ok
          ? `hash (SHA-256) of ${token.label}: it is good only with this token`
          : `hash of ${original ?? 'another token'}, not of ${token.label}`;
        break;
    }
    return { name, value: json(value), note, ok };
  });
  const status = response ? `${response.status}${response.error ? ` ${response.error}` : ''}` : 'no answer yet';
  const outcome = !response
    ? { ok: false, text: 'No answer yet.' }
    : response.status === 200
      ? { ok: true, text: `Accepted (${status}).` }
      : {
          ok: false,
          text: `Refused (${status}): ${response.reason ? reasonText(response.reason) : 'refused'}${response.dpop ? ` — ${DPOP_CHECK_TEXT[response.dpop]}` : ''}.`,
        };
  return {
    requestId: request.id,
    t: request.t,
    when: clock(view, request.t),
    from: request.from,
    endpoint,
    source: proof.source,
    sourceText: SOURCE_TEXT[proof.source],
    raw: proof.jwt,
    parts: jwtParts(proof.jwt),
    header: headerRows,
    claims: claimRows,
    outcome,
  };
}

/** The binding of a DPoP-bound access token (null when it has no cnf.jkt), adding notes as needed. */
function dpopBinding(view: WorldView, record: AccessTokenRecord, notes: string[]): DpopBinding | null {
  const claims = Object.keys(record.claims).length ? record.claims : decodeJwt(record.jwt).claims;
  const jkt = boundKeyOf(claims);
  if (jkt === null) return null;
  let issuedWith: ProofView | null = null;
  let lastPresented: ProofView | null = null;
  let issuingRequest: number | null = null;
  for (const e of view.events) {
    if (e.type === 'ResponseSent' && e.endpoint === 'token' && e.issued.includes(record.label)) issuingRequest = e.requestId;
  }
  for (const e of view.events) {
    if (e.type !== 'RequestSent' || !e.proof) continue;
    if (e.id === issuingRequest) issuedWith = proofView(view, e, record, jkt);
    if (e.endpoint === 'api' && e.token === record.label) lastPresented = proofView(view, e, record, jkt);
  }
  const owner = keyOwnerOf(view, jkt);
  const inPage = view.state.attacker.inPage;
  const attackerHolds = view.state.attacker.accessTokens.includes(record.label);
  let who: string;
  if (owner === 'app') {
    who = inPage
      ? 'The app can make such proofs — and so, right now, can the attacker: its script runs inside the app’s open page, where it can have the key sign for it.'
      : 'Only the app can make such proofs: its key is non-extractable and never leaves the app’s page.';
  } else if (owner === 'attacker') {
    who = 'Only the attacker can make such proofs: the token came from its own login, bound to its own key.';
  } else {
    who = 'Only the holder of that private key can make such proofs.';
  }
  const text = `Bound to ${keyText(owner)} (cnf.jkt is its thumbprint, RFC 7638). The resource server accepts ${record.label} only with a fresh DPoP proof signed by that key, for this method and URL and this very token. ${who}`;
  if (owner === 'app' && attackerHolds) {
    notes.push(
      inPage
        ? `The attacker holds a copy of ${record.label}, and while its script runs inside the app’s open page it can use it: the page signs proofs with the app’s key. Once the script stops (at the latest when the page closes) the copy fails again from elsewhere; a sign-in of the script’s own, bound to its own key, would not.`
        : `The attacker holds a copy of ${record.label}, but without the app’s key it cannot use it: sent as a plain Bearer token it is refused (DPoP proof required), and a proof made with any other key, or an old proof resent, is refused too.`,
    );
  }
  return { jkt, keyOwner: owner, text, issuedWith, lastPresented };
}

function forgedNote(kind: ForgeKind, claims: Record<string, unknown>): string {
  switch (kind) {
    case 'own-key':
      return 'Forged: the attacker signed this token with its own key. It names the auth server’s key id, but the resource server verifies with the auth server’s public key, and the signature does not match — only the auth server holds the signing key.';
    case 'alg-none':
      return 'Forged: an unsigned token (alg: none) with an empty signature part. The resource server accepts only EdDSA signatures made with the auth server’s key, so it fails the signature check.';
    case 'wrong-audience':
      return `A genuine token the auth server issued to the user for a different API (aud ${json(claims.aud)}). Its signature is valid, but the audience check refuses it here: that is what stops a token meant for one API from being replayed at another.`;
    default: {
      const never: never = kind;
      return String(never);
    }
  }
}

function accessHolders(view: WorldView, label: TokenLabel, forged: ForgeKind | null): string {
  if (forged) return forged === 'wrong-audience' ? 'the attacker, who obtained it elsewhere' : 'the attacker, who made it';
  const client = view.state.client.accessToken === label;
  const attacker = view.state.attacker.accessTokens.includes(label);
  if (client && attacker) return 'the app and the attacker (a stolen copy)';
  if (client) return 'the app';
  if (attacker) return 'the attacker';
  return 'nobody any more';
}

const CHECK_LABELS: Record<CheckName, string> = {
  signature: 'Signature',
  type: 'Type (typ at+jwt)',
  issuer: 'Issuer (iss)',
  audience: 'Audience (aud)',
  expiry: 'Expiry (exp)',
  introspection: 'Introspection',
  dpop: 'Proof of possession (DPoP)',
};

function verdictModel(view: WorldView, record: AccessTokenRecord, verdict: TokenVerdict | null): VerdictModel {
  if (!verdict) return { state: 'checking' };
  const c = verdict.checks;
  const claims = record.claims;
  const leeway = view.config.resourceServer.leeway;
  const notChecked = c.signature ? 'not checked: an earlier check failed' : 'not checked: the signature failed first';
  const exp = typeof claims.exp === 'number' ? claims.exp : view.epochSeconds + record.expiresAt;
  const rule = leeway > 0 ? `now < exp + ${formatSpan(leeway)} leeway` : 'now < exp';
  const checks: CheckRow[] = [
    {
      name: 'signature',
      label: CHECK_LABELS.signature,
      result: c.signature,
      text: c.signature
        ? 'made with the auth server’s key (verified with its public key)'
        : record.header.alg === 'none'
          ? 'missing: the token is unsigned (alg: none)'
          : 'does not verify against the auth server’s public key',
    },
    {
      name: 'type',
      label: CHECK_LABELS.type,
      result: c.type,
      text: c.type === null ? notChecked : c.type ? 'typ is at+jwt: an access token' : `typ is ${json(record.header.typ)}, not at+jwt`,
    },
    {
      name: 'issuer',
      label: CHECK_LABELS.issuer,
      result: c.issuer,
      text:
        c.issuer === null
          ? notChecked
          : c.issuer
            ? 'the auth server this API trusts'
            : `${json(claims.iss)} is not the trusted auth server`,
    },
    {
      name: 'audience',
      label: CHECK_LABELS.audience,
      result: c.audience,
      text: c.audience === null ? notChecked : c.audience ? 'this API' : `${json(claims.aud)} is a different API`,
    },
    {
      name: 'expiry',
      label: CHECK_LABELS.expiry,
      result: c.expiry,
      text:
        c.expiry === null
          ? notChecked
          : c.expiry
            ? `${rule}: expires ${humanTime(view, exp)}`
            : `expired ${humanTime(view, exp + leeway)} (the rule is ${rule})`,
    },
  ];
  const introspects = view.config.resourceServer.validation === 'introspection';
  checks.push({
    name: 'introspection',
    label: CHECK_LABELS.introspection,
    result: c.introspection,
    text:
      c.introspection === true
        ? 'the resource server asked the auth server: active'
        : c.introspection === false
          ? `the resource server asked the auth server: inactive, because ${inactiveWhy(view, record)}`
          : introspects
            ? 'not asked: a local check failed first'
            : 'not asked: this resource server checks tokens locally, so it cannot see logouts, suspensions or revocations',
  });
  const jkt = boundKeyOf(Object.keys(claims).length ? claims : decodeJwt(record.jwt).claims);
  if (view.config.senderConstraint === 'dpop' || jkt !== null) {
    const owner = jkt === null ? null : keyText(keyOwnerOf(view, jkt));
    checks.push({
      name: 'dpop',
      label: CHECK_LABELS.dpop,
      result: null,
      text:
        jkt === null
          ? 'not bound to a key: no proof is asked for'
          : c.signature && c.expiry !== false
            ? `checked per request: a fresh proof signed by ${owner} (see below)`
            : notChecked,
    });
  }
  const reason = verdict.reason;
  const withKey = jkt !== null ? `, with a fresh DPoP proof from whoever holds ${keyText(keyOwnerOf(view, jkt))}` : '';
  const summary = verdict.ok
    ? `The resource server would accept ${record.label} now${withKey}.`
    : `The resource server would reject ${record.label} now: ${reason ? reasonText(reason as Reason) : 'invalid token'}.`;
  return { state: 'done', ok: verdict.ok, summary, checks };
}

function inactiveWhy(view: WorldView, record: AccessTokenRecord): string {
  const grant = grantOf(view, record.grantId);
  if (grant?.revoked) return `its grant ${grant.id} was revoked by ${causeText(grant.revokedCause)}`;
  if (view.state.authServer.phase === 'userSuspended') return 'the user is suspended';
  if (view.t >= record.expiresAt) return 'it has expired';
  return 'the auth server does not know it as active';
}

// ---------------------------------------------------------------------------------------------
// Refresh tokens

function inspectRefresh(view: WorldView, record: RefreshTokenRecord): RefreshInspection {
  const grant = view.state.authServer.grants[record.grantId];
  const { status, expiredBy } = refreshDisplayStatus(view, record);
  const { absolute, idle } = familyDeadlines(view.config.refreshToken, grant);
  const rules = view.config.refreshToken;
  const at = (t: Seconds) => `${clock(view, t)} (${formatRelative(t, view.t)})`;

  let statusText: string;
  switch (status) {
    case 'active':
      statusText =
        view.state.authServer.phase === 'userSuspended'
          ? 'Active, but the user is suspended: the auth server refuses it until an admin reinstates the user.'
          : 'Active: the auth server would exchange it for new tokens.';
      break;
    case 'consumed':
      statusText = `Consumed at ${clock(view, record.consumedAt ?? record.issuedAt)}: it was exchanged once under rotation. Presenting it again is reuse${
        rules?.reuseDetection ? ', and the auth server would revoke the whole family' : ''
      }.`;
      break;
    case 'revoked': {
      const revokedAt = record.revokedAt ?? grant?.revokedAt ?? null;
      statusText = `Revoked${revokedAt !== null ? ` at ${clock(view, revokedAt)}` : ''} by ${causeText(grant?.revokedCause ?? null)}, with its whole family.`;
      break;
    }
    case 'expired':
      statusText =
        expiredBy === 'absolute'
          ? `Expired: the family’s absolute lifetime ended at ${clock(view, absolute!)}; only a new login helps.`
          : `Expired: the family was idle too long — last used at ${clock(view, grant!.lastUse)}, so its idle lifetime ran out at ${clock(view, idle!)}.`;
      break;
  }

  const family = grant?.refreshTokens ?? [record.label];
  const newest = grant?.newest ?? null;
  const lifetime: string[] = [];
  if (absolute !== null) lifetime.push(`absolute until ${at(absolute)}`);
  if (idle !== null) lifetime.push(`idle until ${at(idle)} unless refreshed`);
  const fields = [
    { name: 'Issued', value: at(record.issuedAt) },
    { name: 'Consumed', value: record.consumedAt !== null ? at(record.consumedAt) : 'no' },
    {
      name: 'Revoked',
      value: record.revokedAt !== null ? `${at(record.revokedAt)} by ${causeText(grant?.revokedCause ?? null)}` : 'no',
    },
    { name: 'Family (grant)', value: grant ? `${grant.id}: ${grantText(view, grant)}` : record.grantId },
    { name: 'Family tokens', value: family.join(', ') },
    { name: 'Parent', value: record.parent ?? 'none: issued at login' },
    { name: 'Newest in family', value: newest === record.label ? 'yes' : `no (the newest is ${newest ?? 'unknown'})` },
    { name: 'Lifetime', value: lifetime.length ? lifetime.join('; ') : 'unlimited' },
    ...(record.jkt !== undefined
      ? [
          {
            name: 'Bound to (DPoP)',
            value: `${keyText(keyOwnerOf(view, record.jkt))}, thumbprint ${record.jkt}: a refresh needs a proof signed with it`,
          },
        ]
      : view.config.senderConstraint === 'dpop'
        ? [
            {
              name: 'Bound to (DPoP)',
              value: 'no key: a confidential client’s refresh tokens are constrained by its client secret instead',
            },
          ]
        : []),
  ];
  return {
    kind: 'refresh',
    label: record.label,
    raw: record.value,
    opaqueNote:
      'Not a JWT: an opaque random string with nothing inside to decode. Only the auth server can look it up, in its own records; the resource server never sees it.',
    status,
    statusText,
    fields,
    grantId: record.grantId,
    family,
    parent: record.parent,
    isNewest: newest === record.label,
    holders: refreshHolders(view, record.label),
    asAnswer: asAnswer(view, record, grant),
  };
}

function refreshHolders(view: WorldView, label: TokenLabel): string {
  const client = view.state.client.refreshToken === label;
  const attacker = view.state.attacker.refreshTokens.includes(label);
  if (client && attacker) return 'the app and the attacker (copies of the same token)';
  if (client) return 'the app';
  if (attacker) return 'the attacker';
  return 'nobody any more';
}

/**
 * What a refresh with this token would get now: the AS's own decision (sim/rules/authorization-server.ts,
 * SEMANTICS.md §3's order), for the app sending it with its secret and, under DPoP, with the bound key
 * (the text names the key; without it the AS refuses before reuse detection).
 */
function asAnswer(view: WorldView, record: RefreshTokenRecord, grant: Grant | undefined): { ok: boolean; text: string } {
  const secret =
    view.config.client.type === 'confidential'
      ? ' (with the app’s client secret; without it: client authentication failed, and nothing else is checked)'
      : '';
  const rules = view.config.refreshToken;
  const decision = refreshDecision({
    t: view.t,
    rules,
    clientType: view.config.client.type,
    clientAuth: true,
    dpop: false,
    proofSent: false,
    proof: null,
    token: record,
    grant,
    newest: grant?.newest ? view.state.authServer.refreshTokens[grant.newest] : undefined,
    userSuspended: view.state.authServer.phase === 'userSuspended',
  });
  // Without DPoP in the question no proof is ever asked for.
  if (decision.kind === 'checkProof') throw new Error('asAnswer: a proof check was asked for without DPoP');
  if (decision.kind === 'refuse')
    return { ok: false, text: `A refresh with it now would be refused: ${reasonText(decision.reason)}${secret}.` };
  if (decision.viaReuseInterval) {
    return {
      ok: true,
      text: `A refresh with it now would still succeed: it is within the ${formatSpan(rules?.reuseInterval ?? 0)} reuse interval${secret}.`,
    };
  }
  const bound =
    record.jkt !== undefined
      ? ` — with a DPoP proof signed by ${keyText(keyOwnerOf(view, record.jkt))}; without one, or with another key, it is refused and nothing is revoked`
      : '';
  return {
    ok: true,
    text: `A refresh with it now would succeed${decision.rotate ? ', and rotate it' : ' and return the same token'}${secret}${bound}.`,
  };
}

// ---------------------------------------------------------------------------------------------
// Authorization codes and PKCE (SEMANTICS.md §10)

function inspectCode(view: WorldView, code: AuthorizationCodeRecord): CodeInspection {
  const phase = codePhase(view, code);
  const at = (t: Seconds) => `${clock(view, t)} (${formatRelative(t, view.t)})`;
  const bff = view.config.client.tokenStorage === 'bff';
  const app = bff ? 'the BFF' : 'the app';
  let pair: { verifier: string; challenge: string; method: string } | null = null;
  for (const e of view.events) {
    if (e.type === 'AuthorizationCodeIssued' && e.code.label === code.label) {
      pair = e.pkce;
      break;
    }
  }
  const intercepted = code.requestedBy === 'client' && code.deliveredTo === 'attacker';
  const requester =
    code.requestedBy === 'attacker' ? 'the attacker (its silent sign-in from the hijacked page)' : `the user’s sign-in for ${app}`;
  const receiver = intercepted
    ? 'the attacker: a malicious app that claimed the same redirect URI intercepted it'
    : code.deliveredTo === 'attacker'
      ? 'the attacker'
      : app;
  const grant = code.grantId ? view.state.authServer.grants[code.grantId] : undefined;
  let statusText: string;
  switch (phase) {
    case 'redeemed':
      statusText = `Redeemed at ${clock(view, code.usedAt!)}${grant ? ` for the tokens of grant ${grant.id}` : ''}. It is single use: presenting it again is refused, and the AS then revokes that grant (RFC 6749 §4.1.2).`;
      break;
    case 'expired':
      statusText = `Expired at ${clock(view, code.expiresAt)} without being redeemed: the AS has forgotten it.`;
      break;
    case 'issued':
      statusText = `Issued, not yet redeemed: it can be exchanged once, until ${clock(view, code.expiresAt)}.`;
      break;
  }
  const verifierHolder = code.requestedBy === 'attacker' ? 'the attacker (it started this sign-in)' : app;
  const pkce = pair
    ? {
        challenge: pair.challenge,
        verifier: pair.verifier,
        method: pair.method,
        verifierHolder,
        text: `${code.requestedBy === 'attacker' ? 'The attacker' : sentence(app)} made a fresh random code_verifier and sent only its hash, the code_challenge = base64url(SHA-256(verifier)), with the sign-in request. The verifier never left ${code.requestedBy === 'attacker' ? 'the attacker' : app} until the exchange: whoever holds the code without it is refused (RFC 7636 §4.6).`,
      }
    : null;
  const noPkce = pair
    ? null
    : 'No PKCE: the sign-in request carried no challenge, so the AS asks for no verifier. Whoever holds this code can redeem it — a public client has nothing else to prove (RFC 7636 §1, RFC 9700 §4.5).';
  return {
    kind: 'code',
    label: code.label,
    raw: code.value,
    about:
      'An authorization code: a one-time random string the AS puts in the redirect after the user signed in at its page. It is not a token: it is exchanged at the token endpoint for tokens, once. It lives 60 s here (RFC 6749 §4.1.2 recommends at most 10 minutes).',
    phase,
    statusText,
    fields: [
      { name: 'Issued', value: at(code.issuedAt) },
      { name: 'Expires', value: `${at(code.expiresAt)}: 60 s, single use` },
      { name: 'Sign-in by', value: requester },
      { name: 'Delivered to', value: receiver },
      {
        name: 'Redeemed',
        value:
          code.usedAt !== null
            ? `${at(code.usedAt)}${grant ? `, grant ${grant.id} (${grant.by === 'attacker' ? 'the attacker’s' : 'the user’s'})` : ''}`
            : 'no',
      },
    ],
    holders:
      code.usedAt !== null || phase === 'expired' ? 'nobody can use it any more' : code.deliveredTo === 'attacker' ? 'the attacker' : app,
    pkce,
    noPkce,
    asAnswer: codeAnswer(view, code, phase, intercepted),
  };
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What the token endpoint would answer now to its holder's redemption (SEMANTICS.md §10, in order). */
function codeAnswer(
  view: WorldView,
  code: AuthorizationCodeRecord,
  phase: AuthorizationCodePhase,
  intercepted: boolean,
): { ok: boolean; text: string } {
  const refuse = (reason: Reason, more = '') => ({ ok: false, text: `A redemption now would be refused: ${reasonText(reason)}${more}.` });
  const confidential = view.config.client.type === 'confidential';
  if (intercepted && confidential && !view.state.attacker.clientSecret)
    return refuse('client_auth_failed', ' — the attacker lacks the client secret, and nothing else is checked');
  if (phase === 'expired') return refuse('unknown_token', ' — the AS has forgotten it');
  if (phase === 'redeemed')
    return refuse('code_used', code.grantId ? `, and the AS would revoke grant ${code.grantId} issued from it` : '');
  if (intercepted && code.challenge !== null) return refuse('pkce_failed', ' — the attacker has no verifier');
  return {
    ok: true,
    text: `A redemption now would succeed${code.challenge !== null ? ' with the matching verifier' : ''}, starting a new grant.`,
  };
}
