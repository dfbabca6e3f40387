// First: starts the simulator (the stored session, else the sandbox world and its keys), so it is
// usually ready by React's first render (boot.ts).
import { boot, embedded } from './ui/boot';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import './index.css';

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

// The offline copy (dist/sw.js): registered once the page has loaded, from a module of its own.
// Not from an embed, which keeps nothing in the browser of a visitor of someone else's page.
if (import.meta.env.PROD && !embedded) {
  const register = () => void import('./register-sw').then((m) => m.registerServiceWorker());
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
