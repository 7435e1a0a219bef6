// Browser benchmarks, driven by bench/browser.mjs: each returns MB/s (or reads/s) measured here.
import { transfer, wrap } from 'comlink';
import { BlobFile, createWasmMemoryPool, OpfsFile } from '../../src/index.js';
import { sizesUpTo } from '../pool-work.mjs';
import type { ReplaceRoute } from './raw-worker.js';

const MiB = 1024 * 1024;
const PATH = 'bench/data.bin';
/** The file every write contender replaces: 128 MiB before each of them, as after each. */
const TARGET = 'bench-upload/target.bin';
let blob: Blob | undefined;
const rawWorker = wrap<{
  readAll(path: string, chunk: number, shared?: boolean): Promise<number>;
  writeBlob(path: string, blob: Blob): Promise<number>;
  replaceBlob(path: string, blob: Blob): Promise<number>;
  writeStream(path: string, stream: ReadableStream<Uint8Array>): Promise<number>;
  replaceSteps(route: ReplaceRoute, path: string, blob: Blob): Promise<Record<string, number>>;
  openChunks(path: string, crashSafe?: boolean): Promise<void>;
  writeChunk(at: number, bytes: Uint8Array): Promise<void>;
  closeChunks(): Promise<void>;
}>(new Worker(new URL('./raw-worker.ts', import.meta.url), { type: 'module' }));

/** Small blocks (slabs), and mixed sizes of which 60 % are large (TLSF blocks; both thread-cached). */
const POOL_SIZES = { small: sizesUpTo(1024), mixed: sizesUpTo(65536) };
const POOL_REPEAT = 200;
let poolWorkers: Worker[] | undefined;

/**
 * `POOL_REPEAT` rounds of `sizes`, allocated and released (`kind` 'pool' from one wasm
 * pool the workers share, 'own' from each worker's own) or only computed on, split between
 * `threads` workers. Returns M allocations/s.
 */
async function poolThreads(kind: string, threads: number, sizes = POOL_SIZES.small): Promise<number> {
  if (poolWorkers === undefined) {
    const { handle } = createWasmMemoryPool();
    poolWorkers = [0, 1].map(() => new Worker(new URL('./pool-worker.ts', import.meta.url), { type: 'module' }));
    await Promise.all(poolWorkers.map((worker) => answer(worker, { handle })));
  }
  const started = performance.now();
  const repeat = POOL_REPEAT / threads;
  await Promise.all(poolWorkers.slice(0, threads).map((worker) => answer(worker, { kind, sizes, repeat })));
  return (POOL_REPEAT * sizes.length) / 1e3 / (performance.now() - started);
}

function answer(worker: Worker, message: object): Promise<unknown> {
  return new Promise((resolve) => {
    worker.onmessage = resolve;
    worker.postMessage(message);
  });
}

const bench = {
  /** The wasm pool from 2 workers, each doing half of the work 1 worker does in `poolOneWorker`. */
  poolTwoWorkers: (): Promise<number> => poolThreads('pool', 2),
  poolOneWorker: (): Promise<number> => poolThreads('pool', 1),
  /** The same by the allocator's own calls (its wasm exports, no Buffer objects) on the shared pool. */
  callsTwoWorkers: (): Promise<number> => poolThreads('calls', 2),
  callsOneWorker: (): Promise<number> => poolThreads('calls', 1),
  /** The same from a pool of each worker's own: nothing shared, how far the shared pool could scale. */
  ownPoolTwoWorkers: (): Promise<number> => poolThreads('own', 2),
  ownPoolOneWorker: (): Promise<number> => poolThreads('own', 1),
  /** Dependent arithmetic only, no shared memory: what the machine gives 2 threads at the time. */
  computeTwoWorkers: (): Promise<number> => poolThreads('compute', 2),
  computeOneWorker: (): Promise<number> => poolThreads('compute', 1),
  /** Loads and stores in each worker's own small array: what it gives work that touches memory. */
  memoryTwoWorkers: (): Promise<number> => poolThreads('memory', 2),
  memoryOneWorker: (): Promise<number> => poolThreads('memory', 1),
  /** Independent arithmetic. */
  independentTwoWorkers: (): Promise<number> => poolThreads('independent', 2),
  independentOneWorker: (): Promise<number> => poolThreads('independent', 1),
  /** The same three with sizes up to 64 KiB. */
  poolMixedTwoWorkers: (): Promise<number> => poolThreads('pool', 2, POOL_SIZES.mixed),
  poolMixedOneWorker: (): Promise<number> => poolThreads('pool', 1, POOL_SIZES.mixed),
  callsMixedTwoWorkers: (): Promise<number> => poolThreads('calls', 2, POOL_SIZES.mixed),
  callsMixedOneWorker: (): Promise<number> => poolThreads('calls', 1, POOL_SIZES.mixed),
  ownPoolMixedTwoWorkers: (): Promise<number> => poolThreads('own', 2, POOL_SIZES.mixed),
  ownPoolMixedOneWorker: (): Promise<number> => poolThreads('own', 1, POOL_SIZES.mixed),

  async prepare(mib: number): Promise<void> {
    const file = await OpfsFile.open(PATH, 'wb');
    const chunk = new Uint8Array(4 * MiB).fill(7);
    for (let i = 0; i < mib / 4; i++) await file.write(chunk);
    await file.close();
    blob = new Blob(Array.from({ length: mib }, () => chunk.subarray(0, MiB)));
    await rawWorker.writeBlob(TARGET, blob);
  },

  /**
   * `OpfsFile.upload(blob.stream())` on the page into a default (atomic) `'wb'`: the page reads
   * the stream and moves each chunk, whole, to the IO worker (`takeAt`; a stream moved to a
   * worker would cross threads chunk by chunk as copies: see `rawSyncWorkerWriteStream`).
   */
  opfsUploadStream: (): Promise<number> =>
    timeReplace(async (path, source) => {
      const file = await OpfsFile.open(path, 'wb');
      await file.upload(source.stream());
      await file.close();
    }),

  /** `OpfsFile.upload(blob)` on the page: the Blob itself goes to the IO worker. */
  opfsUploadBlob: (): Promise<number> =>
    timeReplace(async (path, source) => {
      const file = await OpfsFile.open(path, 'wb');
      await file.upload(source);
      await file.close();
    }),

  /** The same without the atomic replace (`atomic: false`): the old file is rewritten in place. */
  opfsUploadBlobInPlace: (): Promise<number> =>
    timeReplace(async (path, source) => {
      const file = await OpfsFile.open(path, 'wb', { atomic: false });
      await file.upload(source);
      await file.close();
    }),

  /** The platform's page-side route: piping the stream into `createWritable()` (a swap file, crash-safe). */
  createWritablePipe: (): Promise<number> =>
    timeReplace(async (path, source) => {
      const [dir, name] = path.split('/') as [string, string];
      const root = await navigator.storage.getDirectory();
      const handle = await (await root.getDirectoryHandle(dir, { create: true })).getFileHandle(name, { create: true });
      await source.stream().pipeTo(await handle.createWritable());
    }),

  /** A sync access handle in a worker rewriting the file in place with the Blob's stream, read there (not crash-safe). */
  rawSyncWorkerWrite: (): Promise<number> => timeReplace(async (path, source) => void (await rawWorker.writeBlob(path, source))),

  /**
   * The same crash-safe as an atomic `'wb'` is: a sibling written by a sync access handle in a
   * worker, moved over the file (what raw code pays for keeping the old file on a crash).
   */
  rawSyncWorkerReplace: (): Promise<number> =>
    timeReplace(async (path, source) => void (await rawWorker.replaceBlob(path, source))),

  /**
   * The same given the page's `blob.stream()`, transferred to the worker: what a stream from
   * the page costs at best (its chunks cross threads as copies).
   */
  rawSyncWorkerWriteStream: (): Promise<number> =>
    timeReplace(async (path, source) => {
      const stream = source.stream();
      await rawWorker.writeStream(path, transfer(stream, [stream as unknown as Transferable]));
    }),

  /**
   * The same read on the page, each chunk transferred to a sync access handle in a worker
   * before the worker answered the one before (one write ahead, as `upload` does), in place:
   * what a stream read on the page costs at best, without crash safety.
   */
  rawPageToWorkerAhead: (): Promise<number> =>
    timeReplace(async (path, source) => {
      await rawWorker.openChunks(path);
      let at = 0;
      let writing: Promise<void> | undefined;
      for await (const read of source.stream() as unknown as AsyncIterable<Uint8Array>) {
        // A view into a larger buffer is copied, so that only its bytes move.
        const chunk = read.byteLength === read.buffer.byteLength ? read : read.slice();
        const before = writing;
        const length = chunk.byteLength; // transferred, the chunk is empty
        writing = rawWorker.writeChunk(at, transfer(chunk, [chunk.buffer]));
        at += length;
        await before;
      }
      await writing;
      await rawWorker.closeChunks();
    }),

  /**
   * The same read by a BYOB reader into fresh 4 MiB buffers, as `upload` reads a byte stream: a
   * stream that gives its bytes as one chunk (Firefox's Blob streams) comes in pieces, which the
   * worker writes while the page reads the next (in Firefox 1 MiB pieces ran at 0.89-0.98x of
   * the raw worker, 4 MiB at 1.00-1.06x).
   */
  rawPageToWorkerAheadByob: (): Promise<number> => timeReplace((path, source) => pageToWorkerByob(path, source, 4 * MiB)),

  /**
   * The same, crash-safe as an atomic `'wb'` is: the worker writes a new sibling (appending,
   * as raw code would) and moves it over the file once closed. What raw code pays for
   * `upload(blob.stream())`'s route and its promise.
   */
  rawPageToWorkerAheadByobReplace: (): Promise<number> =>
    timeReplace((path, source) => pageToWorkerByob(path, source, 4 * MiB, true)),

  /**
   * The raw routes behind an atomic `'wb'`, step by step, replacing {@link TARGET} with the
   * prepared Blob in the worker (bench/replace-probe.mjs): not a throughput, a record of ms.
   */
  async replaceSteps(route: ReplaceRoute): Promise<Record<string, number>> {
    const steps = await rawWorker.replaceSteps(route, TARGET, blob!);
    const [dir, name] = TARGET.split('/') as [string, string];
    const root = await navigator.storage.getDirectory();
    const size = (await (await (await root.getDirectoryHandle(dir)).getFileHandle(name)).getFile()).size;
    if (size !== blob!.size) throw new Error(`${TARGET} has ${size} bytes after ${route}, not ${blob!.size}`);
    return steps;
  },

  /** OpfsFile on the main thread: readBuffer of 1 MiB at a time, into pool memory through the worker. */
  async opfsFileReads(): Promise<number> {
    const file = await OpfsFile.open(PATH, 'rb');
    const started = performance.now();
    let total = 0;
    for (let buffer = await file.readBuffer(MiB); buffer.size > 0; buffer = await file.readBuffer(MiB)) {
      total += buffer.size;
      buffer.release();
    }
    const ms = performance.now() - started;
    await file.close();
    return total / 1e6 / (ms / 1000);
  },

  /** OpfsFile on the main thread, 4 KiB `read()`s: the per-call cost, served from the read-ahead. */
  async opfsFileReads4k(): Promise<number> {
    const file = await OpfsFile.open(PATH, 'rb');
    const started = performance.now();
    let total = 0;
    for (let bytes = await file.read(4096); bytes.length > 0; bytes = await file.read(4096)) total += bytes.length;
    const ms = performance.now() - started;
    await file.close();
    return total / 1e6 / (ms / 1000);
  },

  /** OpfsFile on the main thread, the whole file at once: readBuffer() into pool memory. */
  async opfsFileReadAll(): Promise<number> {
    const file = await OpfsFile.open(PATH, 'rb');
    const started = performance.now();
    const buffer = await file.readBuffer();
    const ms = performance.now() - started;
    const total = buffer.size;
    buffer.release();
    await file.close();
    return total / 1e6 / (ms / 1000);
  },

  rawSyncAccessInWorker: (): Promise<number> => rawWorker.readAll(PATH, MiB),

  /** The same, 4 KiB a call (synchronous calls in the worker: no promise, no message). */
  rawSyncAccessInWorker4k: (): Promise<number> => rawWorker.readAll(PATH, 4096),

  /** The same, into a SharedArrayBuffer (what zero-copy into pool memory pays). */
  rawSyncAccessIntoShared: (): Promise<number> => rawWorker.readAll(PATH, MiB, true),

  async getFileArrayBuffer(): Promise<number> {
    const [dir, name] = PATH.split('/') as [string, string];
    const root = await navigator.storage.getDirectory();
    const handle = await (await root.getDirectoryHandle(dir)).getFileHandle(name);
    const started = performance.now();
    const bytes = await (await handle.getFile()).arrayBuffer();
    return bytes.byteLength / 1e6 / ((performance.now() - started) / 1000);
  },

  /** Random 64 KiB reads from a Blob: reads per second. */
  async blobFileReadAt(): Promise<number> {
    const blob = randomReadBlob();
    const file = new BlobFile(blob);
    return timeReads(blob.size, (offset) => file.readAt(offset, 65536));
  },

  async blobSliceArrayBuffer(): Promise<number> {
    const blob = randomReadBlob();
    return timeReads(blob.size, async (offset) => new Uint8Array(await blob.slice(offset, offset + 65536).arrayBuffer()));
  },

  /** The peer plus the copy into a caller's buffer that `BlobFile.readAt` made: what a copy costs. */
  async blobSliceThenCopy(): Promise<number> {
    const blob = randomReadBlob();
    return timeReads(blob.size, async (offset) => {
      const out = new Uint8Array(65536);
      out.set(new Uint8Array(await blob.slice(offset, offset + 65536).arrayBuffer()));
      return out;
    });
  },

  /** Sequential 4 KiB reads from a Blob (read-ahead at work): reads per second. */
  async blobFileSequential(): Promise<number> {
    const blob = new Blob([new Uint8Array(8 * MiB).fill(3)]);
    const file = new BlobFile(blob);
    const started = performance.now();
    let reads = 0;
    for (let chunk = await file.read(4096); chunk.length > 0; chunk = await file.read(4096)) reads++;
    return reads / ((performance.now() - started) / 1000);
  },

  async blobSliceSequential(): Promise<number> {
    const blob = new Blob([new Uint8Array(8 * MiB).fill(3)]);
    const started = performance.now();
    let reads = 0;
    for (let offset = 0; offset < blob.size; offset += 4096) {
      await blob.slice(offset, offset + 4096).arrayBuffer();
      reads++;
    }
    return reads / ((performance.now() - started) / 1000);
  },

  /**
   * An atomic `'wb'` of 64 KiB over the 128 MiB {@link TARGET}: its sibling is sized ahead for
   * the old file and cut back on close, which costs where little is written.
   */
  opfsSmallOverBig: (): Promise<number> => timeSmallOverBig({}),

  /** The same rewriting the file in place (`atomic: false`). */
  opfsSmallOverBigInPlace: (): Promise<number> => timeSmallOverBig({ atomic: false }),

  /** The same by a sync access handle in a worker, in place: what raw code pays per file. */
  rawSmallOverBigInPlace: (): Promise<number> => timeSmallOverBig(undefined),
};

/**
 * Replaces per second: {@link TARGET}, made 128 MiB again first (untimed), replaced by 64 KiB
 * through an OpfsFile opened with `options`, or (`undefined`) by the raw worker.
 */
async function timeSmallOverBig(options: { atomic?: boolean } | undefined): Promise<number> {
  await rawWorker.writeBlob(TARGET, blob!);
  const bytes = new Uint8Array(64 * 1024).fill(1);
  const started = performance.now();
  if (options === undefined) await rawWorker.writeBlob(TARGET, new Blob([bytes]));
  else {
    const file = await OpfsFile.open(TARGET, 'wb', options);
    await file.write(bytes);
    await file.close();
  }
  return 1000 / (performance.now() - started);
}

/**
 * {@link bench.rawPageToWorkerAheadByob}'s route with buffers of `chunkSize` bytes; `crashSafe`,
 * into a sibling moved over `path`.
 */
async function pageToWorkerByob(path: string, source: Blob, chunkSize: number, crashSafe = false): Promise<void> {
  await rawWorker.openChunks(path, crashSafe);
  const reader = source.stream().getReader({ mode: 'byob' });
  let at = 0;
  let writing: Promise<void> | undefined;
  for (;;) {
    const { value: chunk, done } = await reader.read(new Uint8Array(chunkSize));
    if (done) break;
    // The whole buffer is the page's own: moved even where the read filled part of it.
    const before = writing;
    const length = chunk.byteLength;
    writing = rawWorker.writeChunk(at, transfer(chunk, [chunk.buffer]));
    at += length;
    await before;
  }
  await writing;
  await rawWorker.closeChunks();
}

/**
 * MB/s of `upload` replacing {@link TARGET} (as big as the Blob, written by the contender
 * before) with the prepared Blob, timed on the page from opening the file to closing it.
 */
async function timeReplace(upload: (path: string, source: Blob) => Promise<void>): Promise<number> {
  const source = blob!;
  const started = performance.now();
  await upload(TARGET, source);
  const ms = performance.now() - started;
  const [dir, name] = TARGET.split('/') as [string, string];
  const root = await navigator.storage.getDirectory();
  const size = (await (await (await root.getDirectoryHandle(dir)).getFileHandle(name)).getFile()).size;
  if (size !== source.size) throw new Error(`${TARGET} has ${size} bytes after the write, not ${source.size}`);
  return source.size / 1e6 / (ms / 1000);
}

async function timeReads(size: number, read: (offset: number) => Promise<Uint8Array>): Promise<number> {
  let seed = 1;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) % (size - 65536);
  // Untimed first reads: each contender is timed warm (compiled, its Blob settled).
  for (let i = 0; i < 100; i++) await read(next());
  const started = performance.now();
  for (let i = 0; i < READS; i++) await read(next());
  return READS / ((performance.now() - started) / 1000);
}

/**
 * The Blob every random-read contender reads, made once: a Blob made per sample is still being
 * handed to Chromium's browser process while the first reads run, which moved the ratios by a
 * few percent from run to run.
 */
let sharedBlob: Blob | undefined;
const randomReadBlob = (): Blob => (sharedBlob ??= new Blob([new Uint8Array(32 * MiB).fill(3)]));

/** Timed random reads per sample. */
const READS = 120;

(globalThis as unknown as { bench: typeof bench }).bench = bench;
document.getElementById('status')!.textContent = 'ready';
