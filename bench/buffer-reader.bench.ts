/** BufferReader.readBufferSync (zero-copy slices) against Uint8Array.subarray on the same walk. */
import { bench, describe } from 'vitest';
import { BufferReader } from '../src/index.js';

const SIZE = 100 * 1024 * 1024;
const READ = 100;
const data = new Uint8Array(SIZE);
const options = { iterations: 5, warmupIterations: 1, time: 0, warmupTime: 0 };
let sink = 0;

describe(`${(SIZE / READ).toLocaleString('en')} sequential reads of ${READ} bytes`, () => {
  bench('BufferReader.readBufferSync', () => {
    const reader = new BufferReader(data);
    for (let i = 0; i < SIZE / READ; i++) sink += reader.readBufferSync(READ).size;
  }, options);

  bench('Uint8Array.subarray', () => {
    let position = 0;
    for (let i = 0; i < SIZE / READ; i++) {
      sink += data.subarray(position, position + READ).length;
      position += READ;
    }
  }, options);
});

export { sink };
