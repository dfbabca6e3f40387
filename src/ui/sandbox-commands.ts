// Starting the sandbox over, loaded on first use (App.tsx): "New sandbox" and "Keep exploring"
// (an empty world with given settings) and "Explore from here" (a lesson's moment, its script
// left). Both open the new world in the sandbox's store, which keeps the line it leaves under
// Branches; they resolve with the sentence to announce.
import type { Scenario } from '../sim/types';
import { sandboxWithSettingsOf, scriptAttached } from './script';
import type { StoredOp } from './session-format';
import type { SimStore } from './store';

/** An empty sandbox with the settings of `from`. */
export async function startNewSandbox(sandbox: SimStore, from: Scenario, label: string, said: string): Promise<string> {
  const before = sandbox.getState().branches.length;
  await sandbox.getState().open(sandboxWithSettingsOf(from), [], label);
  const kept = sandbox.getState().branches.length > before ? ' The previous sandbox is under Branches.' : '';
  return `✓ ${said}${kept}`;
}

/** The lesson's moment, without the rest of its script, as the sandbox; null when no lesson is loaded. */
export async function exploreLessonMoment(sandbox: SimStore, lessonStore: SimStore): Promise<string | null> {
  const lesson = lessonStore.getState();
  if (!lesson.view || !lesson.session) return null;
  const detach: StoredOp[] = lesson.view && scriptAttached(lesson.view) ? [{ kind: 'detach' }] : [];
  const before = sandbox.getState().branches.length;
  await sandbox.getState().open(lesson.view.scenario, [...lesson.session.ops, ...detach], 'Sandbox before exploring a lesson');
  const kept = sandbox.getState().branches.length > before ? ' Your previous sandbox is under Branches.' : '';
  return `✓ The lesson’s moment is now the sandbox, without its script: act freely.${kept}`;
}
