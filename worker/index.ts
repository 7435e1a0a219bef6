/**
 * The nativefile IO worker entry (`nativefile/worker`): start it as a module Web Worker and
 * talk to it with comlink. OPFS access lands here with the browser issue; for now it reports
 * on the worker's memory pool.
 * @module
 */
import { expose } from 'comlink';
import { defaultMemoryPool } from '../src/index.js';

/** The service the worker exposes through comlink. */
export const ioService = {
  /** The worker's default pool statistics. */
  poolStatistics(): { backend: string; bytesAllocated: number; maxMemory: number; numAllocations: number } {
    const pool = defaultMemoryPool();
    return {
      backend: pool.backendName,
      bytesAllocated: pool.bytesAllocated(),
      maxMemory: pool.maxMemory(),
      numAllocations: pool.numAllocations(),
    };
  },
};

/** The type to give `comlink.wrap<IoService>(worker)`. */
export type IoService = typeof ioService;

if (typeof self !== 'undefined' && typeof (self as { postMessage?: unknown }).postMessage === 'function' && typeof window === 'undefined') {
  expose(ioService);
}
