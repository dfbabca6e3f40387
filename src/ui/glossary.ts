// The glossary's definitions, in plain words (loaded with the glossary dialog). Each says what the
// word means in this app, and where the app simplifies, it says "here". Claims about real servers
// are listed with their sources in docs/CLAIMS.md.
import { GLOSSARY_TERMS, type GlossaryTerm, type GlossaryTermId } from './glossary-terms';

export interface GlossaryEntry extends GlossaryTerm {
  /** One or two short paragraphs. */
  text: string[];
  /** Where it is defined. */
  source: string;
}

const TEXT: Record<GlossaryTermId, { text: string[]; source: string }> = {
  'access-token': {
    text: [
      'What the app shows the API with each request. Whoever holds it can use it (a “bearer” token), so it is kept short-lived.',
      'Here it is a signed JWT that the API checks by itself, without asking anybody; some servers issue opaque access tokens that the API has to look up instead.',
    ],
    source: 'RFC 6749 §1.4, RFC 6750, RFC 9068',
  },
  'refresh-token': {
    text: [
      'What the app uses to get a new access token without asking the user again. It goes only to the authorization server, which looks it up in its records every time, so it can be refused or revoked.',
      'Here it is an opaque random string; some servers issue refresh tokens as JWTs.',
    ],
    source: 'RFC 6749 §1.5, §6',
  },
  grant: {
    text: [
      'Everything one sign-in gave an app: its first tokens and every token later refreshed from them. The authorization server tracks them together, as one token family, and revokes them together (on logout, on reuse detection, by an admin).',
      'A new sign-in starts a new grant and leaves the others alone. Revoking a grant is not signing out of the authorization server: that is the sign-in session.',
    ],
    source: 'RFC 6749 §1.3; RFC 9700 §4.14.2 (token family)',
  },
  'sign-in-session': {
    text: [
      'The authorization server’s own memory that this browser signed in: a cookie at the server, separate from any grant. While it lives, a new sign-in skips the password (a silent sign-in), even after a refresh token ran out.',
      'Logging out of the app ends it here; so do a password change, an admin’s revoke-all and a suspension. Lessons without one prompt for the password at every sign-in.',
    ],
    source: 'OpenID Connect Core §3.1.2.1 (prompt=none); RP-Initiated Logout',
  },
  'authorization-code': {
    text: [
      'A one-time ticket the authorization server hands back after the user signed in on its page. The app trades it for tokens at once. It lives a minute here and works only once.',
    ],
    source: 'RFC 6749 §4.1',
  },
  pkce: {
    text: [
      'Proof Key for Code Exchange. Before sign-in the app makes a random secret (the code verifier) and sends only its hash (the code challenge). To trade the code for tokens it must show the secret, so a code caught by someone else is worthless.',
    ],
    source: 'RFC 7636; RFC 9700 §2.1.1',
  },
  rotation: {
    text: [
      'Each refresh returns a new refresh token and uses up the old one, so every refresh token works once. That is what makes reuse detection possible.',
    ],
    source: 'RFC 6749 §6; RFC 9700 §4.14.2',
  },
  'reuse-detection': {
    text: [
      'When a used-up refresh token comes back, two parties must hold copies, so the server revokes the whole grant. It cannot tell who is the thief, and it also fires without one: two tabs sharing a token, or a lost reply followed by a retry.',
    ],
    source: 'RFC 9700 §4.14.2',
  },
  introspection: {
    text: [
      'The API asking the authorization server “is this token still active?” instead of trusting the token by itself. Revocation then takes effect on the next call, at the cost of one lookup per call. Real APIs may cache the answers for a while.',
    ],
    source: 'RFC 7662 §2, §4',
  },
  exposure: {
    text: [
      'How long the attacker could have made a successful API call with what it held, whether or not it tried. The comparisons measure it.',
    ],
    source: 'this app’s measure (SEMANTICS.md §9)',
  },
  dpop: {
    text: [
      'Demonstrating Proof of Possession: the app’s tokens are bound to a key only the app can use, and every request carries a fresh proof signed with it. A stolen copy fails elsewhere.',
      'It does not stop a script running in the page: that script can have the key sign for it, and can start a sign-in of its own bound to its own key.',
    ],
    source: 'RFC 9449 (§11.4 for its limits)',
  },
  bff: {
    text: [
      'Backend-for-frontend: a small server next to a browser app that signs in for it and keeps its tokens. The browser holds only a cookie no script can read, so nothing can be copied from the page; a script in the page can still send requests through it while it runs there.',
    ],
    source: 'OAuth 2.0 for Browser-Based Applications (BBA) §6.1',
  },
  xss: {
    text: [
      'Cross-site scripting: an attacker’s code running inside the app’s page. It reads what the page can read, copies tokens as they arrive, and acts as the app for as long as it runs there.',
    ],
    source: 'BBA §5.1',
  },
};

export const GLOSSARY: readonly GlossaryEntry[] = GLOSSARY_TERMS.map((term) => ({ ...term, ...TEXT[term.id] }));
