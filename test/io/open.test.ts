import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import {
  BlobFile,
  Buffer,
  BufferedInputStream,
  BufferedOutputStream,
  BufferOutputStream,
  BufferReader,
  CompressedInputStream,
  inputStream,
  JsFile,
  outputStream,
} from '../../src/index.js';
import { encode } from '../helpers.js';

const data = encode('some test data\n'.repeat(10) + 'eof\n');

describe('inputStream (PyArrow input_stream)', () => {
  test('opens bytes and Buffers', async () => {
    for (const source of [Buffer.wrap(data), data, data.buffer, new DataView(data.buffer)]) {
      const stream = inputStream(source);
      expect(stream).toBeInstanceOf(BufferReader);
      expect(Buffer.wrap(await stream.read()).equals(data)).toBe(true);
    }
  });

  test('decompresses only when asked, for bytes', async () => {
    const gz = gzipSync(data);
    expect(Buffer.wrap(await inputStream(gz).read()).equals(gz)).toBe(true);
    const stream = inputStream(gz, { compression: 'gzip' });
    expect(stream).toBeInstanceOf(CompressedInputStream);
    expect(Buffer.wrap(await stream.read()).equals(data)).toBe(true);
  });

  test('opens Blobs, ReadableStreams and file-like objects', async () => {
    expect(inputStream(new Blob([data as Uint8Array<ArrayBuffer>]))).toBeInstanceOf(BlobFile);
    const fromStream = inputStream(new Blob([data as Uint8Array<ArrayBuffer>]).stream());
    expect(Buffer.wrap(await fromStream.read()).equals(data)).toBe(true);
    expect(inputStream({ read: () => null })).toBeInstanceOf(JsFile);
  });

  test('returns a readable NativeFile itself, and wraps it when asked', async () => {
    const reader = new BufferReader(gzipSync(data));
    expect(inputStream(reader)).toBe(reader);
    const wrapped = inputStream(new BufferReader(gzipSync(data)), { compression: 'gzip', bufferSize: 32 });
    expect(wrapped).toBeInstanceOf(BufferedInputStream);
    expect(Buffer.wrap(await wrapped.read()).equals(data)).toBe(true);
  });

  test('rejects what it cannot read, naming it', () => {
    expect(() => inputStream(data, { compression: 'foo' as never })).toThrow(RangeError);
    expect(() => inputStream(42 as never)).toThrow(/cannot read from 42/);
    expect(() => inputStream(new BufferOutputStream())).toThrow(/readable file expected/);
    expect(() => inputStream(data, { bufferSize: -1 })).toThrow(RangeError);
    expect(() => inputStream(data, { bufferSize: 'million' as never })).toThrow(TypeError);
  });
});

describe('outputStream (PyArrow output_stream)', () => {
  test('writes in place into a Buffer or bytes', async () => {
    for (const make of [(b: Uint8Array) => Buffer.wrap(b), (b: Uint8Array) => b, (b: Uint8Array) => new DataView(b.buffer)]) {
      const target = new Uint8Array(data.length);
      const stream = outputStream(make(target));
      await stream.write(data);
      expect(Buffer.wrap(target).equals(data)).toBe(true);
    }
  });

  test('writes to a WritableStream, compressed and buffered when asked', async () => {
    const chunks: Uint8Array[] = [];
    const sink = new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(chunk) });
    const stream = outputStream(sink, { compression: 'gzip', bufferSize: 64 });
    expect(stream).toBeInstanceOf(BufferedOutputStream);
    for (let i = 0; i < 10; i++) await stream.write(data.subarray(i * 10, i * 10 + 10));
    await stream.write(data.subarray(100));
    await stream.close();
    const joined = new Blob(chunks as Uint8Array<ArrayBuffer>[]);
    const back = inputStream(new Uint8Array(await joined.arrayBuffer()), { compression: 'gzip' });
    expect(Buffer.wrap(await back.read()).equals(data)).toBe(true);
  });

  test('returns a writable NativeFile itself and rejects others', () => {
    const out = new BufferOutputStream();
    expect(outputStream(out)).toBe(out);
    expect(() => outputStream(new BufferReader(data))).toThrow(/writable file expected/);
    expect(() => outputStream(Buffer.wrap(new Uint8Array(1)), { compression: 'foo' as never })).toThrow(RangeError);
    // @ts-expect-error misuse the types forbid; the run-time check is what is tested
    expect(() => outputStream('out.bin')).toThrow(/nativefile\/node/);
  });
});
