// First: starts the simulator (the stored session, else the sandbox world and its keys), so it is
// usually ready by React's first render (boot.ts).
import { boot, embedded } from './ui/boot';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import './index.css';

/** How long after the start the offline copy is set up (see below). */
const SERVICE_WORKER_DELAY_MS = 2_000;

// `?embed=1`: the compact layout for an <iframe>, loaded only then.
const EmbedApp = lazy(() => import('./ui/EmbedApp').then((m) => ({ default: m.EmbedApp })));

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
