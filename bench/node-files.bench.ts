/**
 * Node file backends against Node itself, interleaved in one run (bench/harness.ts): OSFile
 * sequential reads against fs.readSync, random 4 KiB reads from a memory map against pread.
 * The async methods against Node's async API are in node-async.bench.ts.
 */
import { closeSync, mkdtempSync, openSync, readSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { bench, describe } from 'vitest';
import { memoryMap, OSFile } from 'nativefile/node';
import { compare, pageAlignedBytes } from './harness.js';

const SIZE = 256 * 1024 * 1024;
const MiB = 1024 * 1024;
const path = join(mkdtempSync(join(tmpdir(), 'nativefile-bench-')), 'data.bin');
// The peer's buffer, page-aligned: see pageAlignedBytes for why.
const peerBuffer = pageAlignedBytes(MiB);
writeFileSync(path, new Uint8Array(SIZE).fill(5));
const once = { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 };
const megabytes = { unit: 'MB/s', of: (ms: number) => SIZE / 1e6 / (ms / 1000) };
const reads = { unit: 'reads/s', of: (ms: number) => 4096 / (ms / 1000) };
let sink = 0;

let seed = 1;
const offsets = Array.from({ length: 4096 }, () => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return (seed % (SIZE / 4096 - 1)) * 4096;
});

describe('read 256 MiB sequentially, 1 MiB at a time', () => {
  bench(
    '(table printed above)',
    async () => {
      await compare(
        'node-files',
        'read 256 MiB sequentially, 1 MiB synchronous reads',
        [
          {
            name: 'OSFile.readBufferSync',
            run() {
              using file = new OSFile(path);
              for (let buffer = file.readBufferSync(MiB); buffer.size > 0; buffer = file.readBufferSync(MiB)) {
                sink += buffer.size;
                buffer.release();
              }
            },
          },
          {
            name: 'fs.readSync into one buffer',
            run() {
              const fd = openSync(path, 'r');
              const buffer = peerBuffer;
              for (let got = readSync(fd, buffer, 0, MiB, null); got > 0; got = readSync(fd, buffer, 0, MiB, null)) sink += got;
              closeSync(fd);
            },
          },
        ],
        { rounds: 31, warmup: 2, per: megabytes },
      );
    },
    once,
  );
});

/** The random 4 KiB reads as zero-copy buffers over the mapping. */
function zeroCopyReads(map: ReturnType<typeof memoryMap>): void {
  for (const offset of offsets) {
    map.seek(offset);
    sink += map.readBufferSync(4096).size;
  }
}

describe('4,096 random 4 KiB reads', () => {
  bench(
    '(table printed above)',
    async () => {
      const map = memoryMap(path);
      const os = new OSFile(path);
      const fd = openSync(path, 'r');
      const scratch = pageAlignedBytes(4096);
      await compare(
        'node-files',
        '4,096 random 4 KiB synchronous reads',
        [
          { name: 'memoryMap readBufferSync (zero-copy)', run: () => zeroCopyReads(map) },
          {
            name: 'memoryMap readAtSync (copy)',
            run() {
              for (const offset of offsets) sink += map.readAtSync(offset, 4096).byteLength;
            },
          },
          {
            name: 'fs.readSync pread into one buffer',
            run() {
              for (const offset of offsets) sink += readSync(fd, scratch, 0, 4096, offset);
            },
          },
          {
            name: 'OSFile.readAtSync',
            run() {
              for (const offset of offsets) sink += os.readAtSync(offset, 4096).byteLength;
            },
          },
        ],
        { rounds: 15, per: reads },
      );
      closeSync(fd);
      os.closeSync();
    },
    once,
  );
});

/**
 * The mmap-io package, as a peer, when it is installed. It is not a dependency: on Node 20 it
 * builds only with `CXXFLAGS=-std=c++17 npm install --no-save mmap-io`.
 */
interface MmapIo {
  map(size: number, protection: number, flags: number, fd: number): Uint8Array;
  PROT_READ: number;
  MAP_SHARED: number;
}
const mmapIo = ((): MmapIo | undefined => {
  try {
    return createRequire(import.meta.url)('mmap-io') as MmapIo;
  } catch {
    return undefined;
  }
})();

// vitest still runs the body of a skipped describe to collect its benches, so a skipIf would
// dereference the missing peer; leave the suite out entirely instead, and say so.
if (mmapIo === undefined) {
  console.log(
    'node-files bench: mmap-io is not installed, so the memory-map comparison with it is skipped\n' +
      '  (to include it: CXXFLAGS=-std=c++17 npm install --no-save mmap-io)',
  );
} else
  describe('4,096 random 4 KiB reads from a memory map: nativefile against mmap-io', () => {
    bench(
      '(table printed above)',
      async () => {
        const map = memoryMap(path);
        const fd = openSync(path, 'r');
        const peer = mmapIo.map(SIZE, mmapIo.PROT_READ, mmapIo.MAP_SHARED, fd);
        const scratch = new Uint8Array(4096);
        await compare(
          'node-files',
          '4,096 random 4 KiB reads from a memory map',
          [
            { name: 'memoryMap readBufferSync (zero-copy)', run: () => zeroCopyReads(map) },
            {
              name: 'mmap-io Buffer.subarray (zero-copy)',
              run() {
                for (const offset of offsets) sink += peer.subarray(offset, offset + 4096).byteLength;
              },
            },
            {
              name: 'memoryMap readIntoSync (copy)',
              run() {
                for (const offset of offsets) {
                  map.seek(offset);
                  sink += map.readIntoSync(scratch);
                }
              },
            },
            {
              name: 'mmap-io copy into one buffer',
              run() {
                for (const offset of offsets) {
                  scratch.set(peer.subarray(offset, offset + 4096));
                  sink += 4096;
                }
              },
            },
          ],
          { rounds: 15, per: reads },
        );
      },
      once,
    );
  });

export { sink };
