/**
 * BufferOutputStream against the usual ways of collecting bytes in JavaScript:
 * 1,000,000 writes of 100 bytes (100 MB) per iteration.
 */
import { Buffer as NodeBuffer } from 'node:buffer';
import { bench, describe } from 'vitest';
import { BufferOutputStream } from 'nativefile';

const WRITES = 1_000_000;
const CHUNK = 100;
const chunks = Array.from({ length: 1000 }, (_, i) => new Uint8Array(CHUNK).fill(i));
const options = { iterations: 5, warmupIterations: 1, time: 0, warmupTime: 0 };
let sink = 0;

describe(`${WRITES.toLocaleString('en')} writes of ${CHUNK} bytes`, () => {
  bench(
    'BufferOutputStream.writeSync + getValue',
    () => {
      const out = new BufferOutputStream();
      for (let i = 0; i < WRITES; i++) out.writeSync(chunks[i % 1000]!);
      const value = out.getValue();
      sink += value.size;
      value.release();
    },
    options,
  );

  bench(
    'doubling Uint8Array',
    () => {
      let bytes = new Uint8Array(1024);
      let length = 0;
      for (let i = 0; i < WRITES; i++) {
        const chunk = chunks[i % 1000]!;
        if (length + chunk.length > bytes.length) {
          const grown = new Uint8Array(Math.max(bytes.length * 2, length + chunk.length));
          grown.set(bytes.subarray(0, length));
          bytes = grown;
        }
        bytes.set(chunk, length);
        length += chunk.length;
      }
      sink += bytes.subarray(0, length).length;
    },
    options,
  );

  bench(
    'collect chunks, then Buffer.concat',
    () => {
      const list: Uint8Array[] = [];
      let length = 0;
      for (let i = 0; i < WRITES; i++) {
        const chunk = chunks[i % 1000]!;
        list.push(chunk);
        length += chunk.length;
      }
      sink += NodeBuffer.concat(list, length).length;
    },
    options,
  );
});

export { sink };
