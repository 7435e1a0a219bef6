/**
 * The checksums of the flate formats, run as data comes: CRC-32 (gzip's trailer, the
 * reflected polynomial 0xEDB88320, one table lookup per byte) and Adler-32 (zlib's). Only
 * the browsers' decoder needs them: Node's zlib checks its own.
 * @module
 */

let table: Int32Array | undefined;

/** The CRC-32 of each byte value, made on first use. */
function crcTable(): Int32Array {
  if (table === undefined) {
    table = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
  }
  return table;
}

/** `crc` (the CRC-32 of the bytes before; 0 to start) carried over `bytes`. */
export function crc32(crc: number, bytes: Uint8Array): number {
  const t = crcTable();
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const ADLER_BASE = 65521;
/** The most bytes whose sums fit in 32 bits before they are reduced (zlib's NMAX). */
const ADLER_RUN = 5552;

/** `adler` (the Adler-32 of the bytes before; 1 to start) carried over `bytes`. */
export function adler32(adler: number, bytes: Uint8Array): number {
  let a = adler & 0xffff;
  let b = adler >>> 16;
  for (let i = 0; i < bytes.length;) {
    const end = Math.min(bytes.length, i + ADLER_RUN);
    for (; i < end; i++) {
      a += bytes[i]!;
      b += a;
    }
    a %= ADLER_BASE;
    b %= ADLER_BASE;
  }
  return ((b << 16) | a) >>> 0;
}
