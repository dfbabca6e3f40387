// The client panel's warning when the app still believes it is signed in but nothing it holds
// works any more by time (lapsed.ts): status that follows the clock.
import { formatClock } from '../format';
import { clientLapsedSince } from '../lapsed';
import type { WorldView } from '../view';

export function LapsedNote({ view }: { view: WorldView }) {
  const lapsed = clientLapsedSince(view);
  if (lapsed === null) return null;
  return (
    <p className="rounded border border-amber-600 bg-amber-50 px-2 py-1 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-50">
      <span aria-hidden="true">⚠ </span>“Signed in” only in the app’s eyes: nothing it holds has worked since{' '}
      {formatClock(view.epochSeconds + lapsed, view.epochSeconds + view.t)}. It finds out at its next call.
    </p>
  );
}
