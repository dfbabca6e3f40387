// Token status as the parties would see it now, for panels, chips and the inspector.
// A family's deadlines are the refresh rule's own (rules/family.ts), so the panels and the AS agree.
import { familyDeadlines } from '../sim/rules/family';
import type { Grant } from '../sim/state';
import type { AccessTokenRecord, RefreshTokenRecord, Seconds, TokenLabel } from '../sim/types';
import type { WorldView } from './view';

export type RefreshDisplayStatus = 'active' | 'consumed' | 'revoked' | 'expired';

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
  // From the newest: the tokens asked about are mostly the latest (a month holds thousands).
  return view.accessTokens.findLast((r) => r.label === label);
}

/** Would a locally validating RS accept it by time alone (signature and audience aside)? */
export function accessLive(view: WorldView, record: AccessTokenRecord): boolean {
  return view.t < record.expiresAt + view.config.resourceServer.leeway;
}

export type GrantDisplayStatus = { status: 'active' | 'revoked' | 'expired'; since: Seconds | null; by: 'absolute' | 'idle' | null };

/** A token family (grant) as the AS sees it now: revoked; expired once its idle or absolute lifetime passed (no event needed); else active. */
export function grantDisplayStatus(view: WorldView, grant: Grant): GrantDisplayStatus {
  if (grant.revoked) return { status: 'revoked', since: grant.revokedAt, by: null };
  const { absolute, idle } = grant.refreshTokens.length ? familyDeadlines(view.config.refreshToken, grant) : { absolute: null, idle: null };
  const byAbsolute = absolute !== null && view.t >= absolute;
  const byIdle = idle !== null && view.t >= idle;
  if (!byAbsolute && !byIdle) return { status: 'active', since: null, by: null };
  // The deadline that passed first.
  return byAbsolute && (!byIdle || absolute <= idle)
    ? { status: 'expired', since: absolute, by: 'absolute' }
    : { status: 'expired', since: idle, by: 'idle' };
}
