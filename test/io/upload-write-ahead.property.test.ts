/**
 * Model-based property test of an upload that keeps one write ahead: the real `upload`
 * (src/io/core/copy.ts) driving the real IO worker's backend (src/io/backends/opfs-remote.ts)
 * over a stand-in worker that answers as the protocol says (src/opfs/protocol.ts): calls
 * handled one at a time in the order sent, each after a random delay, a `chained` write
 * refused unless the write before it was written and ended where it starts. The real worker
 * (worker/service.ts) is tested against the same failures in Chromium and Firefox
 * (test/browser/browser.test.ts, "an upload of a stream rejects when ...").
 *
 * Whatever the chunks (whole buffers or views, read into buffers of the upload's own and each
 * handed over whole), the failing write and the
 * moment of an abort: the file holds a prefix of the source with no gap, the cursor ends
 * where the file does, the upload tells the failure or the abort (never the refusal), and
 * nothing is written once it has settled.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { IOError } from '../../src/errors.js';
import { remoteOpfs } from '../../src/io/backends/opfs-remote.js';
import { upload } from '../../src/io/core/copy.js';
import { Cursor } from '../../src/io/core/cursor.js';
import type { WorkerConnection } from '../../src/opfs/connection.js';

interface Case {
  /** Chunk sizes, enqueued as whole buffers or as views (parts of larger buffers). */
  readonly chunks: Array<{ size: number; view: boolean }>;
  /** Which write fails (from 1), if any. */
  readonly failAt: number | undefined;
  /** After how many chunks read the signal aborts, if at all. */
  readonly abortAfter: number | undefined;
  /** Each call's delay in the stand-in worker, ms (cycled). */
  readonly delays: number[];
}

/** The stand-in worker: a file in memory, and the writes it made. */
function standInWorker(failAt: number | undefined, delays: number[]) {
  let content = new Uint8Array(0);
  let writes = 0;
  let madeAfterSettled = false;
  let settled = false;
  let lastEnd: number | undefined;
  const sizes: number[] = [];
  let queue: Promise<unknown> = Promise.resolve();
  const write = (position: number, bytes: Uint8Array, chained: boolean | undefined) => {
    const follows = lastEnd === position;
    lastEnd = undefined;
    if (chained && !follows) throw new IOError('not written: the write before it failed', { code: 'ECANCELED' });
    if (++writes === failAt) throw new IOError('the disk failed', { code: 'EIO' });
    if (settled) madeAfterSettled = true;
    sizes.push(bytes.byteLength);
    const end = position + bytes.byteLength;
    if (end > content.byteLength) {
      const grown = new Uint8Array(end);
      grown.set(content);
      content = grown;
    }
    content.set(bytes, position);
    lastEnd = end;
  };
  let calls = 0;
  const connection = {
    call(op: string, args: { position: number; bytes: Uint8Array; chained?: boolean }) {
      const delay = delays[calls++ % delays.length]!;
      const answer = queue.then(
        () =>
          new Promise<void>((resolve, reject) =>
            setTimeout(() => {
              try {
                if (op !== 'writeCopy') throw new Error(`unexpected call ${op}`);
                write(args.position, args.bytes.slice(), args.chained);
                resolve();
              } catch (error) {
                reject(error);
              }
            }, delay),
          ),
      );
      queue = answer.catch(() => {});
      return answer;
    },
  } as unknown as WorkerConnection;
  return {
    connection,
    content: () => content,
    drained: () => queue,
    markSettled: () => (settled = true),
    madeAfterSettled: () => madeAfterSettled,
    /** The size of each write made, in order. */
    sizes: () => sizes,
  };
}

/** A byte stream of the case's chunks, each filled with its offset's pattern byte. */
function byteStream(chunks: Case['chunks'], onChunk: (index: number) => void): ReadableStream<Uint8Array> {
  let index = 0;
  let offset = 0;
  return new ReadableStream({
    type: 'bytes',
    pull(controller) {
      const chunk = chunks[index];
      if (chunk === undefined) return controller.close();
      const bytes = chunk.view ? new Uint8Array(chunk.size + 8).subarray(4, 4 + chunk.size) : new Uint8Array(chunk.size);
      for (let i = 0; i < chunk.size; i++) bytes[i] = (offset + i) % 251;
      offset += chunk.size;
      controller.enqueue(bytes);
      onChunk(++index);
    },
  });
}

const isPrefixOfSource = (bytes: Uint8Array) => bytes.every((byte, i) => byte === i % 251);

const arbitraryCase: fc.Arbitrary<Case> = fc.record({
  chunks: fc.array(fc.record({ size: fc.integer({ min: 1, max: 3000 }), view: fc.boolean() }), { maxLength: 12 }),
  failAt: fc.option(fc.integer({ min: 1, max: 14 }), { nil: undefined }),
  abortAfter: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
  delays: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 5 }),
});

describe('an upload keeping one write ahead agrees with the model', () => {
  test('the file holds a prefix of the source without a gap, and the cursor ends with it', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryCase, async ({ chunks, failAt, abortAfter, delays }) => {
        const worker = standInWorker(failAt, delays);
        const side = remoteOpfs(worker.connection, 1, 0, undefined);
        const cursor = new Cursor(true, 0);
        const controller = new AbortController();
        const source = byteStream(chunks, (read) => {
          if (read === abortAfter) controller.abort(new Error('stopped by the test'));
        });
        const total = chunks.reduce((sum, chunk) => sum + chunk.size, 0);
        const outcome = await upload(cursor, side, source, { signal: controller.signal }).then(
          (count) => ({ count }),
          (error: unknown) => ({ error: error as Error }),
        );
        worker.markSettled();
        await worker.drained();
        const content = worker.content();
        expect(isPrefixOfSource(content)).toBe(true);
        expect(cursor.position).toBe(content.byteLength);
        expect(side.size!()).toBe(content.byteLength);
        expect(worker.madeAfterSettled()).toBe(false);
        if ('count' in outcome) {
          expect(outcome.count).toBe(total);
          expect(content.byteLength).toBe(total);
        } else {
          // The failure told is the failed write's or the abort, never the refusal after it.
          expect(outcome.error.message).toMatch(/the disk failed|stopped by the test/);
          expect(content.byteLength).toBeLessThanOrEqual(total);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('a byte stream that holds its bytes as one chunk is uploaded in pieces of the chunk size, each handed over whole', async () => {
    // As Firefox's Blob streams do: one read would give all of it, which could only be written
    // once it was all read, and held in memory whole.
    const worker = standInWorker(undefined, [0]);
    const side = remoteOpfs(worker.connection, 1, 0, undefined);
    const cursor = new Cursor(true, 0);
    const source = byteStream([{ size: 100_000, view: false }], () => {});
    const count = await upload(cursor, side, source, { chunkSize: 16 * 1024 });
    await worker.drained();
    expect(count).toBe(100_000);
    expect(worker.sizes()).toEqual([...Array<number>(6).fill(16 * 1024), 100_000 - 6 * 16 * 1024]);
    expect(worker.content().byteLength).toBe(100_000);
    expect(isPrefixOfSource(worker.content())).toBe(true);
    expect(cursor.position).toBe(100_000);
  });
});
