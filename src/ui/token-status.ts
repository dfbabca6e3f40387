// Token status as the parties would see it now, for panels and chips.
import type { AccessTokenRecord, TokenLabel } from '../sim/types';
import type { WorldView } from './view';

export type RefreshDisplayStatus = 'active' | 'consumed' | 'revoked' | 'expired';

/** The AS's view of a refresh token, with "expired" once its family's idle or absolute lifetime ended. */
export function refreshStatus(view: WorldView, label: TokenLabel): RefreshDisplayStatus | null {
  const record = view.state.authServer.refreshTokens[label];
  if (!record) return null;
  const grant = view.state.authServer.grants[record.grantId];
  if (record.status === 'revoked' || grant?.revoked) return 'revoked';
  const deadline = refreshDeadline(view, label);
  if (deadline !== null && view.t >= deadline) return 'expired';
  return record.status;
}

/** When the family of this refresh token stops being refreshable (idle/absolute), or null. */
export function refreshDeadline(view: WorldView, label: TokenLabel): number | null {
  const rules = view.config.refreshToken;
  const record = view.state.authServer.refreshTokens[label];
  const grant = record ? view.state.authServer.grants[record.grantId] : undefined;
  if (!rules || !grant) return null;
  const candidates: number[] = [];
  if (rules.absoluteTtl !== null) candidates.push(grant.startedAt + rules.absoluteTtl);
  if (rules.idleTtl !== null) candidates.push(grant.lastUse + rules.idleTtl);
  return candidates.length ? Math.min(...candidates) : null;
}

export function accessRecord(view: WorldView, label: TokenLabel): AccessTokenRecord | undefined {
  return view.accessTokens.find((r) => r.label === label);
}

/** Would a locally validating RS accept it by time alone (signature and audience aside)? */
export function accessLive(view: WorldView, record: AccessTokenRecord): boolean {
  return view.t < record.expiresAt + view.config.resourceServer.leeway;
}
