// Opening a share link (#s=…) found at start-up: loaded only when the page was opened with one.
// Decodes it (share.ts, as hostile input), opens it over the session boot.ts started (that session
// is kept as a branch), switches to the link's mode and says what happened.
import type { Announce } from './announce';
import { formatInstant } from './format';
import type { Mode } from './persistence';
import { decodeShare } from './share';
import type { SimStore } from './store';

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function openShareLink(
  hash: string,
  store: SimStore,
  { announce, setMode, cancelled }: { announce: Announce; setMode: (mode: Mode) => void; cancelled: () => boolean },
): Promise<void> {
  const decoded = decodeShare(hash);
  if (cancelled()) return;
  if (!decoded.ok) {
    announce(`✗ This link could not be opened: ${decoded.error}. Your session is as it was.`, 'error');
    return;
  }
  const branchesBefore = store.getState().branches.length;
  try {
    await store.getState().open(decoded.scenario, decoded.ops, 'Your session before opening a link');
  } catch (error) {
    if (!cancelled()) announce(`✗ This link could not be opened: ${errorText(error)}. Your session is as it was.`, 'error');
    return;
  }
  if (cancelled()) return;
  setMode(decoded.mode);
  const view = store.getState().view;
  const where = view ? ` at ${formatInstant(view.epochSeconds + view.t)}` : '';
  const kept = store.getState().branches.length > branchesBefore ? ' Your own session is saved under Branches.' : '';
  announce(`✓ Opened a shared link: “${decoded.scenario.title ?? 'Untitled'}”${where}.${kept}`, 'ok');
}
