// A SharedWorker for the browser tests: OPFS without sync access handles (the async backend).
import { expose } from 'comlink';
import { contexts } from './opfs-contexts.js';
import { opfsContract } from './opfs-contract.js';

const api = { ...contexts, contract: opfsContract };

export type HarnessSharedWorker = typeof api;

(globalThis as unknown as { onconnect: (event: MessageEvent) => void }).onconnect = (event) => expose(api, event.ports[0]);
