/**
 * gzip, deflate (zlib) and deflate-raw with fflate's streaming classes, driven synchronously:
 * the codecs for whole buffers in browsers (whose `CompressionStream` is asynchronous only)
 * and gzip streams where the platform stops at the first member. Loaded on first use.
 * @module
 */
import { Deflate, Gunzip, Gzip, Inflate, Unzlib, Zlib, type DeflateOptions, type FlateStreamHandler } from 'fflate';
import { adler32, crc32 } from './checksums.js';
import { corrupt } from './codec-errors.js';
import { CHUNK, type EncodeStep, type Pending, type SyncDecoder, type SyncEncoder } from './transform.js';

type Format = 'gzip' | 'deflate' | 'deflate-raw';

interface FflateStream {
  push(chunk: Uint8Array, final?: boolean): void;
  ondata: FlateStreamHandler;
}

/** Input handed to fflate per push: small enough that one push's output stays bounded (1032:1 at most). */
const STEP = 16 * 1024;
const EMPTY = new Uint8Array(0);

/**
 * A decoder of `format`; gzip reads concatenated members. As zlib, it checks each gzip
 * member's CRC-32 and length and a zlib stream's Adler-32 (fflate checks neither).
 */
export function fflateDecoder(format: Format): SyncDecoder {
  const ready: Uint8Array[] = [];
  let ended = false;
  const check = format === 'deflate-raw' ? undefined : trailerCheck(format);
  const stream: FflateStream = format === 'gzip' ? new Gunzip() : format === 'deflate' ? new Unzlib() : new Inflate();
  stream.ondata = (data) => {
    if (data.byteLength === 0) return;
    check?.output(data);
    ready.push(data);
  };
  // Called before any of the next member's data, after all of the previous member's.
  if (stream instanceof Gunzip) stream.onmember = () => check!.member(previousTrailer(stream));
  return {
    decode(input: Pending, end: boolean) {
      while (ready.length === 0 && !ended) {
        const remaining = input.bytes.byteLength - input.consumed;
        if (remaining === 0 && !end) break;
        const step = Math.min(remaining, STEP);
        const last = end && step === remaining;
        const chunk = input.bytes.subarray(input.consumed, input.consumed + step);
        try {
          check?.input(chunk);
          stream.push(chunk, last);
          if (last) check?.end();
        } catch (cause) {
          throw corrupt(format, cause);
        }
        input.consumed += step;
        ended = last;
      }
      return splitFirst(ready);
    },
    get atBoundary() {
      return ended;
    },
    dispose() {
      ready.length = 0;
    },
  };
}

/** Checks the data of each gzip member, or of a zlib stream, against its trailer. */
interface TrailerCheck {
  /** Takes decoded bytes of the current member. */
  output(data: Uint8Array): void;
  /** Takes input bytes, as they are handed to fflate. */
  input(chunk: Uint8Array): void;
  /** Checks a gzip member's trailer, as the next member starts. */
  member(trailer: Uint8Array): void;
  /** Checks the last trailer: the input's last bytes. */
  end(): void;
}

function trailerCheck(format: 'gzip' | 'deflate'): TrailerCheck {
  const gzip = format === 'gzip';
  const size = gzip ? 8 : 4;
  // The input's last `size` bytes: the last trailer once the input ends.
  const tail = new Uint8Array(size);
  let seen = 0;
  let sum = gzip ? 0 : 1;
  let length = 0;
  const verify = (trailer: Uint8Array): void => {
    const view = new DataView(trailer.buffer, trailer.byteOffset, trailer.byteLength);
    // gzip: CRC-32 and the length modulo 2^32, little-endian (RFC 1952); zlib: Adler-32, big-endian (RFC 1950).
    const [expected, name] = gzip ? [view.getUint32(0, true), 'CRC-32'] : [view.getUint32(0), 'Adler-32'];
    if (expected !== sum) throw new Error(`the trailer's ${name} is ${hex(expected)}, the data's ${hex(sum)}`);
    if (gzip && view.getUint32(4, true) !== length) {
      throw new Error(`the trailer's length is ${view.getUint32(4, true)}, the data's ${length} (modulo 2^32)`);
    }
  };
  return {
    output(data) {
      sum = gzip ? crc32(sum, data) : adler32(sum, data);
      length = (length + data.byteLength) % 2 ** 32;
    },
    input(chunk) {
      const keep = Math.min(chunk.byteLength, size);
      tail.copyWithin(0, keep);
      tail.set(chunk.subarray(chunk.byteLength - keep), size - keep);
      seen += chunk.byteLength;
    },
    member(trailer) {
      verify(trailer);
      sum = 0;
      length = 0;
    },
    end() {
      // No input at all is no stream to check.
      if (seen === 0) return;
      if (seen < size) throw new Error(`it ends before its ${size}-byte trailer`);
      verify(tail);
    },
  };
}

/**
 * The trailer of the member before the one starting, where fflate 0.8's Gunzip holds it when
 * it calls `onmember`: its input `p` runs from the end of that member's deflate data, and the
 * next header starts at `v - 1`, right after the 8-byte trailer. fflate gives it out no other way.
 */
function previousTrailer(stream: Gunzip): Uint8Array {
  const { p, v } = stream as unknown as { readonly p?: unknown; readonly v?: unknown };
  if (!(p instanceof Uint8Array) || typeof v !== 'number' || v < 9 || v - 1 > p.byteLength) {
    throw new Error("fflate's Gunzip no longer holds a member's trailer where this reads it");
  }
  return p.subarray(v - 9, v - 1);
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

/** An encoder of `format` at `level`; `flush` is fflate's sync flush. */
export function fflateEncoder(format: Format, level: number): SyncEncoder {
  const options: DeflateOptions = { level: level as DeflateOptions['level'] };
  const make = (): FflateStream & { flush(sync?: boolean): void } =>
    format === 'gzip' ? new Gzip(options) : format === 'deflate' ? new Zlib(options) : new Deflate(options);
  const ready: Uint8Array[] = [];
  let stream = make();
  const attach = (): void => {
    stream.ondata = (data) => {
      if (data.byteLength > 0) ready.push(data);
    };
  };
  attach();
  let settled: EncodeStep | undefined;
  return {
    encode(input: Pending, step: EncodeStep) {
      while (ready.length === 0) {
        const remaining = input.bytes.byteLength - input.consumed;
        if (remaining === 0 && (step === 'run' || settled === step)) break;
        const take = Math.min(remaining, STEP);
        const chunk = input.bytes.subarray(input.consumed, input.consumed + take);
        input.consumed += take;
        const last = take === remaining;
        if (last && step === 'end') {
          stream.push(chunk, true);
          stream = make(); // writing more after the end starts a new member
          const previous = ready;
          attach();
          settled = step;
          return splitFirst(previous);
        }
        stream.push(chunk);
        if (last && step === 'flush') {
          stream.flush(true);
          settled = step;
        } else {
          settled = undefined;
        }
      }
      return splitFirst(ready);
    },
    dispose() {
      ready.length = 0;
    },
  };
}

/** The first ready chunk (at most CHUNK bytes of it), or empty. */
function splitFirst(ready: Uint8Array[]): Uint8Array {
  const first = ready[0];
  if (first === undefined) return EMPTY;
  if (first.byteLength <= CHUNK) {
    ready.shift();
    return first;
  }
  ready[0] = first.subarray(CHUNK);
  return first.subarray(0, CHUNK);
}
