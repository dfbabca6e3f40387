// `npm run --silent sim -- FILE [--preset ID] [--max-events N]`: runs a scenario headless and
// prints its outcome as JSON (SCENARIO-FORMAT.md "The runner"). Exit 2 with one line on stderr for
// bad input, and for a run that reaches its work budget (src/sim/budget.ts).
import { readFileSync } from 'node:fs';
import { budgetOf, DEFAULT_MAX_EVENTS, grouped, isBudgetExceeded, limitText, MIN_EVENTS_PER_OCCURRENCE } from '../src/sim/budget';
import { PRESET_IDS } from '../src/sim/config';
import { formatDuration } from '../src/sim/duration';
import { isPresetId, parseScenarioText, withPreset } from '../src/sim/scenario';
import type { Outcome } from '../src/sim/types';
import { runScenario } from '../src/sim/world';

const USAGE = 'usage: npm run --silent sim -- FILE [--preset ID] [--max-events N]   (FILE may be - for standard input)';

/** Control characters (a binary file's NULs, escapes, line breaks) shown as \uXXXX: one clean line. */
function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function fail(message: string): never {
  process.stderr.write(`${escapeControls(message)}\n`);
  process.exit(2);
}

interface Args {
  file: string;
  preset: string | null;
  maxEvents: number;
}

function parseMaxEvents(value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    fail(`--max-events: expected a whole number ≥ 1, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  }
  return n;
}

function parseArgs(args: string[]): Args {
  let file: string | null = null;
  let preset: string | null = null;
  let maxEvents = DEFAULT_MAX_EVENTS;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--preset') {
      preset = args[++i] ?? fail(`--preset: missing preset id (one of ${PRESET_IDS.join(', ')})`);
    } else if (arg.startsWith('--preset=')) {
      preset = arg.slice('--preset='.length);
    } else if (arg === '--max-events') {
      maxEvents = parseMaxEvents(args[++i]);
    } else if (arg.startsWith('--max-events=')) {
      maxEvents = parseMaxEvents(arg.slice('--max-events='.length));
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
  return { file, preset, maxEvents };
}

function readInput(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    fail(`${file}: cannot read (${code === 'ENOENT' ? 'no such file' : (code ?? 'read error')})`);
  }
}

/**
 * Writes `JSON.stringify(outcome, null, 2)` piece by piece: the same text, without building a
 * string of the whole trace (a month of events prints tens of megabytes).
 */
async function writeOutcome(outcome: Outcome): Promise<void> {
  let buffered = '';
  const flush = async () => {
    if (buffered === '') return;
    const text = buffered;
    buffered = '';
    if (!process.stdout.write(text)) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
  };
  const write = async (text: string) => {
    buffered += text;
    if (buffered.length > 1 << 20) await flush();
  };
  const streamed = ['steps', 'events'] as const;
  const skeleton = JSON.stringify({ ...outcome, steps: [], events: [] }, null, 2);
  let rest = skeleton;
  for (const key of streamed) {
    const marker = `\n  "${key}": []`;
    const at = rest.indexOf(marker);
    await write(rest.slice(0, at));
    rest = rest.slice(at + marker.length);
    const items: readonly unknown[] = outcome[key];
    if (items.length === 0) {
      await write(marker);
      continue;
    }
    await write(`\n  "${key}": [`);
    for (const [i, item] of items.entries()) {
      await write(`${i === 0 ? '' : ','}\n    ${JSON.stringify(item, null, 2).replace(/\n/g, '\n    ')}`);
    }
    await write('\n  ]');
  }
  await write(`${rest}\n`);
  await flush();
}

async function main(): Promise<void> {
  const { file, preset, maxEvents } = parseArgs(process.argv.slice(2));
  if (preset !== null && !isPresetId(preset)) fail(`--preset: unknown preset "${preset}" (one of ${PRESET_IDS.join(', ')})`);
  const parsed = parseScenarioText(readInput(file));
  if (!parsed.ok) fail(parsed.error);
  const scenario = preset !== null && isPresetId(preset) ? withPreset(parsed.scenario, preset) : parsed.scenario;
  const budget = budgetOf(maxEvents);
  // Known before running: every step occurrence records at least two events.
  const occurrences = scenario.steps.reduce((n, step) => n + (step.repeat?.times ?? 1), 0);
  if (occurrences * MIN_EVENTS_PER_OCCURRENCE > budget.events) {
    fail(
      `steps: ${grouped(occurrences)} step occurrences record over ${grouped(budget.events)} events, the budget of one run (raise it with --max-events N)`,
    );
  }
  let outcome: Outcome;
  try {
    outcome = await runScenario(scenario, budget);
  } catch (error) {
    if (!isBudgetExceeded(error)) throw error;
    const hint = error.limit === 'span' ? '' : ' (raise it with --max-events N)';
    fail(`(run): stopped at ${formatDuration(error.at)}, nothing printed: ${limitText(error.limit, error.max)}${hint}`);
  }
  await writeOutcome(outcome);
}

main().catch((error: unknown) => {
  // A bug in the core, not bad input: still one line, no stack trace.
  process.stderr.write(`${escapeControls(`internal error: ${error instanceof Error ? error.message : String(error)}`)}\n`);
  process.exit(1);
});
