// Token status as the parties would see it now, for panels, chips and the inspector.
import type { Grant } from '../sim/state';
import type { AccessTokenRecord, RefreshTokenConfig, RefreshTokenRecord, Seconds, TokenLabel } from '../sim/types';
import type { WorldView } from './view';

export type RefreshDisplayStatus = 'active' | 'consumed' | 'revoked' | 'expired';

/** A family's deadlines (absolute from the login, idle from the last use); null = unlimited. */
export function familyDeadlines(
  rules: RefreshTokenConfig | null,
  grant: Pick<Grant, 'startedAt' | 'lastUse'> | undefined,
): { absolute: Seconds | null; idle: Seconds | null } {
  if (!rules || !grant) return { absolute: null, idle: null };
  return {
    absolute: rules.absoluteTtl === null ? null : grant.startedAt + rules.absoluteTtl,
    idle: rules.idleTtl === null ? null : grant.lastUse + rules.idleTtl,
  };
}

/** The status the AS would see now, "expired" once the family's idle or absolute lifetime ended. */
export function refreshDisplayStatus(
  view: WorldView,
  record: RefreshTokenRecord,
): { status: RefreshDisplayStatus; expiredBy: 'absolute' | 'idle' | null } {
  const grant = view.state.authServer.grants[record.grantId];
  if (record.status === 'revoked' || grant?.revoked) return { status: 'revoked', expiredBy: null };
  const { absolute, idle } = familyDeadlines(view.config.refreshToken, grant);
  if (absolute !== null && view.t >= absolute) return { status: 'expired', expiredBy: 'absolute' };
  if (idle !== null && view.t >= idle) return { status: 'expired', expiredBy: 'idle' };
  return { status: record.status, expiredBy: null };
}

/** The AS's view of a refresh token, with "expired" once its family's idle or absolute lifetime ended. */
export function refreshStatus(view: WorldView, label: TokenLabel): RefreshDisplayStatus | null {
  const record = view.state.authServer.refreshTokens[label];
  return record ? refreshDisplayStatus(view, record).status : null;
}

/** When the family of this refresh token stops being refreshable (idle/absolute), or null. */
export function refreshDeadline(view: WorldView, label: TokenLabel): number | null {
  const record = view.state.authServer.refreshTokens[label];
  const grant = record ? view.state.authServer.grants[record.grantId] : undefined;
  const { absolute, idle } = familyDeadlines(view.config.refreshToken, grant);
  const candidates = [absolute, idle].filter((d): d is Seconds => d !== null);
  return candidates.length ? Math.min(...candidates) : null;
}

export function accessRecord(view: WorldView, label: TokenLabel): AccessTokenRecord | undefined {
  return view.accessTokens.find((r) => r.label === label);
}

/** Would a locally validating RS accept it by time alone (signature and audience aside)? */
export function accessLive(view: WorldView, record: AccessTokenRecord): boolean {
  return view.t < record.expiresAt + view.config.resourceServer.leeway;
}

export type GrantDisplayStatus = {
  status: 'active' | 'revoked' | 'expired' | 'ended';
  since: Seconds | null;
  by: 'absolute' | 'idle' | null;
};

/**
 * A token family (grant) as the AS would see it now: revoked; expired once its idle or absolute
 * lifetime has passed; with no refresh tokens, ended once its last access token has expired
 * (nothing of it can reach the API any more); otherwise active.
 */
export function grantDisplayStatus(view: WorldView, grant: Grant): GrantDisplayStatus {
  if (grant.revoked) return { status: 'revoked', since: grant.revokedAt, by: null };
  if (view.config.refreshToken !== null && grant.refreshTokens.length > 0) {
    const { absolute, idle } = familyDeadlines(view.config.refreshToken, grant);
    const passed = [
      { at: absolute, by: 'absolute' as const },
      { at: idle, by: 'idle' as const },
    ].filter((d): d is { at: Seconds; by: 'absolute' | 'idle' } => d.at !== null && view.t >= d.at);
    passed.sort((a, b) => a.at - b.at);
    const first = passed[0];
    return first ? { status: 'expired', since: first.at, by: first.by } : { status: 'active', since: null, by: null };
  }
  const records = grant.accessTokens.map((label) => accessRecord(view, label)).filter((r): r is AccessTokenRecord => !!r);
  if (records.length > 0 && records.every((r) => !accessLive(view, r))) {
    const since = Math.max(...records.map((r) => r.expiresAt + view.config.resourceServer.leeway));
    return { status: 'ended', since, by: null };
  }
  return { status: 'active', since: null, by: null };
}

/**
 * When the client still believes it is signed in but nothing it holds works any more by time (its
 * access token expired, its refresh token's family expired or was revoked, no stored password):
 * the instant since which that is so; otherwise null. The app only finds out when it next tries.
 */
export function clientLapsedSince(view: WorldView): Seconds | null {
  const { client } = view.state;
  if (client.phase !== 'signedIn') return null;
  if (view.config.client.storesPassword && client.storedPassword !== null) return null;
  const access = client.accessToken ? accessRecord(view, client.accessToken) : undefined;
  if (access && accessLive(view, access)) return null;
  let since = access ? access.expiresAt + view.config.resourceServer.leeway : 0;
  if (client.refreshToken) {
    const record = view.state.authServer.refreshTokens[client.refreshToken];
    if (!record) return null;
    const shown = refreshDisplayStatus(view, record);
    if (shown.status === 'active') return null;
    const grant = view.state.authServer.grants[record.grantId];
    const dead =
      shown.status === 'expired'
        ? refreshDeadline(view, client.refreshToken)
        : shown.status === 'revoked'
          ? (grant?.revokedAt ?? record.revokedAt)
          : record.consumedAt;
    since = Math.max(since, dead ?? since);
  }
  return since;
}
