// What Settings' Apply restarts with: loaded with the settings dialog (App.tsx), so the first page
// carries neither the presets' tables nor the count of a script's occurrences (script.ts).
import type { Scenario } from '../sim/types';
import type { Mode } from './persistence';
import { sandboxWithSettingsOf, scriptAttached } from './script';
import type { WorldView } from './view';

/**
 * The scenario a world restarts with after Settings: in the sandbox a script is kept only while
 * it is being followed (an imported file played from its start); one that was left (a lesson
 * explored from) stays left.
 */
export function scenarioAfterSettings(mode: Mode, view: WorldView, scenario: Scenario): Scenario {
  const keepScript = mode !== 'sandbox' || scriptAttached(view);
  return keepScript ? scenario : sandboxWithSettingsOf(scenario);
}
