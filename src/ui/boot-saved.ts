// Restoring a saved session at start-up: the engine checks and replays it (the validator loads in
// the engine's worker, not on the page). The notices say why a fresh start was made instead.
import type { Session } from './session-format';
import { SessionError, type SimStore } from './store';

/** Loads the saved session into the store; resolves with a notice when it could not (the store is then as it was). */
export async function restoreSession(store: SimStore, saved: Session, what: 'session' | 'lesson' = 'session'): Promise<string | null> {
  const instead = what === 'session' ? 'a fresh one was started' : 'the list of lessons is shown instead';
  try {
    await store.getState().loadSession(saved);
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof SessionError && error.reading) return `Your saved ${what} could not be read (${message}), so ${instead}.`;
    return `Your saved ${what} could not be replayed (${message}), so ${instead}.`;
  }
}
