/**
 * OSFile's async methods (libuv's thread pool) against Node's own async file API, with the
 * worst event-loop stall beside each row: a 1 ms interval timer records how late it fired
 * while the contender ran. An async method that never blocks the loop stays within a few
 * milliseconds; a synchronous one stalls for its whole run.
 *
 * Run alone: `flock /tmp/nativefile-browser.lock npx vitest bench --run bench/node-async.bench.ts`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { asyncBufferFromFile } from 'hyparquet';
import { afterAll, bench, describe } from 'vitest';
import { OSFile } from 'nativefile/node';
import { compare, pageAlignedBytes } from './harness.js';

const SIZE = 256 * 1024 * 1024;
const MiB = 1024 * 1024;
const READ = 4096;
const path = join(mkdtempSync(join(tmpdir(), 'nativefile-bench-')), 'data.bin');
writeFileSync(path, new Uint8Array(SIZE).fill(5));
const once = { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 };
const MB = SIZE / 1e6;
let sink = 0;

let seed = 7;
const offsets = Array.from({ length: 4096 }, () => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return (seed % (SIZE / READ - 1)) * READ;
});

// The peer's buffer and ours for readInto, page-aligned: see pageAlignedBytes for why.
const peerBuffer = pageAlignedBytes(MiB);
const intoBuffer = pageAlignedBytes(MiB);

afterAll(() => rmSync(dirname(path), { recursive: true, force: true }));

describe('async reads from a page-cached file', () => {
  bench(
    'sequential 1 MiB async reads of 256 MiB (table printed above)',
    async () => {
      await compare(
        'node-async',
        'read 256 MiB sequentially, 1 MiB async reads',
        [
          {
            name: 'OSFile.readBuffer (async, pool buffers)',
            async run() {
              await using file = await OSFile.open(path);
              for (let buffer = await file.readBuffer(MiB); buffer.size > 0; buffer = await file.readBuffer(MiB)) {
                sink += buffer.size;
                buffer.release();
              }
            },
          },
          {
            name: 'FileHandle.read loop into one buffer',
            async run() {
              const handle = await open(path, 'r');
              const buffer = peerBuffer;
              for (let r = await handle.read(buffer, 0, MiB, null); r.bytesRead > 0; r = await handle.read(buffer, 0, MiB, null))
                sink += r.bytesRead;
              await handle.close();
            },
          },
          {
            name: 'OSFile.readInto (async) into one buffer',
            async run() {
              await using file = await OSFile.open(path);
              const buffer = intoBuffer;
              for (let got = await file.readInto(buffer); got > 0; got = await file.readInto(buffer)) sink += got;
            },
          },
          {
            name: 'OSFile.readBufferSync (blocks the loop)',
            run() {
              using file = new OSFile(path);
              for (let buffer = file.readBufferSync(MiB); buffer.size > 0; buffer = file.readBufferSync(MiB)) {
                sink += buffer.size;
                buffer.release();
              }
            },
          },
        ],
        { rounds: 31, warmup: 2, stalls: true, per: { unit: 'MB/s', of: (ms) => MB / (ms / 1000) } },
      );
    },
    once,
  );

  bench(
    '4,096 random 4 KiB async reads (table printed above)',
    async () => {
      const file = await OSFile.open(path);
      const handle = await open(path, 'r');
      const hyparquet = await asyncBufferFromFile(path);
      await compare(
        'node-async',
        '4,096 random 4 KiB async reads',
        [
          {
            name: 'OSFile.readAt (async)',
            async run() {
              for (const offset of offsets) sink += (await file.readAt(offset, READ)).byteLength;
            },
          },
          {
            name: 'FileHandle.read at positions, a new buffer each',
            async run() {
              for (const offset of offsets) sink += (await handle.read(new Uint8Array(READ), 0, READ, offset)).bytesRead;
            },
          },
          {
            name: 'OSFile.readAtSync (blocks the loop)',
            run() {
              for (const offset of offsets) sink += file.readAtSync(offset, READ).byteLength;
            },
          },
          {
            name: 'hyparquet asyncBufferFromFile().slice',
            async run() {
              for (const offset of offsets) sink += (await hyparquet.slice(offset, offset + READ)).byteLength;
            },
          },
        ],
        { stalls: true, per: { unit: 'reads/s', of: (ms) => offsets.length / (ms / 1000) } },
      );
      await file.close();
      await handle.close();
    },
    once,
  );
});

export { sink };
