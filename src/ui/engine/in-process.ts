// The engine host in the same thread, behind the same messages as the worker: what tests and
// Node use. Each message is structured-cloned and delivered in a later task, as a worker's would
// be, so whatever passes here also crosses to a real worker.
import { createEngineHost } from './host';
import type { FromHost, ToHost, Transport } from './protocol';

export function inProcessTransport(): Transport {
  let receive: ((message: FromHost) => void) | null = null;
  let closed = false;
  const host = createEngineHost((message) => {
    const copy = structuredClone(message);
    setTimeout(() => {
      if (!closed) receive?.(copy);
    }, 0);
  });
  return {
    send(message: ToHost) {
      const copy = structuredClone(message);
      setTimeout(() => {
        if (!closed) host.receive(copy);
      }, 0);
    },
    onMessage(handler) {
      receive = handler;
    },
    close() {
      closed = true;
    },
  };
}
