// The page in a real browser: Debian chromium (or Playwright's, as playwright.config.ts picks)
// against `vite preview` of a fresh build in bench-results/site. Measures
//  - navigation → interactive (the four party regions visible, every button in them and in the
//    page's header enabled, painted), median of cold loads, next to the bare page of the issue —
//    React + zustand + jose + Tailwind drawing the same four regions (scripts/bench/bare) — and a
//    static HTML page with them (the floor), all served by the same server;
//  - click → paint of `+1 day` on the workday script;
//  - a 30-day run of the workday script: the longest main-thread block (long tasks and the
//    longest gap between animation frames), whether progress showed, the JS heap afterwards,
//    the DOM size, and how fast the views still answer with the whole month's trace.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { build, preview, type PreviewServer } from 'vite';
import playwrightConfig from '../../playwright.config';
import { formatInstant } from '../../src/ui/format';
import { STORAGE_KEY, STORAGE_VERSION } from '../../src/ui/persistence';
import { median } from './stats';
import { workdayJson } from './workday';

export const SITE_DIR = 'bench-results/site';
const PARTY_REGIONS = ['Client', 'Authorization server', 'Resource server', 'Attacker'];
const DAY = 86_400;
const EPOCH = 1_767_603_600; // 2026-01-05T09:00:00Z, the scenario default

/** A static page with the same four regions and buttons as the app, and nothing else: the floor. */
const BARE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="UTF-8"><title>bare</title></head>
<body><main>
${PARTY_REGIONS.map((name, i) => `<section aria-labelledby="h${i}"><h2 id="h${i}">${name}</h2><button type="button">Act</button></section>`).join('\n')}
</main></body></html>
`;

export interface PageFigures {
  browser: string;
  loads: number;
  appInteractiveMs: number;
  bareInteractiveMs: number;
  /** App / bare React + zustand + jose + Tailwind page (the target's ratio). */
  loadRatio: number;
  appInteractiveAll: number[];
  bareInteractiveAll: number[];
  /** The same regions drawn by a bare React + zustand + jose + Tailwind page (scripts/bench/bare). */
  bareReactInteractiveMs: number;
  bareReactInteractiveAll: number[];
  /** The app's first contentful paint, and when the scripts index.html asks for had arrived (medians). */
  appFirstPaintMs: number;
  appScriptsLoadedMs: number;
  /** `+1 day` click → paint: the median of the paced clicks (the target's measure), and all three series. */
  plusOneDayMs: number;
  plusOneDay: DayClicks;
  month: MonthFigures;
}

export interface MonthFigures {
  /** How the 30 days were driven: a dedicated button, or 30 queued `+1 day` clicks. */
  driver: string;
  wallMs: number;
  longestTaskMs: number;
  longTasks: number;
  longestFrameGapMs: number;
  progressShown: boolean;
  heapUsedAfterGcBytes: number;
  heapUsedBytes: number;
  domNodes: number;
  /** The median of five `+1 minute` clicks after the month. */
  plusOneMinuteMs: number;
  timelineTabMs: number;
  sequenceTabMs: number;
}

/**
 * Builds the app into SITE_DIR (vite.config.ts applies, CSP included), the bare React page into
 * SITE_DIR/bare-react/ (its own minimal config), and writes the static bare.html.
 */
export async function buildSite(): Promise<void> {
  await build({ logLevel: 'warn', build: { outDir: SITE_DIR, emptyOutDir: true } });
  await build({
    configFile: false,
    logLevel: 'warn',
    root: fileURLToPath(new URL('./bare', import.meta.url)),
    base: '/bare-react/',
    plugins: [react(), tailwindcss()],
    build: { target: 'es2022', outDir: fileURLToPath(new URL(`../../${SITE_DIR}/bare-react`, import.meta.url)), emptyOutDir: true },
  });
  writeFileSync(join(SITE_DIR, 'bare.html'), BARE_HTML);
}

export async function startPreview(port: number): Promise<{ server: PreviewServer; origin: string }> {
  let lastError: unknown;
  for (let p = port; p < port + 10; p++) {
    try {
      const server = await preview({
        logLevel: 'warn',
        build: { outDir: SITE_DIR },
        preview: { port: p, strictPort: true, host: '127.0.0.1', open: false },
      });
      const address = server.httpServer.address() as AddressInfo;
      return { server, origin: `http://127.0.0.1:${address.port}` };
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`no free port for vite preview from ${port}: ${String(lastError)}`);
}

// ---- in-page probes (serialised into the page by Playwright; they must be self-contained) ----

/**
 * tsx (esbuild, keepNames) wraps named inner functions in `__name(fn, "name")`; the probes are
 * serialised into the page, where that helper does not exist. Defined first on every page.
 */
const NAME_SHIM = { content: 'globalThis.__name ??= (fn) => fn;' };

/**
 * Records `__bench.interactiveAt` (ms since navigation start) once the regions and the header's
 * commands are usable and that frame has painted: what a user can act on, not a first paint.
 */
function interactiveProbe(names: string[]): void {
  const w = window as unknown as { __bench: { readyAt: number | null; interactiveAt: number | null } };
  w.__bench = { readyAt: null, interactiveAt: null };
  const labelOf = (el: Element) => {
    const direct = el.getAttribute('aria-label');
    if (direct) return direct.trim();
    const by = el.getAttribute('aria-labelledby');
    return by ? (document.getElementById(by)?.textContent ?? '').trim() : '';
  };
  const check = () => {
    if (w.__bench.readyAt !== null) return;
    const candidates = [...document.querySelectorAll('section, [role="region"]')];
    const regions = names.map((name) => candidates.find((el) => labelOf(el) === name));
    for (const region of regions) {
      if (!region) return;
      const box = region.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(region).visibility === 'hidden') return;
      if ([...region.querySelectorAll('button')].some((b) => b.disabled)) return;
    }
    if (!regions[0]!.querySelector('button')) return;
    // The page's own commands too (the app's header: Share, Import, Export… load beside the first
    // frame and are marked unavailable until their code is in). The bare pages have no header.
    const header = document.querySelector('header, [role="banner"]');
    if (header && [...header.querySelectorAll('button')].some((b) => b.disabled || b.getAttribute('aria-disabled') === 'true')) return;
    w.__bench.readyAt = performance.now();
    observer.disconnect();
    // The frame that shows it: after the next animation frame, a message lands once it painted.
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        w.__bench.interactiveAt = performance.now();
      };
      channel.port2.postMessage(0);
    });
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  document.addEventListener('DOMContentLoaded', check);
}

/** Long tasks, animation-frame gaps and whether a progress bar appeared, once `__monitor.start()` runs. */
function monitorProbe(): void {
  const m = {
    on: false,
    longest: 0,
    count: 0,
    longestGap: 0,
    progressSeen: false,
    last: 0,
    start() {
      m.on = true;
      m.longest = 0;
      m.count = 0;
      m.longestGap = 0;
      m.progressSeen = false;
      m.last = performance.now();
    },
  };
  (window as unknown as { __monitor: typeof m }).__monitor = m;
  new PerformanceObserver((list) => {
    if (!m.on) return;
    for (const entry of list.getEntries()) {
      m.count++;
      m.longest = Math.max(m.longest, entry.duration);
    }
  }).observe({ type: 'longtask', buffered: false });
  const frame = (time: number) => {
    if (m.on) {
      m.longestGap = Math.max(m.longestGap, time - m.last);
      if (document.querySelector('progress')) m.progressSeen = true;
    }
    m.last = time;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/** Seeds the saved session (the workday script, nothing done yet) before the app boots. */
function seedSession([key, stored]: [string, string]): void {
  localStorage.setItem(key, stored);
}

/** Clicks a button by its accessible name and resolves with click → paint of the clock's change. */
async function clickToPaint(page: Page, name: string): Promise<number> {
  await page.evaluate(() => {
    const w = window as unknown as { __click: Promise<number> };
    w.__click = new Promise<number>((resolve) => {
      let clickedAt = -1;
      const label = () => document.querySelector('[aria-label="Simulated time"]')?.textContent ?? '';
      const before = label();
      window.addEventListener('click', (e) => (clickedAt = e.timeStamp), { capture: true, once: true });
      const observer = new MutationObserver(() => {
        if (label() === before) return;
        observer.disconnect();
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve(performance.now() - clickedAt);
          channel.port2.postMessage(0);
        });
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  });
  await page.getByRole('button', { name, exact: true }).click();
  return page.evaluate(() => (window as unknown as { __click: Promise<number> }).__click);
}

/**
 * Click → paint of a tab switch, measured in the page like clickToPaint: from the click event's
 * time stamp to the frame after the tab's panel shows its content (not "Loading…"). Timing from
 * before Playwright's click would add its own actionability checks and round trips (~100 ms).
 */
async function tabToPaint(page: Page, tab: string): Promise<number> {
  await page.evaluate((name) => {
    const w = window as unknown as { __tab: Promise<number> };
    w.__tab = new Promise<number>((resolve) => {
      let clickedAt = -1;
      window.addEventListener('click', (e) => (clickedAt = e.timeStamp), { capture: true, once: true });
      const shown = () =>
        document.querySelector('[role="tab"][aria-selected="true"]')?.textContent === name &&
        !document.querySelector('[role="tabpanel"] p:only-child')?.textContent?.startsWith('Loading');
      const observer = new MutationObserver(() => {
        if (clickedAt < 0 || !shown()) return;
        observer.disconnect();
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve(performance.now() - clickedAt);
          channel.port2.postMessage(0);
        });
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
  }, tab);
  await page.getByRole('tab', { name: tab }).click();
  return page.evaluate(() => (window as unknown as { __tab: Promise<number> }).__tab);
}

// ---- the measures ----------------------------------------------------------------------------

export async function coldInteractive(browser: Browser, url: string): Promise<{ interactive: number; fcp: number; scripts: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(NAME_SHIM);
    await page.addInitScript(interactiveProbe, PARTY_REGIONS);
    await page.goto(url);
    await page.waitForFunction(
      () => (window as unknown as { __bench: { interactiveAt: number | null } }).__bench.interactiveAt !== null,
      undefined,
      { timeout: 60_000 },
    );
    // The paint-timing entry can be reported a little after the frame that made it.
    await page
      .waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, undefined, { timeout: 5_000 })
      .catch(() => undefined);
    return await page.evaluate(() => ({
      interactive: (window as unknown as { __bench: { interactiveAt: number } }).__bench.interactiveAt,
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
      // The scripts index.html asks for (requested before DOMContentLoaded by a script tag or a
      // modulepreload), not the lazy ones nor a worker's script.
      scripts: Math.max(
        0,
        ...performance
          .getEntriesByType('resource')
          .filter(
            (e) =>
              e.name.endsWith('.js') &&
              ['script', 'link'].includes((e as PerformanceResourceTiming).initiatorType) &&
              e.startTime < (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventStart,
          )
          .map((e) => (e as PerformanceResourceTiming).responseEnd),
      ),
    }));
  } finally {
    await context.close();
  }
}

/** The store as the app saves it: the workday script, nothing done yet, no stop on key events. */
function storedSession(): string {
  return JSON.stringify({
    state: {
      session: { scenario: workdayJson('rotating-refresh'), ops: [] },
      preferences: { theme: 'light', speedIndex: 2, pauseOnKeyEvents: false, presenter: false, mode: 'sandbox' },
      branches: [],
    },
    version: STORAGE_VERSION,
  });
}

async function workdayPage(browser: Browser, origin: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.addInitScript(NAME_SHIM);
  await page.addInitScript(seedSession, [STORAGE_KEY, storedSession()] as [string, string]);
  await page.addInitScript(interactiveProbe, PARTY_REGIONS);
  await page.addInitScript(monitorProbe);
  await page.goto(`${origin}/`);
  await page.waitForFunction(
    () => (window as unknown as { __bench: { interactiveAt: number | null } }).__bench.interactiveAt !== null,
    undefined,
    { timeout: 60_000 },
  );
  const banner = await page.getByRole('banner').textContent();
  if (!banner?.includes('Benchmark')) throw new Error(`the workday session did not load (banner: ${banner})`);
  return { context, page };
}

/** A presenter's pause between two clicks (reading the day out), for the paced `+1 day` clicks. */
export const PACED_PAUSE_MS = 1_000;

export interface DayClicks {
  /** The first `+1 day` of a fresh session, right after it became interactive. */
  first: number;
  /** Clicked again as soon as the previous day painted. */
  backToBack: number[];
  /** Clicked again after a pause of PACED_PAUSE_MS. */
  paced: number[];
}

/**
 * Click → paint of `+1 day` on the workday script, days 1 … 1 + 2 × clicks: the first click (the
 * session's first: nothing computed ahead, the engine's code for signing not yet run), then `clicks`
 * back-to-back, then `clicks` each after a presenter's pause. The day is computed in the engine's
 * worker after the click in every case (nothing is computed ahead since issue 10).
 */
async function plusOneDay(browser: Browser, origin: string, clicks: number): Promise<DayClicks> {
  const { context, page } = await workdayPage(browser, origin);
  let day = 0;
  const click = async (): Promise<number> => {
    const ms = await clickToPaint(page, '+1 day');
    day++;
    await page.waitForFunction(
      (expected) => document.querySelector('[aria-label="Simulated time"]')?.textContent === expected,
      formatInstant(EPOCH + day * DAY),
    );
    return ms;
  };
  try {
    const first = await click();
    const backToBack: number[] = [];
    for (let i = 0; i < clicks; i++) backToBack.push(await click());
    const paced: number[] = [];
    for (let i = 0; i < clicks; i++) {
      await page.waitForTimeout(PACED_PAUSE_MS);
      paced.push(await click());
    }
    return { first, backToBack, paced };
  } finally {
    await context.close();
  }
}

async function month(browser: Browser, origin: string): Promise<MonthFigures> {
  const { context, page } = await workdayPage(browser, origin);
  try {
    const end = formatInstant(EPOCH + 30 * DAY);
    const dedicated = page.getByRole('button', { name: /^\+30 days|run to (the )?end/i });
    const driver =
      (await dedicated.count()) > 0
        ? `the "${(await dedicated.first().textContent())?.trim()}" button`
        : '30 queued clicks on "+1 day", as the UI has no +30 days control';
    await page.evaluate(() => (window as unknown as { __monitor: { start(): void } }).__monitor.start());
    const started = Date.now();
    if ((await dedicated.count()) > 0) await dedicated.first().click();
    else {
      const plusDay = page.getByRole('button', { name: '+1 day', exact: true });
      for (let i = 0; i < 30; i++) await plusDay.click({ noWaitAfter: true });
    }
    await page.waitForFunction((expected) => document.querySelector('[aria-label="Simulated time"]')?.textContent === expected, end, {
      timeout: 600_000,
      polling: 250,
    });
    await page.waitForFunction(() => !document.querySelector('progress'), undefined, { timeout: 60_000 });
    const wallMs = Date.now() - started;
    await page.waitForTimeout(500); // let the last frames and deferred panels settle
    const monitor = await page.evaluate(() => {
      const m = (
        window as unknown as { __monitor: { longest: number; count: number; longestGap: number; progressSeen: boolean; on: boolean } }
      ).__monitor;
      m.on = false;
      return { longest: m.longest, count: m.count, longestGap: m.longestGap, progressSeen: m.progressSeen };
    });
    const cdp = await context.newCDPSession(page);
    const before = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    await cdp.send('HeapProfiler.collectGarbage');
    const after = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    const domNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
    // Five clicks, the median: one click right after a forced garbage collection varied 40–100 ms
    // between runs on this machine (issue 10's "+1 minute after the month").
    const minutes: number[] = [];
    for (let i = 0; i < 5; i++) {
      minutes.push(await clickToPaint(page, '+1 minute'));
      await page.waitForTimeout(300);
    }
    const plusOneMinuteMs = median(minutes);
    const timelineTabMs = await tabToPaint(page, 'Token timeline');
    const sequenceTabMs = await tabToPaint(page, 'Sequence diagram');
    return {
      driver,
      wallMs,
      longestTaskMs: monitor.longest,
      longTasks: monitor.count,
      longestFrameGapMs: monitor.longestGap,
      progressShown: monitor.progressSeen,
      heapUsedBytes: before.usedSize,
      heapUsedAfterGcBytes: after.usedSize,
      domNodes,
      plusOneMinuteMs,
      timelineTabMs,
      sequenceTabMs,
    };
  } finally {
    await context.close();
  }
}

export async function benchPage(options: { port: number; loads: number; log: (line: string) => void }): Promise<PageFigures> {
  const { log } = options;
  log(`building into ${SITE_DIR} …`);
  await buildSite();
  const { server, origin } = await startPreview(options.port);
  log(`vite preview at ${origin}`);
  const launch = playwrightConfig.use?.launchOptions ?? {};
  let browser: Browser;
  try {
    browser = await chromium.launch({ ...launch, headless: true });
  } catch (error) {
    await server.close();
    throw new Error(
      `cannot start Chromium (see the README: apt-get install chromium, or npx playwright install chromium, or CHROMIUM_PATH): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  try {
    const version = `${browser.browserType().name()} ${browser.version()}${launch.executablePath ? ` (${launch.executablePath})` : ''}`;
    // One throw-away load of each warms the server and the browser's process pool.
    await coldInteractive(browser, `${origin}/`);
    await coldInteractive(browser, `${origin}/bare.html`);
    await coldInteractive(browser, `${origin}/bare-react/`);
    const appAll: number[] = [];
    const bareAll: number[] = [];
    const bareReactAll: number[] = [];
    // Interleaved, so a burst of load on a shared machine hits all three alike.
    const appFcp: number[] = [];
    const appScripts: number[] = [];
    for (let i = 0; i < options.loads; i++) {
      const app = await coldInteractive(browser, `${origin}/`);
      appAll.push(app.interactive);
      appFcp.push(app.fcp);
      appScripts.push(app.scripts);
      bareAll.push((await coldInteractive(browser, `${origin}/bare.html`)).interactive);
      bareReactAll.push((await coldInteractive(browser, `${origin}/bare-react/`)).interactive);
    }
    const list = (values: number[]) => values.map((n) => n.toFixed(0)).join(', ');
    log(`first load: app ${list(appAll)} ms; bare page ${list(bareAll)} ms; bare React page ${list(bareReactAll)} ms`);
    // 1 + 2 × clicks days must fit in the script's 30 (later days would be empty, and quick).
    const days = await plusOneDay(browser, origin, Math.min(options.loads, 14));
    log(
      `+1 day: first ${days.first.toFixed(0)} ms; back to back ${list(days.backToBack)} ms; after a ${PACED_PAUSE_MS / 1000} s pause ${list(days.paced)} ms`,
    );
    const monthFigures = await month(browser, origin);
    const appInteractiveMs = median(appAll);
    const bareInteractiveMs = median(bareAll);
    const bareReactInteractiveMs = median(bareReactAll);
    return {
      browser: version,
      loads: options.loads,
      appInteractiveMs,
      bareInteractiveMs,
      loadRatio: appInteractiveMs / bareReactInteractiveMs,
      appInteractiveAll: appAll,
      bareInteractiveAll: bareAll,
      bareReactInteractiveMs,
      bareReactInteractiveAll: bareReactAll,
      appFirstPaintMs: median(appFcp),
      appScriptsLoadedMs: median(appScripts),
      plusOneDayMs: median(days.paced),
      plusOneDay: days,
      month: monthFigures,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
