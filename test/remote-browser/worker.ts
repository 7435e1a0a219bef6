// The module worker the harness starts: the same HttpFile checks as the page, from a worker.
import { expose } from 'comlink';
import { linesOverHttp, readPatternOverHttp } from './http-checks.js';

const api = {
  /** Whether this runs in a dedicated worker (no document), and is isolated like its page. */
  where: () => ({ worker: typeof document === 'undefined' && 'WorkerGlobalScope' in globalThis, isolated: globalThis.crossOriginIsolated }),
  readPatternOverHttp,
  linesOverHttp,
};

/** What the worker offers the page. */
export type RemoteWorker = typeof api;

expose(api);
