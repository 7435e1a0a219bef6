import { streamEncoding } from '../../codecs/stream-codings.js';
import type { CodecName } from '../../codecs/names.js';
import type { NodeCompression } from '../../codecs/node-zlib.js';
import type { StreamPair } from '../../codecs/platform.js';
import type { EncodeStep, Pending, SyncEncoder } from '../../codecs/transform.js';
import type { NativeFile } from '../core/native-file.js';
import type { UnderlyingFile } from '../core/underlying.js';

const EMPTY = new Uint8Array(0);

/** What a compressed output stream writes through: loaded on the first call. */
interface Compressor {
  write(bytes: Uint8Array): Promise<void>;
  flush(): Promise<void>;
  end(): Promise<void>;
  /** Drops what the compressor holds and releases it, writing nothing more. */
  discard(reason: unknown): void;
}

/**
 * A backend that compresses what is written with `codec` at `level` and writes the result to
 * `raw`: Node's zlib stream or the platform's transform where it has the codec, else the
 * codec's encoder. Once a call fails (`raw` failing included), every later one fails with
 * that error: what was written since would not follow what `raw` lost.
 */
export function compressingSink(raw: NativeFile, codec: CodecName, level: number | undefined): UnderlyingFile {
  let compressor: Promise<Compressor> | undefined;
  let failure: { readonly error: unknown } | undefined;
  const open = (): Promise<Compressor> =>
    (compressor ??= streamEncoding(codec, level).then((coding) =>
      'node' in coding
        ? nodeStreamCompressor(raw, coding.node())
        : 'platform' in coding
          ? platformCompressor(raw, coding.platform())
          : syncCompressor(raw, coding.sync()),
    ));
  const run = async (call: (compressor: Compressor) => Promise<void>): Promise<void> => {
    if (failure !== undefined) throw failure.error;
    try {
      await call(await open());
    } catch (error) {
      failure ??= { error };
      throw error;
    }
  };
  return {
    write: (bytes) => run((c) => c.write(bytes)),
    flush: () => run((c) => c.flush()),
    async close() {
      try {
        await run((c) => c.end());
      } catch (error) {
        // No end of stream follows a failure: what the compressor holds is dropped, and its
        // memory (a wasm encoder's, a zlib stream's) released now, not at collection.
        await compressor?.then((c) => c.discard(error)).catch(() => {});
        throw error;
      } finally {
        await raw.close();
      }
    },
    // Arrow's Abort: no end of stream is written, and raw discards what it was given.
    async abort(reason) {
      await compressor?.then((c) => c.discard(reason)).catch(() => {});
      await raw.abort(reason);
    },
  };
}

/**
 * Compresses through a Node zlib stream, driven directly: its output is gathered as it comes
 * and written to `raw` after each call, so a flush reaches `raw` before `flush()` returns.
 */
function nodeStreamCompressor(raw: NativeFile, { stream, flush }: NodeCompression): Compressor {
  const output: Uint8Array[] = [];
  stream.on('data', (chunk: Uint8Array) => output.push(chunk));
  // A failure reaches the call's callback; the event would otherwise be unhandled.
  stream.on('error', () => {});
  const settle = (start: (done: (error?: Error | null) => void) => void): Promise<void> =>
    new Promise((resolve, reject) => start((error) => (error ? reject(error) : resolve())));
  const pass = async (): Promise<void> => {
    for (let chunk = output.shift(); chunk !== undefined; chunk = output.shift()) await raw.write(chunk);
  };
  return {
    async write(bytes) {
      // The stream may hold the chunk after this returns, and the caller may reuse its memory.
      await settle((done) => stream.write(bytes.slice(), done));
      await pass();
    },
    async flush() {
      await settle(flush);
      await pass();
      await raw.flush();
    },
    async end() {
      await new Promise((resolve, reject) => {
        stream.once('error', reject);
        // 'end' follows the last output; end()'s own callback ('finish') may come before it.
        stream.once('end', resolve);
        stream.end();
      });
      await pass();
    },
    discard() {
      output.length = 0;
      stream.destroy();
    },
  };
}

function platformCompressor(raw: NativeFile, stream: StreamPair): Compressor {
  const writer = stream.writable.getWriter();
  const drained = drain(stream.readable.getReader(), raw);
  // The error surfaces through write() and end(); keep it from being unhandled meanwhile.
  drained.catch(() => {});
  return {
    async write(bytes) {
      await writer.ready;
      // The compressor may hold the chunk after this returns, and the caller may reuse its memory.
      await writer.write(bytes.slice());
    },
    // What the compressor has emitted so far goes down to `raw` (a platform transform cannot
    // be made to emit what it still holds before its end).
    async flush() {
      await writer.ready;
      await raw.flush();
    },
    async end() {
      const closed = writer.close();
      closed.catch(() => {});
      // raw's error first, when it failed: it is why the writer fails then.
      await drained;
      await closed;
    },
    discard(reason) {
      writer.abort(reason).catch(() => {});
    },
  };
}

/**
 * Writes the compressor's output to `raw` as it comes. If `raw` fails, cancelling the
 * compressor's output errors its input, so pending writes fail instead of waiting for room.
 */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, raw: NativeFile): Promise<void> {
  try {
    for (let result = await reader.read(); !result.done; result = await reader.read()) {
      await raw.write(result.value);
    }
  } catch (error) {
    await reader.cancel(error).catch(() => {});
    throw error;
  }
}

function syncCompressor(raw: NativeFile, encoder: SyncEncoder): Compressor {
  /** Encodes `bytes` with `step`, writing each piece of output to `raw` as it is made. */
  const run = async (bytes: Uint8Array, step: EncodeStep): Promise<void> => {
    const input: Pending = { bytes, consumed: 0 };
    for (let output = encoder.encode(input, step); output.byteLength > 0; output = encoder.encode(input, step)) {
      await raw.write(output);
    }
  };
  return {
    write: (bytes) => run(bytes, 'run'),
    async flush() {
      await run(EMPTY, 'flush');
      await raw.flush();
    },
    async end() {
      try {
        await run(EMPTY, 'end');
      } finally {
        encoder.dispose();
      }
    },
    discard: () => encoder.dispose(),
  };
}
