// The glossary's terms and the words that name them in a text, without their definitions (which
// load with the glossary dialog). The lesson panel uses this to offer "words used here" buttons.

export type GlossaryTermId =
  | 'access-token'
  | 'refresh-token'
  | 'grant'
  | 'sign-in-session'
  | 'authorization-code'
  | 'pkce'
  | 'rotation'
  | 'reuse-detection'
  | 'introspection'
  | 'exposure'
  | 'dpop'
  | 'bff'
  | 'xss';

export interface GlossaryTerm {
  id: GlossaryTermId;
  /** The term as the glossary heads it. */
  term: string;
  /** Words in a text that mean this term (case-insensitive, whole words). */
  pattern: RegExp;
}

/** In the order the glossary lists them: the two tokens, then signing in, then the defences. */
export const GLOSSARY_TERMS: readonly GlossaryTerm[] = [
  { id: 'access-token', term: 'Access token', pattern: /\baccess tokens?\b/i },
  { id: 'refresh-token', term: 'Refresh token', pattern: /\brefresh tokens?\b/i },
  { id: 'grant', term: 'Grant (token family)', pattern: /\bgrants?\b|\btoken famil(?:y|ies)\b/i },
  { id: 'sign-in-session', term: 'Sign-in session', pattern: /\bsign-in sessions?\b/i },
  { id: 'authorization-code', term: 'Authorization code', pattern: /\bauthori[sz]ation codes?\b|\bone-time code\b/i },
  { id: 'pkce', term: 'PKCE', pattern: /\bPKCE\b|\bcode verifier\b|\bcode challenge\b/i },
  { id: 'rotation', term: 'Rotation', pattern: /\brotat(?:ion|es|ing|e)\b/i },
  { id: 'reuse-detection', term: 'Reuse detection', pattern: /\breuse detection\b|\breused?\b/i },
  { id: 'introspection', term: 'Introspection', pattern: /\bintrospect(?:ion|s|ed)?\b/i },
  { id: 'exposure', term: 'Exposure', pattern: /\bexposure\b/i },
  { id: 'dpop', term: 'DPoP (sender-constrained tokens)', pattern: /\bDPoP\b|\bsender-constrained\b/i },
  { id: 'bff', term: 'Backend-for-frontend (BFF)', pattern: /\bBFF\b|\bbackend-for-frontend\b/i },
  {
    id: 'xss',
    term: 'Script in the page (XSS)',
    pattern: /\bXSS\b|\bcross-site scripting\b|\bscript in (?:the|her|his|their) (?:open )?page\b/i,
  },
];

/** The glossary terms a text uses, in glossary order, each once. */
export function termsIn(...texts: ReadonlyArray<string | null | undefined>): GlossaryTerm[] {
  const text = texts.filter((t): t is string => typeof t === 'string').join('\n');
  return GLOSSARY_TERMS.filter((entry) => entry.pattern.test(text));
}
