// `npm run --silent sim -- FILE [--preset ID]`: runs a scenario headless and prints its outcome
// as JSON (SCENARIO-FORMAT.md "The runner"). Exit 2 with one line on stderr for bad input.
import { readFileSync } from 'node:fs';
import { PRESET_IDS } from '../src/sim/config';
import { isPresetId, parseScenarioText, withPreset } from '../src/sim/scenario';
import { runScenario } from '../src/sim/world';

const USAGE = 'usage: npm run --silent sim -- FILE [--preset ID]   (FILE may be - for standard input)';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function parseArgs(args: string[]): { file: string; preset: string | null } {
  let file: string | null = null;
  let preset: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--preset') {
      preset = args[++i] ?? fail(`--preset: missing preset id (one of ${PRESET_IDS.join(', ')})`);
    } else if (arg.startsWith('--preset=')) {
      preset = arg.slice('--preset='.length);
    } else if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (arg.startsWith('-') && arg !== '-') {
      fail(`${arg}: unknown option. ${USAGE}`);
    } else if (file === null) {
      file = arg;
    } else {
      fail(`${arg}: unexpected argument (only one FILE). ${USAGE}`);
    }
  }
  if (file === null) fail(`missing FILE. ${USAGE}`);
  return { file, preset };
}

function readInput(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    fail(`${file}: cannot read (${code === 'ENOENT' ? 'no such file' : (code ?? 'read error')})`);
  }
}

async function main(): Promise<void> {
  const { file, preset } = parseArgs(process.argv.slice(2));
  if (preset !== null && !isPresetId(preset)) fail(`--preset: unknown preset "${preset}" (one of ${PRESET_IDS.join(', ')})`);
  const parsed = parseScenarioText(readInput(file));
  if (!parsed.ok) fail(parsed.error);
  const scenario = preset !== null && isPresetId(preset) ? withPreset(parsed.scenario, preset) : parsed.scenario;
  const outcome = await runScenario(scenario);
  process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
}

main().catch((error: unknown) => {
  // A bug in the core, not bad input: still one line, no stack trace.
  process.stderr.write(`internal error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
