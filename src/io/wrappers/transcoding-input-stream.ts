import { IOError } from '../../errors.js';
import { checkFile } from '../core/file-check.js';
import type { Async, InputStream } from '../core/interfaces.js';
import { NativeFile } from '../core/native-file.js';
import type { UnderlyingFile } from '../core/underlying.js';
import { decoderFor, encoderFor, normalizeEncoding } from './text-encodings.js';

const READ_CHUNK = 64 * 1024;

/**
 * A stream that reads `stream` as text in `srcEncoding` and yields it re-encoded in
 * `destEncoding` (PyArrow's `transcoding_input_stream`). Sources: every encoding the platform's
 * `TextDecoder` knows, and latin-1; destinations: UTF-8, UTF-16 and UTF-32 (plain with a byte
 * order mark, or `-le`/`-be`), latin-1 and ascii. Bytes that are not valid in the source, or
 * characters the destination cannot hold, make the read fail with an `IOError` (`EILSEQ`)
 * naming the encoding. When both encodings are the same, `stream` itself is returned.
 * Async, not seekable; closing it closes `stream`.
 */
export function transcodingInputStream(
  stream: InputStream,
  srcEncoding: string,
  destEncoding = 'utf-8',
): InputStream | Async<InputStream> {
  const raw = checkFile(stream, 'stream', 'readable');
  const source = normalizeEncoding(srcEncoding, 'srcEncoding');
  const dest = normalizeEncoding(destEncoding, 'destEncoding');
  if (source === dest) return stream;
  const decode = decoderFor(source);
  const encode = encoderFor(dest);
  let pending: Uint8Array = new Uint8Array(0);
  let ended = false;
  const transcode = async (): Promise<void> => {
    const chunk = await raw.read1(READ_CHUNK);
    ended = chunk.byteLength === 0;
    let text: string;
    try {
      text = decode(chunk, ended);
    } catch (cause) {
      throw new IOError(`the input is not valid '${source}' text: ${(cause as Error).message}`, { code: 'EILSEQ', cause });
    }
    try {
      pending = encode(text);
    } catch (cause) {
      throw new IOError(`cannot transcode to '${dest}': ${(cause as Error).message}`, { code: 'EILSEQ', cause });
    }
  };
  const backend: UnderlyingFile = {
    async read(into) {
      while (pending.byteLength === 0 && !ended) await transcode();
      const count = Math.min(into.byteLength, pending.byteLength);
      into.set(pending.subarray(0, count));
      pending = pending.subarray(count);
      return count;
    },
    close: () => raw.close(),
    // A read waiting on raw (a stream that may never answer) is interrupted, so close settles.
    interrupt: () => raw.interrupt(),
  };
  return new NativeFile(backend, {
    kind: 'TranscodingInputStream',
    mode: 'rb',
    seekable: false,
    sync: false,
  });
}
