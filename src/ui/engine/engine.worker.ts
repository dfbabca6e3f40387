// The engine's module worker: the host (host.ts) with the worker's postMessage as its outbox.
/// <reference lib="webworker" />
import { createEngineHost } from './host';
import type { ToHost } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const host = createEngineHost((message) => scope.postMessage(message));
scope.onmessage = (event: MessageEvent<ToHost>) => host.receive(event.data);
