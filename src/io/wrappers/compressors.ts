import { streamEncoding } from '../../codecs/stream-codings.js';
import type { CodecName } from '../../codecs/names.js';
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
}

/**
 * A backend that compresses what is written with `codec` at `level` and writes the result to
 * `raw`: the platform's transform where it has the codec, else the codec's encoder.
 */
export function compressingSink(raw: NativeFile, codec: CodecName, level: number | undefined): UnderlyingFile {
  let compressor: Promise<Compressor> | undefined;
  const open = (): Promise<Compressor> =>
    (compressor ??= streamEncoding(codec, level).then((coding) =>
      'platform' in coding ? platformCompressor(raw, coding.platform()) : syncCompressor(raw, coding.sync()),
    ));
  return {
    async write(bytes) {
      await (await open()).write(bytes);
    },
    async flush() {
      await (await open()).flush();
    },
    async close() {
      try {
        await (await open()).end();
      } finally {
        await raw.close();
      }
    },
  };
}

function platformCompressor(raw: NativeFile, stream: StreamPair): Compressor {
  const writer = stream.writable.getWriter();
  const drained = drain(stream.readable.getReader(), raw);
  // The error surfaces through write() and close(); keep it from being unhandled meanwhile.
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
      await writer.close();
      await drained;
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
  };
}
