// Timeouts longer than a timer can hold (2^31 - 1 ms: setTimeout fires such a timer at once):
// a request whose timeout grows with its body (src/remote/request.ts, attemptTimeout) reaches
// them for parts of a GiB with a long answerTimeout, and must not fail after a millisecond.
import { describe, expect, it } from 'vitest';
import { attemptTimeout } from '../../src/remote/request.js';
import { timeoutSignal } from '../../src/remote/signals.js';

describe('timeoutSignal', () => {
  it('a timeout past what a timer holds does not fire at once', async () => {
    const bounded = timeoutSignal(undefined, 2 ** 32, 'a store');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bounded.signal?.aborted).toBe(false);
    bounded.clear();
  });

  it('a 1 GiB body with a 10 min answer timeout gets more than a timer holds, and is not cut', async () => {
    const body = { size: 2 ** 30 } as Blob; // only its size is read
    const ms = attemptTimeout(10 * 60_000, body);
    expect(ms).toBeGreaterThan(2 ** 31 - 1);
    const bounded = timeoutSignal(undefined, ms, 'a store');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bounded.signal?.aborted).toBe(false);
    bounded.clear();
  });
});
