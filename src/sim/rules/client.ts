// The user's app (SEMANTICS.md §3, §4, §10; SCENARIO-FORMAT.md "Behaviour") as pure decisions: is
// its access token usable, what it does next on its tick (call the API; else get a token by the
// §10 fallback order: refresh, a stored password, a sign-in), which token a logout revokes, and
// when it drops a refresh token. The world (world.ts) performs each step and asks again with
// what happened.
import type { ActionResult, ErrorCode, Seconds, TokenLabel } from '../types';

/** The app knows expires_in only: it treats its access token as expired at iat + expires_in. */
export function tokenUsable(record: { expiresAt: Seconds } | undefined, t: Seconds): boolean {
  return record !== undefined && t < record.expiresAt;
}

/** What the app holds when it decides: a usable access token, a refresh token, a stored password. */
export interface AppHolds {
  tokenUsable: boolean;
  refreshToken: boolean;
  storedPassword: boolean;
}

/**
 * A step of the app's tick: call the API; refresh; log in silently with the stored password; sign
 * in (silent when a live AS sign-in session allows it, else a password prompt); or stop.
 */
export type AppStep = 'callApi' | 'refresh' | 'storedPasswordLogin' | 'signIn' | 'stop';

/** A step the app took on this tick, and how it went. */
export interface AppStepDone extends ActionResult {
  did: Exclude<AppStep, 'stop'>;
}

/**
 * The first way to get a token: refresh, else a silent login with a stored password, else a
 * sign-in (SEMANTICS.md §10: a refresh token that ran out does not by itself mean a prompt).
 */
function firstTokenStep(holds: AppHolds): AppStep {
  if (holds.refreshToken) return 'refresh';
  return holds.storedPassword ? 'storedPasswordLogin' : 'signIn';
}

/** After a failed attempt to get a token: the next way, or stop (a suspended user gets nothing anywhere). */
function nextTokenStep(failed: AppStepDone, holds: AppHolds): AppStep {
  if (failed.reason === 'user_suspended' || failed.did === 'signIn') return 'stop';
  // A refused refresh falls through to a login, as apps send the user to sign-in when refresh fails.
  if (failed.did === 'refresh' && holds.storedPassword) return 'storedPasswordLogin';
  return 'signIn';
}

/**
 * behaviour.user's tick: call the API with a usable token (getting one first if needed); when
 * that first call is refused (401), get a token again and call once more. `done`: the steps
 * taken on this tick so far; `holds`: what the app holds now.
 */
export function userAppNext(done: readonly AppStepDone[], holds: AppHolds): AppStep {
  const last = done.at(-1);
  if (last === undefined) return holds.tokenUsable ? 'callApi' : firstTokenStep(holds);
  if (last.did === 'callApi') {
    const calls = done.filter((step) => step.did === 'callApi').length;
    return calls === 1 && last.status === 401 ? firstTokenStep(holds) : 'stop';
  }
  return last.ok ? 'callApi' : nextTokenStep(last, holds);
}

/**
 * A BFF (SEMANTICS.md §10 settled readings) sends a proxied call with its own access token,
 * refreshing first when that is missing or expired and it holds a refresh token.
 */
export function bffRefreshesFirst(holds: AppHolds): boolean {
  return !holds.tokenUsable && holds.refreshToken;
}

/** RFC 7009 logout: the app revokes its refresh token, or without one its access token; null: nothing to send. */
export function logoutToken(client: { accessToken: TokenLabel | null; refreshToken: TokenLabel | null }): TokenLabel | null {
  return client.refreshToken ?? client.accessToken;
}

/** SCENARIO-FORMAT.md: on `invalid_grant` the app drops its refresh token (even for a suspended user); it keeps it otherwise. */
export function appDropsRefreshToken(result: { error: ErrorCode | null }): boolean {
  return result.error === 'invalid_grant';
}
