/**
 * The checks a consumer app's page runs against the installed package. The fixture apps'
 * entries (`main.js`) import `nativefile` from their own node_modules and pass the module in,
 * so this file is type-checked against the library's public types here while the bundle under
 * test resolves the packed package. The test setup transpiles it to `checks.js` for the apps.
 */
import type * as Nativefile from '../../../src/index.js';
import { pattern, sameBytes, type RoundTrip, type RoundTripFailure } from './round-trip.js';

/** The outcome of one check; `detail` carries what the test compares. */
export interface CheckResult {
  ok: boolean;
  ms: number;
  detail?: unknown;
  error?: string;
}

export interface CheckReport {
  userAgent: string;
  crossOriginIsolated: boolean;
  checks: Record<string, CheckResult>;
}

/**
 * A failing check must fail, never hang the page (the OPFS worker may never answer); one that
 * works gets as long as the IO worker's own start may take (30 s), since a cold dev server on
 * a busy machine serves the worker's modules slowly. The checks run at once: it is paid once.
 */
export const CHECK_TIMEOUT_MS = 35_000;

function withTimeout<T>(name: string, work: () => Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not finish within ${ms} ms`)), ms);
    work().then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

type Check = (nf: typeof Nativefile) => Promise<unknown>;

const OPFS_DIR = 'nativefile-consumer-checks';

/** Deletes what the OPFS check wrote: a headless browser's quota is small. */
async function removeOpfsDir(): Promise<void> {
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(OPFS_DIR, { recursive: true }).catch(() => undefined);
}

/** The first message a worker posts, or its error event (a module that failed to load) as an error. */
function firstMessage(target: Worker | MessagePort, errors: EventTarget): Promise<RoundTrip> {
  return new Promise((resolve, reject) => {
    target.addEventListener(
      'message',
      (event) => {
        const data = (event as MessageEvent<RoundTrip | RoundTripFailure>).data;
        if ('error' in data) reject(new Error(`in the worker: ${data.error}`));
        else resolve(data);
      },
      { once: true },
    );
    errors.addEventListener(
      'error',
      (event) => {
        reject(new Error(`the worker failed: ${event instanceof ErrorEvent ? event.message : event.type}`));
      },
      { once: true },
    );
  });
}

const checks: Record<string, Check> = {
  /** Which pool the package picked: wasm on shared memory when isolated, else the system pool. */
  async pool(nf) {
    const buffer = nf.allocateBuffer(1000);
    buffer.view.fill(7);
    // At least, not exactly: the other checks run concurrently and may hold pool memory too.
    const counted = nf.defaultMemoryPool().bytesAllocated() >= 1024;
    const sum = buffer.view.reduce((total, byte) => total + byte, 0);
    buffer.release();
    return { backend: nf.defaultMemoryPool().backendName, counted, sum };
  },

  /** Random access over a File, as from an <input type=file>. */
  async blobFile(nf) {
    const bytes = pattern(300_000, 1);
    const file = new nf.BlobFile(new File([bytes], 'picked.bin'));
    const size = await file.size();
    const middle = await file.readAt(123_456, 1000);
    const all = await file.read();
    await file.close();
    return { size, middle: sameBytes(middle, bytes.subarray(123_456, 124_456)), all: sameBytes(all, bytes) };
  },

  /** A platform Response must accept what toReadableStream returns, and carry the same bytes. */
  async responseBytes(nf) {
    const bytes = pattern(200_000, 2);
    const fromBuffer = new Uint8Array(await new Response(nf.toReadableStream(new nf.BufferReader(bytes))).arrayBuffer());
    const blob = new nf.BlobFile(new Blob([bytes]));
    const fromBlob = new Uint8Array(await new Response(nf.toReadableStream(blob, { chunkSize: 8192 })).arrayBuffer());
    return { fromBuffer: sameBytes(fromBuffer, bytes), fromBlob: sameBytes(fromBlob, bytes) };
  },

  /**
   * What the package loads on first use, through the app's bundle: the copies of upload and
   * download (in these apps' entries too, as OpfsFile carries them), and a codec's wasm
   * module, a chunk of its own.
   */
  async lazyChunks(nf) {
    const bytes = pattern(100_000, 4);
    const copied = new Uint8Array(bytes.length);
    let at = 0;
    const sink = new WritableStream<Uint8Array>({
      write(chunk) {
        copied.set(chunk, at); // throws past the end: more bytes than the source has
        at += chunk.length;
      },
    });
    const count = await new nf.BufferReader(bytes).download(sink);
    const zstd = await nf.Codec.open('zstd');
    const packed = zstd.compress(bytes);
    try {
      const back = zstd.decompress(packed);
      try {
        return {
          downloaded: count === bytes.length && at === count && sameBytes(copied, bytes),
          zstd: packed.size < bytes.length && sameBytes(back.view, bytes),
        };
      } finally {
        back.release();
      }
    } finally {
      packed.release();
    }
  },

  /**
   * OPFS from the page: through the package's own IO worker, or the async backend where it has
   * no sync handles; a write and a read, then an upload of a byte stream.
   */
  async opfs(nf) {
    const bytes = pattern(1024 * 1024 + 17, 3);
    const path = `${OPFS_DIR}/round-trip.bin`;
    try {
      const out = await nf.OpfsFile.open(path, 'wb');
      const { isSync, backend } = out;
      await out.write(bytes);
      await out.close();
      const input = await nf.OpfsFile.open(path, 'rb');
      const size = await input.size();
      const back = await input.read();
      const tail = await input.readAt(bytes.byteLength - 10, 10);
      await input.close();
      // An upload of a stream of four chunks, a byte stream where the engine has them (WebKitGTK
      // has not): the IO worker is sent each before it has answered the one before.
      let sent = 0;
      const pull = (controller: ReadableStreamDefaultController<Uint8Array> | ReadableByteStreamController) =>
        sent++ < 4 ? controller.enqueue(bytes.slice()) : controller.close();
      const chunks =
        typeof ReadableByteStreamController === 'function'
          ? new ReadableStream({ type: 'bytes', pull })
          : new ReadableStream<Uint8Array>({ pull });
      const streamedPath = `${OPFS_DIR}/streamed.bin`;
      const streamed = await nf.OpfsFile.open(streamedPath, 'wb');
      const count = await streamed.upload(chunks);
      await streamed.close();
      const again = await nf.OpfsFile.open(streamedPath, 'rb');
      const all = await again.read();
      await again.close();
      const quarters = [0, 1, 2, 3].every((i) => sameBytes(all.subarray(i * bytes.length, (i + 1) * bytes.length), bytes));
      return {
        backend,
        isSync,
        size,
        same: sameBytes(back, bytes),
        tail: sameBytes(tail, bytes.subarray(-10)),
        streamed: count === 4 * bytes.length && all.length === count && quarters,
      };
    } finally {
      await removeOpfsDir();
    }
  },

  /**
   * OPFS from the app's own dedicated worker (bundled from `new Worker(new URL(...))`): a sync
   * access handle where the engine has them.
   */
  async workerOpfs() {
    const worker = new Worker(new URL('./opfs-worker.js', import.meta.url), { type: 'module' });
    try {
      return await firstMessage(worker, worker);
    } finally {
      worker.terminate();
    }
  },

  /** OPFS from the app's own SharedWorker: the async backend, as no engine has sync handles there. */
  async sharedWorkerOpfs() {
    const shared = new SharedWorker(new URL('./opfs-shared.js', import.meta.url), { type: 'module' });
    shared.port.start();
    try {
      return await firstMessage(shared.port, shared);
    } finally {
      shared.port.close();
    }
  },
};

/** Runs every check concurrently (so one that times out costs its timeout once, not per check). */
export async function runChecks(nf: typeof Nativefile, timeoutMs = CHECK_TIMEOUT_MS): Promise<CheckReport> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, CheckResult]> => {
      const started = performance.now();
      try {
        const detail = await withTimeout(name, () => check(nf), timeoutMs);
        return [name, { ok: true, ms: Math.round(performance.now() - started), detail }];
      } catch (error) {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        return [name, { ok: false, ms: Math.round(performance.now() - started), error: message }];
      }
    }),
  );
  return { userAgent: navigator.userAgent, crossOriginIsolated, checks: Object.fromEntries(results) };
}
