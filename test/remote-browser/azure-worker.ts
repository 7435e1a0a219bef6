// The module worker the Azure harness starts: the same read, upload and abort checks as the page.
import { expose } from 'comlink';
import { azureAbort, azureRead, azureWrite } from './azure-checks.js';

const api = {
  /** Whether this runs in a dedicated worker (no document), and is isolated like its page. */
  where: () => ({
    worker: typeof document === 'undefined' && 'WorkerGlobalScope' in globalThis,
    isolated: globalThis.crossOriginIsolated,
  }),
  azureRead,
  azureWrite,
  azureAbort,
};

/** What the worker offers the page. */
export type AzureWorker = typeof api;

expose(api);
