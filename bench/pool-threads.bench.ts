/**
 * How the wasm pool scales with threads: allocate + release from 2 worker threads against the
 * same work from 1 (each of the 2 does half), interleaved rounds (bench/harness.ts), for small
 * blocks (64 B to 1 KiB, which come from each thread's cache) and for mixed sizes up to 64 KiB
 * (the larger ones take the pool's shared lock). The same split of work done by `new
 * ArrayBuffer`, and of plain arithmetic, shows what this machine gives 2 threads at the time:
 * a shared 2-core machine rarely gives 2x. Each table also prints the ratio of every round
 * against its pair in the same round.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterAll, bench, describe } from 'vitest';
import { createWasmMemoryPool } from 'nativefile';
import { compare, median, type Row } from './harness.js';

const pool = createWasmMemoryPool();
const workers = [0, 1].map(
  () => new Worker(new URL('./pool-thread.worker.mjs', import.meta.url), { workerData: { handle: pool.handle } }),
);
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.terminate()));
});

/** 1,000 sizes, log-uniform from 64 B to `top`. */
function sizesUpTo(top: number): number[] {
  let state = 12345;
  return Array.from({ length: 1000 }, () => {
    state = (state * 1103515245 + 12345) >>> 0;
    return Math.round(64 * (top / 64) ** (state / 2 ** 32));
  });
}

/** Runs `repeat` rounds of the sizes on `threads` workers, split evenly between them. */
async function run(kind: string, sizes: number[], repeat: number, threads: number): Promise<void> {
  const used = workers.slice(0, threads);
  for (const worker of used) worker.postMessage({ kind, sizes, repeat: repeat / threads });
  await Promise.all(used.map((worker) => once(worker, 'message')));
}

/** The 2-thread round's speed over the 1-thread round's, round by round. */
function printPaired(title: string, rows: readonly Row[]): void {
  const ratios = rows[1]!.samples.map((ms, i) => ms / rows[0]!.samples[i]!);
  const sorted = ratios.slice().sort((a, b) => a - b);
  console.log(
    `  ${title}: 2 threads / 1, paired by round: median ${median(ratios).toFixed(2)}x, ` +
      `range ${sorted[0]!.toFixed(2)}-${sorted[sorted.length - 1]!.toFixed(2)}x`,
  );
}

const REPEAT = 200;
const options = (sizes: number[]) => ({
  rounds: 15,
  warmup: 3,
  per: { unit: 'M allocations/s', of: (ms: number) => (REPEAT * sizes.length) / 1e3 / ms },
});

const tables: Array<[string, string, number[]]> = [
  ['wasm pool, allocate + release of 64 B to 1 KiB (thread caches)', 'pool', sizesUpTo(1024)],
  ['wasm pool, allocate + release of 64 B to 64 KiB', 'pool', sizesUpTo(65536)],
  ['new ArrayBuffer of 64 B to 1 KiB', 'arraybuffer', sizesUpTo(1024)],
  ['arithmetic, no memory shared (what the machine gives 2 threads)', 'compute', sizesUpTo(1024)],
];

describe('threads: the same work from 2 worker threads / from 1', () => {
  bench(
    '(tables printed above)',
    async () => {
      for (const [title, kind, sizes] of tables) {
        const rows = await compare(
          'pool-threads',
          title,
          [
            { name: '2 worker threads', run: () => run(kind, sizes, REPEAT, 2) },
            { name: '1 worker thread', run: () => run(kind, sizes, REPEAT, 1) },
          ],
          options(sizes),
        );
        printPaired(title, rows);
      }
    },
    { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
  );
});
