/**
 * Streams over objects nativefile does not own (a Node Readable or Writable, a duck-typed
 * reader): cancelling or aborting them settles while a read waits on a silent source, and an
 * aborted write is not ended as if complete.
 */
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { inputStream, JsFile, outputStream, toReadableStream, toWritableStream } from '../../src/index.js';

/** `promise`'s outcome, or 'still waiting' after `ms`. */
function within<T>(promise: Promise<T>, ms = 2000): Promise<T | 'still waiting'> {
  return Promise.race([promise, new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), ms))]);
}

const aTick = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('toReadableStream over a source with nothing to say yet', () => {
  test('cancel() of a silent Node Readable settles, closes the file and destroys the stream', async () => {
    const live = new PassThrough();
    const file = inputStream(live);
    const reader = toReadableStream(file).getReader();
    void reader.read().catch(() => {});
    await aTick();
    expect(await within(reader.cancel('enough'))).toBeUndefined();
    expect(file.closed).toBe(true);
    expect(live.destroyed).toBe(true);
  });

  test('cancel() of a duck-typed reader whose read never answers settles', async () => {
    const file = new JsFile({ read: () => new Promise<Uint8Array>(() => {}) });
    const reader = toReadableStream(file).getReader();
    const read = reader.read();
    await aTick();
    expect(await within(reader.cancel('enough'))).toBeUndefined();
    expect(await within(read)).toEqual({ done: true, value: undefined });
  });

  test("pipeTo's signal settles the pipe from a silent Node Readable, with its reason, and destroys it", async () => {
    const live = new PassThrough();
    const controller = new AbortController();
    const piped = toReadableStream(inputStream(live)).pipeTo(new WritableStream(), { signal: controller.signal });
    await aTick();
    controller.abort(new Error('the user went away'));
    expect(
      await within(
        piped.then(
          () => 'resolved',
          (error: Error) => error.message,
        ),
      ),
    ).toBe('the user went away');
    expect(live.destroyed).toBe(true);
  });

  test('a close of the file itself settles while its read waits, which rejects ClosedFileError', async () => {
    const file = inputStream(new PassThrough());
    const read = file.read(10).catch((error: unknown) => error);
    await aTick();
    expect(await within(file.close())).toBeUndefined();
    expect(await read).toMatchObject({ name: 'ClosedFileError' });
  });
});

describe('toWritableStream over a Node Writable', () => {
  /** How the stream's own reader saw it end. */
  function endOf(node: PassThrough): Promise<string> {
    return new Promise((resolve) => {
      node.on('data', () => {});
      node.on('end', () => resolve('ended as complete'));
      node.on('close', () => resolve(node.readableEnded ? 'ended as complete' : 'destroyed'));
    });
  }

  const endings: Array<[string, (writer: WritableStreamDefaultWriter<Uint8Array>) => Promise<unknown>, string]> = [
    ['abort() destroys it, not ends it as complete', (writer) => writer.abort(new Error('the source failed')), 'destroyed'],
    [
      'a failed write destroys it, not ends it as complete',
      (writer) => expect(writer.write('not bytes' as never)).rejects.toThrow(TypeError),
      'destroyed',
    ],
    ['close() still ends it as complete', (writer) => writer.close(), 'ended as complete'],
  ];
  test.each(endings)('%s', async (_name, end, expected) => {
    const node = new PassThrough();
    const seen = endOf(node);
    const writer = toWritableStream(outputStream(node)).getWriter();
    await writer.write(new TextEncoder().encode('the first half'));
    await end(writer);
    expect(await seen).toBe(expected);
  });
});

describe('a long read of a Node Readable', () => {
  const gc = (globalThis as { gc?: () => void }).gc;

  test.runIf(gc !== undefined)(
    'holds no memory per read while it lasts',
    async () => {
      const chunks = 200_000;
      const one = new Uint8Array(1);
      // What JsFile takes for a Node Readable, with an iterator that keeps nothing itself (Node's
      // own Readable.from iterator grows by some 27 MB over these reads, with or without us).
      let served = 0;
      const source = {
        readable: true,
        pipe: () => undefined,
        destroy: () => undefined,
        [Symbol.asyncIterator]: () => ({
          next: async (): Promise<IteratorResult<Uint8Array>> =>
            served++ < chunks ? { done: false, value: one } : { done: true, value: undefined },
        }),
      };
      const file = inputStream(source as unknown as Readable);
      const heapAfter = async (reads: number) => {
        for (let i = 0; i < reads; i++) await file.read(1);
        gc!();
        return process.memoryUsage().heapUsed;
      };
      const early = await heapAfter(10_000);
      const late = await heapAfter(chunks - 20_000);
      // A wait raced against one promise that lasts as long as the file kept a reaction per read.
      expect(late - early).toBeLessThan(4 * 1024 * 1024);
      await file.close();
    },
    60_000,
  );
});
