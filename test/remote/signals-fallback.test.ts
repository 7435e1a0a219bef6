// anySignal and timeoutSignal where `AbortSignal.any` is missing (Safari before 17.4): the
// by-hand combination must neither pile listeners onto a long-lived signal (an app-wide one
// given to thousands of reads) nor keep every combined signal alive through them. The test
// takes `AbortSignal.any` away, so the library's own fallback runs in Node.
import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anySignal, timeoutSignal } from '../../src/remote/signals.js';

const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length;

/** Collects garbage until `ref` is cleared (a few rounds: a WeakRef's target lives to the end of its job). */
async function collected(ref: WeakRef<object>): Promise<boolean> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  for (let round = 0; round < 10 && ref.deref() !== undefined; round++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  return ref.deref() === undefined;
}

describe('signals without AbortSignal.any', () => {
  const native = Object.getOwnPropertyDescriptor(AbortSignal, 'any');
  beforeEach(() => {
    Reflect.deleteProperty(AbortSignal, 'any');
    expect(typeof (AbortSignal as { any?: unknown }).any).toBe('undefined');
  });
  afterEach(() => {
    if (native !== undefined) Object.defineProperty(AbortSignal, 'any', native);
  });

  it('a long-lived signal combined a thousand times keeps at most one abort listener', () => {
    const app = new AbortController();
    const combined: AbortSignal[] = [];
    for (let i = 0; i < 1000; i++) combined.push(anySignal([app.signal, new AbortController().signal]));
    expect(listeners(app.signal)).toBeLessThanOrEqual(1);
  });

  it('a thousand timed attempts under one signal leave it at most one abort listener', () => {
    const app = new AbortController();
    for (let i = 0; i < 1000; i++) {
      const bounded = timeoutSignal(app.signal, 60_000, 'a store');
      bounded.clear();
    }
    expect(listeners(app.signal)).toBeLessThanOrEqual(1);
  });

  it('a combined signal nobody holds is collected while its long-lived input lives on', async () => {
    const app = new AbortController();
    const ref = ((): WeakRef<AbortSignal> => new WeakRef(anySignal([app.signal, new AbortController().signal])))();
    expect(await collected(ref)).toBe(true);
    expect(app.signal.aborted).toBe(false);
  });

  it('once a combined signal aborts through one input, the others lose its listener', () => {
    const app = new AbortController();
    const closer = new AbortController();
    const combined = anySignal([app.signal, closer.signal]);
    const reason = new Error('closed');
    closer.abort(reason);
    expect(combined.aborted).toBe(true);
    expect(combined.reason).toBe(reason);
    expect(listeners(app.signal)).toBe(0);
  });

  it('aborting the long-lived signal still aborts every live combined signal with its reason', () => {
    const app = new AbortController();
    const combined = Array.from({ length: 100 }, () => anySignal([app.signal, new AbortController().signal]));
    const timed = timeoutSignal(app.signal, 60_000, 'a store');
    const reason = new Error('the user left');
    app.abort(reason);
    timed.clear();
    expect(combined.every((signal) => signal.aborted && signal.reason === reason)).toBe(true);
    expect(timed.signal?.reason).toBe(reason);
    expect(listeners(app.signal)).toBe(0);
  });

  it('a signal combined with one already aborted is aborted with its reason and adds no listener', () => {
    const app = new AbortController();
    const gone = new AbortController();
    gone.abort(new Error('before'));
    const combined = anySignal([app.signal, gone.signal]);
    expect(combined.reason).toBe(gone.signal.reason);
    expect(listeners(app.signal)).toBe(0);
  });

  it('a timed attempt whose timer fires aborts with ETIMEDOUT and leaves the long-lived signal clean', async () => {
    const app = new AbortController();
    const bounded = timeoutSignal(app.signal, 1, 'a store');
    await new Promise((resolve) => bounded.signal!.addEventListener('abort', resolve, { once: true }));
    expect(bounded.signal?.reason).toMatchObject({ code: 'ETIMEDOUT' });
    expect(listeners(app.signal)).toBe(0);
  });
});
