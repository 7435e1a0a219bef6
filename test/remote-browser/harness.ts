// The page side of the remote-file browser tests: functions the Node runner calls with
// evaluate(). nginx and Ceph's S3 gateway run on other origins (other ports), so every request is a
// real cross-origin one, under COEP require-corp.
import { wrap } from 'comlink';
import { linesOverHttp, openHeld, openMissing, readHeld, readPatternOverHttp, readRefusedByCors } from './http-checks.js';
import { parquetRows } from './parquet-check.js';
import { opfsUpload, s3Abort, s3Manage, s3Multipart, s3OpenMissing, s3Read } from './s3-checks.js';
import {
  copyTreeThroughS3,
  readPresigned,
  signerRoundTrip,
  startResumableUpload,
  storedUploads,
  uploadState,
} from './upload-checks.js';
import type { RemoteWorker } from './worker.js';

/** Runs `use` on a fresh module worker, then ends the worker. */
async function inWorker<T>(use: (worker: ReturnType<typeof wrap<RemoteWorker>>) => Promise<T>): Promise<T> {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  try {
    return await use(wrap<RemoteWorker>(worker));
  } finally {
    worker.terminate();
  }
}

const harness = {
  environment: () => ({ isolated: globalThis.crossOriginIsolated, origin: location.origin }),
  readPatternOverHttp,
  linesOverHttp,
  openHeld,
  readHeld,
  openMissing,
  s3OpenMissing,
  readRefusedByCors,
  s3Read,
  parquetRows,
  s3Multipart,
  s3Abort,
  s3Manage,
  opfsUpload,
  startResumableUpload,
  uploadState,
  storedUploads,
  signerRoundTrip,
  readPresigned,
  copyTreeThroughS3,
  /** The HttpFile checks again, inside a dedicated module worker. */
  workerHttp: (patternUrl: string, linesUrl: string) =>
    inWorker(async (worker) => ({
      where: await worker.where(),
      read: await worker.readPatternOverHttp(patternUrl),
      lines: await worker.linesOverHttp(linesUrl),
    })),
  /** The S3 read checks again (SigV4 signing with crypto.subtle included), inside a worker. */
  workerS3: (endpoint: string, path: string, dir: string, uploadPath: string, abortPath: string) =>
    inWorker(async (worker) => ({
      read: await worker.s3Read(endpoint, path, dir),
      multipart: await worker.s3Multipart(endpoint, uploadPath, 6),
      aborted: await worker.s3Abort(endpoint, abortPath),
    })),
};

/** The functions the test calls in the page. */
export type Harness = typeof harness;

(globalThis as unknown as { harness: Harness }).harness = harness;
document.getElementById('status')!.textContent = 'ready';
