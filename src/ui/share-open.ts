// Opening a share link (#s=…) found at start-up: loaded only when the page was opened with one.
// Decodes it (share.ts, as hostile input), opens it over the session boot.ts started (a sandbox
// session is kept as a branch), switches to the link's mode and says what happened.
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
  storeFor: (mode: Mode) => SimStore,
  { announce, setMode, cancelled }: { announce: Announce; setMode: (mode: Mode) => void; cancelled: () => boolean },
): Promise<void> {
  const decoded = decodeShare(hash);
  if (cancelled()) return;
  if (!decoded.ok) {
    announce(`✗ This link could not be opened: ${decoded.error}. Your session is as it was.`, 'error');
    return;
  }
  // A lesson opens in the lessons' world; anything else in the sandbox's.
  const store = storeFor(decoded.mode);
  const branchesBefore = store.getState().branches.length;
  try {
    // The sandbox's line is kept under Branches; a lesson under way is simply replaced (Restart rebuilds it).
    if (decoded.mode === 'lessons') await store.getState().load(decoded.scenario, decoded.ops);
    else await store.getState().open(decoded.scenario, decoded.ops, 'Your session before opening a link');
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
