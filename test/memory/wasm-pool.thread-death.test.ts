/**
 * A thread terminated while it allocates from the shared wasm pool (`worker.terminate()` lands
 * anywhere, also inside the allocator's critical section) must never hang another thread: the
 * others go on, or get `IOError` `EDEADLK` within the pool's lock timeout.
 *
 * The thread that checks runs in a worker of its own, so that a hang fails the test (the answer
 * never comes) instead of blocking the test runner.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterAll, expect, test } from 'vitest';
import { createWasmMemoryPool } from '../../src/index.js';

const workerUrl = new URL('../fixtures/pool-worker.mjs', import.meta.url);
const workers = new Set<Worker>();
const LOCK_TIMEOUT = 200;

function startWorker(handle: unknown): Worker {
  const worker = new Worker(workerUrl, { workerData: { handle } });
  workers.add(worker);
  worker.once('exit', () => workers.delete(worker));
  return worker;
}

interface Attempt {
  outcome: 'ok' | 'error' | 'hung';
  code?: string;
  message?: string;
  ms?: number;
}

/** The observer's attempt to allocate, or `hung` if no answer comes in `limit` ms. */
async function attempt(observer: Worker, limit: number): Promise<Attempt> {
  observer.postMessage({ kind: 'try-allocate' });
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<[Attempt]>((resolve) => {
    timer = setTimeout(() => resolve([{ outcome: 'hung' }]), limit);
  });
  const [answer] = await Promise.race([once(observer, 'message') as Promise<[Attempt]>, hung]);
  clearTimeout(timer);
  return answer;
}

afterAll(async () => {
  await Promise.all([...workers].map((worker) => worker.terminate()));
});

/** Kills a worker allocating `sizes` in a tight loop after `delay` ms; another thread then allocates. */
async function killThenAllocate(sizes: number[], delay: number): Promise<Attempt> {
  const pool = createWasmMemoryPool({ lockTimeout: LOCK_TIMEOUT });
  const observer = startWorker(pool.handle);
  // Attached and allocating before the kill.
  expect(await attempt(observer, 10_000)).toMatchObject({ outcome: 'ok' });
  const looper = startWorker(pool.handle);
  looper.postMessage({ kind: 'allocate-forever', sizes });
  await once(looper, 'message');
  await new Promise((resolve) => setTimeout(resolve, delay));
  await looper.terminate();
  const result = await attempt(observer, LOCK_TIMEOUT + 10_000);
  if (result.outcome !== 'hung') await observer.terminate();
  return result;
}

test('a worker terminated in a tight allocate loop never hangs another thread', async () => {
  const outcomes: Attempt[] = [];
  for (let i = 0; i < 16; i++) {
    const mixed = [64, 200, 1000, 5000, 70_000, 640, 128, 300_000];
    const result = await killThenAllocate(mixed, 20 + ((i * 13) % 40));
    outcomes.push(result);
    expect(result.outcome, `attempt ${i}: ${JSON.stringify(result)}`).not.toBe('hung');
    if (result.outcome === 'error') {
      expect(result.code).toBe('EDEADLK');
      // Within the lock timeout, give or take the scheduling of a loaded machine.
      expect(result.ms).toBeLessThan(LOCK_TIMEOUT + 2000);
    }
  }
}, 120_000);

test('when the dead worker held the lock, the others get EDEADLK naming the cause, not a hang', async () => {
  // Blocks past what thread caches keep (64 KiB): every call takes the shared lock, so a kill
  // often lands inside it.
  let deadlocked: Attempt | undefined;
  for (let i = 0; i < 40 && deadlocked === undefined; i++) {
    const result = await killThenAllocate([70_000, 150_000, 300_000], 10 + ((i * 7) % 30));
    expect(result.outcome, `attempt ${i}`).not.toBe('hung');
    if (result.outcome === 'error') deadlocked = result;
  }
  expect(deadlocked?.code).toBe('EDEADLK');
  expect(deadlocked?.message).toMatch(/held the pool's lock for more than 200 ms/);
  expect(deadlocked?.message).toMatch(/terminated/);
}, 120_000);

test('after a kill that left the lock free, this thread allocates and the statistics stay exact', async () => {
  const pool = createWasmMemoryPool({ lockTimeout: LOCK_TIMEOUT });
  // Small blocks only: once warm, they come from the thread's cache without the shared lock,
  // so the kill lands outside it.
  const observer = startWorker(pool.handle);
  expect(await attempt(observer, 10_000)).toMatchObject({ outcome: 'ok' });
  const looper = startWorker(pool.handle);
  looper.postMessage({ kind: 'allocate-forever', sizes: [64, 640, 1024, 128] });
  await once(looper, 'message');
  await new Promise((resolve) => setTimeout(resolve, 30));
  await looper.terminate();
  // Another thread first, so that a regression fails here instead of hanging the test runner.
  expect(await attempt(observer, LOCK_TIMEOUT + 10_000)).toMatchObject({ outcome: 'ok' });
  const before = pool.bytesAllocated();
  const buffers = [64, 1000, 100_000].map((size) => pool.allocate(size));
  expect(pool.bytesAllocated()).toBe(before + 64 + 1024 + 100_032);
  for (const buffer of buffers) buffer.release();
  expect(pool.bytesAllocated()).toBe(before);
}, 30_000);
