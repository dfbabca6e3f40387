// Addresses for the Share menu's embed code and EmbedApp's "Open in tokenscope" (the link forms
// are in deep-link.ts), and the comparison the compare view shows. Loaded on first use: the first
// page does without it.
import type { DeepLink } from './deep-link';

/** The page's address for the full app (no `?embed=1`, no fragment) and for an embed of it. */
export function appUrls(location: { origin: string; pathname: string; search: string }): { app: string; embed: string } {
  const params = new URLSearchParams(location.search);
  params.delete('embed');
  const rest = params.toString();
  const app = `${location.origin}${location.pathname}${rest ? `?${rest}` : ''}`;
  params.set('embed', '1');
  return { app, embed: `${location.origin}${location.pathname}?${params.toString()}` };
}

/** The comparison the compare view shows, for the Share menu's embed code (null outside compare). */
let currentComparison: DeepLink | null = null;
export function setCurrentComparison(link: DeepLink | null): void {
  currentComparison = link;
}
export function getCurrentComparison(): DeepLink | null {
  return currentComparison;
}
