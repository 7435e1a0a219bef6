// The MD5 that checks a multipart object's ETag, against node:crypto's, on the RFC's test
// suite and on random inputs of every length around the padding's block boundaries.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md5, toHex } from '../../src/util/md5.js';

const reference = (bytes: Uint8Array): string => createHash('md5').update(bytes).digest('hex');

describe('md5', () => {
  it('gives the digests of RFC 1321 A.5', () => {
    const suite: Record<string, string> = {
      '': 'd41d8cd98f00b204e9800998ecf8427e',
      a: '0cc175b9c0f1b6a831c399e269772661',
      abc: '900150983cd24fb0d6963f7d28e17f72',
      'message digest': 'f96b697d7cb7938d525a2f31aaf161d0',
      abcdefghijklmnopqrstuvwxyz: 'c3fcd3d76192e4007dfb496cca67e13b',
      '12345678901234567890123456789012345678901234567890123456789012345678901234567890': '57edf4a22be3c955ac49da2e2107b67a',
    };
    for (const [text, digest] of Object.entries(suite)) expect(toHex(md5(new TextEncoder().encode(text)))).toBe(digest);
  });

  it('agrees with node:crypto on random inputs of 0 to 300 bytes and a few large ones', () => {
    for (let length = 0; length <= 300; length++) {
      const bytes = randomBytes(length);
      expect(toHex(md5(bytes)), `length ${length}`).toBe(reference(bytes));
    }
    for (const length of [4096, 65_537, 1_000_003]) {
      const bytes = randomBytes(length);
      expect(toHex(md5(bytes)), `length ${length}`).toBe(reference(bytes));
    }
  });

  it('hashes a view into a larger buffer by its own bytes only', () => {
    const whole = randomBytes(200);
    const view = new Uint8Array(whole.buffer, whole.byteOffset + 17, 100);
    expect(toHex(md5(view))).toBe(reference(view));
  });
});
