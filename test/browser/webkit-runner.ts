// The WebKit page: runs the harness calls its URL names, one after another, and posts each
// result back to the test server (WebKitGTK runs without a driver here: see webkit.ts). With
// `?peer` it is the second page of harness-webkit-pages.ts instead: it only offers its OPFS work.
import './harness.js';
import { peerSide, webkitChecks } from './harness-webkit-pages.js';

type Call = [name: string, args: unknown[]];
const harness = {
  ...(globalThis as unknown as { harness: Record<string, (...args: unknown[]) => unknown> }).harness,
  ...(webkitChecks as unknown as Record<string, (...args: unknown[]) => unknown>),
};

/** A call that never settles must not stall the run: each gets its own timeout. */
const CALL_TIMEOUT_MS = 60_000;

async function post(body: unknown): Promise<void> {
  await fetch('/__results', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function run(): Promise<void> {
  const calls = JSON.parse(new URL(location.href).searchParams.get('calls') ?? '[]') as Call[];
  await post({ event: 'start', userAgent: navigator.userAgent });
  for (const [index, [name, args]] of calls.entries()) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const work = Promise.resolve(harness[name]!(...args));
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${name} did not finish within ${CALL_TIMEOUT_MS} ms`)), CALL_TIMEOUT_MS);
      });
      await post({ event: 'result', index, name, value: await Promise.race([work, expired]) });
    } catch (error) {
      const { name: errorName, message, code } = error as { name?: string; message?: string; code?: string };
      await post({ event: 'result', index, name, error: { name: errorName, message, code } });
    } finally {
      clearTimeout(timer);
    }
  }
  await post({ event: 'done' });
}

if (new URL(location.href).searchParams.has('peer')) {
  (globalThis as unknown as { peer: typeof peerSide }).peer = peerSide;
} else {
  addEventListener('error', (event) => void post({ event: 'page-error', message: event.message }));
  void run();
}
