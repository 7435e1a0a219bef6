/**
 * Node file backends against Node itself, in one run: OSFile sequential reads against
 * fs.readSync, random 4 KiB reads from a memory map against pread, and readAt against
 * hyparquet's asyncBufferFromFile().slice.
 */
import { closeSync, mkdtempSync, openSync, readSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile } from 'hyparquet';
import { createRequire } from 'node:module';
import { bench, describe } from 'vitest';
import { memoryMap, OSFile } from '../src/node.js';

const SIZE = 256 * 1024 * 1024;
const MiB = 1024 * 1024;
const path = join(mkdtempSync(join(tmpdir(), 'nativefile-bench-')), 'data.bin');
writeFileSync(path, new Uint8Array(SIZE).fill(5));
const sequential = { iterations: 6, warmupIterations: 2, time: 0, warmupTime: 0 };
const random = { time: 1000, warmupTime: 200 };
let sink = 0;

let seed = 1;
const offsets = Array.from({ length: 4096 }, () => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return (seed % (SIZE / 4096 - 1)) * 4096;
});

describe('read 256 MiB sequentially, 1 MiB at a time', () => {
  bench('OSFile.readBufferSync', () => {
    using file = new OSFile(path);
    for (let buffer = file.readBufferSync(MiB); buffer.size > 0; buffer = file.readBufferSync(MiB)) {
      sink += buffer.size;
      buffer.release();
    }
  }, sequential);

  bench('fs.readSync into one preallocated buffer', () => {
    const fd = openSync(path, 'r');
    const buffer = new Uint8Array(MiB);
    for (let got = readSync(fd, buffer, 0, MiB, null); got > 0; got = readSync(fd, buffer, 0, MiB, null)) sink += got;
    closeSync(fd);
  }, sequential);
});

/** The random 4 KiB reads as zero-copy buffers over the mapping. */
function zeroCopyReads(map: ReturnType<typeof memoryMap>): void {
  for (const offset of offsets) {
    map.seek(offset);
    sink += map.readBufferSync(4096).size;
  }
}

describe('4,096 random 4 KiB reads', () => {
  const map = memoryMap(path);
  const os = new OSFile(path);
  const fd = openSync(path, 'r');
  const scratch = new Uint8Array(4096);

  bench('memoryMap readBufferSync (zero-copy)', () => zeroCopyReads(map), random);

  bench('memoryMap readAtSync (copy)', () => {
    for (const offset of offsets) sink += map.readAtSync(offset, 4096).byteLength;
  }, random);

  bench('fs.readSync pread into one buffer', () => {
    for (const offset of offsets) sink += readSync(fd, scratch, 0, 4096, offset);
  }, random);

  bench('OSFile.readAtSync', () => {
    for (const offset of offsets) sink += os.readAtSync(offset, 4096).byteLength;
  }, random);
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
  console.log('node-files bench: mmap-io is not installed, so the memory-map comparison with it is skipped\n' +
    '  (to include it: CXXFLAGS=-std=c++17 npm install --no-save mmap-io)');
} else describe('4,096 random 4 KiB reads from a memory map: nativefile against mmap-io', () => {
  const map = memoryMap(path);
  const fd = openSync(path, 'r');
  const peer = mmapIo.map(SIZE, mmapIo.PROT_READ, mmapIo.MAP_SHARED, fd);
  const scratch = new Uint8Array(4096);

  bench('memoryMap readBufferSync (zero-copy)', () => zeroCopyReads(map), random);

  bench('mmap-io Buffer.subarray (zero-copy)', () => {
    for (const offset of offsets) sink += peer.subarray(offset, offset + 4096).byteLength;
  }, random);

  bench('memoryMap readIntoSync (copy)', () => {
    for (const offset of offsets) {
      map.seek(offset);
      sink += map.readIntoSync(scratch);
    }
  }, random);

  bench('mmap-io copy into one buffer', () => {
    for (const offset of offsets) {
      scratch.set(peer.subarray(offset, offset + 4096));
      sink += 4096;
    }
  }, random);
});

describe('4,096 random 4 KiB async reads', async () => {
  const os = new OSFile(path);
  const hyparquet = await asyncBufferFromFile(path);

  bench('OSFile.readAt', async () => {
    for (const offset of offsets) sink += (await os.readAt(offset, 4096)).byteLength;
  }, random);

  bench('hyparquet asyncBufferFromFile().slice', async () => {
    for (const offset of offsets) sink += (await hyparquet.slice(offset, offset + 4096)).byteLength;
  }, random);
});

export { sink };
