import { truncated } from '../../codecs/codec-errors.js';
import { IOError } from '../../errors.js';
import { streamDecoding } from '../../codecs/stream-codings.js';
import type { CodecName } from '../../codecs/names.js';
import type { StreamPair } from '../../codecs/platform.js';
import type { Pending, SyncDecoder } from '../../codecs/transform.js';
import type { NativeFile } from '../core/native-file.js';

const READ_CHUNK = 64 * 1024;
const EMPTY = new Uint8Array(0);

/**
 * Decompressed chunks of a file, one at a time; `undefined` at the end. Corrupt or truncated
 * data is an `IOError` (`EINVAL`); an error reading the file is that error, unchanged.
 */
export interface Decompressor {
  next(): Promise<Uint8Array | undefined>;
  cancel(): Promise<void>;
}

/** A decompressor reading `raw`: the platform's transform where it has the codec, else the codec's decoder. */
export async function openDecompressor(raw: NativeFile, codec: CodecName): Promise<Decompressor> {
  const coding = await streamDecoding(codec);
  return 'platform' in coding ? platformDecompressor(raw, codec, coding.platform()) : syncDecompressor(raw, codec, coding.sync());
}

/** What made reading the source fail, once it has; and whether it ended without a byte. */
interface SourceFailure {
  error?: { readonly reason: unknown };
  empty?: boolean;
}

function platformDecompressor(raw: NativeFile, codec: CodecName, stream: StreamPair): Decompressor {
  const reader = stream.readable.getReader();
  const source: SourceFailure = {};
  void feed(raw, stream.writable.getWriter(), source);
  return {
    async next() {
      try {
        const result = await reader.read();
        return result.done ? undefined : result.value;
      } catch (cause) {
        // The transform errors with the source's error too (feed aborts it): that one is not the data's fault.
        if (source.error !== undefined) throw source.error.reason;
        // No bytes at all is no stream begun, so none cut short (as Arrow's fresh decompressor
        // ends): the platform's decoders (Node's zlib) call it truncated.
        if (source.empty === true) return undefined;
        throw new IOError(`${codec} data is corrupt or truncated: ${(cause as Error).message}`, { code: 'EINVAL', cause });
      }
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}

/** Copies `raw` into the decompressor as it asks for more (backpressure); a failed read is kept in `source`. */
async function feed(raw: NativeFile, writer: WritableStreamDefaultWriter<BufferSource>, source: SourceFailure): Promise<void> {
  let fed = 0;
  try {
    for (;;) {
      await writer.ready;
      let chunk: Uint8Array;
      try {
        // At most one read: a live stream's bytes are decompressed as they come.
        chunk = await raw.read1(READ_CHUNK);
      } catch (reason) {
        source.error = { reason };
        throw reason;
      }
      if (chunk.byteLength === 0) break;
      fed += chunk.byteLength;
      await writer.write(chunk as Uint8Array<ArrayBuffer>); // read1 returns fresh, unshared memory
    }
    source.empty = fed === 0;
    await writer.close();
  } catch (error) {
    await writer.abort(error).catch(() => {});
  }
}

/**
 * Pulls decoded chunks from `decoder`, reading `raw` only when it needs input: a chunk of
 * output at a time, however far the input expands.
 */
function syncDecompressor(raw: NativeFile, codec: CodecName, decoder: SyncDecoder): Decompressor {
  const input: Pending = { bytes: EMPTY, consumed: 0 };
  let ended = false;
  let done = false;
  return {
    async next() {
      while (!done) {
        const output = decoder.decode(input, ended);
        if (output.byteLength > 0) return output;
        if (ended) {
          done = true;
          decoder.dispose();
          if (!decoder.atBoundary || input.consumed < input.bytes.byteLength) throw truncated(codec);
          return undefined;
        }
        const chunk = await raw.read1(READ_CHUNK);
        ended = chunk.byteLength === 0;
        input.bytes = withLeftover(input, chunk);
        input.consumed = 0;
      }
      return undefined;
    },
    cancel() {
      done = true;
      decoder.dispose();
      return Promise.resolve();
    },
  };
}

/** `chunk`, after what the decoder left of the previous input. */
function withLeftover(input: Pending, chunk: Uint8Array): Uint8Array {
  const left = input.bytes.byteLength - input.consumed;
  if (left === 0) return chunk;
  const joined = new Uint8Array(left + chunk.byteLength);
  joined.set(input.bytes.subarray(input.consumed));
  joined.set(chunk, left);
  return joined;
}
