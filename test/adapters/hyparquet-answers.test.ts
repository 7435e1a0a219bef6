// asyncBufferOf over a RangeReadable that answers badly: a readRanges that throws (its type
// allows a synchronous answer) or gives fewer or shorter parts than asked. Each slice must
// settle, rejected with what went wrong, never stay pending; no error may escape as uncaught.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asyncBufferOf } from '../../src/index.js';

/** Rejects if `pending` has not settled once the event loop had a few turns. */
async function settled<T>(pending: Promise<T>): Promise<T> {
  let done = false;
  const watched = pending.finally(() => (done = true));
  watched.catch(() => {}); // looked at below, after the turns
  for (let turn = 0; turn < 20 && !done; turn++) await new Promise((resolve) => setImmediate(resolve));
  if (!done) throw new Error('still pending');
  return watched;
}

describe('asyncBufferOf over a file that answers badly', () => {
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  beforeEach(() => {
    uncaught.length = 0;
    process.prependListener('uncaughtException', onUncaught);
  });
  afterEach(() => {
    process.removeListener('uncaughtException', onUncaught);
  });

  it('a synchronous readRanges that throws rejects the slice with its error', async () => {
    const buffer = await asyncBufferOf({
      size: () => 100,
      readRanges(): Uint8Array[] {
        throw new RangeError('boom');
      },
    });
    await expect(settled(buffer.slice(0, 10))).rejects.toThrow('boom');
    expect(uncaught).toEqual([]);
  });

  it('readRanges answering fewer parts than asked rejects the slices left without one', async () => {
    const buffer = await asyncBufferOf({ size: () => 100, readRanges: () => [new Uint8Array(10)] });
    const [first, second] = await settled(Promise.allSettled([buffer.slice(0, 10), buffer.slice(20, 30)]));
    expect(first.status).toBe('fulfilled');
    expect(second).toMatchObject({ status: 'rejected', reason: { name: 'IOError', code: 'EPROTO' } });
  });

  it('a part shorter than its range rejects that slice rather than handing out wrong bytes', async () => {
    const buffer = await asyncBufferOf({ size: () => 100, readRanges: () => [new Uint8Array(4)] });
    await expect(settled(buffer.slice(0, 10))).rejects.toMatchObject({ name: 'IOError', code: 'EPROTO' });
  });
});
