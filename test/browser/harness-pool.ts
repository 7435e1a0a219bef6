// Page-side checks of the wasm pool across threads (see pool-threads.test.ts).
import type { IOError } from '../../src/errors.js';
import { createWasmMemoryPool } from '../../src/memory/wasm/wasm-pool.js';

/** What happened when the page allocated after a worker was terminated mid-loop. */
export interface AfterKill {
  outcome: 'ok' | 'error';
  code?: string;
  message?: string;
  ms: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const poolChecks = {
  /**
   * `iterations` times: a worker allocates `sizes` in a tight loop from a new pool, the page
   * terminates it, then allocates on the main thread (which may not block, so it spins while
   * it waits for the pool's lock). `raw`: the worker calls the pool's block calls directly.
   */
  async allocateAfterWorkerKilled(sizes: number[], iterations: number, lockTimeout: number, raw = false): Promise<AfterKill[]> {
    const outcomes: AfterKill[] = [];
    for (let i = 0; i < iterations; i++) {
      const pool = createWasmMemoryPool({ lockTimeout });
      const worker = new Worker(new URL('./pool-looper.ts', import.meta.url), { type: 'module' });
      const looping = new Promise((resolve) => (worker.onmessage = resolve));
      worker.postMessage({ handle: pool.handle, sizes, raw });
      await looping;
      await sleep(10 + ((i * 13) % 40));
      worker.terminate();
      const start = performance.now();
      try {
        for (const size of [100, 100_000]) pool.allocate(size).release();
        outcomes.push({ outcome: 'ok', ms: performance.now() - start });
      } catch (error) {
        const { code, message } = error as IOError;
        outcomes.push({ outcome: 'error', code, message, ms: performance.now() - start });
      }
    }
    return outcomes;
  },
};
