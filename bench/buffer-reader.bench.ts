/**
 * BufferReader's small reads against what a JavaScript programmer writes by hand over the same
 * bytes: readBufferSync (zero-copy slices) against Uint8Array.subarray, readSync (copies)
 * against Uint8Array.slice. `Buffer.slice` alone is the floor the file core can reach, since
 * a readBufferSync returns one.
 */
import { bench, describe } from 'vitest';
import { Buffer, BufferReader } from 'nativefile';
import { compare } from './harness.js';

const SIZE = 100 * 1024 * 1024;
const READ = 100;
const COUNT = SIZE / READ;
const data = new Uint8Array(SIZE);
const buffer = Buffer.wrap(data, { mutable: false });
const once = { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 };
const per = { unit: 'M reads/s', of: (ms: number) => COUNT / 1e6 / (ms / 1000) };
let sink = 0;

describe(`${COUNT.toLocaleString('en')} sequential reads of ${READ} bytes`, () => {
  bench(
    'zero-copy reads (table printed above)',
    async () => {
      await compare(
        'buffer-reader',
        `${COUNT.toLocaleString('en')} sequential zero-copy reads of ${READ} bytes`,
        [
          {
            name: 'BufferReader.readBufferSync',
            run() {
              const reader = new BufferReader(buffer);
              for (let i = 0; i < COUNT; i++) sink += reader.readBufferSync(READ).size;
            },
          },
          {
            name: 'Uint8Array.subarray',
            run() {
              for (let position = 0, i = 0; i < COUNT; i++, position += READ)
                sink += data.subarray(position, position + READ).length;
            },
          },
          {
            name: 'Buffer.slice alone (the floor for readBufferSync)',
            run() {
              for (let position = 0, i = 0; i < COUNT; i++, position += READ) sink += buffer.slice(position, READ).size;
            },
          },
        ],
        // Rounds of ~35 ms: many of them, so a neighbour's burst on the shared machine moves
        // the median less (7 rounds gave 0.72x to 1.53x across runs).
        { per, rounds: 31 },
      );
    },
    once,
  );

  bench(
    'copying reads (table printed above)',
    async () => {
      await compare(
        'buffer-reader',
        `${COUNT.toLocaleString('en')} sequential copying reads of ${READ} bytes`,
        [
          {
            name: 'BufferReader.readSync',
            run() {
              const reader = new BufferReader(buffer);
              for (let i = 0; i < COUNT; i++) sink += reader.readSync(READ).length;
            },
          },
          {
            name: 'Uint8Array.slice',
            run() {
              for (let position = 0, i = 0; i < COUNT; i++, position += READ)
                sink += data.slice(position, position + READ).length;
            },
          },
        ],
        { per },
      );
    },
    once,
  );
});

export { sink };
