import type { NativeFile } from '../../io/core/native-file.js';

/**
 * How many chunks of a random-access file are read ahead for a default reader: the file reads
 * the next one while the reader handles this one, as `fs.createReadStream` reads up to its
 * high-water mark. One is enough: reads run one after the other (`readInto` is ordered), and a
 * second chunk ahead measured no faster (bench/streams.bench.ts).
 */
const READ_AHEAD = 1;

/** Node's `Buffer`, where the runtime has it: it can allocate memory without clearing it. */
const NodeBuffer = (globalThis as { Buffer?: { allocUnsafeSlow(size: number): Uint8Array } }).Buffer;

/**
 * `size` bytes of new memory, in an ArrayBuffer of their own (which a byte stream may detach),
 * not cleared where the runtime can skip that (Node: `Buffer.allocUnsafeSlow`, as
 * `fs.createReadStream` allocates its chunks), since a read overwrites them: clearing a 1 MiB
 * chunk costs about a tenth of reading it from the page cache. The caller clears what it does
 * not fill before anyone sees it.
 */
function uninitializedBytes(size: number): Uint8Array<ArrayBuffer> {
  if (NodeBuffer === undefined) return new Uint8Array(size);
  return new Uint8Array(NodeBuffer.allocUnsafeSlow(size).buffer as ArrayBuffer, 0, size);
}

/** The chunks a default reader gets: fresh memory it keeps, which a byte stream may detach. */
export interface ChunkReader {
  /**
   * The next chunk: at most `chunkSize` bytes, empty at the end. `readAhead` starts reading
   * the chunks after it (random-access files only), for a reader that will ask for them.
   */
  next(readAhead: boolean): Promise<Uint8Array<ArrayBuffer>>;
  /** Whether chunks were read ahead that must be delivered before any other read. */
  readingAhead(): boolean;
}

/**
 * Chunks of `source` from its position. A random-access file fills each chunk with `readInto`
 * (reads run in call order, so chunks read ahead come in order, and `close` waits for them);
 * a stream answers each with what it has now (`read1`, at most one read), and is never read
 * ahead, so a live stream is not waited on for a chunk nobody asked for.
 */
export function chunkReader(source: NativeFile, seekable: boolean, chunkSize: number): ChunkReader {
  const ahead: Promise<Uint8Array<ArrayBuffer>>[] = [];
  let ended = false;
  const readChunk = async (): Promise<Uint8Array<ArrayBuffer>> => {
    if (ended) return new Uint8Array(0);
    const chunk = uninitializedBytes(chunkSize);
    const got = await source.readInto(chunk);
    if (got === chunkSize) return chunk;
    // A short chunk is the end of the file: no more reads ahead.
    ended = true;
    // The last chunk: a copy of its bytes when that frees most of the memory, else the chunk
    // with the rest zeroed (the reader gets the whole ArrayBuffer: no stale memory in it).
    if (got * 2 < chunkSize) return chunk.slice(0, got);
    chunk.fill(0, got);
    return chunk.subarray(0, got);
  };
  return {
    next(readAhead) {
      // `read1` returns memory the core allocated for this call: a fresh ArrayBuffer.
      if (!seekable) return source.read1(chunkSize) as Promise<Uint8Array<ArrayBuffer>>;
      const chunk = ahead.shift() ?? readChunk();
      while (readAhead && !ended && ahead.length < READ_AHEAD) {
        // Once the chunk before it is in, the memory of a chunk past the end is never taken
        // (a small file read with a large chunk size); reads run one after the other anyway.
        const next = (ahead.at(-1) ?? chunk).then(readChunk);
        // Its failure reaches the reader through `next`, or nobody, once the stream is cancelled.
        next.catch(() => {});
        ahead.push(next);
      }
      return chunk;
    },
    readingAhead: () => ahead.length > 0,
  };
}
