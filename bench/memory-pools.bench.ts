/**
 * Allocate + release of mixed sizes from 64 B to 64 KiB (log-uniform, the same 1,000 sizes
 * for every contender): the wasm pool against `new ArrayBuffer` and the system pool.
 */
import { bench, describe } from 'vitest';
// Straight from the memory modules: the bench measures them, not the rest of the library.
import { systemMemoryPool } from '../src/memory/system-pool.js';
import { createWasmMemoryPool } from '../src/memory/wasm/wasm-pool.js';

let state = 12345;
const sizes = Array.from({ length: 1000 }, () => {
  state = (state * 1103515245 + 12345) >>> 0;
  return Math.round(64 * 2 ** ((state / 2 ** 32) * 10));
});
const wasm = createWasmMemoryPool();
const system = systemMemoryPool();
const options = { time: 1500, warmupTime: 300 };
let sink = 0;

describe('allocate + release, 1,000 mixed sizes from 64 B to 64 KiB', () => {
  bench(
    'wasm pool',
    () => {
      for (const size of sizes) {
        const buffer = wasm.allocate(size);
        sink += buffer.address;
        buffer.release();
      }
    },
    options,
  );

  bench(
    'new ArrayBuffer',
    () => {
      for (const size of sizes) sink += new ArrayBuffer(size).byteLength;
    },
    options,
  );

  bench(
    'system pool',
    () => {
      for (const size of sizes) {
        const buffer = system.allocate(size);
        sink += buffer.size;
        buffer.release();
      }
    },
    options,
  );
});

describe('allocate 1,000 mixed sizes from 64 B to 64 KiB, then release them all', () => {
  const held = new Array(sizes.length);
  bench(
    'wasm pool',
    () => {
      for (let i = 0; i < sizes.length; i++) held[i] = wasm.allocate(sizes[i]!);
      for (let i = 0; i < sizes.length; i++) held[i].release();
    },
    options,
  );

  bench(
    'new ArrayBuffer',
    () => {
      for (let i = 0; i < sizes.length; i++) held[i] = new ArrayBuffer(sizes[i]!);
      held.fill(undefined);
    },
    options,
  );

  bench(
    'system pool',
    () => {
      for (let i = 0; i < sizes.length; i++) held[i] = system.allocate(sizes[i]!);
      for (let i = 0; i < sizes.length; i++) held[i].release();
    },
    options,
  );
});

export { sink };
