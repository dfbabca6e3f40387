// `npm run bench`: figures, not tests (timings vary by machine and load; see docs/PERFORMANCE.md).
//
//   npm run bench                     everything: engine (Node), size, page (chromium)
//   npm run bench -- --only engine    one or more of engine,size,page (comma-separated)
//   npm run bench -- --runs 9 --loads 7 --port 4180
//
// The page part builds the app into bench-results/site (the normal vite.config.ts, CSP included),
// serves it with `vite preview` on a spare port and drives the browser playwright.config.ts picks
// (/usr/bin/chromium when present). Results are printed, and written to bench-results/bench.json
// and bench-results/bench.md (the tables of docs/PERFORMANCE.md). Exit status 0 unless something
// broke; `--strict` exits 1 when a target is missed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { benchEngine, totalVerifies, type EngineFigures } from './bench/engine';
import { describeMachine, machineLine, type Machine } from './bench/machine';
import { benchPage, PACED_PAUSE_MS, SITE_DIR, type PageFigures } from './bench/page';
import { kb, mb, median, ms } from './bench/stats';
import { WORKDAY_PRESETS } from './bench/workday';
import { BUDGET_BYTES, initialJavaScript, workerInitialJavaScript, type SizedFile } from './size-check';

/** Issue 10's targets (medians on this machine kind; printed, not timed tests). */
const TARGETS = {
  /** Engine time / the bare jose work of the same run, on the runner's path and on the app's (checkpoints). */
  engineRatio: 1.3,
  /** First load, navigation → interactive: app / the bare React + zustand + jose + Tailwind page. */
  loadRatio: 1.3,
  /** `+1 day` click → paint: the session's first (nothing prepared ahead), and each after a pause. */
  plusOneDayMs: 100,
  /** `+30 days`: the longest main-thread task. */
  monthLongestTaskMs: 50,
  /** With the month's trace: `+1 minute` click → paint, and switching to the token timeline. */
  plusOneMinuteMs: 50,
  timelineTabMs: 100,
  heapBytes: 150e6,
  /** Initial JavaScript on the main thread, gzip -9 (`npm run size` fails over its own BUDGET_BYTES). */
  initialJsBytes: Math.min(85_000, BUDGET_BYTES),
};

interface Options {
  only: Set<string>;
  runs: number;
  loads: number;
  port: number;
  strict: boolean;
}

function parseOptions(args: string[]): Options {
  const options: Options = { only: new Set(['engine', 'size', 'page']), runs: 7, loads: 5, port: 4180, strict: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => args[++i] ?? fail(`${arg}: missing value`);
    if (arg === '--only') options.only = new Set(value().split(','));
    else if (arg === '--runs') options.runs = positive(arg, value());
    else if (arg === '--loads') options.loads = positive(arg, value());
    else if (arg === '--port') options.port = positive(arg, value());
    else if (arg === '--strict') options.strict = true;
    else fail(`${arg}: unknown option (--only engine,size,page · --runs N · --loads N · --port N · --strict)`);
  }
  for (const part of options.only) if (!['engine', 'size', 'page'].includes(part)) fail(`--only: unknown part "${part}"`);
  return options;
}

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) fail(`${name}: expected a whole number ≥ 1, got ${text}`);
  return n;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const log = (line = '') => process.stdout.write(`${line}\n`);
const verdict = (ok: boolean) => (ok ? 'meets target' : 'MISSES target');

interface Results {
  date: string;
  machine: Machine;
  engine?: EngineFigures[];
  size?: { files: SizedFile[]; totalGzip: number; workers?: { worker: string; files: SizedFile[]; totalGzip: number }[] };
  page?: PageFigures;
}

const misses: string[] = [];
function check(ok: boolean, what: string): string {
  if (!ok) misses.push(what);
  return verdict(ok);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const results: Results = { date: new Date().toISOString(), machine: describeMachine() };
  log(`tokenscope benchmarks — ${results.date}`);
  log(`machine: ${machineLine(results.machine)}`);

  if (options.only.has('engine')) {
    log('');
    log(
      `Engine vs. the crypto floor (Node, real jose; 30-day workday script; median of ${options.runs} interleaved rounds after a warm-up)`,
    );
    log("  engine = the headless runner's path (runScenario, as `npm run sim`)");
    results.engine = [];
    for (const preset of WORKDAY_PRESETS) {
      const f = await benchEngine(preset, options.runs);
      results.engine.push(f);
      log(
        `  ${preset.padEnd(18)} engine ${ms(f.engineMs).padStart(9)}  floor ${ms(f.floorMs).padStart(9)}  ratio ${f.ratio.toFixed(2)}× (${check(f.ratio <= TARGETS.engineRatio, `engine ratio ${preset}`)} ≤ ${TARGETS.engineRatio}×; per-round median ${f.roundRatio.toFixed(2)}×)`,
      );
      log(
        `  ${''.padEnd(18)} the app's path (with step-back checkpoints): ${ms(f.appMs)}, ${f.appRatio.toFixed(2)}× the floor (${check(f.appRatio <= TARGETS.engineRatio, `engine ratio ${preset}, app's path`)} ≤ ${TARGETS.engineRatio}×)`,
      );
      log(`  ${''.padEnd(18)} CPU time (all threads): engine ${ms(f.engineCpuMs)}, floor ${ms(f.floorCpuMs)}: ${f.cpuRatio.toFixed(2)}×`);
      log(
        `  ${''.padEnd(18)} ${f.events} events, ${Math.round(f.eventsPerSecond).toLocaleString('en')} events/s; ${f.signs} signs, ${totalVerifies({ signsAuthServer: 0, signsAttacker: 0, verifies: f.verifies })} verifies (${f.verifies.ok} accepted, ${f.verifies.expired} expired)`,
      );
    }
  }

  if (options.only.has('size') || options.only.has('page')) {
    if (options.only.has('page')) {
      log('');
      log(`Page (vite preview of a fresh build in ${SITE_DIR}; headless chromium)`);
      results.page = await benchPage({ port: options.port, loads: options.loads, log: (line) => log(`  ${line}`) });
      const p = results.page;
      log(`  browser: ${p.browser}`);
      log(
        `  navigation → interactive, median of ${p.loads} cold loads: app ${ms(p.appInteractiveMs)}, bare React + zustand + jose + Tailwind page ${ms(p.bareReactInteractiveMs)}: ${p.loadRatio.toFixed(2)}× (${check(p.loadRatio <= TARGETS.loadRatio, 'first load')} ≤ ${TARGETS.loadRatio}×)`,
      );
      log(
        `    app: its scripts received at ${ms(p.appScriptsLoadedMs)}, first contentful paint ${ms(p.appFirstPaintMs)}, interactive ${ms(p.appInteractiveMs)}`,
      );
      log(
        `    the floor, a static HTML page with the same regions: ${ms(p.bareInteractiveMs)} (app ${(p.appInteractiveMs / p.bareInteractiveMs).toFixed(2)}× that, the bare React page ${(p.bareReactInteractiveMs / p.bareInteractiveMs).toFixed(2)}×)`,
      );
      const d = p.plusOneDay;
      log(
        `  +1 day click → paint, the session's first (nothing prepared ahead): ${ms(d.first)} (${check(d.first <= TARGETS.plusOneDayMs, '+1 day, first')} ≤ ${TARGETS.plusOneDayMs} ms)`,
      );
      log(
        `    each after a ${PACED_PAUSE_MS / 1000} s pause, median of ${d.paced.length}: ${ms(p.plusOneDayMs)} (${check(p.plusOneDayMs <= TARGETS.plusOneDayMs, '+1 day, after a pause')} ≤ ${TARGETS.plusOneDayMs} ms); back to back, median of ${d.backToBack.length}: ${ms(median(d.backToBack))}`,
      );
      const m = p.month;
      log(`  30 days via ${m.driver}: ${(m.wallMs / 1000).toFixed(1)} s; progress shown: ${m.progressShown ? 'yes' : 'NO'}`);
      log(
        `    longest main-thread task: ${ms(m.longestTaskMs)} (${check(m.longestTaskMs <= TARGETS.monthLongestTaskMs, '+30 days, longest task')} ≤ ${TARGETS.monthLongestTaskMs} ms; ${m.longTasks} long tasks); longest frame gap ${ms(m.longestFrameGapMs)}`,
      );
      log(
        `    JS heap after 30 days: ${mb(m.heapUsedBytes)} (${mb(m.heapUsedAfterGcBytes)} after GC) (${check(m.heapUsedBytes <= TARGETS.heapBytes, 'heap')} < ${mb(TARGETS.heapBytes)}); ${m.domNodes} DOM elements`,
      );
      log(
        `    with the month's trace: +1 minute ${ms(m.plusOneMinuteMs)} (median of 5; ${check(m.plusOneMinuteMs <= TARGETS.plusOneMinuteMs, '+1 minute after the month')} ≤ ${TARGETS.plusOneMinuteMs} ms), switch to Token timeline ${ms(m.timelineTabMs)} (${check(m.timelineTabMs <= TARGETS.timelineTabMs, 'token timeline after the month')} ≤ ${TARGETS.timelineTabMs} ms), back to Sequence diagram ${ms(m.sequenceTabMs)}`,
      );
    }
    if (options.only.has('size')) {
      const dir = options.only.has('page') ? SITE_DIR : 'dist';
      log('');
      log(`Size: initial JavaScript of ${dir}/index.html, gzip -9`);
      try {
        const files = initialJavaScript(dir);
        const totalGzip = files.reduce((s, f) => s + f.gzip, 0);
        results.size = { files, totalGzip };
        for (const f of files) log(`  ${f.file.padEnd(40)} ${kb(f.bytes).padStart(9)} ${kb(f.gzip).padStart(9)}`);
        log(`  total ${kb(totalGzip)} (${check(totalGzip <= TARGETS.initialJsBytes, 'initial JS')} ≤ ${kb(TARGETS.initialJsBytes)})`);
        results.size.workers = workerInitialJavaScript(dir).map(({ worker, files: workerFiles }) => {
          const gzip = workerFiles.reduce((s, f) => s + f.gzip, 0);
          log(
            `  worker ${worker}, its initial script (off the main thread; reported): ${kb(gzip)} (${workerFiles.map((f) => `${f.file} ${kb(f.gzip)}`).join(' + ')})`,
          );
          return { worker, files: workerFiles, totalGzip: gzip };
        });
      } catch (error) {
        log(
          `  no build to measure in ${dir} (${error instanceof Error ? error.message : String(error)}): run \`npm run build\` or include the page part`,
        );
      }
    }
  }

  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/bench.json', `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync('bench-results/bench.md', markdown(results));
  log('');
  log('written: bench-results/bench.json, bench-results/bench.md');
  if (misses.length) log(`targets missed: ${misses.join(', ')}`);
  if (options.strict && misses.length) process.exit(1);
}

function markdown(r: Results): string {
  const lines = [`Measured ${r.date.slice(0, 16).replace('T', ' ')} UTC on ${machineLine(r.machine)}.`, ''];
  if (r.engine) {
    lines.push(
      '| preset | events | signs | verifies | engine (runner) | crypto floor | ratio (per-round median) | CPU-time ratio | events/s | app path (checkpoints) |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const f of r.engine) {
      const verifies = f.verifies.ok + f.verifies.expired + f.verifies.bad_signature + f.verifies.wrong_audience;
      lines.push(
        `| ${f.preset} | ${f.events} | ${f.signs} | ${verifies} | ${ms(f.engineMs)} | ${ms(f.floorMs)} | ${f.ratio.toFixed(2)}× (${f.roundRatio.toFixed(2)}×) | ${f.cpuRatio.toFixed(2)}× | ${Math.round(f.eventsPerSecond).toLocaleString('en')} | ${ms(f.appMs)} (${f.appRatio.toFixed(2)}×) |`,
      );
    }
    lines.push('');
  }
  if (r.page) {
    const p = r.page;
    const m = p.month;
    lines.push(
      '| page measure | result | target |',
      '| --- | ---: | ---: |',
      `| navigation → interactive, app (median of ${p.loads} cold loads) | ${ms(p.appInteractiveMs)} | |`,
      `| app: its scripts received / first contentful paint | ${ms(p.appScriptsLoadedMs)} / ${ms(p.appFirstPaintMs)} | |`,
      `| navigation → interactive, bare React + zustand + jose + Tailwind page (same regions) | ${ms(p.bareReactInteractiveMs)} | |`,
      `| **ratio app / bare page** | **${p.loadRatio.toFixed(2)}×** | ≤ ${TARGETS.loadRatio}× |`,
      `| navigation → interactive, static HTML page (same regions and buttons; the floor) | ${ms(p.bareInteractiveMs)} | |`,
      `| ratio app / static page (bare React page / static page) | ${(p.appInteractiveMs / p.bareInteractiveMs).toFixed(2)}× (${(p.bareReactInteractiveMs / p.bareInteractiveMs).toFixed(2)}×) | |`,
      `| **\`+1 day\` click → paint, the session's first** (nothing prepared ahead) | **${ms(p.plusOneDay.first)}** | ≤ ${TARGETS.plusOneDayMs} ms |`,
      `| **\`+1 day\` click → paint**, each after a ${PACED_PAUSE_MS / 1000} s pause (median of ${p.plusOneDay.paced.length}) | **${ms(p.plusOneDayMs)}** | ≤ ${TARGETS.plusOneDayMs} ms |`,
      `| \`+1 day\` click → paint, back to back (median of ${p.plusOneDay.backToBack.length}) | ${ms(median(p.plusOneDay.backToBack))} | |`,
      `| 30 days (${m.driver}): wall time | ${(m.wallMs / 1000).toFixed(1)} s | |`,
      `| 30 days: progress shown | ${m.progressShown ? 'yes' : 'no'} | yes |`,
      `| **30 days: longest main-thread task** (longest frame gap) | **${ms(m.longestTaskMs)}** (${ms(m.longestFrameGapMs)}) | ≤ ${TARGETS.monthLongestTaskMs} ms |`,
      `| JS heap after 30 days (after GC) | ${mb(m.heapUsedBytes)} (${mb(m.heapUsedAfterGcBytes)}) | < ${mb(TARGETS.heapBytes)} |`,
      `| DOM elements after 30 days | ${m.domNodes} | |`,
      `| **after 30 days: \`+1 minute\`** | **${ms(m.plusOneMinuteMs)}** | ≤ ${TARGETS.plusOneMinuteMs} ms |`,
      `| **after 30 days: Token timeline tab** (back to Sequence diagram) | **${ms(m.timelineTabMs)}** (${ms(m.sequenceTabMs)}) | ≤ ${TARGETS.timelineTabMs} ms |`,
      '',
    );
  }
  if (r.size) {
    lines.push('| initial JS file | raw | gzip -9 |', '| --- | ---: | ---: |');
    for (const f of r.size.files) lines.push(`| ${f.file} | ${kb(f.bytes)} | ${kb(f.gzip)} |`);
    lines.push(
      `| **total** | | **${kb(r.size.totalGzip)}** (target ${kb(TARGETS.initialJsBytes)}; \`npm run size\` budget ${kb(BUDGET_BYTES)}) |`,
    );
    for (const w of r.size.workers ?? [])
      lines.push(
        `| worker \`${w.worker}\`: its initial script (${w.files.map((f) => f.file).join(' + ')}) | | ${kb(w.totalGzip)} (reported) |`,
      );
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
