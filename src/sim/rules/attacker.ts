// The attacker (SEMANTICS.md §7, §10; SCENARIO-FORMAT.md "Behaviour") as pure decisions: what a
// theft takes, what its tick does next (call the API with its newest access token; when that
// fails, get a token by refresh, then by login, and call once more), and what it drops after a
// refusal. The world (world.ts) performs each step and asks again with what happened.
import type { ClientState } from '../state';
import type { ActionResult, ClientType, ErrorCode, Reason, StealFrom, StealWhat, TokenLabel, TokenStorage } from '../types';

/** What a theft takes: the labels copied, and the password version and client secret with them. */
export interface Loot {
  accessToken?: TokenLabel;
  refreshToken?: TokenLabel;
  password?: number;
  clientSecret?: true;
  /** The labels in the trace's order (access, refresh). */
  labels: TokenLabel[];
}

/**
 * attacker.steal (SEMANTICS.md §7, §10): from what the app keeps in the page — nothing under a
 * BFF, whose browser holds only an HttpOnly cookie — or, from the API's logs, the access token of
 * the newest request the RS got from the app. Null: nothing to steal.
 */
export function stealLoot(
  what: StealWhat,
  from: StealFrom,
  where: { client: Pick<ClientState, 'accessToken' | 'refreshToken' | 'storedPassword'>; apiLog: TokenLabel | null },
  config: { clientType: ClientType; tokenStorage: TokenStorage },
): Loot | null {
  if (from === 'api-logs') return where.apiLog === null ? null : { accessToken: where.apiLog, labels: [where.apiLog] };
  if (config.tokenStorage === 'bff') return null;
  const { client } = where;
  const all = what === 'all';
  const loot: Loot = { labels: [] };
  if ((what === 'access' || what === 'both' || all) && client.accessToken) {
    loot.accessToken = client.accessToken;
    loot.labels.push(client.accessToken);
  }
  if ((what === 'refresh' || what === 'both' || all) && client.refreshToken) {
    loot.refreshToken = client.refreshToken;
    loot.labels.push(client.refreshToken);
  }
  if ((what === 'password' || all) && client.storedPassword !== null) loot.password = client.storedPassword;
  if ((what === 'clientSecret' || all) && config.clientType === 'confidential') loot.clientSecret = true;
  return loot.labels.length === 0 && loot.password === undefined && !loot.clientSecret ? null : loot;
}

/** What the attacker holds when it decides. */
export interface AttackerHolds {
  accessToken: boolean;
  refreshToken: boolean;
  password: boolean;
  /** Anything at all (the client secret too): with nothing, its tick does nothing. */
  anything: boolean;
}

/** A step of the attacker's tick: call the API with its newest access token, refresh, log in, or stop. */
export type AttackerStep = 'callApi' | 'refresh' | 'login' | 'stop';

export interface AttackerStepDone extends ActionResult {
  did: Exclude<AttackerStep, 'stop'>;
}

/** Getting a token: refresh, else log in with a stolen password. */
function recover(holds: AttackerHolds): AttackerStep {
  if (holds.refreshToken) return 'refresh';
  return holds.password ? 'login' : 'stop';
}

/**
 * behaviour.attacker's tick. It keeps access tokens, expired or not (only a try tells it a token
 * stopped working), so it first calls the API with its newest; when that fails (or it holds none)
 * it refreshes, else (or when the refresh fails) logs in, and with a new token calls once more.
 */
export function attackerTickNext(done: readonly AttackerStepDone[], holds: AttackerHolds): AttackerStep {
  const last = done.at(-1);
  if (last === undefined) {
    if (!holds.anything) return 'stop';
    return holds.accessToken ? 'callApi' : recover(holds);
  }
  if (last.did === 'callApi') return done.length === 1 && !last.ok ? recover(holds) : 'stop';
  if (last.ok) return 'callApi';
  return last.did === 'refresh' && holds.password ? 'login' : 'stop';
}

/**
 * SEMANTICS.md §7: a refresh refused because the user is suspended is not a reason to throw the
 * token away (suspension is temporary and revokes nothing); any other invalid_grant is.
 */
export function attackerDropsRefreshToken(result: { error: ErrorCode | null; reason: Reason | null }): boolean {
  return result.error === 'invalid_grant' && result.reason !== 'user_suspended';
}

/** A login refused for a bad password: the password changed, so the stolen one is dropped. */
export function attackerDropsPassword(result: { reason: Reason | null }): boolean {
  return result.reason === 'bad_password';
}
