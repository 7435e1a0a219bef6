/** transcodingInputStream's source encodings where the WHATWG labels differ from Python's codecs. */
import { describe, expect, test } from 'vitest';
import { BufferReader, IOError, JsFile, transcodingInputStream } from '../../src/index.js';
import { decode } from '../helpers.js';

const transcode = (bytes: number[], src: string) => transcodingInputStream(new BufferReader(new Uint8Array(bytes)), src).read();

describe('transcodingInputStream sources', () => {
  test("'ascii' refuses a byte of 0x80 or more, naming its position, as Python's ascii codec does", async () => {
    const failure = transcode([0x41, 0x42, 0x80], 'ascii');
    await expect(failure).rejects.toBeInstanceOf(IOError);
    await expect(failure).rejects.toThrow(/'ascii'.*0x80 at position 2/);
    expect(decode(await transcode([0x41, 0x7f], 'ascii'))).toBe('A\x7f');
  });

  test("'utf-16' follows a big-endian byte order mark", async () => {
    expect(decode(await transcode([0xfe, 0xff, 0x00, 0x41, 0x00, 0x42], 'utf-16'))).toBe('AB');
  });

  test("'utf-16' follows a little-endian byte order mark, and is little-endian without one", async () => {
    expect(decode(await transcode([0xff, 0xfe, 0x41, 0x00], 'utf-16'))).toBe('A');
    expect(decode(await transcode([0x41, 0x00, 0x42, 0x00], 'utf-16'))).toBe('AB');
  });

  test("'utf-16' finds the byte order mark when the source gives one byte at a time", async () => {
    const bytes = [0xfe, 0xff, 0x00, 0x41];
    const oneByOne = new JsFile({ read: (n: number) => new Uint8Array(bytes.splice(0, Math.min(n, 1))) });
    expect(decode(await transcodingInputStream(oneByOne, 'utf-16').read())).toBe('A');
  });
});
