// First: starts the simulator (the stored session, else the sandbox world and its keys), so it is
// usually ready by React's first render (boot.ts).
import { boot } from './ui/boot';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import './index.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App boot={boot} />
  </StrictMode>,
);

// The offline copy (dist/sw.js): registered once the page has loaded, from a module of its own.
if (import.meta.env.PROD) {
  const register = () => void import('./register-sw').then((m) => m.registerServiceWorker());
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
