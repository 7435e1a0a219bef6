// The module worker the harness starts: the same HttpFile and S3 read checks as the page.
import { expose } from 'comlink';
import { linesOverHttp, readPatternOverHttp } from './http-checks.js';
import { s3Abort, s3Multipart, s3Read } from './s3-checks.js';

const api = {
  /** Whether this runs in a dedicated worker (no document), and is isolated like its page. */
  where: () => ({
    worker: typeof document === 'undefined' && 'WorkerGlobalScope' in globalThis,
    isolated: globalThis.crossOriginIsolated,
  }),
  readPatternOverHttp,
  linesOverHttp,
  s3Read,
  s3Multipart,
  s3Abort,
};

/** What the worker offers the page. */
export type RemoteWorker = typeof api;

expose(api);
