// Every built-in scenario under every preset, as Compare mode and `npm run sim -- FILE --preset ID`
// run them: each run's golden story (golden-story.ts) is kept in __golden__/presets/ID.PRESET.txt,
// so a change of behaviour under any configuration shows in a diff. Apart from scenarios.test.ts
// so the two files run in parallel. Update with `npx vitest run -u src/scenarios`.
import { describe, expect, it } from 'vitest';
import { PRESET_IDS } from '../sim/config';
import { parseScenario, withPreset } from '../sim/scenario';
import { runScenario } from '../sim/world';
import { goldenStory } from './golden-story';
import { BUILT_IN_SCENARIOS } from './index';

describe.each(BUILT_IN_SCENARIOS.map((entry) => [entry.id, entry] as const))('%s', (id, entry) => {
  it.each(PRESET_IDS)('under %s matches its golden story', async (preset) => {
    const parsed = parseScenario(entry.json);
    if (!parsed.ok) throw new Error(`${id}: ${parsed.error}`);
    const scenario = withPreset(parsed.scenario, preset);
    const outcome = await runScenario(scenario);
    await expect(goldenStory({ id, kind: entry.kind, preset, scenario, outcome })).toMatchFileSnapshot(
      `./__golden__/presets/${id}.${preset}.txt`,
    );
  });
});
