/**
 * The payload the codec benchmarks compress: 64 MiB of mixed data, the same every run, in
 * 1 MiB pieces of four kinds taken in turn: English-like text, a column of little-endian
 * 32-bit integers (a slowly rising series with noise, as Arrow and Parquet pages hold),
 * random bytes (incompressible), and sparse data (mostly zero bytes). It compresses about 3:1
 * with zstd -1, neither as easy as text alone nor as hard as random data.
 * @module
 */
const WORDS = (
  'the of and to in is was for on that with as by at from his her it an were are which this be or has had not ' +
  'but one all their new first its after also who two other been more they some time would there into year ' +
  'data file stream buffer arrow parquet column table value record batch memory codec frame block page'
).split(' ');

/** A deterministic pseudo-random generator (xorshift32). */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/** `size` bytes (a multiple of 1 MiB) of the mixed payload. */
export function mixedPayload(size = 64 * 1024 * 1024): Uint8Array {
  const piece = 1024 * 1024;
  const out = new Uint8Array(size);
  const next = random(42);
  const encoder = new TextEncoder();
  for (let start = 0, kind = 0; start < size; start += piece, kind = (kind + 1) % 4) {
    const view = out.subarray(start, start + piece);
    if (kind === 0) {
      let text = '';
      while (text.length < piece) text += WORDS[Math.floor(next() * WORDS.length)] + (next() < 0.1 ? '.\n' : ' ');
      view.set(encoder.encode(text).subarray(0, piece));
    } else if (kind === 1) {
      const ints = new DataView(view.buffer, view.byteOffset, piece);
      let value = Math.floor(next() * 1000);
      for (let i = 0; i < piece; i += 4) {
        value += Math.floor(next() * 16) - 4;
        ints.setInt32(i, value, true);
      }
    } else if (kind === 2) {
      for (let i = 0; i < piece; i++) view[i] = (next() * 256) | 0;
    } else {
      for (let i = 0; i < piece; i++) view[i] = next() < 0.05 ? (next() * 256) | 0 : 0;
    }
  }
  return out;
}
