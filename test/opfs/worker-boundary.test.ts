// The page/worker boundary answers a malformed message with an error, never a hang or a false
// success: an error reply named like an Object.prototype member (a buggy or hostile worker),
// and a call naming such a member as its operation. In Node, with a stand-in Worker.
import { describe, expect, it } from 'vitest';
import { WorkerConnection } from '../../src/opfs/connection.js';
import { createService } from '../../worker/service.js';
import type { WorkerMessage } from '../../src/opfs/protocol.js';

/** A stand-in Worker: answers `hello`, and every other call with `answer(call)`. */
function fakeWorker(answer: (call: { id: number; op: string }) => WorkerMessage) {
  const listeners: Array<(event: { data: unknown }) => void> = [];
  const thrown: unknown[] = [];
  const deliver = (data: unknown) => {
    for (const listener of listeners) {
      try {
        listener({ data });
      } catch (error) {
        thrown.push(error); // what the page's message listener threw
      }
    }
  };
  const worker = {
    addEventListener(type: string, listener: (event: { data: unknown }) => void) {
      if (type === 'message') listeners.push(listener);
    },
    postMessage(call: { id: number; op: string }) {
      setTimeout(() => deliver(call.op === 'hello' ? { id: call.id, ok: true, value: { version: 1 } } : answer(call)), 0);
    },
    terminate() {},
  };
  return { worker: worker as unknown as Worker, thrown };
}

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise.then(
      (value) => ({ settled: 'resolved', value }),
      (error: unknown) => ({ settled: 'rejected', error }),
    ),
    new Promise<{ settled: 'never' }>((resolve) => setTimeout(() => resolve({ settled: 'never' }), ms)),
  ]);

describe('the IO worker boundary', () => {
  it('an error reply named like an Object.prototype member rejects the call with an Error', async () => {
    const { worker, thrown } = fakeWorker((call) => ({ id: call.id, ok: false, error: { name: 'toString', message: 'boom' } }));
    const connection = WorkerConnection.of(worker, 2000);
    const outcome = await within(connection.call('flush', { file: 1 }), 1000);
    expect(outcome.settled).toBe('rejected');
    expect((outcome as { error: unknown }).error).toBeInstanceOf(Error);
    expect(thrown.map(String)).toEqual([]);
  });

  it('an error reply named "constructor" rejects with an Error, not a String object', async () => {
    const { worker } = fakeWorker((call) => ({ id: call.id, ok: false, error: { name: 'constructor', message: 'boom' } }));
    const connection = WorkerConnection.of(worker, 2000);
    const outcome = await within(connection.call('flush', { file: 1 }), 1000);
    expect(outcome.settled).toBe('rejected');
    expect((outcome as { error: unknown }).error).toBeInstanceOf(Error);
  });

  it('the worker answers a call naming an Object.prototype member as its operation with a TypeError', async () => {
    const serve = createService();
    // A failure is answered once the quota is looked at (src/opfs/quota.ts): asynchronously.
    const reply = await new Promise<WorkerMessage>((resolve) =>
      serve({ id: 7, op: 'constructor', args: { file: 1 } } as never, { postMessage: (message) => resolve(message) }),
    );
    expect(reply).toMatchObject({ id: 7, ok: false, error: { name: 'TypeError' } });
  });
});
