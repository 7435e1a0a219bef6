/**
 * MD5 (RFC 1321), for the one place S3 needs it here: the ETag S3 gives an object made by a
 * multipart upload is the MD5 of its parts' MD5s, and Web Crypto has no MD5. Written from the
 * RFC's description; it hashes short inputs (16 bytes a part), so it favours plainness.
 * @module
 */

/** The per-step left rotations, by round (RFC 1321, 3.4). */
const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

/** T[i] = floor(2^32 × |sin(i + 1)|), the per-step constants (RFC 1321, 3.4). */
const T = Array.from({ length: 64 }, (_, i) => Math.floor(2 ** 32 * Math.abs(Math.sin(i + 1))) >>> 0);

/** The MD5 digest of `bytes`: 16 bytes. */
export function md5(bytes: Uint8Array): Uint8Array {
  // Padding (3.1, 3.2): a 1 bit, zeros to 56 bytes mod 64, then the length in bits, 64-bit little-endian.
  const padded = new Uint8Array(Math.ceil((bytes.byteLength + 9) / 64) * 64);
  padded.set(bytes);
  padded[bytes.byteLength] = 0x80;
  const view = new DataView(padded.buffer);
  const bits = bytes.byteLength * 8;
  view.setUint32(padded.byteLength - 8, bits >>> 0, true);
  view.setUint32(padded.byteLength - 4, Math.floor(bits / 2 ** 32), true);

  // The buffer A, B, C, D (3.3).
  const state = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  const x = new Uint32Array(16);
  for (let block = 0; block < padded.byteLength; block += 64) {
    for (let j = 0; j < 16; j++) x[j] = view.getUint32(block + j * 4, true);
    let [a, b, c, d] = state as [number, number, number, number];
    for (let i = 0; i < 64; i++) {
      const round = i >> 4;
      // The round's function (F, G, H, I) and the order it reads the block's words in (3.4).
      let f: number;
      let k: number;
      if (round === 0) [f, k] = [(b & c) | (~b & d), i];
      else if (round === 1) [f, k] = [(b & d) | (c & ~d), (5 * i + 1) & 15];
      else if (round === 2) [f, k] = [b ^ c ^ d, (3 * i + 5) & 15];
      else [f, k] = [c ^ (b | ~d), (7 * i) & 15];
      const sum = (a + f + T[i]! + x[k]!) >>> 0;
      const s = SHIFTS[round * 4 + (i & 3)]!;
      [a, d, c] = [d, c, b];
      b = (b + ((sum << s) | (sum >>> (32 - s)))) >>> 0;
    }
    state[0] = (state[0]! + a) >>> 0;
    state[1] = (state[1]! + b) >>> 0;
    state[2] = (state[2]! + c) >>> 0;
    state[3] = (state[3]! + d) >>> 0;
  }
  // The digest is A, B, C, D, each little-endian (3.5).
  const digest = new Uint8Array(16);
  const out = new DataView(digest.buffer);
  state.forEach((word, i) => out.setUint32(i * 4, word, true));
  return digest;
}

/** `bytes` as lower-case hex. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
