// The parties' state machines as data: their states and the facts that move them between states.
// The UI draws these tables; the world moves a party only through `nextPhase`, so a party can
// never be in a state, or take a step, that its table does not declare.
import type { Party } from './types';

export interface Transition<S extends string, E extends string> {
  from: S;
  on: E;
  to: S;
}

export interface Machine<S extends string, E extends string> {
  id: string;
  title: string;
  initial: S;
  states: readonly S[];
  /** Plain-language meaning of each state, for the UI. */
  describe: Readonly<Record<S, string>>;
  transitions: readonly Transition<S, E>[];
}

function machine<S extends string, E extends string>(m: Machine<S, E>): Machine<S, E> {
  return m;
}

function loops<S extends string, E extends string>(states: readonly S[], on: E): Transition<S, E>[] {
  return states.map((s) => ({ from: s, on, to: s }));
}

const clientStates = ['signedOut', 'signedIn', 'reauthRequired'] as const;
export type ClientPhase = (typeof clientStates)[number];
export type ClientFact =
  'LoginSucceeded' | 'LoginFailed' | 'RefreshSucceeded' | 'RefreshRejected' | 'LoggedOut' | 'TokensWiped' | 'PasswordForgotten';

export const clientMachine = machine<ClientPhase, ClientFact>({
  id: 'client',
  title: 'Client',
  initial: 'signedOut',
  states: clientStates,
  describe: {
    signedOut: 'holds no tokens',
    signedIn: 'holds tokens from a login or refresh',
    reauthRequired: 'its refresh was refused; the user must log in again',
  },
  transitions: [
    ...clientStates.map((s) => ({ from: s, on: 'LoginSucceeded' as const, to: 'signedIn' as const })),
    ...loops(clientStates, 'LoginFailed'),
    { from: 'signedIn', on: 'RefreshSucceeded', to: 'signedIn' },
    { from: 'signedIn', on: 'RefreshRejected', to: 'reauthRequired' },
    { from: 'signedIn', on: 'LoggedOut', to: 'signedOut' },
    { from: 'reauthRequired', on: 'LoggedOut', to: 'signedOut' },
    ...clientStates.map((s) => ({ from: s, on: 'TokensWiped' as const, to: 'signedOut' as const })),
    ...loops(clientStates, 'PasswordForgotten'),
  ],
});

const authServerStates = ['userActive', 'userSuspended'] as const;
export type AuthServerPhase = (typeof authServerStates)[number];
export type AuthServerFact = 'UserSuspended' | 'UserReinstated' | 'PasswordChanged' | 'GrantsRevoked';

export const authServerMachine = machine<AuthServerPhase, AuthServerFact>({
  id: 'authServer',
  title: 'Authorization server (the user account)',
  initial: 'userActive',
  states: authServerStates,
  describe: {
    userActive: 'logins and refreshes for the user can succeed',
    userSuspended: 'an admin blocked the user: logins, refreshes and introspection say no',
  },
  transitions: [
    ...loops(authServerStates, 'UserSuspended').map((t) => ({ ...t, to: 'userSuspended' as const })),
    ...loops(authServerStates, 'UserReinstated').map((t) => ({ ...t, to: 'userActive' as const })),
    ...loops(authServerStates, 'PasswordChanged'),
    ...loops(authServerStates, 'GrantsRevoked'),
  ],
});

const resourceServerStates = ['waiting', 'accepted', 'rejected'] as const;
export type ResourceServerPhase = (typeof resourceServerStates)[number];
export type ResourceServerFact = 'RequestAccepted' | 'RequestRejected';

export const resourceServerMachine = machine<ResourceServerPhase, ResourceServerFact>({
  id: 'resourceServer',
  title: 'Resource server (its last decision)',
  initial: 'waiting',
  states: resourceServerStates,
  describe: {
    waiting: 'has not been called yet',
    accepted: 'accepted the last request',
    rejected: 'rejected the last request',
  },
  transitions: [
    ...resourceServerStates.map((s) => ({ from: s, on: 'RequestAccepted' as const, to: 'accepted' as const })),
    ...resourceServerStates.map((s) => ({ from: s, on: 'RequestRejected' as const, to: 'rejected' as const })),
  ],
});

const attackerStates = ['empty', 'holding'] as const;
export type AttackerPhase = (typeof attackerStates)[number];
export type AttackerFact = 'LootAcquired' | 'LootDropped' | 'LootExhausted';

export const attackerMachine = machine<AttackerPhase, AttackerFact>({
  id: 'attacker',
  title: 'Attacker',
  initial: 'empty',
  states: attackerStates,
  describe: {
    empty: 'holds nothing of the user’s',
    holding: 'holds stolen or obtained credentials',
  },
  transitions: [
    { from: 'empty', on: 'LootAcquired', to: 'holding' },
    { from: 'holding', on: 'LootAcquired', to: 'holding' },
    { from: 'holding', on: 'LootDropped', to: 'holding' },
    { from: 'holding', on: 'LootExhausted', to: 'empty' },
  ],
});

export const PARTY_MACHINES = {
  client: clientMachine,
  authServer: authServerMachine,
  resourceServer: resourceServerMachine,
  attacker: attackerMachine,
} as const satisfies Record<Party, Machine<string, string>>;

/** The declared target of `on` from `from`; throws on an undeclared step (a core bug). */
export function nextPhase<S extends string, E extends string>(m: Machine<S, E>, from: S, on: E): S {
  const found = m.transitions.find((t) => t.from === from && t.on === on);
  if (!found) throw new Error(`${m.id}: no transition from ${from} on ${on}`);
  return found.to;
}

/**
 * The AS's sign-in session (SEMANTICS.md §10): a cookie in the user's browser, apart from any
 * grant. Not a party's phase: the UI derives the current state from the AS's record of it.
 */
const signInSessionStates = ['none', 'live', 'ended'] as const;
export type SignInSessionPhase = (typeof signInSessionStates)[number];
export type SignInSessionFact = 'SignedInWithPassword' | 'SilentSignIn' | 'Ended' | 'LifetimeOver';
export const signInSessionMachine = machine<SignInSessionPhase, SignInSessionFact>({
  id: 'signInSession',
  title: 'Sign-in session at the AS',
  initial: 'none',
  states: signInSessionStates,
  describe: {
    none: 'no session: the next sign-in asks for the password',
    live: 'a sign-in needs no password (silent), and renews its idle time',
    ended: 'logout, a password change, revoke-all, suspension or a lifetime ended it',
  },
  transitions: [
    { from: 'none', on: 'SignedInWithPassword', to: 'live' },
    { from: 'live', on: 'SilentSignIn', to: 'live' },
    { from: 'live', on: 'Ended', to: 'ended' },
    { from: 'live', on: 'LifetimeOver', to: 'ended' },
    { from: 'ended', on: 'SignedInWithPassword', to: 'live' },
  ],
});

/** The life of one authorization code (SEMANTICS.md §10): 60 s, single use. */
const authorizationCodeStates = ['issued', 'redeemed', 'expired'] as const;
export type AuthorizationCodePhase = (typeof authorizationCodeStates)[number];
export type AuthorizationCodeFact = 'Redeemed' | 'LifetimeOver';
export const authorizationCodeMachine = machine<AuthorizationCodePhase, AuthorizationCodeFact>({
  id: 'authorizationCode',
  title: 'Authorization code',
  initial: 'issued',
  states: authorizationCodeStates,
  describe: {
    issued: 'can be redeemed once, with the matching PKCE verifier, within 60 s',
    redeemed: 'was exchanged for tokens; a second redemption revokes that grant',
    expired: 'its 60 s are over: the AS has forgotten it',
  },
  transitions: [
    { from: 'issued', on: 'Redeemed', to: 'redeemed' },
    { from: 'issued', on: 'LifetimeOver', to: 'expired' },
  ],
});
