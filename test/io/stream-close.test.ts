/** Closing a file over a source that may never answer: close cancels it instead of waiting. */
import { describe, expect, test } from 'vitest';
import {
  BufferedInputStream,
  ClosedFileError,
  CompressedInputStream,
  fromReadableStream,
  transcodingInputStream,
} from '../../src/index.js';
import { decode, encode } from '../helpers.js';

/** A stream whose pull never settles, and whether it was cancelled. */
function silentSource() {
  const state = { cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull: () => new Promise<void>(() => {}),
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

describe('closing a ReadableStream file while a read waits', () => {
  test('close cancels the source, the waiting read rejects with ClosedFileError, close resolves', async () => {
    const { stream, state } = silentSource();
    const file = fromReadableStream(stream);
    const read = file.read(10);
    const settled = expect(read).rejects.toBeInstanceOf(ClosedFileError);
    await file.close();
    await settled;
    expect(state.cancelled).toBe(true);
    expect(file.closed).toBe(true);
  });

  test('a read whose bytes the stream had already delivered still gets them', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encode('ready'));
      },
    });
    const file = fromReadableStream(stream);
    const read = file.read(5);
    await file.close();
    expect(decode(await read)).toBe('ready');
  });

  test('closing after a read reported the stream failing succeeds: the error is not thrown twice', async () => {
    const failure = new Error('the network went away');
    const file = fromReadableStream(new ReadableStream({ start: (controller) => controller.error(failure) }));
    await expect(file.read(10)).rejects.toBe(failure);
    await expect(file.close()).resolves.toBeUndefined();
    expect(file.closed).toBe(true);
  });

  test('closing a CompressedInputStream over it cancels the source as well', async () => {
    const { stream, state } = silentSource();
    const compressed = new CompressedInputStream(fromReadableStream(stream), 'gzip');
    const read = compressed.read(10).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await compressed.close();
    expect(await read).toBeInstanceOf(ClosedFileError);
    expect(state.cancelled).toBe(true);
  });

  test('closing a transcoding stream over it cancels the source as well', async () => {
    const { stream, state } = silentSource();
    const transcoded = transcodingInputStream(fromReadableStream(stream), 'latin-1', 'utf-8');
    const read = transcoded.read(10).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await transcoded.close();
    expect(await read).toBeInstanceOf(ClosedFileError);
    expect(state.cancelled).toBe(true);
  });

  test('closing a BufferedInputStream over it cancels the source as well', async () => {
    const { stream, state } = silentSource();
    const buffered = new BufferedInputStream(fromReadableStream(stream), 1024);
    const read = buffered.read(10);
    const settled = expect(read).rejects.toBeInstanceOf(ClosedFileError);
    await buffered.close();
    await settled;
    expect(state.cancelled).toBe(true);
  });
});
