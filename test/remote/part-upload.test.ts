// The parted upload under S3's and Azure's output streams, over a store kept in memory.
import { describe, expect, test } from 'vitest';
import { IOError } from '../../src/errors.js';
import { partedUpload, type PartBody, type PartTarget } from '../../src/remote/part-upload.js';

/** A store that holds parts in memory, takes at most `maxParts`, and records what it was asked. */
function memoryStore(maxParts: number) {
  const parts = new Map<number, number>();
  const calls: string[] = [];
  const target: PartTarget = {
    name: 'memory://object',
    maxParts,
    async sendPart(index: number, body: PartBody) {
      parts.set(index, body instanceof Uint8Array ? body.byteLength : body.size);
      calls.push(`part ${index}`);
      return `id${index}`;
    },
    async commit(ids: readonly string[]) {
      calls.push(`commit ${ids.length}`);
    },
    async discard(sent: number) {
      calls.push(`discard ${sent}`);
    },
  };
  return { target, parts, calls };
}

describe('a parted upload', () => {
  test("past the store's most parts fails with EFBIG before sending that part, and discards what it sent", async () => {
    const { target, calls } = memoryStore(2);
    const { underlying } = partedUpload(target, { partSize: 4, maxInFlight: 1 });
    const failure = await (async () => {
      await underlying.write!(new Uint8Array(8));
      await underlying.write!(new Uint8Array(4));
      await underlying.flush!();
      await underlying.close!();
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(IOError);
    expect((failure as IOError).code).toBe('EFBIG');
    expect(String(failure)).toContain('memory://object would need more than 2 parts of 4 bytes');
    expect(calls).toEqual(['part 0', 'part 1', 'discard 3']);
  });

  test("up to the store's most parts commits them all", async () => {
    const { target, calls } = memoryStore(2);
    const { underlying } = partedUpload(target, { partSize: 4, maxInFlight: 2 });
    await underlying.write!(new Uint8Array(7));
    await underlying.close!();
    expect(calls).toEqual(['part 0', 'part 1', 'commit 2']);
  });

  /** A store whose parts never answer; each settles only when its signal aborts. */
  function silentStore() {
    const calls: string[] = [];
    const target: PartTarget = {
      name: 'silent://object',
      maxParts: 100,
      sendPart: (index, _body, signal) =>
        new Promise<string>((_resolve, reject) => {
          calls.push(`part ${index}`);
          signal.addEventListener('abort', () => {
            calls.push(`part ${index} cancelled`);
            reject(signal.reason);
          });
        }),
      commit: async () => void calls.push('commit'),
      discard: async (sent) => void calls.push(`discard ${sent}`),
    };
    return { target, calls };
  }

  test('abort() lets the parts in flight finish for a grace, then cancels them and discards: a store that never answers cannot hang it', async () => {
    const { target, calls } = silentStore();
    const { underlying } = partedUpload(target, { partSize: 4, maxInFlight: 2, discardGrace: 50 });
    await underlying.write!(new Uint8Array(8));
    await underlying.abort!(new Error('user abort'));
    expect(calls).toEqual(['part 0', 'part 1', 'part 0 cancelled', 'part 1 cancelled', 'discard 2']);
  });

  test("uploading a Blob that waits for a free slot rejects with the caller's abort reason at once", async () => {
    const { target } = silentStore();
    const { underlying } = partedUpload(target, { partSize: 4, maxInFlight: 1, discardGrace: 50 });
    const controller = new AbortController();
    const reason = new Error('user abort');
    const uploading = underlying.uploadFrom!(new Blob([new Uint8Array(16)]), 0, () => {}, controller.signal);
    setTimeout(() => controller.abort(reason), 20);
    await expect(uploading).rejects.toBe(reason);
    await underlying.abort!(reason);
  });
});
