/**
 * Snappy's raw format (the one Parquet and Arrow use for buffers): a varint of the
 * uncompressed length, then literals and back-references within 64 KiB blocks. Loaded on
 * first use.
 * @module
 */
import { corrupt, tooLarge, truncated } from './codec-errors.js';
import type { BufferCodec } from './transform.js';

const BLOCK = 65536;
const HASH_BITS = 14;

/** The snappy codec for whole buffers. */
export const snappy: BufferCodec = {
  compress: compressSnappy,
  decompress: decompressSnappy,
};

function compressSnappy(input: Uint8Array): Uint8Array {
  const n = input.byteLength;
  const out = new Uint8Array(32 + n + Math.ceil(n / 6));
  let op = writeVarint(out, 0, n);
  const table = new Int32Array(1 << HASH_BITS);
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  for (let start = 0; start < n; start += BLOCK) {
    const end = Math.min(n, start + BLOCK);
    table.fill(-1);
    let ip = start;
    let emitFrom = start;
    while (ip + 4 <= end) {
      const word = view.getUint32(ip, true);
      const hash = Math.imul(word, 0x1e35a7bd) >>> (32 - HASH_BITS);
      const candidate = table[hash]!;
      table[hash] = ip;
      if (candidate < start || view.getUint32(candidate, true) !== word) {
        ip += 1 + ((ip - emitFrom) >> 5);
        continue;
      }
      let length = 4;
      while (ip + length < end && input[candidate + length] === input[ip + length]) length++;
      op = writeLiteral(out, op, input, emitFrom, ip);
      op = writeCopy(out, op, ip - candidate, length);
      ip += length;
      emitFrom = ip;
    }
    op = writeLiteral(out, op, input, emitFrom, end);
  }
  return out.slice(0, op);
}

function writeVarint(out: Uint8Array, op: number, value: number): number {
  while (value >= 0x80) {
    out[op++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  out[op++] = value;
  return op;
}

function writeLiteral(out: Uint8Array, op: number, input: Uint8Array, from: number, to: number): number {
  const length = to - from;
  if (length === 0) return op;
  const n = length - 1;
  if (n < 60) {
    out[op++] = n << 2;
  } else {
    const bytes = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
    out[op++] = (59 + bytes) << 2;
    for (let i = 0; i < bytes; i++) out[op++] = (n >>> (8 * i)) & 0xff;
  }
  out.set(input.subarray(from, to), op);
  return op + length;
}

function writeCopy(out: Uint8Array, op: number, offset: number, length: number): number {
  while (length >= 68) {
    op = writeCopy2(out, op, offset, 64);
    length -= 64;
  }
  if (length > 64) {
    op = writeCopy2(out, op, offset, 60);
    length -= 60;
  }
  if (length < 12 && offset < 2048) {
    out[op++] = 1 | ((length - 4) << 2) | ((offset >> 8) << 5);
    out[op++] = offset & 0xff;
    return op;
  }
  return writeCopy2(out, op, offset, length);
}

function writeCopy2(out: Uint8Array, op: number, offset: number, length: number): number {
  out[op++] = 2 | ((length - 1) << 2);
  out[op++] = offset & 0xff;
  out[op++] = offset >> 8;
  return op;
}

function decompressSnappy(input: Uint8Array, limit: number): Uint8Array {
  const end = input.byteLength;
  let ip = 0;
  let size = 0;
  for (let shift = 0; ; shift += 7) {
    if (ip >= end) throw truncated('snappy');
    if (shift > 28) throw corrupt('snappy', new Error('the length varint is too long'));
    const byte = input[ip++]!;
    size = shift < 28 ? size | ((byte & 0x7f) << shift) : size + (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
  }
  if (size > limit) throw tooLarge('snappy', limit);
  if (size > 0xffffffff) throw corrupt('snappy', new Error(`the length ${size} is over 32 bits`));
  // Believed only as far as the elements could expand (a 3-byte copy makes at most 64 bytes,
  // more than any other element per byte): a forged header must not allocate gigabytes.
  const most = Math.floor(((end - ip) * 64) / 3);
  if (size > most) {
    throw corrupt('snappy', new Error(`the length ${size} is more than ${end - ip} bytes of elements can make (${most})`));
  }
  const out = new Uint8Array(size);
  const op = decodeElements(input, ip, out);
  if (op < 0)
    throw corrupt(
      'snappy',
      new Error(
        op === BAD_OFFSET
          ? 'a back-reference points outside the output'
          : 'an element runs past the input or the declared length',
      ),
    );
  if (op !== size) throw truncated('snappy');
  return out;
}

const BAD_OFFSET = -1;
const OVERRUN = -2;

/** Decodes the elements from `ip` on into `out`: the bytes written, or a negative code. Kept small and integer-only for the JIT. */
function decodeElements(input: Uint8Array, ip: number, out: Uint8Array): number {
  const end = input.length;
  const size = out.length;
  let op = 0;
  while (ip < end) {
    const tag = input[ip++]!;
    let length: number;
    let offset: number;
    const kind = tag & 3;
    if (kind === 0) {
      length = (tag >>> 2) + 1;
      if (length > 60) {
        const bytes = length - 60;
        if (ip + bytes > end) return OVERRUN;
        length = input[ip]!;
        if (bytes > 1) length |= input[ip + 1]! << 8;
        if (bytes > 2) length |= input[ip + 2]! << 16;
        if (bytes > 3) length = (length | (input[ip + 3]! << 24)) >>> 0;
        length += 1;
        ip += bytes;
      }
      if (ip + length > end || op + length > size) return OVERRUN;
      if (length > 64) {
        out.set(input.subarray(ip, ip + length), op);
        ip += length;
        op += length;
      } else {
        for (let i = 0; i < length; i++) out[op + i] = input[ip + i]!;
        ip += length;
        op += length;
      }
      continue;
    }
    if (kind === 1) {
      if (ip + 1 > end) return OVERRUN;
      length = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[ip]!;
      ip += 1;
    } else if (kind === 2) {
      if (ip + 2 > end) return OVERRUN;
      length = (tag >>> 2) + 1;
      offset = input[ip]! | (input[ip + 1]! << 8);
      ip += 2;
    } else {
      if (ip + 4 > end) return OVERRUN;
      length = (tag >>> 2) + 1;
      offset = (input[ip]! | (input[ip + 1]! << 8) | (input[ip + 2]! << 16) | (input[ip + 3]! << 24)) >>> 0;
      ip += 4;
    }
    if (offset === 0 || offset > op) return BAD_OFFSET;
    if (op + length > size) return OVERRUN;
    for (let i = 0; i < length; i++) out[op + i] = out[op - offset + i]!;
    op += length;
  }
  return op;
}
