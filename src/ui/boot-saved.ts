// Restoring the saved session at start-up: boot.ts loads this only when there is one, with the
// validator (session-read.ts) it needs. The notices say why a fresh start was made instead.
import { readSession } from './session-read';
import type { Session } from './session-format';
import type { SimStore } from './store';

/** Loads the saved session into the store; resolves with a notice when it could not (the store is then as it was). */
export async function restoreSession(store: SimStore, saved: Session, what: 'session' | 'lesson' = 'session'): Promise<string | null> {
  const instead = what === 'session' ? 'a fresh one was started' : 'the list of lessons is shown instead';
  const read = readSession(saved);
  if (!read.ok) return `Your saved ${what} could not be read (${read.error}), so ${instead}.`;
  try {
    await store.getState().load(read.scenario, read.ops);
    return null;
  } catch (error) {
    return `Your saved ${what} could not be replayed (${error instanceof Error ? error.message : String(error)}), so ${instead}.`;
  }
}
