// Where the time goes, for when a benchmark figure needs explaining. Writes a .cpuprofile (open it
// in Chrome DevTools › Performance, or VS Code) and prints the heaviest functions.
//
//   npx tsx scripts/bench/profile.ts engine [preset] [runner|app|stub]   the 30-day workday run in
//        Node; `stub` is the app path with jose replaced by a stand-in, so only the engine's own
//        work is left (its time, and where it goes)
//   npx tsx scripts/bench/profile.ts page [day|minute|tab] [days-before]
//        one `+1 day` / `+1 minute` click (or a switch to the Token timeline tab) in chromium,
//        after `days-before` days of the workday script, against an unminified build
import { Session } from 'node:inspector/promises';
import { createWorldCrypto, type WorldCrypto } from '../../src/sim/crypto';
import type { Scenario } from '../../src/sim/types';
import { World } from '../../src/sim/world';
import { writeFileSync, mkdirSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { build, preview } from 'vite';
import playwrightConfig from '../../playwright.config';
import { STORAGE_KEY, STORAGE_VERSION } from '../../src/ui/persistence';
import { engineRun } from './engine';
import { timed } from './stats';
import { workdayJson, workdayScenario } from './workday';

interface Profile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function (file:line), heaviest first. */
function summary(profile: Profile, top = 20): string {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const time = self.get(node.id) ?? 0;
    total += time;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*\/(node_modules\/)?/, '')}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + time);
  }
  const rows = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `total ${(total / 1000).toFixed(0)} ms (self time by function)`,
    ...rows.map(([k, v]) => `${(v / 1000).toFixed(1).padStart(9)} ms  ${k}`),
  ].join('\n');
}

/** The app path with a stand-in for jose: signs are counters, verifies compare exp with now. */
async function stubRun(scenario: Scenario): Promise<{ ms: number }> {
  const real = await createWorldCrypto(scenario.seed);
  const claimsOf = new Map<string, Record<string, unknown>>();
  const crypto: WorldCrypto = {
    ...real,
    async sign(_header, claims) {
      const jwt = `stub.${claimsOf.size}`;
      claimsOf.set(jwt, claims as Record<string, unknown>);
      return jwt;
    },
    async verifyAccessToken(jwt, nowUnix, leeway) {
      const claims = claimsOf.get(jwt) ?? {};
      const ok = nowUnix < Number(claims.exp) + leeway;
      return {
        ok,
        reason: ok ? null : 'expired',
        checks: { signature: true, type: true, issuer: true, audience: true, expiry: ok, introspection: null },
        payload: claims,
      };
    },
  };
  // The constructor is private to keep callers on World.create; a profile may reach past that.
  const Construct = World as unknown as new (scenario: Scenario, crypto: WorldCrypto) => World;
  return timed(() => new Construct(scenario, crypto).run());
}

async function profileEngine(preset: string, path: 'runner' | 'app' | 'stub'): Promise<void> {
  const scenario = workdayScenario(preset as never);
  const once = () => (path === 'stub' ? stubRun(scenario) : engineRun(scenario, path));
  await once(); // warm-up, not profiled
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const { ms } = await once();
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
  session.disconnect();
  writeFileSync('bench-results/engine.cpuprofile', JSON.stringify(profile));
  process.stdout.write(
    `engine run (${preset}, ${path} path): ${ms.toFixed(0)} ms; profile in bench-results/engine.cpuprofile\n${summary(profile)}\n`,
  );
}

async function profilePage(action: string, daysBefore: number): Promise<void> {
  const outDir = 'bench-results/profile-site';
  await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true, minify: false } });
  const server = await preview({ logLevel: 'warn', build: { outDir }, preview: { port: 4185, strictPort: false, host: '127.0.0.1' } });
  const address = server.httpServer.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 4185}`;
  const browser = await chromium.launch({ ...playwrightConfig.use?.launchOptions, headless: true });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    const stored = JSON.stringify({
      state: {
        session: { scenario: workdayJson('rotating-refresh'), ops: [] },
        preferences: { theme: 'light', pauseOnKeyEvents: false },
        branches: [],
      },
      version: STORAGE_VERSION,
    });
    await page.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
    await page.addInitScript(([key, value]) => localStorage.setItem(key!, value!), [STORAGE_KEY, stored]);
    await page.goto(`${origin}/`);
    const clock = () => page.evaluate(() => document.querySelector('[aria-label="Simulated time"]')?.textContent ?? '');
    // Clicks from inside the page, so Playwright's own selector engine stays out of the profile.
    const click = (text: string) =>
      page.evaluate(
        (t) =>
          (
            [...document.querySelectorAll('button, [role="tab"]')].find((b) => b.textContent?.trim() === t) as HTMLElement | undefined
          )?.click(),
        text,
      );
    await page.waitForFunction(() => document.querySelector('[aria-label="Simulated time"]'));
    for (let i = 0; i < daysBefore; i++) {
      const before = await clock();
      await click('+1 day');
      await page.waitForFunction((b) => document.querySelector('[aria-label="Simulated time"]')?.textContent !== b, before, {
        timeout: 120_000,
      });
    }
    // As a presenter pauses between clicks: the repeated jump computed ahead (store.ts) is ready.
    await page.waitForTimeout(1500);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    const before = await clock();
    const started = Date.now();
    await click(action === 'minute' ? '+1 minute' : action === 'tab' ? 'Token timeline' : '+1 day');
    if (action !== 'tab')
      await page.waitForFunction((b) => document.querySelector('[aria-label="Simulated time"]')?.textContent !== b, before, {
        timeout: 120_000,
      });
    await page.waitForTimeout(action === 'tab' ? 1500 : 200);
    const wall = Date.now() - started;
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
    writeFileSync('bench-results/page.cpuprofile', JSON.stringify(profile));
    process.stdout.write(
      `${action} after ${daysBefore} days: ${wall} ms wall; profile in bench-results/page.cpuprofile\n${summary(profile)}\n`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

mkdirSync('bench-results', { recursive: true });
const [what = 'engine', arg, extra] = process.argv.slice(2);
if (what === 'engine') await profileEngine(arg ?? 'rotating-refresh', extra === 'app' || extra === 'stub' ? extra : 'runner');
else if (what === 'page') await profilePage(arg ?? 'day', Number(extra ?? 2));
else {
  process.stderr.write('usage: npx tsx scripts/bench/profile.ts engine [preset] [runner|app|stub] | page [day|minute|tab] [days-before]\n');
  process.exit(2);
}
