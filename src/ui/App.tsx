import { useEffect, useState } from 'react';
import { runScenario } from '../sim/world';
import { parseScenario } from '../sim/scenario';
import type { Outcome } from '../sim/types';
import basic from '../scenarios/basic-cycle.json';

export function App() {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const parsed = parseScenario(basic);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    runScenario(parsed.scenario).then(setOutcome, (e: unknown) => setError(String(e)));
  }, []);
  return (
    <main className="mx-auto max-w-3xl p-6 font-sans">
      <h1 className="text-2xl font-bold">tokenscope</h1>
      {error && <p role="alert">{error}</p>}
      {outcome ? (
        <section aria-label="Outcome">
          <ol>
            {outcome.steps.map((s, i) => (
              <li key={i}>
                {s.at}s {s.do}: {s.ok ? 'ok' : 'rejected'} {s.status ?? ''} {s.reason ?? ''}
              </li>
            ))}
          </ol>
          <p data-testid="exposure">Attacker exposure: {outcome.metrics.attacker.exposureSeconds} s</p>
        </section>
      ) : (
        <p>Running…</p>
      )}
    </main>
  );
}
