/**
 * An upload into a backend that takes memory (the IO worker's, src/io/backends/opfs-remote.ts)
 * reads a byte stream of the platform's own with a BYOB reader (src/io/core/copy.ts): every byte
 * arrives however the source closes its stream, buffers follow what the reads fill, and engines
 * whose BYOB readers refuse `releaseLock()` while a read waits still finish.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { remoteOpfs } from '../../src/io/backends/opfs-remote.js';
import { upload } from '../../src/io/core/copy.js';
import { Cursor } from '../../src/io/core/cursor.js';
import type { WorkerConnection } from '../../src/opfs/connection.js';

/** A stand-in IO worker writing into memory at once; records each write's buffer size. */
function worker() {
  let content = new Uint8Array(0);
  const buffers: number[] = [];
  const connection = {
    call(op: string, args: { position: number; bytes: Uint8Array }) {
      if (op !== 'writeCopy') throw new Error(`unexpected call ${op}`);
      buffers.push(args.bytes.buffer.byteLength);
      const end = args.position + args.bytes.byteLength;
      if (end > content.byteLength) {
        const grown = new Uint8Array(end);
        grown.set(content);
        content = grown;
      }
      content.set(args.bytes, args.position);
      return Promise.resolve();
    },
  } as unknown as WorkerConnection;
  return { side: remoteOpfs(connection, 1, 0, undefined), content: () => content, buffers };
}

const pattern = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 7) % 251);

/** Uploads `source`, failing after 2 s rather than hanging; returns the count and what was written. */
async function uploadAll(source: ReadableStream) {
  const { side, content, buffers } = worker();
  const count = await Promise.race([
    upload(new Cursor(true, 0), side, source, {}),
    new Promise((resolve) => setTimeout(() => resolve('still waiting after 2 s'), 2000)),
  ]);
  return { count, content: content(), buffers };
}

/** A byte stream whose source enqueues `count` chunks of 1000 bytes (chunk i filled with i), one a pull, then closes in pull. */
function thousandByteChunks(count: number): ReadableStream {
  let pulls = 0;
  return new ReadableStream({
    type: 'bytes',
    pull(controller) {
      if (++pulls > count) return controller.close();
      controller.enqueue(new Uint8Array(1000).fill(pulls));
    },
  });
}

describe('an upload of a byte stream read with a BYOB reader', () => {
  const bytes = pattern(300_001);
  const sources: Array<[string, () => ReadableStream]> = [
    ['a fetch body', () => new Response(bytes).body!],
    ['a Blob', () => new Blob([bytes]).stream()],
    [
      'a source that enqueues its last chunk and closes in one pull',
      () => {
        let at = 0;
        return new ReadableStream({
          type: 'bytes',
          pull(controller) {
            const end = Math.min(at + 100_000, bytes.byteLength);
            controller.enqueue(bytes.slice(at, end));
            at = end;
            if (at === bytes.byteLength) controller.close();
          },
        });
      },
    ],
    [
      'a source that enqueues all before closing',
      () =>
        new ReadableStream({
          type: 'bytes',
          start(controller) {
            controller.enqueue(bytes.slice(0, 200_000));
            controller.enqueue(bytes.slice(200_000));
            controller.close();
          },
        }),
    ],
    [
      'a source that closes in pull, never answering the read waiting then',
      () => {
        let at = 0;
        return new ReadableStream({
          type: 'bytes',
          pull(controller) {
            if (at === bytes.byteLength) return controller.close();
            const end = Math.min(at + 100_000, bytes.byteLength);
            controller.enqueue(bytes.slice(at, end));
            at = end;
          },
        });
      },
    ],
  ];
  for (const [name, make] of sources) {
    test(`gets every byte of ${name}`, async () => {
      const { count, content } = await uploadAll(make());
      expect(count).toBe(bytes.byteLength);
      expect(Buffer.from(content).equals(bytes), 'the bytes written are the source bytes').toBe(true);
    });
  }

  test('makes buffers about the size of what the reads fill, not 4 MiB for each small chunk', async () => {
    const { count, buffers } = await uploadAll(thousandByteChunks(50));
    expect(count).toBe(50_000);
    // The first read asks for 4 MiB; once it filled 1000 bytes, the next ask for 64 KiB.
    expect(buffers.slice(1).every((size) => size === 64 * 1024)).toBe(true);
  });
});

describe('where releaseLock() throws while a BYOB read waits (WebKitGTK 2.50)', () => {
  const prototype = ReadableStreamBYOBReader.prototype;
  const { read, releaseLock } = prototype;
  afterEach(() => {
    prototype.read = read;
    prototype.releaseLock = releaseLock;
  });

  test('an upload from a source that closes in pull still ends with every byte', async () => {
    const waiting = new WeakMap<object, number>();
    prototype.read = function (this: ReadableStreamBYOBReader, view: Uint8Array<ArrayBuffer>) {
      waiting.set(this, (waiting.get(this) ?? 0) + 1);
      const pending = read.call(this, view) as Promise<ReadableStreamReadResult<Uint8Array>>;
      const settled = () => void waiting.set(this, waiting.get(this)! - 1);
      pending.then(settled, settled);
      return pending;
    } as typeof read;
    prototype.releaseLock = function (this: ReadableStreamBYOBReader) {
      if ((waiting.get(this) ?? 0) > 0) throw new TypeError('There are still pending read requests, cannot release the lock');
      releaseLock.call(this);
    };
    const { count, content } = await uploadAll(thousandByteChunks(3));
    expect(count).toBe(3000);
    expect(content.byteLength).toBe(3000);
  });
});
