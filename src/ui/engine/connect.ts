// Where a store's engine runs: a module worker in the browser; in-process where there is no
// Worker (tests in Node). Neither the engine nor jose is part of the page's own script: the
// worker loads them, and a production build has no in-process host at all.
import { takeEarlyEngine } from './early';
import type { FromHost, ToHost, Transport } from './protocol';

function workerTransport(): Transport {
  // The first connection takes the worker src/engine-start.ts started before this script ran.
  const early = takeEarlyEngine();
  const worker = early?.worker ?? new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' });
  let receive: ((message: FromHost) => void) | null = null;
  const fatal = (message: string) => receive?.({ type: 'fatal', message });
  worker.onmessage = (event: MessageEvent<FromHost>) => receive?.(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    fatal(event.message || 'the simulation engine could not start');
  };
  return {
    send: (message: ToHost) => worker.postMessage(message),
    onMessage(handler) {
      receive = handler;
      // What the early worker said before anyone listened.
      for (const message of early?.errors.splice(0) ?? []) fatal(message);
    },
    close: () => worker.terminate(),
  };
}

/** A transport whose target loads later: messages sent meanwhile wait, in order. */
function lazyTransport(load: () => Promise<Transport>): Transport {
  let target: Transport | null = null;
  let receive: ((message: FromHost) => void) | null = null;
  let closed = false;
  const waiting: ToHost[] = [];
  load().then(
    (t) => {
      if (closed) return t.close();
      target = t;
      t.onMessage((message) => receive?.(message));
      for (const message of waiting.splice(0)) t.send(message);
    },
    (error: unknown) => receive?.({ type: 'fatal', message: error instanceof Error ? error.message : String(error) }),
  );
  return {
    send(message) {
      if (target) target.send(message);
      else waiting.push(message);
    },
    onMessage(handler) {
      receive = handler;
    },
    close() {
      closed = true;
      target?.close();
    },
  };
}

export function connectEngine(): Transport {
  if (import.meta.env.PROD || typeof Worker === 'function') return workerTransport();
  return lazyTransport(async () => (await import('./in-process')).inProcessTransport());
}
