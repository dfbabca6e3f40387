// Part of the one vocabulary (vocabulary.ts): why the AS's sign-in session ended, a label and a
// sentence. A leaf of its own because the first page's panels (signin-model.ts) show it.
import type { SignInSessionEnd } from '../sim/types';
import type { Words } from './vocabulary';

export const SESSION_END_WORDS: Record<SignInSessionEnd, Words> = {
  logout: { label: 'logout', sentence: 'The app logged out, which also ends the sign-in session at the authorization server here.' },
  password_change: { label: 'password change', sentence: 'The user changed the password, which ends the sign-in session.' },
  revoke_all: { label: 'an admin revoked everything', sentence: 'An admin revoked all of the user’s grants and sessions.' },
  suspension: { label: 'suspension', sentence: 'An admin suspended the user, which ends the sign-in session.' },
};

export function sessionEndLabel(why: SignInSessionEnd): string {
  return SESSION_END_WORDS[why].label;
}

export function sessionEndSentence(why: SignInSessionEnd): string {
  return SESSION_END_WORDS[why].sentence;
}
