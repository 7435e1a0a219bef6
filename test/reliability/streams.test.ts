/**
 * Silent loss and hostile input (the reliability issue): aborts that resolved as success,
 * unbounded decompression, files left open after a failure, memory kept after a failed read.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import {
  BufferedOutputStream,
  BufferOutputStream,
  BufferReader,
  CompressedInputStream,
  createWasmMemoryPool,
  inputStream,
  IOError,
  NativeFile,
  toWritableStream,
  totalAllocatedBytes,
  type UnderlyingFile,
} from '../../src/index.js';
import { encode } from '../helpers.js';

describe('upload with an AbortSignal', () => {
  test('an abort during a pending read rejects with the reason and cancels the source', async () => {
    const controller = new AbortController();
    let cancelled: unknown;
    let sent = 0;
    const source = new ReadableStream<Uint8Array>({
      async pull(streamController) {
        if (sent >= 900) return new Promise(() => {}); // never answers again
        streamController.enqueue(new Uint8Array(300));
        sent += 300;
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const out = new BufferOutputStream();
    const upload = out.upload(source, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user cancelled')), 20);
    await expect(upload).rejects.toThrow('user cancelled');
    expect(cancelled).toBeInstanceOf(Error);
  });

  test('a source that enqueues synchronously forever still sees the abort', async () => {
    const controller = new AbortController();
    const endless = new ReadableStream<Uint8Array>({
      pull(streamController) {
        streamController.enqueue(new Uint8Array(64 * 1024));
      },
    });
    setTimeout(() => controller.abort(new Error('enough')), 30);
    await expect(new BufferOutputStream().upload(endless, { signal: controller.signal })).rejects.toThrow('enough');
  });
});

describe('hostile compressed input', () => {
  test('maxOutputBytes stops a small file that expands without bound', async () => {
    const bomb = gzipSync(new Uint8Array(20 * 1024 * 1024));
    const input = new CompressedInputStream(new BufferReader(bomb), 'gzip', { maxOutputBytes: 1024 * 1024 });
    await expect(input.read()).rejects.toMatchObject({ code: 'E2BIG' });
    const viaOpen = inputStream(bomb, { compression: 'gzip', maxOutputBytes: 1000 });
    await expect(viaOpen.read()).rejects.toBeInstanceOf(IOError);
  });
});

describe('failures close and give back', () => {
  test('a failed write through toWritableStream closes the file behind it', async () => {
    let closed = false;
    const failing: UnderlyingFile = {
      write: () => Promise.reject(new Error('disk full')),
      close: () => {
        closed = true;
      },
    };
    const file = new NativeFile(failing, { kind: 'Failing', mode: 'wb', seekable: false, sync: false });
    const writer = toWritableStream(file).getWriter();
    await expect(writer.write(encode('x'))).rejects.toThrow('disk full');
    expect(file.closed).toBe(true);
    expect(closed).toBe(true);
  });

  test('BufferedOutputStream.closeSync with a failing raw file still closes the raw file and reports the error', () => {
    let closed = false;
    const raw = new NativeFile(
      {
        write: () => {
          throw new Error('raw write failed');
        },
        close: () => {
          closed = true;
        },
      },
      { kind: 'Failing', mode: 'wb', seekable: false, sync: true },
    );
    const buffered = new BufferedOutputStream(raw as never, 16);
    buffered.writeSync(encode('abc'));
    expect(() => buffered.closeSync()).toThrow('raw write failed');
    expect(closed).toBe(true);
    expect(buffered.closed).toBe(true);
  });

  test('a read into pool memory that fails gives the memory back at once', async () => {
    const broken: UnderlyingFile = {
      readAt: (position) => (position === 0 ? 4096 : Promise.reject(new Error('bad sector'))),
      size: () => 64 * 1024 * 1024,
    };
    const file = new NativeFile(broken, { kind: 'Broken', mode: 'rb', seekable: true, sync: false });
    const before = totalAllocatedBytes();
    await expect(file.readBuffer()).rejects.toThrow('bad sector');
    expect(totalAllocatedBytes()).toBe(before);
  });

  test('BufferOutputStream uses nearly all of a small pool: growth falls back to the exact need', () => {
    const pool = createWasmMemoryPool({ maxMemory: 64 * 1024 * 1024 });
    const out = new BufferOutputStream(pool);
    const chunk = new Uint8Array(1024 * 1024);
    for (let i = 0; i < 48; i++) out.writeSync(chunk);
    expect(out.getValue().size).toBe(48 * 1024 * 1024);
  });
});
