// The benchmark's framework floor: React + zustand + jose + Tailwind and nothing else, drawing the
// same four party regions with a button each. Built by scripts/bench/page.ts into
// bench-results/site/bare-react/; never part of the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { SignJWT, generateKeyPair } from 'jose';
import './style.css';

const PARTIES = ['Client', 'Authorization server', 'Resource server', 'Attacker'];
const store = createStore<{ clicks: number; jwt: string }>()(() => ({ clicks: 0, jwt: '' }));

async function sign(): Promise<void> {
  const { privateKey } = await generateKeyPair('EdDSA');
  const jwt = await new SignJWT({ n: store.getState().clicks }).setProtectedHeader({ alg: 'EdDSA' }).sign(privateKey);
  store.setState((s) => ({ clicks: s.clicks + 1, jwt }));
}

function App() {
  const clicks = useStore(store, (s) => s.clicks);
  return (
    <main className="grid grid-cols-4 gap-3 p-3">
      {PARTIES.map((name) => (
        <section key={name} aria-labelledby={`h-${name}`} className="rounded-lg border-2 p-3">
          <h2 id={`h-${name}`} className="font-bold">
            {name}
          </h2>
          <button type="button" className="rounded border px-2 py-1" onClick={() => void sign()}>
            Act ({clicks})
          </button>
        </section>
      ))}
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
