/**
 * How the wasm pool scales with threads: allocate + release from 2 worker threads against the
 * same work from 1 (each of the 2 does half), interleaved rounds (bench/harness.ts), for small
 * blocks (64 B to 1 KiB, slab blocks) and for mixed sizes up to 64 KiB (60 % of them past 1 KiB:
 * TLSF blocks), both kept by each thread's cache, and `new ArrayBuffer` for comparison.
 *
 * Each table times controls in the same rounds, so that load on the machine hits all alike:
 * the same allocations by the allocator's own calls (its wasm exports, with no Buffer objects:
 * what sharing costs the allocator itself), from a pool of each thread's own (the library's
 * code with nothing shared between the threads: how far the shared pool could scale here),
 * arithmetic, as a chain of dependent multiplications and as independent additions, and loads
 * and stores in each thread's own small array (what the machine gives 2 threads at the time,
 * to work that touches memory and to work that does not). Ratios are paired by round.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterAll, bench, describe } from 'vitest';
import { createWasmMemoryPool } from 'nativefile';
import { compare, median, type Row } from './harness.js';
import { sizesUpTo } from './pool-work.mjs';

const pool = createWasmMemoryPool();
const workers = [0, 1].map(
  () => new Worker(new URL('./pool-thread.worker.mjs', import.meta.url), { workerData: { handle: pool.handle } }),
);
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.terminate()));
});

/** Runs `repeat` rounds of the sizes on `threads` workers, split evenly between them. */
async function run(kind: string, sizes: number[], repeat: number, threads: number): Promise<void> {
  const used = workers.slice(0, threads);
  for (const worker of used) worker.postMessage({ kind, sizes, repeat: repeat / threads });
  await Promise.all(used.map((worker) => once(worker, 'message')));
}

/** Each kind's 2-thread round's speed over its 1-thread round's, paired by round. */
function printPaired(rows: readonly Row[], kinds: readonly string[]): void {
  const parts = kinds.map((kind, k) => {
    const [two, one] = [rows[2 * k]!, rows[2 * k + 1]!];
    const ratios = one.samples.map((ms, i) => ms / two.samples[i]!);
    const sorted = ratios.slice().sort((a, b) => a - b);
    return `${kind} ${median(ratios).toFixed(2)}x (${sorted[0]!.toFixed(2)}-${sorted[sorted.length - 1]!.toFixed(2)})`;
  });
  console.log(`  2 threads / 1, paired by round: ${parts.join(', ')}`);
}

const REPEAT = 200;
const options = (sizes: number[]) => ({
  rounds: 21,
  warmup: 3,
  per: { unit: 'M allocations/s', of: (ms: number) => (REPEAT * sizes.length) / 1e3 / ms },
});

// Each table times the pool and the control in the same rounds, so that load on the machine
// hits both alike: the pool's ratio is to be read against the control's.
const CONTROLS = ['calls', 'own', 'memory', 'compute', 'independent'];
const NAMES: Record<string, string> = {
  pool: 'shared pool',
  calls: "shared pool, the allocator's own calls",
  own: "each thread's own pool (nothing shared)",
  arraybuffer: 'new ArrayBuffer',
  compute: 'dependent arithmetic',
  independent: 'independent arithmetic',
  memory: "loads and stores in each thread's own 16 KiB",
};
const tables: Array<[string, string, string[], number[]]> = [
  ['wasm pool, allocate + release of 64 B to 1 KiB, and controls', 'pool', CONTROLS, sizesUpTo(1024)],
  ['wasm pool, allocate + release of 64 B to 64 KiB, and controls', 'pool', CONTROLS, sizesUpTo(65536)],
  ['new ArrayBuffer of 64 B to 1 KiB, and arithmetic', 'arraybuffer', ['compute', 'independent'], sizesUpTo(1024)],
];

describe('threads: the same work from 2 worker threads / from 1', () => {
  bench(
    '(tables printed above)',
    async () => {
      for (const [title, kind, controls, sizes] of tables) {
        const kinds = [kind, ...controls];
        const rows = await compare(
          'pool-threads',
          title,
          kinds.flatMap((each) => [
            { name: `${NAMES[each]}, 2 threads`, run: () => run(each, sizes, REPEAT, 2) },
            { name: `${NAMES[each]}, 1 thread`, run: () => run(each, sizes, REPEAT, 1) },
          ]),
          options(sizes),
        );
        printPaired(rows, kinds);
      }
    },
    { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
  );
});
