/**
 * The browsers' gzip and zlib decoder (fflate-coders.ts, run here directly in Node) checks
 * what zlib checks: each gzip member's CRC-32 and length, and a zlib stream's Adler-32. A
 * wrong or missing trailer is an IOError (EINVAL), as Node's zlib gives.
 */
import { deflateSync, gzipSync } from 'node:zlib';
import { gzipSync as fflateGzip } from 'fflate';
import { describe, expect, test } from 'vitest';
import { IOError } from '../../src/index.js';
import { fflateDecoder } from '../../src/codecs/fflate-coders.js';
import { decodeAll, type Pending } from '../../src/codecs/transform.js';
import { concat, sample } from './tools.js';

type Checked = 'gzip' | 'deflate';

/** Decodes `bytes` whole, or fed in pieces of `piece` bytes as a stream is. */
function decode(format: Checked, bytes: Uint8Array, piece?: number): Uint8Array {
  if (piece === undefined) return decodeAll(fflateDecoder(format), bytes, Infinity, format);
  const decoder = fflateDecoder(format);
  const parts: Uint8Array[] = [];
  const input: Pending = { bytes: new Uint8Array(0), consumed: 0 };
  for (let at = 0; ; at += piece) {
    const end = at >= bytes.byteLength;
    input.bytes = concat(input.bytes.subarray(input.consumed), bytes.subarray(at, at + piece));
    input.consumed = 0;
    for (let out = decoder.decode(input, end); out.byteLength > 0; out = decoder.decode(input, end)) parts.push(out.slice());
    if (end) break;
  }
  if (!decoder.atBoundary) throw new Error('not at a boundary');
  return parts.reduce(concat, new Uint8Array(0));
}

function expectCorrupt(format: Checked, bytes: Uint8Array): void {
  for (const piece of [undefined, 1000, 7]) {
    let caught: unknown;
    try {
      decode(format, bytes, piece);
    } catch (error) {
      caught = error;
    }
    expect(caught, `pieces of ${piece}`).toBeInstanceOf(IOError);
    expect(caught, `pieces of ${piece}`).toMatchObject({ code: 'EINVAL', message: expect.stringMatching(`^${format} data is`) });
  }
}

const data = sample(40_000, 11);
const other = sample(30_000, 12);

describe('gzip', () => {
  const one = new Uint8Array(gzipSync(data));
  const two = concat(one, new Uint8Array(gzipSync(other)));

  test('good members decode, whole and in pieces, with headers of every size', () => {
    // A member whose header (a long file name) spans many pieces, after one that ends mid-piece.
    const named = fflateGzip(other, { filename: 'n'.repeat(5000), mtime: 0 });
    for (const piece of [undefined, 1000, 7]) {
      expect(decode('gzip', one, piece)).toEqual(data);
      expect(decode('gzip', two, piece)).toEqual(concat(data, other));
      expect(decode('gzip', concat(one, named), piece)).toEqual(concat(data, other));
    }
  });

  test('a member missing its trailer, or part of it, is an IOError', () => {
    for (const cut of [8, 4, 1]) {
      expectCorrupt('gzip', one.subarray(0, one.byteLength - cut));
      expectCorrupt('gzip', two.subarray(0, two.byteLength - cut));
    }
  });

  test("a wrong CRC-32 or length in any member's trailer is an IOError", () => {
    for (const at of [one.byteLength - 8, one.byteLength - 5, one.byteLength - 4, one.byteLength - 1]) {
      for (const bytes of [one, two]) {
        const bad = bytes.slice();
        bad[at]! ^= 0x01;
        expectCorrupt('gzip', bad);
      }
      const lastBad = two.slice();
      lastBad[two.byteLength - (one.byteLength - at)]! ^= 0x80;
      expectCorrupt('gzip', lastBad);
    }
  });

  test('a stored block with one byte changed is an IOError, not wrong data', () => {
    const stored = new Uint8Array(gzipSync(data, { level: 0 }));
    const bad = stored.slice();
    bad[stored.byteLength >> 1]! ^= 0x20;
    expectCorrupt('gzip', bad);
    expectCorrupt('gzip', concat(bad, one));
  });
});

describe('deflate (zlib)', () => {
  const packed = new Uint8Array(deflateSync(data));

  test('good data decodes, whole and in pieces', () => {
    for (const piece of [undefined, 1000, 7]) expect(decode('deflate', packed, piece)).toEqual(data);
  });

  test('a wrong or missing Adler-32 is an IOError', () => {
    for (const at of [1, 2, 4]) {
      const bad = packed.slice();
      bad[packed.byteLength - at]! ^= 0x04;
      expectCorrupt('deflate', bad);
    }
    expectCorrupt('deflate', packed.subarray(0, packed.byteLength - 4));
  });

  test('a stored block with one byte changed is an IOError, not wrong data', () => {
    const stored = new Uint8Array(deflateSync(data, { level: 0 }));
    const bad = stored.slice();
    bad[stored.byteLength >> 1]! ^= 0x20;
    expectCorrupt('deflate', bad);
  });
});
