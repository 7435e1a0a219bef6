/** fromReadableStream and fromWritableStream, fed by a real HTTP server on 127.0.0.1. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Buffer, fromReadableStream, fromWritableStream, UnsupportedOperationError } from '../../src/index.js';
import { decode, encode, randomBytes } from '../helpers.js';

const body = randomBytes(3_000_000);
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/broken') {
      response.writeHead(200, { 'content-length': String(body.length) });
      response.write(body.subarray(0, 100_000), () => response.destroy());
      return;
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('fromReadableStream', () => {
  test('reads a fetch body as a NativeFile', async () => {
    const response = await fetch(`${base}/data`);
    const file = fromReadableStream(response.body!);
    expect([file.isSync, file.readable(), file.writable(), file.seekable()]).toEqual([false, true, false, false]);
    const head = await file.read(10);
    expect(Buffer.wrap(head).equals(body.subarray(0, 10))).toBe(true);
    const rest = await file.readBuffer();
    expect(rest.equals(body.subarray(10))).toBe(true);
    expect(file.tell()).toBe(body.length);
    expect((await file.read()).byteLength).toBe(0);
    await file.close();
  });

  test('a body cut off mid-way rejects the read', async () => {
    const response = await fetch(`${base}/broken`);
    const file = fromReadableStream(response.body!);
    await expect(file.read()).rejects.toThrow();
  });

  test('closing the file cancels the stream', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull: (c) => c.enqueue(new Uint8Array(10)),
      cancel: () => void (cancelled = true),
    });
    const file = fromReadableStream(stream);
    await file.read(5);
    await file.close();
    expect(cancelled).toBe(true);
  });

  test('the size of a stream is not known; seeking is not supported', async () => {
    const file = fromReadableStream(new ReadableStream());
    // @ts-expect-error misuse the types forbid; the run-time check is what is tested
    await expect(file.size()).rejects.toThrow(UnsupportedOperationError);
    // @ts-expect-error misuse the types forbid; the run-time check is what is tested
    expect(() => file.seek(0)).toThrow(UnsupportedOperationError);
    expect(() => fromReadableStream({} as never)).toThrow(TypeError);
  });

  test('chunks that are not bytes fail the read with a TypeError', async () => {
    const file = fromReadableStream(new ReadableStream({ start: (c) => c.enqueue('text') }));
    await expect(file.read()).rejects.toThrow(TypeError);
  });
});

describe('fromWritableStream', () => {
  test('writes copies of the bytes, then closes the stream', async () => {
    const chunks: string[] = [];
    let closed = false;
    const file = fromWritableStream(
      new WritableStream<Uint8Array>({
        write: (chunk) => void chunks.push(decode(chunk)),
        close: () => void (closed = true),
      }),
    );
    const reused = encode('one');
    await file.write(reused);
    reused.set(encode('two'));
    await file.write(reused);
    expect(await file.size()).toBe(6);
    await file.close();
    expect(chunks).toEqual(['one', 'two']);
    expect(closed).toBe(true);
  });

  test('an error of the stream rejects the write', async () => {
    const file = fromWritableStream(new WritableStream({ write: () => Promise.reject(new Error('full')) }));
    await expect(file.write(encode('x'))).rejects.toThrow('full');
  });
});
