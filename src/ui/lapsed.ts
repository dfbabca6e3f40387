// A client still "signed in" whose tokens have all lapsed by time: kept apart from token-status.ts
// because only the client panel's note (components/LapsedNote.tsx, loaded after the first paint) uses it.
import { accessLive, accessRecord, refreshDeadline, refreshDisplayStatus } from './token-status';
import type { Seconds } from '../sim/types';
import type { WorldView } from './view';

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
