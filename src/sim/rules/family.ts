// A token family's deadlines (SEMANTICS.md §3), a leaf of its own: the refresh rule
// (authorization-server.ts) refuses at them, and the page's panels show them without loading the rules.
import type { Grant } from '../state';
import type { RefreshTokenConfig, Seconds } from '../types';

/**
 * When a token family stops being refreshable (SEMANTICS.md §3): its absolute lifetime counts from
 * the login, its idle lifetime from the last use; null = unlimited. A refresh at or after either is
 * refused (refreshDecision); the panels show the same instants.
 */
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
