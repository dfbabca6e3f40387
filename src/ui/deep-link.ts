// Links that open one thing, and the embed form (README "Embed it in a page"):
//   #lesson=<lesson id>                       a guided lesson, at its start
//   #compare=<script id>[&a=<preset>&b=<preset>]  a comparison, run at once
//   #s=<data>                                 a shared session (share.ts)
// `?embed=1` before the fragment opens any of them in the compact embed layout (EmbedApp.tsx),
// which keeps nothing in the browser's storage. This module is read at start-up, so it is tiny
// and checks only the shape; the lesson and compare views check that the ids exist.

export type DeepLink =
  | { kind: 'lesson'; id: string }
  | { kind: 'compare'; script: string; a: string | null; b: string | null }
  | { kind: 'share'; fragment: string };

export const LESSON_PREFIX = '#lesson=';
export const COMPARE_PREFIX = '#compare=';

/** Ids are file-name slugs; anything else in a link is refused before it reaches a view. */
const ID = /^[a-z0-9][a-z0-9-]{0,79}$/;

/** What a URL fragment asks to open: null when it is none of the forms above (or malformed). */
export function readDeepLink(hash: string): DeepLink | null {
  if (hash.startsWith('#s=')) return { kind: 'share', fragment: hash };
  if (hash.startsWith(LESSON_PREFIX)) {
    const id = hash.slice(LESSON_PREFIX.length);
    return ID.test(id) ? { kind: 'lesson', id } : null;
  }
  if (hash.startsWith(COMPARE_PREFIX)) {
    const [script = '', ...rest] = hash.slice(COMPARE_PREFIX.length).split('&');
    if (!ID.test(script)) return null;
    const sides: Record<string, string> = {};
    for (const part of rest) {
      const [key, value = ''] = part.split('=');
      if ((key !== 'a' && key !== 'b') || !ID.test(value) || sides[key]) return null;
      sides[key] = value;
    }
    return { kind: 'compare', script, a: sides.a ?? null, b: sides.b ?? null };
  }
  return null;
}

/** The fragment for a deep link (the inverse of readDeepLink). */
export function deepLinkFragment(link: DeepLink): string {
  if (link.kind === 'share') return link.fragment;
  if (link.kind === 'lesson') return `${LESSON_PREFIX}${link.id}`;
  return `${COMPARE_PREFIX}${link.script}${link.a ? `&a=${link.a}` : ''}${link.b ? `&b=${link.b}` : ''}`;
}

/** Whether the page was opened as an embed (`?embed=1`). */
export function isEmbed(search: string): boolean {
  return new URLSearchParams(search).get('embed') === '1';
}
