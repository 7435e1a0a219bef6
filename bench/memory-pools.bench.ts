/**
 * Allocate + release of mixed sizes from 64 B to 64 KiB (log-uniform, the same 1,000 sizes
 * for every contender): the wasm pool against `new ArrayBuffer` and the system pool,
 * interleaved in one run (bench/harness.ts). A round repeats the 1,000 sizes `REPEAT` times,
 * long enough to time and for most of the garbage `new ArrayBuffer` makes to be collected in
 * its own rounds. The table shows the median of 15 rounds; bench/results.json keeps each one.
 */
import { bench, describe } from 'vitest';
// Straight from the memory modules: the bench measures them, not the rest of the library.
import { createWasmMemoryPool, systemMemoryPool, type Buffer } from 'nativefile';
import { compare } from './harness.js';

let state = 12345;
const sizes = Array.from({ length: 1000 }, () => {
  state = (state * 1103515245 + 12345) >>> 0;
  return Math.round(64 * 2 ** ((state / 2 ** 32) * 10));
});
const REPEAT = 50;
const wasm = createWasmMemoryPool();
const system = systemMemoryPool();
const once = { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 };
const options = {
  rounds: 15,
  warmup: 3,
  per: { unit: 'M allocations/s', of: (ms: number) => (REPEAT * sizes.length) / 1e3 / ms },
};
let sink = 0;

describe('allocate + release, 1,000 mixed sizes from 64 B to 64 KiB', () => {
  bench(
    '(table printed above)',
    async () => {
      await compare(
        'memory-pools',
        'allocate + release at once, 1,000 mixed sizes from 64 B to 64 KiB',
        [
          {
            name: 'wasm pool',
            run() {
              for (let r = 0; r < REPEAT; r++) {
                for (const size of sizes) {
                  const buffer = wasm.allocate(size);
                  sink += buffer.address;
                  buffer.release();
                }
              }
            },
          },
          {
            name: 'new ArrayBuffer',
            run() {
              for (let r = 0; r < REPEAT; r++) for (const size of sizes) sink += new ArrayBuffer(size).byteLength;
            },
          },
          {
            name: 'system pool',
            run() {
              for (let r = 0; r < REPEAT; r++) {
                for (const size of sizes) {
                  const buffer = system.allocate(size);
                  sink += buffer.size;
                  buffer.release();
                }
              }
            },
          },
        ],
        options,
      );
    },
    once,
  );
});

describe('allocate 1,000 mixed sizes from 64 B to 64 KiB, then release them all', () => {
  const held = new Array<Buffer | ArrayBuffer | undefined>(sizes.length);
  bench(
    '(table printed above)',
    async () => {
      await compare(
        'memory-pools',
        'allocate 1,000 mixed sizes from 64 B to 64 KiB, then release them all',
        [
          {
            name: 'wasm pool',
            run() {
              for (let r = 0; r < REPEAT; r++) {
                for (let i = 0; i < sizes.length; i++) held[i] = wasm.allocate(sizes[i]!);
                for (let i = 0; i < sizes.length; i++) (held[i] as Buffer).release();
              }
            },
          },
          {
            name: 'new ArrayBuffer',
            run() {
              for (let r = 0; r < REPEAT; r++) {
                for (let i = 0; i < sizes.length; i++) held[i] = new ArrayBuffer(sizes[i]!);
                held.fill(undefined);
              }
            },
          },
          {
            name: 'system pool',
            run() {
              for (let r = 0; r < REPEAT; r++) {
                for (let i = 0; i < sizes.length; i++) held[i] = system.allocate(sizes[i]!);
                for (let i = 0; i < sizes.length; i++) (held[i] as Buffer).release();
              }
            },
          },
        ],
        options,
      );
    },
    once,
  );
});

export { sink };
