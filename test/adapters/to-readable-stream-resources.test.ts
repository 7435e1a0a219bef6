/**
 * What toReadableStream holds and reads on its own: nothing before a reader asks, memory for
 * the file's bytes rather than for the chunk size asked, a chunk size the runtime can read,
 * and nothing that keeps a dropped stream's file open.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { simulateByteStreams } from '../../src/adapters/web-streams/byte-streams.js';
import { BufferReader, toReadableStream } from '../../src/index.js';
import { OSFile } from '../../src/node.js';

afterEach(() => {
  simulateByteStreams(undefined);
  vi.restoreAllMocks();
});

const gc = (globalThis as { gc?: () => void }).gc;

/** Reads one chunk of `path` through a stream given `signal`, drops it, and keeps the file weakly. */
async function readOneChunkAndDrop(path: string, signal: AbortSignal): Promise<WeakRef<OSFile>> {
  const file = new OSFile(path, 'rb');
  const reader = toReadableStream(file, { chunkSize: 1024, signal }).getReader();
  await reader.read();
  reader.releaseLock();
  return new WeakRef(file);
}

describe('toReadableStream', () => {
  test.each([
    ['a byte stream', true],
    ['a default stream (engines without byte streams)', false],
  ])('as %s reads nothing before a reader asks', async (_kind, byteStreams) => {
    simulateByteStreams(byteStreams);
    const file = new BufferReader(new Uint8Array(10_000));
    const stream = toReadableStream(file, { chunkSize: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(file.tell()).toBe(0);
    await stream.cancel();
  });

  test('of a 10-byte file with a 64 MiB chunk size allocates one chunk, not a second read ahead', async () => {
    const allocate = vi.spyOn(globalThis.Buffer, 'allocUnsafeSlow');
    const stream = toReadableStream(new BufferReader(new Uint8Array(10)), { chunkSize: 64 * 1024 * 1024 });
    expect((await new Response(stream).arrayBuffer()).byteLength).toBe(10);
    // Only the chunks: the runtime's own small allocations (Response's) are not counted.
    expect(allocate.mock.calls.filter(([size]) => size === 64 * 1024 * 1024)).toHaveLength(1);
  });

  test('refuses a chunk size past what one read can take (2 GiB - 1), naming it', () => {
    expect(() => toReadableStream(new BufferReader(new Uint8Array(10)), { chunkSize: 2 ** 40 })).toThrow(
      /options.chunkSize must be at most 2147483647, got 1099511627776/,
    );
  });

  test.runIf(gc !== undefined)('kept by its reader, still errors when its signal aborts after collections', async () => {
    const controller = new AbortController();
    const reader = toReadableStream(new BufferReader(new Uint8Array(10_000)), {
      chunkSize: 1000,
      signal: controller.signal,
    }).getReader();
    await reader.read();
    for (let i = 0; i < 5; i++) {
      gc!();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    controller.abort(new Error('stop now'));
    await expect(reader.read()).rejects.toThrow('stop now');
  });

  test.runIf(gc !== undefined)('dropped with a long-lived signal, lets its file be collected (and closed)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nativefile-stream-'));
    writeFileSync(join(dir, 'f.bin'), new Uint8Array(1 << 20));
    const appWide = new AbortController(); // one per page or server, say
    const dropped = await readOneChunkAndDrop(join(dir, 'f.bin'), appWide.signal);
    for (let i = 0; i < 10; i++) {
      gc!();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(dropped.deref()).toBeUndefined();
  });
});
