// Attacker exposure (SEMANTICS.md §9), computed exactly. Between two events the world's state is
// constant, so "could the attacker make a successful API call at instant t with what it holds?"
// is true from the segment's start until a deadline that the state alone fixes: an access
// token's expiry, a refresh family's idle or absolute deadline, the end of a reuse interval.
// Exposure over [from, to) is then min(to, deadline) - from, with no sampling.
//
// DPoP (SEMANTICS.md §6): a bound token counts only while the attacker can prove possession of
// its key — its own key for tokens bound to it (from its own login), the app's key only while its
// script runs in the app's open page (hijackPage). A hijack starts and ends with an event, so it
// is constant within a segment too. A replayed proof never succeeds (the servers saw its jti, or
// its iat is too old, or it was made for another URL or token), so it never counts.
//
// A BFF (SEMANTICS.md §10): the attacker holds nothing of the BFF's, but while its script runs in
// the open page it can have the BFF call for it, so the BFF's own tokens count then.
import { reuseIntervalEnd } from './rules/authorization-server';
import type { WorldState } from './state';
import type { AccessTokenRecord, Config, Seconds, TokenLabel } from './types';

/** The thumbprints of the app's DPoP key and of the attacker's own key. */
export interface DpopKeys {
  client: string;
  attacker: string;
}

/** The thumbprint an access token is bound to (its cnf.jkt claim), or null. */
export function boundKeyOf(record: AccessTokenRecord): string | null {
  const cnf = record.claims.cnf;
  if (!cnf || typeof cnf !== 'object') return null;
  const jkt = (cnf as Record<string, unknown>).jkt;
  return typeof jkt === 'string' ? jkt : null;
}

/**
 * Whether the attacker can sign DPoP proofs with the key of this thumbprint right now: its own
 * always; the app's while its script runs in the app's page, unless the app keeps its tokens in a
 * BFF, whose key never reaches the page (SEMANTICS.md §10: under `bff` the script can only have
 * the BFF send calls for it).
 */
export function attackerHoldsKey(state: WorldState, keys: DpopKeys, jkt: string, bff: boolean): boolean {
  return jkt === keys.attacker || (jkt === keys.client && state.attacker.inPage && !bff);
}

/** The instant (exclusive) until which the attacker could succeed, given the state at `from`. */
export function attackerExposureDeadline(
  state: WorldState,
  config: Config,
  accessToken: (label: TokenLabel) => AccessTokenRecord | undefined,
  from: Seconds,
  keys: DpopKeys | null = null,
): number {
  const { attacker, authServer, client } = state;
  const suspended = authServer.phase === 'userSuspended';
  const dpop = config.senderConstraint === 'dpop' && keys !== null;
  const attackerCanProve = (jkt: string | null | undefined) =>
    !dpop || !jkt || (keys !== null && attackerHoldsKey(state, keys, jkt, config.client.tokenStorage === 'bff'));
  // The BFF signs with the app's key and authenticates with its secret.
  const bffCanProve = () => true;
  let deadline = from;

  // An access token the RS would accept now.
  const accessDeadline = (label: TokenLabel, canProve: (jkt: string | null) => boolean): number => {
    const record = accessToken(label);
    if (!record || !record.genuine || !record.audienceOk) return from;
    if (!canProve(boundKeyOf(record))) return from;
    if (config.resourceServer.validation === 'introspection') {
      const grant = record.grantId ? authServer.grants[record.grantId] : undefined;
      if (!grant || grant.revoked || suspended) return from;
      return record.expiresAt;
    }
    return record.expiresAt + config.resourceServer.leeway;
  };

  // A refresh token the AS would exchange (the new access token is then accepted at once).
  const rules = config.refreshToken;
  const refreshDeadline = (label: TokenLabel, clientAuthOk: boolean, canProve: (jkt: string | null | undefined) => boolean): number => {
    if (!rules || !clientAuthOk || suspended) return from;
    const record = authServer.refreshTokens[label];
    const grant = record ? authServer.grants[record.grantId] : undefined;
    if (!record || !grant || grant.revoked || record.status === 'revoked') return from;
    // Bound (a public client's, under DPoP): only with that key. Unbound: any key will do.
    if (!canProve(record.jkt)) return from;
    let end = Infinity;
    if (rules.absoluteTtl !== null) end = Math.min(end, grant.startedAt + rules.absoluteTtl);
    if (rules.idleTtl !== null) end = Math.min(end, grant.lastUse + rules.idleTtl);
    if (record.status === 'consumed') {
      const newest = grant.newest ? authServer.refreshTokens[grant.newest] : undefined;
      const retryUntil = reuseIntervalEnd(record, newest, rules);
      if (retryUntil === null) return from;
      end = Math.min(end, retryUntil);
    }
    return end;
  };

  const clientAuthOk = config.client.type === 'public' || attacker.clientSecret;
  for (const label of attacker.accessTokens) deadline = Math.max(deadline, accessDeadline(label, attackerCanProve));
  for (const label of attacker.refreshTokens) deadline = Math.max(deadline, refreshDeadline(label, clientAuthOk, attackerCanProve));

  // SEMANTICS.md §10: under a BFF, a script in the open page can have the BFF call the API for it
  // with the BFF's tokens, refreshing them when needed — for as long as the script runs there.
  if (config.client.tokenStorage === 'bff' && attacker.inPage) {
    if (client.accessToken !== null) deadline = Math.max(deadline, accessDeadline(client.accessToken, bffCanProve));
    if (client.refreshToken !== null) deadline = Math.max(deadline, refreshDeadline(client.refreshToken, true, bffCanProve));
  }

  // A password the AS would accept: logins until the password changes or the user is suspended.
  if (attacker.password !== null && attacker.password === authServer.passwordVersion && clientAuthOk && !suspended) {
    deadline = Infinity;
  }
  return deadline;
}
