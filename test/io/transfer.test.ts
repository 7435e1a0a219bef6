import { describe, expect, test } from 'vitest';
import {
  Buffer,
  BufferOutputStream,
  BufferReader,
  FixedSizeBufferWriter,
  MockOutputStream,
  allocateBuffer,
} from '../../src/index.js';
import { randomBytes } from '../helpers.js';

const data = randomBytes(300_000);

describe('upload', () => {
  test('copies a NativeFile in chunks, reporting progress against the total', async () => {
    const progress: Array<[number, number | undefined]> = [];
    const out = new BufferOutputStream();
    const copied = await out.upload(new BufferReader(data), {
      chunkSize: 100_000,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(copied).toBe(data.length);
    expect(out.getValue().equals(data)).toBe(true);
    expect(progress).toEqual([
      [100_000, 300_000],
      [200_000, 300_000],
      [300_000, 300_000],
    ]);
  });

  test('copies a ReadableStream and an iterable of chunks', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(data.subarray(0, 1000));
        controller.enqueue(data.subarray(1000, 5000));
        controller.close();
      },
    });
    const out = new BufferOutputStream();
    expect(await out.upload(stream)).toBe(5000);
    expect(await out.upload([data.subarray(5000, 6000), data.subarray(6000, 7000).buffer.slice(6000, 7000)])).toBe(2000);
    expect(out.getValue().equals(data.subarray(0, 7000))).toBe(true);
  });

  test('stops when aborted, keeping what was written and rejecting with the reason', async () => {
    const controller = new AbortController();
    const out = new BufferOutputStream();
    const upload = out.upload(new BufferReader(data), {
      chunkSize: 1000,
      onProgress: (done) => {
        if (done === 3000) controller.abort(new Error('user cancelled'));
      },
      signal: controller.signal,
    });
    await expect(upload).rejects.toThrow('user cancelled');
    expect(out.tell()).toBe(3000);
  });

  test('reads the next chunk of a ReadableStream while the one before is written', async () => {
    const out = new BufferOutputStream();
    const writtenAtPull: number[] = [];
    let sent = 0;
    // No queue (high-water mark 0): a chunk is pulled only when the upload asks for one.
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          writtenAtPull.push(out.tell());
          if (sent === 3) return controller.close();
          controller.enqueue(data.subarray(sent * 1000, ++sent * 1000));
        },
      },
      { highWaterMark: 0 },
    );
    expect(await out.upload(stream)).toBe(3000);
    expect(out.getValue().equals(data.subarray(0, 3000))).toBe(true);
    // Each pull after the first came while the chunk before it was still being written.
    expect(writtenAtPull).toEqual([0, 0, 1000, 2000]);
  });

  test('a failed write rejects the upload with its error, and the chunk read ahead leaves no rejection unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      let pulls = 0;
      const stream = new ReadableStream<Uint8Array>(
        {
          // The read ahead of the second chunk fails at once, before the first one's write does.
          pull: (controller) =>
            ++pulls === 1 ? controller.enqueue(new Uint8Array(2000)) : controller.error(new Error('source broke')),
        },
        { highWaterMark: 0 },
      );
      const full = new FixedSizeBufferWriter(allocateBuffer(1000));
      const failure = await full.upload(stream).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Error);
      expect(String(failure)).not.toContain('source broke');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  test('cancels a ReadableStream source when aborted', async () => {
    const controller = new AbortController();
    let cancelled: unknown;
    const endless = new ReadableStream<Uint8Array>({
      pull: (c) => c.enqueue(new Uint8Array(10)),
      cancel: (reason) => {
        cancelled = reason;
      },
    });
    const upload = new MockOutputStream().upload(endless, {
      onProgress: (done) => {
        if (done >= 100) controller.abort(new Error('enough'));
      },
      signal: controller.signal,
    });
    await expect(upload).rejects.toThrow('enough');
    expect(String(cancelled)).toContain('enough');
  });

  test('rejects bad sources and options with a TypeError or RangeError', async () => {
    const out = new BufferOutputStream();
    await expect(out.upload(42 as never)).rejects.toThrow(/source must be a NativeFile.*got 42/);
    await expect(out.upload([], { chunkSize: 0 })).rejects.toThrow(RangeError);
    await expect(out.upload([], { onProgress: 'x' as never })).rejects.toThrow(TypeError);
    await expect(out.upload([], { signal: {} as never })).rejects.toThrow(/AbortSignal/);
    // @ts-expect-error misuse the types forbid; the run-time check is what is tested
    await expect(new BufferReader(data).upload([])).rejects.toThrow(/not writable/);
  });
});

describe('download', () => {
  test('copies the whole file from the start into a NativeFile', async () => {
    const reader = new BufferReader(data);
    reader.seek(1000);
    const out = new BufferOutputStream();
    expect(await reader.download(out, { chunkSize: 65536 })).toBe(data.length);
    expect(out.getValue().equals(data)).toBe(true);
  });

  test('copies into a WritableStream and closes it', async () => {
    const received: Uint8Array[] = [];
    let closed = false;
    const sink = new WritableStream<Uint8Array>({
      write: (chunk) => void received.push(chunk),
      close: () => void (closed = true),
    });
    const progress: number[] = [];
    await new BufferReader(data).download(sink, { chunkSize: 128 * 1024, onProgress: (done) => progress.push(done) });
    expect(closed).toBe(true);
    expect(progress).toEqual([131072, 262144, 300_000]);
    const joined = new Uint8Array(data.length);
    let offset = 0;
    for (const chunk of received) {
      joined.set(chunk, offset);
      offset += chunk.length;
    }
    expect(Buffer.wrap(joined).equals(data)).toBe(true);
  });

  test('aborts the WritableStream when the copy fails', async () => {
    let abortReason: unknown;
    const sink = new WritableStream<Uint8Array>({ abort: (reason) => void (abortReason = reason) });
    const controller = new AbortController();
    const download = new BufferReader(data).download(sink, {
      chunkSize: 1000,
      signal: controller.signal,
      onProgress: () => controller.abort(new Error('stop')),
    });
    await expect(download).rejects.toThrow('stop');
    expect(String(abortReason)).toContain('stop');
  });

  test('rejects an already aborted signal before reading', async () => {
    const reader = new BufferReader(data);
    await expect(reader.download(new MockOutputStream(), { signal: AbortSignal.abort() })).rejects.toThrow();
    await expect(reader.download({} as never)).rejects.toThrow(/sink must be a NativeFile/);
  });
});
