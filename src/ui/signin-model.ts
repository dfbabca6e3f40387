// Signing in as the panels and the inspector show it (SEMANTICS.md §10): the AS's sign-in
// session, how a grant began, an authorization code's state, where the app keeps its tokens.
// Pure functions of a view.
import type { AuthorizationCodePhase, SignInSessionPhase } from '../sim/machines';
import { sessionDeadline, sessionLive } from '../sim/rules/signin';
import type { Grant } from '../sim/state';
import type { AuthorizationCodeRecord, Config } from '../sim/types';
import { formatClock, formatRelative } from './format';
import { sessionEndLabel } from './session-words';
import type { WorldView } from './view';

export interface SessionModel {
  phase: SignInSessionPhase;
  /** S1, S2, … or null when none was ever started. */
  id: string | null;
  /** One line in words: "S1 ✓ live since 09:00:00; idle until 10:00:00, at most until 17:00:00". */
  text: string;
}

/** The user's sign-in session at the AS now: the live one, or the last one and how it ended. */
export function signInSessionModel(view: WorldView): SessionModel {
  const rules = view.config.authServer.signInSession;
  if (rules === null)
    return { phase: 'none', id: null, text: 'none: this server keeps no sign-in session, so every sign-in asks for the password' };
  const clock = (t: number) => formatClock(view.epochSeconds + t, view.epochSeconds + view.t);
  const session = view.state.authServer.signInSession;
  if (session) {
    const deadline = sessionDeadline(rules, session);
    if (sessionLive(rules, session, view.t)) {
      const limits: string[] = [];
      if (rules.idleTtl !== null) limits.push(`idle until ${clock(session.lastUse + rules.idleTtl)}`);
      if (rules.absoluteTtl !== null) limits.push(`at most until ${clock(session.startedAt + rules.absoluteTtl)}`);
      return {
        phase: 'live',
        id: session.id,
        text: `${session.id} ✓ live since ${clock(session.startedAt)}; ${limits.length ? limits.join(', ') : 'no lifetime limit'} — a sign-in now needs no password`,
      };
    }
    const byIdle = rules.idleTtl !== null && deadline === session.lastUse + rules.idleTtl;
    return {
      phase: 'ended',
      id: session.id,
      text: `${session.id} ✗ ended at ${clock(deadline)} (${byIdle ? 'idle' : 'absolute'} lifetime over, ${formatRelative(deadline, view.t)})`,
    };
  }
  // Ended by an event: the newest SignInSessionEnded says when and why (searched from the end).
  for (let i = view.events.length - 1; i >= 0; i--) {
    const e = view.events[i]!;
    if (e.type === 'SignInSessionEnded')
      return { phase: 'ended', id: e.sessionId, text: `${e.sessionId} ✗ ended at ${clock(e.t)} (${sessionEndLabel(e.why)})` };
    if (e.type === 'SignInSessionStarted') break;
  }
  return { phase: 'none', id: null, text: 'none yet: the next sign-in asks for the password' };
}

/** How a grant began: the user's sign-in, a stolen password, an intercepted code, a silent sign-in from the page. */
export function grantOrigin(view: WorldView, grant: Grant): string {
  if (grant.by !== 'attacker') return view.config.login === 'password-grant' ? 'the user’s login (password grant)' : 'the user’s sign-in';
  for (const code of Object.values(view.state.authServer.codes)) {
    if (code.grantId !== grant.id) continue;
    return code.requestedBy === 'attacker'
      ? 'the attacker’s silent sign-in from the hijacked page'
      : 'an authorization code the attacker intercepted';
  }
  return 'the attacker’s login with a stolen password';
}

/** An authorization code's state now: redeemed, expired (60 s over), or still redeemable. */
export function codePhase(view: WorldView, code: AuthorizationCodeRecord): AuthorizationCodePhase {
  if (code.usedAt !== null) return 'redeemed';
  return view.t >= code.expiresAt ? 'expired' : 'issued';
}

/** How the app signs in, in words (the password grant always labelled as the legacy anti-pattern). */
export function loginModeText(config: Config): string {
  if (config.login === 'password-grant') return '⚠ password grant (legacy): the app sees the password — forbidden by RFC 9700 §2.4';
  return config.pkce
    ? 'code + PKCE: the user types the password at the AS’s page; the app never sees it'
    : 'code without PKCE: the user types the password at the AS’s page; an intercepted code is enough to redeem it';
}

/** Where the app keeps its tokens, in words. */
export function tokenStorageText(config: Config): string {
  return config.client.tokenStorage === 'bff'
    ? 'at the BFF (a backend): the browser holds only an HttpOnly session cookie no script can read'
    : 'in the browser page: whatever reads the app’s storage can copy them';
}
