// Page-side checks of `upload` handing a Blob or ReadableStream to the IO worker.
import { OpfsFile } from '../../src/io/backends/opfs-file.js';
import { defaultMemoryPool } from '../../src/memory/default-pool.js';
import { checkPattern, fillPattern, MiB, removeEntry } from './pattern.js';

/** The whole file at `path`. */
export async function readAll(path: string): Promise<Uint8Array> {
  const file = await OpfsFile.open(path, 'rb');
  try {
    return await file.read();
  } finally {
    await file.close();
  }
}

/** A stream of `total` pattern bytes in 1 MiB chunks (endless when `total` is Infinity). */
function patternStream(total: number): ReadableStream<Uint8Array> {
  let produced = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (produced >= total) return controller.close();
        const chunk = new Uint8Array(Math.min(MiB, total - produced));
        fillPattern(chunk, produced);
        produced += chunk.length;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 2 },
  );
}

/** Whether all of `path` is the pattern, in order. */
async function holdsPattern(path: string): Promise<boolean> {
  const file = await OpfsFile.open(path, 'rb');
  try {
    for (let offset = 0; ;) {
      const part = await file.read(4 * MiB);
      if (part.length === 0) return true;
      if (!checkPattern(part, offset)) return false;
      offset += part.length;
    }
  } finally {
    await file.close();
  }
}

type Progress = Array<[number, number | undefined]>;

export const uploads = {
  /** Uploads `mib` MiB from a stream (or a Blob) after `prefix` bytes already written. */
  async uploadSource(mib: number, options: { blob?: boolean; backend?: 'async'; prefix?: number } = {}) {
    const path = 'uploads/source.bin';
    const prefix = options.prefix ?? 0;
    const file = await OpfsFile.open(path, 'wb', options.backend ? { backend: options.backend } : {});
    const head = new Uint8Array(prefix);
    fillPattern(head, 0);
    await file.write(head);
    const stream = patternStream(mib * MiB);
    const source = options.blob ? await new Response(patternStream(mib * MiB)).blob() : stream;
    const progress: Progress = [];
    // Which operations the page asks of the IO worker during the upload.
    const post = Worker.prototype.postMessage;
    const posted: string[] = [];
    Worker.prototype.postMessage = function (
      this: Worker,
      message: { op?: string },
      options?: StructuredSerializeOptions | Transferable[],
    ) {
      posted.push(String(message?.op));
      post.call(this, message, Array.isArray(options) ? { transfer: options } : options);
    } as typeof post;
    let count: number;
    try {
      count = await file.upload(source, { onProgress: (done, total) => void progress.push([done, total]) });
    } finally {
      Worker.prototype.postMessage = post;
    }
    const position = file.tell();
    const size = await file.size();
    await file.close();
    // Shifted by `prefix`: compare the uploaded part against a pattern starting at 0.
    const intact = prefix === 0 ? await holdsPattern(path) : undefined;
    await removeEntry('uploads');
    return {
      count,
      position,
      size,
      intact,
      reports: progress.length,
      last: progress.at(-1),
      monotonic: progress.every(([done], i) => i === 0 || done >= progress[i - 1]![0]),
      handedOver: posted.includes('upload'),
      pageWrites: posted.filter((op) => op.startsWith('write')).length,
    };
  },

  /** An upload aborted at its first progress report; then the file is written on. */
  async uploadAborted(from: 'blob' | 'stream') {
    const path = 'uploads/aborted.bin';
    const file = await OpfsFile.open(path, 'rb+');
    const controller = new AbortController();
    const reason = new Error('stop it');
    const progress: number[] = [];
    const source = from === 'blob' ? new Blob(Array.from({ length: 256 }, () => new Uint8Array(MiB))) : patternStream(Infinity);
    const error = await file
      .upload(source, {
        signal: controller.signal,
        onProgress: (done) => {
          progress.push(done);
          controller.abort(reason); // the worker may have finished by then (Firefox writes 256 MiB in 50 ms)
        },
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    const afterAbort = { position: file.tell(), size: await file.size(), last: progress.at(-1) };
    await file.write(new Uint8Array([1, 2, 3]));
    const afterWrite = { position: file.tell(), size: await file.size() };
    await file.close();
    const reopened = await OpfsFile.open(path, 'rb');
    const finalSize = await reopened.size();
    await reopened.close();
    await removeEntry('uploads');
    return { rejectedWithReason: error === reason, afterAbort, afterWrite, finalSize };
  },

  /** Sequential reads (read-ahead at work) around a write, a truncate and a seek: what each read saw. */
  async readAheadAroundChanges() {
    const path = 'uploads/ahead.bin';
    const file = await OpfsFile.open(path, 'wb');
    const bytes = new Uint8Array(64 * 1024);
    fillPattern(bytes, 0);
    await file.write(bytes);
    await file.close();
    const rw = await OpfsFile.open(path, 'rb+');
    const seen: number[] = [];
    const read = async () => seen.push((await rw.read(4096))[0] ?? -1);
    await read();
    await read();
    await read(); // sequential: the next read is in flight now
    await rw.writeAt(3 * 4096, new Uint8Array(4096).fill(200));
    await read(); // must see the write
    await read();
    await rw.truncate(5 * 4096 + 10);
    await read(); // 10 bytes left
    rw.seek(0);
    await read();
    const tail = await rw.read(); // the rest, after the seek
    await rw.close();
    await removeEntry('uploads');
    return { seen, tailLength: tail.length };
  },

  /**
   * Whose memory an upload of a stream takes: a byte stream is read into buffers of the
   * upload's own (a BYOB reader), which move to the IO worker whole, a view's bytes too; a
   * default stream's chunks stay the producer's (here one array enqueued four times, still
   * intact after).
   */
  async uploadOwnership() {
    const kept = new Uint8Array(MiB).fill(0x11);
    const shared = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(kept);
        controller.close();
      },
    });
    const first = await OpfsFile.open('own/default.bin', 'wb');
    await first.upload(shared);
    await first.close();
    const defaultBack = await readAll('own/default.bin');
    // Chunks of pattern bytes: whole buffers, and a view into the middle of a larger one.
    const sizes = [MiB + 7, 200_000, 3 * MiB];
    const total = sizes.reduce((sum, size) => sum + size, 0);
    const bytes = new ReadableStream({
      type: 'bytes',
      start(controller) {
        let offset = 0;
        for (const [i, size] of sizes.entries()) {
          const chunk = i === 1 ? new Uint8Array(size + 2000).subarray(1000, 1000 + size) : new Uint8Array(size);
          fillPattern(chunk, offset);
          offset += size;
          controller.enqueue(chunk); // moves the chunk's buffer into the stream
        }
        controller.close();
      },
    });
    // Appended after 1000 bytes already there ('ab'), as an app adds to a file.
    const head = await OpfsFile.open('own/bytes.bin', 'wb');
    await head.write(new Uint8Array(1000).fill(0x22));
    await head.close();
    const second = await OpfsFile.open('own/bytes.bin', 'ab');
    let last = 0;
    const allocations = defaultMemoryPool().numAllocations();
    const count = await second.upload(bytes, { onProgress: (done) => (last = done) });
    // Buffers of the upload's own need no pool memory.
    const poolCopies = defaultMemoryPool().numAllocations() - allocations;
    const tell = second.tell();
    const size = await second.size();
    await second.close();
    const bytesBack = await readAll('own/bytes.bin');
    // A tee()'d branch uploads while the other keeps its own chunks.
    const [uploaded, kept2] = new Blob([new Uint8Array(3 * MiB).fill(0x33)]).stream().tee();
    const other: Uint8Array[] = [];
    const reading = (async () => {
      for await (const chunk of kept2 as unknown as AsyncIterable<Uint8Array>) other.push(chunk);
    })();
    const third = await OpfsFile.open('own/tee.bin', 'wb');
    await third.upload(uploaded);
    await third.close();
    await reading;
    const teeBack = await readAll('own/tee.bin');
    await removeEntry('own');
    return {
      defaultKept: kept.byteLength === MiB && kept.every((byte) => byte === 0x11),
      defaultRight: defaultBack.length === 4 * MiB && defaultBack.every((byte) => byte === 0x11),
      bytesRight: bytesBack.length === 1000 + total && bytesBack[999] === 0x22 && checkPattern(bytesBack.subarray(1000), 0),
      count: count === total,
      tell: tell === 1000 + total,
      size: size === 1000 + total,
      last: last === total,
      poolCopies,
      teeRight: teeBack.length === 3 * MiB && teeBack.every((byte) => byte === 0x33),
      teeOtherKept:
        other.reduce((sum, chunk) => sum + chunk.length, 0) === 3 * MiB && other.every((c) => c.every((b) => b === 0x33)),
    };
  },

  /**
   * An upload of `mib` MiB into OPFS: from a Blob made beforehand (what a file input gives),
   * from its `stream()`, or from a stream the page generates. Reports the peak JS heap growth
   * (Chromium only; elsewhere it reads 0) and pool use.
   */
  async uploadStream(mib: number, from: 'blob' | 'blobStream' | 'generated') {
    const chunk = new Uint8Array(MiB).fill(0x5a);
    const blob = from === 'generated' ? undefined : new Blob(Array.from({ length: mib }, () => chunk));
    const source = blob === undefined ? patternStream(mib * MiB) : from === 'blob' ? blob : blob.stream();
    const heap = () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
    const startHeap = heap();
    let peakHeap = startHeap;
    let peakPool = defaultMemoryPool().bytesAllocated();
    const sample = () => {
      peakHeap = Math.max(peakHeap, heap());
      peakPool = Math.max(peakPool, defaultMemoryPool().bytesAllocated());
    };
    const timer = setInterval(sample, 20);
    const file = await OpfsFile.open('uploads/big.bin', 'wb');
    const started = performance.now();
    let reports = 0;
    let last = 0;
    try {
      await file.upload(source, { onProgress: (done) => (reports++, (last = done), sample()) });
    } finally {
      clearInterval(timer);
    }
    const size = await file.size();
    await file.close();
    const seconds = (performance.now() - started) / 1000;
    // Headless Chromium's storage quota is a share of the free disk: give the space back.
    await removeEntry('uploads');
    return { size, reports, last, heapGrowth: peakHeap - startHeap, peakPool, mbPerSecond: (mib * MiB) / 1e6 / seconds };
  },
};
