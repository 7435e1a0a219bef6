// The page side of opfs-connection-retry.test.ts: OpfsFile opens on a page whose first IO
// worker fails to start (the test server decides how), then opens after it.
import type { IOError } from '../../src/errors.js';
import { OpfsFile } from '../../src/io/backends/opfs-file.js';
import { removeEntry } from './pattern.js';

/** What one open-write-read gave: the backend and the text read back, or how it failed. */
export type Attempt =
  | { readonly backend: string; readonly text: string }
  | { readonly error: { readonly name: string; readonly code: string | undefined; readonly message: string } };

/** Writes `text` to `path` with `OpfsFile` and reads it back. */
async function attempt(path: string, text: string, startTimeout?: number): Promise<Attempt> {
  try {
    const writer = await OpfsFile.open(path, 'wb', startTimeout === undefined ? {} : { startTimeout });
    await writer.write(new TextEncoder().encode(text));
    await writer.close();
    const reader = await OpfsFile.open(path, 'rb');
    try {
      return { backend: reader.backend, text: new TextDecoder().decode(await reader.read()) };
    } finally {
      await reader.close();
    }
  } catch (error) {
    const { name, code, message } = error as IOError;
    return { error: { name, code, message } };
  }
}

const harness = {
  /**
   * Two opens at once while the page's first IO worker starts (and fails, as the server made
   * it), then one after they settled. `startTimeout` goes to the first two.
   */
  async failedStartThenRetry(startTimeout?: number): Promise<{ waiting: Attempt[]; later: Attempt }> {
    await removeEntry('retry');
    const waiting = await Promise.all([attempt('retry/a.txt', 'a', startTimeout), attempt('retry/b.txt', 'b', startTimeout)]);
    const later = await attempt('retry/c.txt', 'after the failed start');
    await removeEntry('retry');
    return { waiting, later };
  },

  /** An open given a signal that aborts after `ms`, while the page's first IO worker starts: how it ended, and when. */
  async abortedDuringStart(ms: number): Promise<{ error: string; ms: number }> {
    const started = performance.now();
    try {
      const file = await OpfsFile.open('retry/aborted.txt', 'wb', { signal: AbortSignal.timeout(ms) });
      await file.abort();
      return { error: 'none', ms: Math.round(performance.now() - started) };
    } catch (error) {
      return { error: (error as Error).name, ms: Math.round(performance.now() - started) };
    }
  },

  /** One open with the default start timeout, while the page's first IO worker starts. */
  async lateStart(): Promise<Attempt> {
    await removeEntry('retry');
    const result = await attempt('retry/late.txt', 'after a late script');
    await removeEntry('retry');
    return result;
  },
};

/** The functions this page exposes to the test. */
export type ConnectionRetryHarness = typeof harness;

(globalThis as unknown as { harness: ConnectionRetryHarness }).harness = harness;
document.getElementById('status')!.textContent = 'ready';
