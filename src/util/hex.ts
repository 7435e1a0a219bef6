/**
 * The bytes a hexadecimal text spells, two digits a byte (lowercase, as scripts/embed-wasm.mjs
 * writes the embedded wasm modules). Hex rather than base64: each byte is two characters of
 * its own, so gzip finds the repeats of the binary in the text (the allocator's module
 * gzips to 7.5 kB as hex, 9.1 as base64, 6.9 raw), and the text is ASCII whatever the bundler.
 * `Uint8Array.fromHex` where the platform has it; else a table over the text's ASCII bytes,
 * as fast as the base64 decoding it replaced (Node 20: 2.6 ms for the 747 KB brotli encoder,
 * 2.9 ms from base64).
 */
export function bytesOfHex(text: string): Uint8Array<ArrayBuffer> {
  const platform = Uint8Array as unknown as { fromHex?(hex: string): Uint8Array<ArrayBuffer> };
  if (platform.fromHex !== undefined) return platform.fromHex(text);
  const ascii = new TextEncoder().encode(text);
  const bytes = new Uint8Array(ascii.length >> 1);
  for (let i = 0, j = 0; i < bytes.length; i++, j += 2) bytes[i] = (DIGITS[ascii[j]!]! << 4) | DIGITS[ascii[j + 1]!]!;
  return bytes;
}

/** Each hexadecimal digit's value, by its ASCII code. */
const DIGITS = new Uint8Array(128);
for (let i = 0; i < 16; i++) DIGITS['0123456789abcdef'.charCodeAt(i)] = i;
