/**
 * Buffer codecs given sizes no input could honour: snappy's header, lz4_raw's
 * decompressedSize. They fail with an error naming the codec, and keep nothing they took.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { Codec, IOError } from '../../src/index.js';
import { sample } from './tools.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('snappy', () => {
  test('a length over 32 bits is an IOError (EINVAL) naming snappy', async () => {
    const codec = await Codec.open('snappy');
    const bad = new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x7f]);
    expect(() => codec.decompress(bad)).toThrow(IOError);
    expect(() => codec.decompress(bad)).toThrow(/^snappy data is corrupt/);
  });

  test('a length more than the input could expand to is an IOError before anything that large is allocated', async () => {
    const codec = await Codec.open('snappy');
    // 1.5 GB claimed by 7 bytes: a copy element of 3 bytes makes at most 64.
    const claim = [0x80, 0xde, 0xc3, 0xcb, 0x05, 0x00, 0x61];
    const sizes: number[] = [];
    const Original = globalThis.Uint8Array;
    class Recording extends Original {
      constructor(...args: unknown[]) {
        super(...(args as [number]));
        if (typeof args[0] === 'number') sizes.push(args[0]);
      }
    }
    globalThis.Uint8Array = Recording as unknown as Uint8ArrayConstructor;
    let caught: unknown;
    try {
      codec.decompress(new Original(claim));
    } catch (error) {
      caught = error;
    } finally {
      globalThis.Uint8Array = Original;
    }
    expect(caught).toBeInstanceOf(IOError);
    expect(caught).toMatchObject({ code: 'EINVAL', message: expect.stringMatching(/^snappy data is corrupt/) });
    expect(Math.max(0, ...sizes)).toBeLessThan(1024);
  });

  test('data at the worst ratio still decodes', async () => {
    const codec = await Codec.open('snappy');
    const zeros = new Uint8Array(200_000);
    expect(codec.decompress(codec.compress(zeros)).toBytes()).toEqual(zeros);
  });
});

describe('lz4_raw', () => {
  test("failing decompressions leave the module's memory as it was after the first", async () => {
    // The module's memory, caught as it is instantiated (this file loads it first).
    const memories: WebAssembly.Memory[] = [];
    const instantiate = WebAssembly.instantiate.bind(WebAssembly) as (
      module: WebAssembly.Module,
      imports?: WebAssembly.Imports,
    ) => Promise<WebAssembly.Instance>;
    vi.spyOn(WebAssembly, 'instantiate').mockImplementation((async (
      module: WebAssembly.Module,
      imports?: WebAssembly.Imports,
    ) => {
      const instance = await instantiate(module, imports);
      memories.push(instance.exports.memory as WebAssembly.Memory);
      return instance;
    }) as typeof WebAssembly.instantiate);
    const codec = await Codec.open('lz4_raw');
    expect(memories).toHaveLength(1);
    const data = sample(8 * 1024 * 1024, 13);
    const sizes: number[] = [];
    for (let i = 0; i < 4; i++) {
      // An output the module cannot allocate.
      expect(() => codec.decompress(data, 3.9e9)).toThrow();
      sizes.push(memories[0]!.buffer.byteLength);
    }
    expect(new Set(sizes).size).toBe(1);
    const small = sample(1000, 14);
    expect(codec.decompress(codec.compress(small), 1000).toBytes()).toEqual(small);
  });
});
