// The engine's module worker: the host (host.ts) with the worker's postMessage as its outbox.
// Once its first reply is out (the page is drawing the first view), it loads jose's signing code
// (crypto.ts preloadSigning), so the session's first signed step — the first `+1 day` of a
// session that signs in — does not wait for that code to be fetched and compiled. Only code is
// loaded: nothing of any world is computed ahead.
/// <reference lib="webworker" />
import { preloadSigning } from '../../sim/crypto';
import { createEngineHost } from './host';
import type { FromHost, ToHost } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let preloaded = false;
const host = createEngineHost((message: FromHost) => {
  scope.postMessage(message);
  if (preloaded || message.type !== 'done') return;
  preloaded = true;
  setTimeout(() => void preloadSigning(), 0);
});
scope.onmessage = (event: MessageEvent<ToHost>) => host.receive(event.data);
