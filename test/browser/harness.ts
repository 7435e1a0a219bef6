// The page side of the browser tests: functions the Node runner calls with evaluate(). It
// imports modules, not the package entry, so a backend mid-port elsewhere cannot break it.
import { wrap } from 'comlink';
import { FileNotFoundError, type IOError } from '../../src/errors.js';
import { allocateBuffer } from '../../src/memory/allocate-buffer.js';
import { Buffer } from '../../src/memory/buffer.js';
import { defaultMemoryPool } from '../../src/memory/default-pool.js';
import { wasmMemoryPool } from '../../src/memory/wasm/wasm-pool.js';
import { OpfsFile } from '../../src/io/backends/opfs-file.js';
import { BufferReader } from '../../src/io/backends/buffer-reader.js';
import type { HarnessWorker } from './harness-worker.js';
import { asyncChecks } from './harness-async.js';
import { droppedAtomicWriter } from './dropped-writer.js';
import { openErrors } from './open-errors.js';
import { writerClosedBeforeItsReader } from './same-context-reader.js';
import { reliability } from './harness-opfs.js';
import { reads } from './harness-reads.js';
import { uploads } from './harness-upload.js';
import { uploadFailures } from './harness-upload-failures.js';
import { handover } from './harness-handover.js';
import { poolChecks } from './harness-pool.js';
import { checkPattern, fillPattern, MiB, removeEntry } from './pattern.js';

/** The first of `paths` that loads (backends move between folders while they are ported). */
async function importFirst<T>(...paths: string[]): Promise<T> {
  let last: unknown;
  for (const path of paths) {
    try {
      return (await import(/* @vite-ignore */ path)) as T;
    } catch (error) {
      last = error;
    }
  }
  throw last;
}

const startHarnessWorker = () =>
  wrap<HarnessWorker>(new Worker(new URL('./harness-worker.ts', import.meta.url), { type: 'module' }));

const harness = {
  ...reliability,
  ...asyncChecks,
  ...uploads,
  ...uploadFailures,
  ...handover,
  ...reads,
  ...poolChecks,

  environment() {
    return { isolated: globalThis.crossOriginIsolated === true, pool: defaultMemoryPool().backendName };
  },

  /** Writes `mib` MiB to OPFS through the IO worker and reads it back with readBuffer. */
  async opfsRoundTrip(mib: number) {
    const path = `roundtrip/${mib}.bin`;
    const chunk = 4 * MiB;
    const total = mib * MiB;
    const writer = await OpfsFile.open(path, 'wb');
    const buffer = allocateBuffer(chunk);
    for (let offset = 0; offset < total; offset += chunk) {
      const part = buffer.view.subarray(0, Math.min(chunk, total - offset));
      fillPattern(part, offset);
      await writer.write(part);
    }
    await writer.close();
    buffer.release();
    const reader = await OpfsFile.open(path, 'rb');
    let ok = (await reader.size()) === total;
    for (let offset = 0; offset < total; offset += chunk) {
      const part = await reader.readBuffer(chunk);
      ok &&= part.size === Math.min(chunk, total - offset) && checkPattern(part.view, offset);
      ok &&= part.view.buffer instanceof (globalThis.SharedArrayBuffer ?? ArrayBuffer) || !globalThis.crossOriginIsolated;
      part.release();
    }
    const tail = await reader.readAt(total - 10, 100);
    ok &&= tail.length === 10 && checkPattern(tail, total - 10);
    await reader.close();
    await removeEntry('roundtrip');
    return { ok, isSync: reader.isSync };
  },

  /** The page and two workers allocate from one pool; each sees the others' bytes. */
  async sharedPool() {
    const pool = wasmMemoryPool();
    const workers = [startHarnessWorker(), startHarnessWorker()];
    await Promise.all(workers.map((worker) => worker.attach(pool.handle)));
    const before = pool.numAllocations();
    const bytesBefore = pool.bytesAllocated();
    const mine = pool.allocate(1000);
    mine.view.fill(3);
    const [a, b] = await Promise.all([workers[0]!.allocate(50, 10_000, 1), workers[1]!.allocate(50, 10_000, 2)]);
    const allocations = pool.numAllocations() - before;
    const bytes = pool.bytesAllocated() - bytesBefore;
    const seesA = Buffer.fromShared(a![0]!).view.every((x) => x === 1);
    const seesB = Buffer.fromShared(b![49]!).view.every((x) => x === 2);
    const workerSeesPage = await workers[1]!.sumShared(mine.share());
    const addresses = [...a!, ...b!]
      .map((d) => d.byteOffset)
      .concat(mine.address)
      .sort((x, y) => x - y);
    const disjoint = addresses.every((address, i) => i === 0 || address - addresses[i - 1]! >= 1000);
    await Promise.all(workers.map((worker) => worker.releaseAll()));
    mine.release();
    return { allocations, bytes, seesA, seesB, workerSeesPage, disjoint, after: pool.bytesAllocated() - bytesBefore };
  },

  async blobRandomReads() {
    const { BlobFile } = await importFirst<typeof import('../../src/io/backends/blob-file.js')>(
      '../../src/io/backends/blob-file.ts',
    );
    const data = new Uint8Array(3 * MiB);
    fillPattern(data, 0);
    const file = new BlobFile(new Blob([data]));
    let ok = true;
    let seed = 7;
    for (let i = 0; i < 200; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const offset = seed % data.length;
      const n = (seed >>> 8) % 100_000;
      const got = await file.readAt(offset, n);
      ok &&= got.length === Math.min(n, data.length - offset) && checkPattern(got, offset);
    }
    return ok;
  },

  /** An atomic writer dropped half-way, on the page's backends and in a dedicated worker (needs gc()). */
  async droppedAtomicWriters() {
    return {
      worker: await droppedAtomicWriter('dropped/atomic-worker.txt'),
      async: await droppedAtomicWriter('dropped/atomic-async.txt', { backend: 'async' }),
      dedicated: await startHarnessWorker().droppedAtomicWriter('dropped/atomic-dedicated.txt'),
    };
  },
  /** What opening a directory, or a path through a file, throws on each backend. */
  async openErrors() {
    return {
      worker: await openErrors('errors/worker'),
      async: await openErrors('errors/async', { backend: 'async' }),
      dedicated: await startHarnessWorker().openErrors('errors/dedicated'),
    };
  },
  /** An atomic writer closed before a reader of its path opened in the same context, on each backend. */
  async writersClosedBeforeTheirReaders() {
    return {
      worker: await writerClosedBeforeItsReader('same-context/worker.txt'),
      async: await writerClosedBeforeItsReader('same-context/async.txt', { backend: 'async' }),
      dedicated: await startHarnessWorker().writerClosedBeforeItsReader('same-context/dedicated.txt'),
    };
  },
  /** Readers waiting in a dedicated worker behind a writer here: the second's signal ends its wait. */
  async secondReaderAborted(): Promise<string> {
    const writer = await OpfsFile.open('joiner/data.txt', 'wb');
    await writer.write(new TextEncoder().encode('data'));
    await writer.close();
    const holder = await OpfsFile.open('joiner/data.txt', 'rb+');
    const worker = startHarnessWorker();
    const outcome = await worker.secondReaderAborted('joiner/data.txt');
    await holder.close();
    await worker.closeFirstReader();
    return outcome;
  },
  async workerSyncOpfs() {
    const result = await startHarnessWorker().syncOpfs('worker/sync.txt');
    const page = await OpfsFile.open('worker/sync.txt', 'rb');
    const text = new TextDecoder().decode(await page.read());
    await page.close();
    return { ...result, pageText: text };
  },

  /** Two gzip members back to back, compressed and read with the browser's own streams. */
  async concatenatedGzip() {
    type Module = { CompressedInputStream: new (raw: BufferReader, codec: string) => { read(): Promise<Uint8Array> } };
    const { CompressedInputStream } = await importFirst<Module>(
      '../../src/io/wrappers/compressed-input-stream.ts',
      '../../src/io/backends/compressed-input-stream.ts',
    );
    const text = new TextEncoder().encode('some test data\n'.repeat(10) + 'eof\n');
    const gzip = async (bytes: Uint8Array) =>
      new Uint8Array(
        await new Response(
          new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip')),
        ).arrayBuffer(),
      );
    const joined = new Uint8Array([...(await gzip(text.subarray(0, 50))), ...(await gzip(text.subarray(50)))]);
    const out = await new CompressedInputStream(new BufferReader(joined), 'gzip').read();
    const corrupt = await new CompressedInputStream(new BufferReader(text), 'gzip').read().then(
      () => 'no error',
      (e: Error) => e.name,
    );
    return { same: Buffer.wrap(out).equals(text), length: out.length, expected: text.length, corrupt };
  },

  async errors() {
    const missing = await OpfsFile.open('no/such/file.bin', 'rb').then(
      () => null,
      (e: IOError) => e,
    );
    const badPath = await OpfsFile.open('a/../b.bin', 'wb').then(
      () => null,
      (e: Error) => e,
    );
    return {
      missingIsFileNotFound: missing instanceof FileNotFoundError,
      missingCode: missing?.code,
      badPathIsTypeError: badPath instanceof TypeError,
      badPathMessage: badPath?.message,
    };
  },
};

(globalThis as unknown as { harness: typeof harness }).harness = harness;
document.getElementById('status')!.textContent = 'ready';
export type Harness = typeof harness;
