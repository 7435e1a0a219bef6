import { createReadStream, createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Buffer, BufferOutputStream, inputStream, JsFile, outputStream, UnsupportedOperationError } from '../../src/index.js';
import { decode, encode, randomBytes, tempFiles } from '../helpers.js';

const { dir } = tempFiles('jsfile');
const data = randomBytes(200_000);
const path = join(dir, 'data.bin');
writeFileSync(path, data);

describe('JsFile over a Node FileHandle', () => {
  test('reads at random positions straight into the caller memory', async () => {
    const file = new JsFile(await open(path, 'r'));
    expect([file.mode, file.seekable(), file.isSync]).toEqual(['rb', true, false]);
    expect(await file.size()).toBe(data.length);
    expect(Buffer.wrap(await file.readAt(1000, 50)).equals(data.subarray(1000, 1050))).toBe(true);
    file.seek(199_990);
    const into = new Uint8Array(20);
    expect(await file.readInto(into)).toBe(10);
    expect(Buffer.wrap(into.subarray(0, 10)).equals(data.subarray(199_990))).toBe(true);
    expect(() => file.seek(-1, 2)).toThrow(/without I\/O/);
    await file.close();
  });

  test('writes in mode wb and appends in mode ab', async () => {
    const target = join(dir, 'out.bin');
    const writer = new JsFile(await open(target, 'w'), 'wb');
    await writer.write(encode('foo'));
    await writer.close();
    const appender = new JsFile(await open(target, 'a'), 'ab');
    await appender.write(encode('bar'));
    await appender.close();
    expect(readFileSync(target, 'utf8')).toBe('foobar');
  });
});

describe('JsFile over Node streams', () => {
  test('reads a Readable', async () => {
    const file = new JsFile(createReadStream(path, { highWaterMark: 7000 }));
    expect(file.mode).toBe('rb');
    expect(file.seekable()).toBe(false);
    expect(Buffer.wrap(await file.read()).equals(data)).toBe(true);
    await file.close();
  });

  test('writes a Writable and ends it on close', async () => {
    const target = join(dir, 'stream-out.bin');
    const file = new JsFile(createWriteStream(target));
    expect(file.mode).toBe('wb');
    await file.write(data.subarray(0, 100_000));
    await file.write(data.subarray(100_000));
    await file.close();
    expect(Buffer.wrap(readFileSync(target)).equals(data)).toBe(true);
  });
});

describe('JsFile over duck-typed objects (PyArrow PythonFile)', () => {
  test('a reader with read(n) only (test_input_stream_duck_typing)', async () => {
    const stream = inputStream({ read: () => encode('hello'), close() {} });
    expect(decode(await stream.read(5))).toBe('hello');
  });

  test('a writer with write() only (test_output_stream_duck_typing)', async () => {
    const sink = new BufferOutputStream();
    const stream = outputStream({ write: (bytes: Uint8Array) => sink.writeSync(bytes), close() {} });
    expect(await stream.write(encode('hello'))).toBe(5);
    expect(decode(sink.getValue().view)).toBe('hello');
  });

  test('a seekable reader gives random access and a size', async () => {
    let position = 0;
    const bytes = encode('some sample data');
    const file = new JsFile({
      read: async (n: number) => {
        const out = bytes.subarray(position, position + n);
        position += out.length;
        return out;
      },
      seek: (offset: number, whence = 0) => {
        position = whence === 2 ? bytes.length + offset : offset;
      },
      tell: () => position,
    });
    expect(await file.size()).toBe(16);
    expect(decode(await file.readAt(3, 5))).toBe('e sam');
    expect(decode(await file.read(4))).toBe('some');
    file.seek(5);
    expect(decode(await file.read(50))).toBe('sample data');
  });

  test('infers the mode from a mode string, then from its methods', () => {
    expect(new JsFile({ read: () => null, mode: 'rb' }).mode).toBe('rb');
    expect(new JsFile({ write: () => {}, read: () => null, mode: 'w' }).mode).toBe('wb');
    expect(new JsFile({ write: () => {} }).mode).toBe('wb');
    expect(() => new JsFile({} as never)).toThrow(/read\(\) or write\(\)/);
    expect(() => new JsFile({ write: () => {} }, 'rb')).toThrow(/lacks read\(\)/);
    expect(() => new JsFile('file.txt' as never)).toThrow(TypeError);
  });

  test('reading a writer is unsupported', async () => {
    const file = new JsFile({ write: () => {} });
    // @ts-expect-error misuse the types forbid; the run-time check is what is tested
    await expect(file.read()).rejects.toThrow(UnsupportedOperationError);
  });
});
