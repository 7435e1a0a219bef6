import { concat } from '../util/concat.js';
import { tooLarge, truncated } from './codec-errors.js';

/**
 * The small interface every codec implementation gives: a synchronous decoder and encoder
 * that work through input a piece at a time, so no single call makes unbounded output.
 * @module
 */

/** Decodes a stream of one or more concatenated frames (or members, or streams). */
export interface SyncDecoder {
  /**
   * Decodes some of `input` (from `input.consumed` on): the output so far, at most
   * {@link CHUNK} bytes, empty when it needs more input. `end` says no input follows what is
   * pending. With `borrow`, the result may be a view of the coder's own memory, valid until
   * the next call on any coder of the codec (whole-buffer decoding copies it out at once).
   * Throws an `IOError` on corrupt input.
   */
  decode(input: Pending, end: boolean, borrow?: boolean): Uint8Array;
  /** Whether everything decoded so far ends at the end of a frame (a complete stream). */
  readonly atBoundary: boolean;
  /** Frees what the decoder holds; it is unusable after. */
  dispose(): void;
}

/** What an encoder should do with the input it is given. */
export type EncodeStep = 'run' | 'flush' | 'end';

/** Encodes a stream; `end` ends the frame, and writing more after it starts another. */
export interface SyncEncoder {
  /**
   * Encodes some of `input` (from `input.consumed` on) and does `step`: the output so far,
   * empty when the input is taken and the step is done.
   */
  encode(input: Pending, step: EncodeStep): Uint8Array;
  /** Frees what the encoder holds; it is unusable after. */
  dispose(): void;
}

/** Input bytes and how many of them a coder has taken. */
export interface Pending {
  bytes: Uint8Array;
  consumed: number;
}

/** A codec for whole buffers (`Codec`'s `compress` and `decompress`). */
export interface BufferCodec {
  compress(data: Uint8Array): Uint8Array;
  /** Throws an `IOError` on corrupt or truncated input, and past `limit` output bytes. */
  decompress(data: Uint8Array, limit: number): Uint8Array;
}

/** The output a coder hands out per call, at most. */
export const CHUNK = 256 * 1024;

/**
 * Runs a decoder over all of `data`: the decoded bytes. Past `limit` bytes, or on input that
 * ends inside a frame, it throws an `IOError` naming `codec`. `sizeHint` is the size the input
 * declares, if it does (a zstd frame's content size).
 */
export function decodeAll(decoder: SyncDecoder, data: Uint8Array, limit: number, codec: string, sizeHint?: number): Uint8Array {
  const input: Pending = { bytes: data, consumed: 0 };
  // One output array, grown by doubling: the size the data declares (`sizeHint`), or the exact
  // limit a decompressedSize gives, makes it right the first time. Each part is copied
  // straight out of the coder.
  // A declared size is believed only so far: a forged header must not make a small input
  // allocate gigabytes before a byte is decoded.
  const believed = sizeHint === undefined ? undefined : Math.min(sizeHint, 16 * data.byteLength + 16 * 1024 * 1024);
  let out = new Uint8Array(Math.min(limit, believed ?? Math.max(3 * data.byteLength, 64 * 1024)));
  let total = 0;
  try {
    for (let part = decoder.decode(input, true, true); part.byteLength > 0; part = decoder.decode(input, true, true)) {
      if (total + part.byteLength > limit) throw tooLarge(codec, limit);
      if (total + part.byteLength > out.byteLength) {
        const grown = new Uint8Array(Math.min(limit, Math.max(2 * out.byteLength, total + part.byteLength)));
        grown.set(out.subarray(0, total));
        out = grown;
      }
      out.set(part, total);
      total += part.byteLength;
    }
    if (!decoder.atBoundary || input.consumed < data.byteLength) throw truncated(codec);
  } finally {
    decoder.dispose();
  }
  // A copy only when it frees much: a view keeps the whole array alive.
  return total >= 0.75 * out.byteLength ? out.subarray(0, total) : out.slice(0, total);
}

/** Runs an encoder over all of `data` and ends the frame: the encoded bytes. */
export function encodeAll(encoder: SyncEncoder, data: Uint8Array): Uint8Array {
  const input: Pending = { bytes: data, consumed: 0 };
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for (let part = encoder.encode(input, 'end'); part.byteLength > 0; part = encoder.encode(input, 'end')) {
      total += part.byteLength;
      parts.push(part);
    }
  } finally {
    encoder.dispose();
  }
  return concat(parts, total);
}

/**
 * The content size a zstd frame at the start of `data` declares, or `undefined` (none
 * declared, not a zstd frame, or over 2 GiB): RFC 8878's frame header.
 */
export function zstdContentSize(data: Uint8Array): number | undefined {
  if (data.byteLength < 6 || data[0] !== 0x28 || data[1] !== 0xb5 || data[2] !== 0x2f || data[3] !== 0xfd) return undefined;
  const descriptor = data[4]!;
  const sizeFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const sizeBytes = [singleSegment, 2, 4, 8][sizeFlag]!;
  if (sizeBytes === 0) return undefined;
  const at = 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][descriptor & 3]!;
  if (at + sizeBytes > data.byteLength) return undefined;
  let size = 0;
  for (let i = Math.min(sizeBytes, 4) - 1; i >= 0; i--) size = size * 256 + data[at + i]!;
  if (sizeBytes === 8 && (data[at + 4]! | data[at + 5]! | data[at + 6]! | data[at + 7]!) !== 0) return undefined;
  if (sizeBytes === 2) size += 256;
  return size <= 2 ** 31 ? size : undefined;
}
