/** apache-arrow 21's IPC body compression (LZ4 frame, zstd) through its compressionRegistry and arrowIpcCodec. */
import { compressionRegistry, CompressionType, makeTable, tableFromIPC, tableToIPC } from 'apache-arrow';
import { expect, test } from 'vitest';
import { arrowIpcCodec, Codec } from '../../src/index.js';

test.each([
  ['lz4', CompressionType.LZ4_FRAME],
  ['zstd', CompressionType.ZSTD],
] as const)('an IPC stream with %s-compressed bodies round trips through apache-arrow', async (name, type) => {
  compressionRegistry.set(type, await arrowIpcCodec(name));
  const values = Int32Array.from({ length: 100_000 }, (_, i) => i % 1000);
  const table = makeTable({ a: values });
  const plain = tableToIPC(table, 'stream');
  const packed = tableToIPC(table, 'stream', type);
  expect(packed.byteLength).toBeLessThan(plain.byteLength / 2);
  expect(tableFromIPC(packed).getChild('a')!.toArray()).toEqual(values);
  // The bodies are standard frames: the codec's magic number follows each 8-byte length prefix.
  const magic = name === 'zstd' ? [0x28, 0xb5, 0x2f, 0xfd] : [0x04, 0x22, 0x4d, 0x18];
  expect(findSequence(packed, magic)).toBeGreaterThan(0);
  expect((await Codec.open(name)).name).toBe(name);
});

function findSequence(haystack: Uint8Array, needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
