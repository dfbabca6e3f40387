// First: starts the simulator (the stored session, else the sandbox world and its keys) in the
// engine's worker, which engine-start.ts has started already (boot.ts).
import { boot, embedded } from './ui/boot';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import './index.css';

/** How long after the start the offline copy is set up (see below). */
const SERVICE_WORKER_DELAY_MS = 2_000;

// `?embed=1`: the compact layout for an <iframe>, loaded only then.
const EmbedApp = lazy(() => import('./ui/EmbedApp').then((m) => ({ default: m.EmbedApp })));

/** The engine's first view is in, or the start settled without one (a notice to show). */
function firstView(): Promise<void> {
  return new Promise((resolve) => {
    if (boot.store.getState().view) return resolve();
    const unsubscribe = boot.store.subscribe((state) => {
      if (!state.view && state.status !== 'error') return;
      unsubscribe();
      resolve();
    });
    void boot.ready.then(() => {
      unsubscribe();
      resolve();
    });
  });
}

/** At the latest, React renders this long after the start (a slow device then shows "Starting…"). */
const FIRST_VIEW_WAIT_MS = 1_000;

/**
 * The first frame is the simulator itself: React renders once the engine's first view is in (a
 * few ms after this script has run, since engine-start.ts started the worker before it), rather
 * than a "Starting the simulation…" screen that would be laid out, painted and replaced at once.
 */
const firstScreen = Promise.race([firstView(), new Promise((resolve) => setTimeout(resolve, FIRST_VIEW_WAIT_MS))]);

void firstScreen.then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      {embedded ? (
        <Suspense fallback={null}>
          <EmbedApp boot={boot} />
        </Suspense>
      ) : (
        <App boot={boot} />
      )}
    </StrictMode>,
  ),
);

// The offline copy (dist/sw.js), from a module of its own: registered once the simulator has
// started and the page has been quiet a moment. Its install fetches and stores every file of the
// build, which on a first visit must not compete with the engine's start, the first paint or the
// first click. Not from an embed, which keeps nothing in the browser of a visitor of someone
// else's page.
if (import.meta.env.PROD && !embedded) {
  const register = () => void import('./register-sw').then((m) => m.registerServiceWorker());
  const whenIdle = () => (typeof requestIdleCallback === 'function' ? requestIdleCallback(register, { timeout: 5_000 }) : register());
  const loaded = new Promise<void>((resolve) =>
    document.readyState === 'complete' ? resolve() : window.addEventListener('load', () => resolve(), { once: true }),
  );
  void Promise.all([boot.ready, loaded]).then(() => setTimeout(whenIdle, SERVICE_WORKER_DELAY_MS));
}
