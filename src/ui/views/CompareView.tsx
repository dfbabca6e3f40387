// Compare mode (PRODUCT.md "Compare"): one script, two configurations, one clock. The reader
// picks a script and a configuration per side; "Run comparison" runs the script under both, each
// in its own world, and shows the measures of SEMANTICS.md §9 side by side, the difference in
// words, and the attacker's exposure on one time axis. Each run goes in an engine worker of its
// own (engine/compare-client.ts), so the page stays responsive and shows both runs' progress.
import { lazy, Suspense, useEffect, useId, useMemo, useRef, useState } from 'react';
import { PRESET_IDS, PRESET_NAMES } from '../../sim/config';
import { parseScenario } from '../../sim/scenario';
import type { Metrics, Scenario, Seconds } from '../../sim/types';
import { BUILT_IN_SCENARIOS } from '../../scenarios';
import {
  comparablePresets,
  configSummary,
  hasOwnSettings,
  measureRows,
  PRESET_SHORT_NAMES,
  scenarioFor,
  SIDE_LETTER,
  SIDES,
  splitMarkers,
  type AxisMarker,
  type ConfigChoice,
  type Interval,
  type Side,
} from '../compare';
import { CompareMeasures } from '../components/CompareMeasures';
import { runComparisonSide, type SideRun } from '../engine/compare-client';
import { CompareMoment } from '../components/CompareMoment';
import { CompareTimeline } from '../components/CompareTimeline';
import { ExportMenu } from '../components/ExportMenu';
import { csvExport, pictureExports } from '../components/export-items';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { setCurrentComparison } from '../embed-link';
import { formatInstant, formatSpan } from '../format';
import { scenarioToJson } from '../../sim/scenario';
import type { PlaybackControls } from './SimulatorView';

// The sweep chart runs its own worker; it loads when the compare view does, not before.
const TradeoffChart = lazy(() => import('../components/TradeoffChart').then((m) => ({ default: m.TradeoffChart })));

interface Script {
  id: string;
  kind: 'lesson' | 'comparison';
  scenario: Scenario;
}

/** Every built-in script, parsed once (they are checked by the scenario tests). */
function builtInScripts(): Script[] {
  const out: Script[] = [];
  for (const entry of BUILT_IN_SCENARIOS) {
    const parsed = parseScenario(entry.json);
    if (parsed.ok) out.push({ id: entry.id, kind: entry.kind, scenario: parsed.scenario });
  }
  return out;
}

const DEFAULT_SCRIPT = 'compare-seed-question';
/** The core implements sender-constrained tokens (SEMANTICS.md §6), so DPoP is one of the choices. */
const DPOP_SUPPORTED = true;
const DEFAULT_CHOICES: Record<Side, ConfigChoice> = { a: 'long-lived-access', b: 'rotating-refresh' };

interface SideResult {
  choice: ConfigChoice;
  scenario: Scenario;
  metrics: Metrics;
  windows: Interval[];
  markers: AxisMarker[];
}

interface Comparison {
  script: Script;
  end: Seconds;
  sides: Record<Side, SideResult>;
}

type Phase = { kind: 'idle' } | { kind: 'running'; progress: Record<Side, number> } | { kind: 'error'; message: string };

/** Long name of a side's configuration, for headings. */
function longName(choice: ConfigChoice, script: Scenario): string {
  return choice === 'script' ? `The script’s own settings, based on ${PRESET_NAMES[script.config.preset]}` : PRESET_NAMES[choice];
}

function shortName(choice: ConfigChoice): string {
  return choice === 'script' ? 'the script’s own settings' : PRESET_SHORT_NAMES[choice];
}

/** How sentences name a side: "A (long-lived access token)". */
function sentenceName(side: Side, choice: ConfigChoice): string {
  return `${SIDE_LETTER[side]} (${shortName(choice)})`;
}

function scriptTitle(script: Script): string {
  return script.scenario.title ?? script.id;
}

const card = 'rounded-lg border border-slate-300 bg-white p-3 dark:border-slate-700 dark:bg-slate-900';
const select =
  'w-full rounded-md border border-slate-500 bg-white px-2 py-1.5 text-sm text-slate-900 dark:border-slate-400 dark:bg-slate-800 dark:text-slate-50';
const secondaryButton =
  'rounded-md border border-slate-500 bg-white px-3 py-1.5 text-sm font-medium text-slate-900 hover:bg-slate-100 dark:border-slate-400 dark:bg-slate-800 dark:text-slate-50 dark:hover:bg-slate-700';

/** What a link (#compare=…) asks for, checked against the scripts and presets; an error names the bad part. */
function readInitial(
  initial: CompareLink,
  scripts: Script[],
): { ok: true; script: string; choices: Record<Side, ConfigChoice> } | { ok: false; error: string } {
  const script = scripts.find((s) => s.id === initial.script);
  if (!script) return { ok: false, error: `the link names a script this version of tokenscope does not have (“${initial.script}”)` };
  const allowed: string[] = [...comparablePresets(DPOP_SUPPORTED), ...(hasOwnSettings(script.scenario) ? ['script'] : [])];
  const choices = { ...DEFAULT_CHOICES };
  for (const side of SIDES) {
    const value = initial[side];
    if (value === null) continue;
    if (!allowed.includes(value))
      return { ok: false, error: `the link's configuration ${SIDE_LETTER[side]} (“${value}”) is not one of ${allowed.join(', ')}` };
    choices[side] = value as ConfigChoice;
  }
  return { ok: true, script: script.id, choices };
}

export type CompareLink = { script: string; a: string | null; b: string | null };

/** A stored configuration choice, if it is still one of the choices (stored data is untrusted). */
function readChoice(stored: string | undefined, fallback: ConfigChoice): ConfigChoice {
  return stored === 'script' || (stored !== undefined && (PRESET_IDS as readonly string[]).includes(stored))
    ? (stored as ConfigChoice)
    : fallback;
}

export function CompareView({ initial, preferences, updatePreferences }: PlaybackControls & { initial?: CompareLink | undefined }) {
  const scripts = useMemo(builtInScripts, []);
  // A link's comparison (#compare=…) is set up and run once, when the view opens.
  const [fromLink] = useState(() => (initial ? readInitial(initial, scripts) : null));
  // Otherwise the choices made last time (the preferences keep them, so a reload does too).
  const stored = preferences.compare;
  const [scriptId, setScriptIdState] = useState(
    fromLink?.ok ? fromLink.script : stored && scripts.some((s) => s.id === stored.script) ? stored.script : DEFAULT_SCRIPT,
  );
  const [choices, setChoicesState] = useState<Record<Side, ConfigChoice>>(
    fromLink?.ok ? fromLink.choices : { a: readChoice(stored?.a, DEFAULT_CHOICES.a), b: readChoice(stored?.b, DEFAULT_CHOICES.b) },
  );
  const setScriptId = (id: string) => {
    setScriptIdState(id);
    updatePreferences({ compare: { script: id, a: choices.a, b: choices.b } });
  };
  const setChoices = (next: Record<Side, ConfigChoice>) => {
    setChoicesState(next);
    updatePreferences({ compare: { script: scriptId, a: next.a, b: next.b } });
  };
  const [phase, setPhase] = useState<Phase>(
    fromLink && !fromLink.ok
      ? { kind: 'error', message: `${fromLink.error}. Pick a script and configurations here instead.` }
      : { kind: 'idle' },
  );
  const [result, setResult] = useState<Comparison | null>(null);
  const runId = useRef(0);
  const runs = useRef<SideRun[]>([]);
  const ids = { script: useId(), a: useId(), b: useId(), status: useId(), results: useId() };

  // Leaving the view stops a run in progress.
  useEffect(
    () => () => {
      runId.current++;
      for (const r of runs.current) r.cancel();
    },
    [],
  );

  const script = scripts.find((s) => s.id === scriptId) ?? scripts[0]!;
  const ownSettings = hasOwnSettings(script.scenario);
  /** 'script' is offered only for scripts with their own settings; elsewhere it means their preset. */
  const effective = (choice: ConfigChoice): ConfigChoice => (choice === 'script' && !ownSettings ? script.scenario.config.preset : choice);
  const picked: Record<Side, ConfigChoice> = { a: effective(choices.a), b: effective(choices.b) };
  const sweepScripts = useMemo(
    () =>
      [script, ...scripts.filter((s) => s.id !== script.id)].map((s) => ({
        id: s.id,
        title: scriptTitle(s),
        json: scenarioToJson(s.scenario),
      })),
    [script, scripts],
  );
  const presets = comparablePresets(DPOP_SUPPORTED);
  const running = phase.kind === 'running';

  async function run() {
    const id = ++runId.current;
    const scenarios: Record<Side, Scenario> = { a: scenarioFor(script.scenario, picked.a), b: scenarioFor(script.scenario, picked.b) };
    const progress: Record<Side, number> = { a: 0, b: 0 };
    setPhase({ kind: 'running', progress: { ...progress } });
    for (const r of runs.current) r.cancel();
    const sides = SIDES.map((side) =>
      runComparisonSide(scenarios[side], (fraction) => {
        progress[side] = fraction;
        if (runId.current === id) setPhase({ kind: 'running', progress: { ...progress } });
      }),
    );
    runs.current = sides;
    try {
      const [a, b] = await Promise.all(sides.map((s) => s.done));
      if (!a || !b || runId.current !== id) return;
      const side = (s: Side, r: NonNullable<typeof a>): SideResult => ({
        choice: picked[s],
        scenario: scenarios[s],
        metrics: r.metrics,
        windows: r.windows,
        markers: r.markers,
      });
      setResult({ script, end: a.end, sides: { a: side('a', a), b: side('b', b) } });
      setPhase({ kind: 'idle' });
    } catch (error) {
      if (runId.current === id) setPhase({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }

  const runRef = useRef(run);
  useEffect(() => {
    runRef.current = run;
  });
  useEffect(() => {
    if (fromLink?.ok) void runRef.current();
  }, [fromLink]);

  // The Share menu's embed code names what this view shows.
  useEffect(() => {
    setCurrentComparison({ kind: 'compare', script: script.id, a: picked.a, b: picked.b });
    return () => setCurrentComparison(null);
  }, [script.id, picked.a, picked.b]);

  const stale =
    result !== null && (result.script.id !== script.id || result.sides.a.choice !== picked.a || result.sides.b.choice !== picked.b);

  return (
    <div className="flex flex-col gap-3">
      <section aria-labelledby={`${ids.script}-heading`} className={card}>
        <h2 id={`${ids.script}-heading`} className="text-lg font-bold">
          Compare two setups on one script
        </h2>
        <p className="max-w-[80ch] text-sm text-slate-800 dark:text-slate-200">
          The same events — the user at work, a theft, a password change — run under two configurations, each in its own world, on one
          simulated clock. Then read how long the attacker had access, how often the user typed a password, and how much work the servers
          did.
        </p>
        <div className="mt-3 grid grid-cols-1 items-start gap-3 lg:grid-cols-[minmax(0,1.2fr)_minmax(0,1fr)_minmax(0,1fr)]">
          <div className="flex flex-col gap-1">
            <label htmlFor={ids.script} className="text-sm font-semibold">
              Script
            </label>
            <select id={ids.script} className={select} value={script.id} onChange={(e) => setScriptId(e.target.value)} disabled={running}>
              <optgroup label="Comparison scripts">
                {scripts
                  .filter((s) => s.kind === 'comparison')
                  .map((s) => (
                    <option key={s.id} value={s.id}>
                      {scriptTitle(s)}
                    </option>
                  ))}
              </optgroup>
              <optgroup label="Lesson scripts">
                {scripts
                  .filter((s) => s.kind === 'lesson')
                  .map((s) => (
                    <option key={s.id} value={s.id}>
                      {scriptTitle(s)}
                    </option>
                  ))}
              </optgroup>
            </select>
            {script.scenario.description && <p className="text-sm text-slate-700 dark:text-slate-300">{script.scenario.description}</p>}
          </div>
          {SIDES.map((side) => {
            const scenario = scenarioFor(script.scenario, picked[side]);
            return (
              <div key={side} className="flex flex-col gap-1 rounded-md border border-slate-300 p-2 dark:border-slate-600">
                <div className="flex items-center gap-2">
                  <span
                    aria-hidden="true"
                    className="inline-flex h-6 w-6 items-center justify-center rounded-full bg-slate-800 text-xs font-bold text-white dark:bg-slate-100 dark:text-slate-900"
                  >
                    {SIDE_LETTER[side]}
                  </span>
                  <label htmlFor={ids[side]} className="text-sm font-semibold">
                    Configuration {SIDE_LETTER[side]}
                  </label>
                </div>
                <select
                  id={ids[side]}
                  className={select}
                  value={picked[side]}
                  onChange={(e) => setChoices({ ...choices, [side]: e.target.value as ConfigChoice })}
                  disabled={running}
                >
                  {presets.map((id) => (
                    <option key={id} value={id}>
                      {PRESET_NAMES[id]}
                    </option>
                  ))}
                  {ownSettings && <option value="script">The script’s own settings</option>}
                </select>
                <p className="text-xs text-slate-700 dark:text-slate-300">{configSummary(scenario.config).join('; ')}.</p>
              </div>
            );
          })}
        </div>
        <div className="mt-3 flex flex-wrap items-center gap-3">
          {/* aria-disabled, not disabled: the button keeps keyboard focus while the runs go on. */}
          <button
            type="button"
            onClick={() => {
              if (!running) void run();
            }}
            aria-disabled={running}
            className="rounded-md bg-teal-800 px-4 py-2 text-sm font-bold text-white hover:bg-teal-900 aria-disabled:cursor-wait aria-disabled:opacity-70 dark:bg-teal-300 dark:text-slate-950 dark:hover:bg-teal-200"
          >
            Run comparison
          </button>
          <button type="button" className={secondaryButton} disabled={running} onClick={() => setChoices({ a: picked.b, b: picked.a })}>
            Swap A and B
          </button>
          <p id={ids.status} role="status" className="text-sm font-medium">
            {phase.kind === 'running'
              ? 'Simulating both runs…'
              : phase.kind === 'error'
                ? `The comparison failed: ${phase.message}`
                : result && !stale
                  ? `Done: ${scriptTitle(result.script)}, ${SIDE_LETTER.a} versus ${SIDE_LETTER.b}.`
                  : ''}
          </p>
          {phase.kind === 'running' &&
            SIDES.map((side) => (
              <span key={side} className="inline-flex items-center gap-2 text-sm">
                <label htmlFor={`${ids.status}-${side}`}>
                  {SIDE_LETTER[side]} ({shortName(picked[side])})
                </label>
                <progress
                  id={`${ids.status}-${side}`}
                  max={100}
                  value={Math.round(phase.progress[side] * 100)}
                  className="h-3 w-28 accent-teal-700"
                />
                <span className="w-10 tabular-nums" aria-hidden="true">
                  {Math.round(phase.progress[side] * 100)} %
                </span>
              </span>
            ))}
        </div>
      </section>

      {result === null && phase.kind !== 'running' && (
        <p className={`${card} text-sm text-slate-800 dark:text-slate-200`}>
          Pick a script and two configurations, then press <strong>Run comparison</strong>. The default asks the question this app was built
          around: is a month-long access token safer or riskier than a short one with a rotating refresh token, when everything the app
          keeps is stolen and the user changes the password a day later?
        </p>
      )}

      {result && (
        <ErrorBoundary label="comparison">
          <Results result={result} stale={stale} headingId={ids.results} />
        </ErrorBoundary>
      )}

      <ErrorBoundary label="trade-off chart">
        <Suspense fallback={<p>Loading the trade-off chart…</p>}>
          <TradeoffChart
            scripts={sweepScripts}
            currentTtl={scenarioFor(script.scenario, picked.b).config.accessToken.ttl}
            defaultFamilyId="access-only"
          />
        </Suspense>
      </ErrorBoundary>
    </div>
  );
}

function Results({ result, stale, headingId }: { result: Comparison; stale: boolean; headingId: string }) {
  const { script, sides, end } = result;
  const epochSeconds = script.scenario.epochSeconds;
  const names: Record<Side, string> = { a: sentenceName('a', sides.a.choice), b: sentenceName('b', sides.b.choice) };
  const rows = measureRows(sides.a.metrics, sides.b.metrics, names, epochSeconds);
  const headline = ['exposure', 'passwordPrompts', 'stateLookups'].map((id) => rows.find((r) => r.id === id)!.words);
  const markers = splitMarkers(sides.a.markers, sides.b.markers);
  const headings: Record<Side, string> = {
    a: `A · ${longName(sides.a.choice, script.scenario)}`,
    b: `B · ${longName(sides.b.choice, script.scenario)}`,
  };
  const [moment, setMoment] = useState<number | null>(null);
  const exposureChart = useRef<HTMLDivElement>(null);
  // Stable per result, so the moment's worlds rebuild only for a new comparison.
  const scenarios = useMemo(() => ({ a: sides.a.scenario, b: sides.b.scenario }), [sides]);

  return (
    <section aria-labelledby={headingId} className={`${card} flex flex-col gap-3`}>
      <div>
        <h2 id={headingId} className="text-lg font-bold">
          {scriptTitle(script)}
        </h2>
        <p className="text-sm text-slate-700 dark:text-slate-300">
          {headings.a} <span className="font-semibold">versus</span> {headings.b}; {formatSpan(end)} from {formatInstant(epochSeconds)}.
        </p>
        {stale && (
          <p className="mt-1 rounded border border-amber-700 bg-amber-50 px-2 py-1 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-50">
            ⚠ These results are for the script and configurations above them at the last run; you have changed the choice since. Press Run
            comparison to update.
          </p>
        )}
        <ul className="mt-2 list-disc pl-5 text-base font-medium">
          {headline.map((sentence) => (
            <li key={sentence}>{sentence}</li>
          ))}
        </ul>
      </div>
      <div className="flex justify-end">
        <ExportMenu
          what="the comparison"
          items={[
            ...pictureExports(
              () => [...(exposureChart.current?.querySelectorAll('svg') ?? [])].slice(0, 1),
              'exposure',
              `Attacker exposure: ${scriptTitle(script)}, ${headings.a} versus ${headings.b}`,
              script.scenario.title,
            ).map((item) => ({ ...item, label: `Exposure chart: ${item.label.replace(/^Save as/, 'save as')}` })),
            csvExport('Measures as CSV', 'measures', script.scenario.title, async () =>
              (await import('../csv')).measuresCsv(rows, headings),
            ),
          ]}
        />
      </div>
      <div ref={exposureChart}>
        <CompareTimeline
          end={end}
          epochSeconds={epochSeconds}
          shared={markers.shared}
          moment={moment}
          lanes={[
            { side: 'a', letter: 'A', name: longName(sides.a.choice, script.scenario), windows: sides.a.windows, markers: markers.onlyA },
            { side: 'b', letter: 'B', name: longName(sides.b.choice, script.scenario), windows: sides.b.windows, markers: markers.onlyB },
          ]}
        />
      </div>
      <CompareMeasures
        rows={rows}
        headings={headings}
        caption={`The measures over the whole run (${formatSpan(end)}). ✓ better marks the better value of each row; each row says which direction is better and why.`}
      />
      <CompareMoment
        scenarios={scenarios}
        names={{ a: longName(sides.a.choice, script.scenario), b: longName(sides.b.choice, script.scenario) }}
        end={end}
        markers={[...markers.shared, ...markers.onlyA, ...markers.onlyB]}
        onMoment={setMoment}
      />
    </section>
  );
}
