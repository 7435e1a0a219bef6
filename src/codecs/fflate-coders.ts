/**
 * gzip, deflate (zlib) and deflate-raw with fflate's streaming classes, driven synchronously:
 * the codecs for whole buffers in browsers (whose `CompressionStream` is asynchronous only)
 * and gzip streams where the platform stops at the first member. Loaded on first use.
 * @module
 */
import { Deflate, Gunzip, Gzip, Inflate, Unzlib, Zlib, type DeflateOptions, type FlateStreamHandler } from 'fflate';
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

/** A decoder of `format`; gzip reads concatenated members. */
export function fflateDecoder(format: Format): SyncDecoder {
  const ready: Uint8Array[] = [];
  let ended = false;
  const stream: FflateStream = format === 'gzip' ? new Gunzip() : format === 'deflate' ? new Unzlib() : new Inflate();
  stream.ondata = (data) => {
    if (data.byteLength > 0) ready.push(data);
  };
  return {
    decode(input: Pending, end: boolean) {
      while (ready.length === 0 && !ended) {
        const remaining = input.bytes.byteLength - input.consumed;
        if (remaining === 0 && !end) break;
        const step = Math.min(remaining, STEP);
        const last = end && step === remaining;
        try {
          stream.push(input.bytes.subarray(input.consumed, input.consumed + step), last);
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
