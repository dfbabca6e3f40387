// Pure transition functions of the four parties: `transition(state, fact) → state`. They never
// mutate their input; the phase moves only along the machines' declared transitions.
import { attackerMachine, authServerMachine, clientMachine, nextPhase, resourceServerMachine, type AuthServerFact } from './machines';
import type { AttackerState, AuthServerState, ClientState, LastTransition, ResourceServerState } from './state';
import type { ChecksMade, Reason, Seconds, TokenLabel } from './types';

export type ClientFact =
  | { type: 'LoginSucceeded'; accessToken: TokenLabel; refreshToken: TokenLabel | null; storedPassword: number | null }
  | { type: 'LoginFailed' }
  | { type: 'RefreshSucceeded'; accessToken: TokenLabel; refreshToken: TokenLabel | null }
  | { type: 'RefreshRejected' }
  | { type: 'LoggedOut' }
  | { type: 'TokensWiped' }
  /** client.logout holding no token: nothing sent, but the stored password is forgotten. */
  | { type: 'PasswordForgotten' };

function moved(from: string, on: string, to: string, t: Seconds): LastTransition {
  return { from, on, to, t };
}

export function clientTransition(state: ClientState, fact: ClientFact, t: Seconds): ClientState {
  const phase = nextPhase(clientMachine, state.phase, fact.type);
  const lastTransition = moved(state.phase, fact.type, phase, t);
  switch (fact.type) {
    case 'LoginSucceeded':
      return {
        ...state,
        phase,
        lastTransition,
        accessToken: fact.accessToken,
        refreshToken: fact.refreshToken,
        storedPassword: fact.storedPassword ?? state.storedPassword,
      };
    case 'LoginFailed':
      return { ...state, phase, lastTransition };
    case 'RefreshSucceeded':
      return { ...state, phase, lastTransition, accessToken: fact.accessToken, refreshToken: fact.refreshToken };
    case 'RefreshRejected':
      // SCENARIO-FORMAT.md: on invalid_grant the client drops its refresh token, keeps its access token.
      return { ...state, phase, lastTransition, refreshToken: null };
    case 'LoggedOut':
      return { ...state, phase, lastTransition, accessToken: null, refreshToken: null, storedPassword: null };
    case 'TokensWiped':
      return { ...state, phase, lastTransition, accessToken: null, refreshToken: null };
    case 'PasswordForgotten':
      return { ...state, phase, lastTransition, storedPassword: null };
    default:
      return assertNever(fact);
  }
}

export function authServerTransition(state: AuthServerState, fact: AuthServerFact, t: Seconds): AuthServerState {
  const phase = nextPhase(authServerMachine, state.phase, fact);
  return {
    ...state,
    phase,
    passwordVersion: fact === 'PasswordChanged' ? state.passwordVersion + 1 : state.passwordVersion,
    lastTransition: moved(state.phase, fact, phase, t),
  };
}

export type ResourceServerFact =
  | { type: 'RequestAccepted'; token: TokenLabel; checks: ChecksMade }
  | { type: 'RequestRejected'; token: TokenLabel | null; checks: ChecksMade | null; reason: Reason };

export function resourceServerTransition(state: ResourceServerState, fact: ResourceServerFact, t: Seconds): ResourceServerState {
  const phase = nextPhase(resourceServerMachine, state.phase, fact.type);
  const accepted = fact.type === 'RequestAccepted';
  return {
    ...state,
    phase,
    accepted: state.accepted + (accepted ? 1 : 0),
    rejected: state.rejected + (accepted ? 0 : 1),
    lastToken: fact.token,
    lastReason: accepted ? null : fact.reason,
    lastChecks: fact.checks,
    lastTransition: moved(state.phase, fact.type, phase, t),
  };
}

export type AttackerFact =
  | {
      type: 'Acquired';
      accessToken?: TokenLabel;
      refreshToken?: TokenLabel;
      /** A rotated refresh token the new one replaces. */
      replaces?: TokenLabel;
      password?: number;
      clientSecret?: boolean;
    }
  | { type: 'Dropped'; refreshToken?: TokenLabel; password?: boolean };

export function attackerHoldsAnything(state: AttackerState): boolean {
  return state.accessTokens.length > 0 || state.refreshTokens.length > 0 || state.password !== null || state.clientSecret;
}

/** Moves a label to the end (the newest), adding it if absent. */
function newest(list: TokenLabel[], label: TokenLabel | undefined, without?: TokenLabel): TokenLabel[] {
  const rest = list.filter((l) => l !== label && l !== without);
  return label === undefined ? rest : [...rest, label];
}

export function attackerTransition(state: AttackerState, fact: AttackerFact, t: Seconds): AttackerState {
  if (fact.type === 'Acquired') {
    const phase = nextPhase(attackerMachine, state.phase, 'LootAcquired');
    return {
      ...state,
      phase,
      accessTokens: fact.accessToken ? newest(state.accessTokens, fact.accessToken) : state.accessTokens,
      refreshTokens:
        fact.refreshToken || fact.replaces ? newest(state.refreshTokens, fact.refreshToken, fact.replaces) : state.refreshTokens,
      password: fact.password ?? state.password,
      clientSecret: state.clientSecret || fact.clientSecret === true,
      lastTransition: moved(state.phase, 'LootAcquired', phase, t),
    };
  }
  const next: AttackerState = {
    ...state,
    refreshTokens: fact.refreshToken ? state.refreshTokens.filter((l) => l !== fact.refreshToken) : state.refreshTokens,
    password: fact.password ? null : state.password,
  };
  const on = attackerHoldsAnything(next) ? 'LootDropped' : 'LootExhausted';
  const phase = nextPhase(attackerMachine, state.phase, on);
  return { ...next, phase, lastTransition: moved(state.phase, on, phase, t) };
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
