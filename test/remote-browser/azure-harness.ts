// The page side of the Azure browser tests: functions the Node runner calls with evaluate().
// Azurite and the signing server run on other origins (other ports), so every request is a
// real cross-origin one, under COEP require-corp.
import { wrap } from 'comlink';
import {
  azureAbort,
  azureOpenHeld,
  azureRead,
  azureReadHeld,
  azureRefused,
  azureResumable,
  azureSigned,
  azureWrite,
} from './azure-checks.js';
import { azureChangedFile, azureLockedCalls } from './upload-lock-checks.js';

import type { AzureWorker } from './azure-worker.js';

/** Runs `use` on a fresh module worker, then ends the worker. */
async function inWorker<T>(use: (worker: ReturnType<typeof wrap<AzureWorker>>) => Promise<T>): Promise<T> {
  const worker = new Worker(new URL('./azure-worker.ts', import.meta.url), { type: 'module' });
  try {
    return await use(wrap<AzureWorker>(worker));
  } finally {
    worker.terminate();
  }
}

const harness = {
  environment: () => ({ isolated: globalThis.crossOriginIsolated, origin: location.origin }),
  azureRead,
  azureWrite,
  azureSigned,
  azureAbort,
  azureOpenHeld,
  azureReadHeld,
  azureRefused,
  azureResumable,
  azureLockedCalls,
  azureChangedFile,
  /** The SAS checks again, inside a dedicated module worker. */
  workerAzure: (endpoint: string, sasToken: string, path: string, dir: string, uploadPath: string, abortPath: string) =>
    inWorker(async (worker) => ({
      where: await worker.where(),
      read: await worker.azureRead(endpoint, sasToken, path, dir),
      written: await worker.azureWrite(endpoint, sasToken, uploadPath, 2),
      aborted: await worker.azureAbort(endpoint, sasToken, abortPath),
    })),
};

/** The functions the test calls in the page. */
export type AzureHarness = typeof harness;

(globalThis as unknown as { harness: AzureHarness }).harness = harness;
document.getElementById('status')!.textContent = 'ready';
