import { describe, expect, it } from 'vitest';
import { eachLimited } from '../../src/remote/limiter.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('eachLimited', () => {
  it('runs every task, never more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await eachLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      most = Math.max(most, ++running);
      await tick(n % 3);
      running -= 1;
      done.push(n);
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it('after a failure starts no more tasks, and rejects only once the running ones ended', async () => {
    const started: number[] = [];
    let running = 0;
    const failure = new Error('the third failed');
    const outcome = eachLimited([0, 1, 2, 3, 4, 5, 6, 7], 4, async (n) => {
      started.push(n);
      running += 1;
      try {
        if (n === 2) throw failure;
        await tick(30);
      } finally {
        running -= 1;
      }
    });
    await expect(outcome).rejects.toBe(failure);
    expect(running).toBe(0);
    expect(started).toEqual([0, 1, 2, 3]);
  });
});
