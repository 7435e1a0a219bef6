// The page side of no-worker-page.test.ts (no-worker-page.html): a page that cannot start the
// IO worker, either because its Content-Security-Policy says `worker-src 'none'` (`?case=csp`,
// the header comes from the test server) or because `globalThis.Worker` was deleted before
// any module ran (`?case=no-worker`). `OpfsFile.open` must fall back to the async backend by
// itself. With `?calls=` in its URL (WebKit, which runs without a driver) the page runs the
// calls itself and posts each answer to the test server, as webkit-runner.ts does.
import { roundTrip } from './opfs-round-trip.js';

/** Which page this is: `control` has neither restriction (the IO worker starts there). */
export type NoWorkerCase = 'csp' | 'no-worker' | 'control';

/** A call's value, or how it failed (so the test's diff shows the engine's exact error). */
export type Answer<T> = { readonly value: T } | { readonly error: { name: string; message: string; code?: string } };

async function answer<T>(work: () => Promise<T>): Promise<Answer<T>> {
  try {
    return { value: await work() };
  } catch (error) {
    const { name, message, code } = error as { name: string; message: string; code?: string };
    return { error: { name, message, ...(code !== undefined ? { code } : {}) } };
  }
}

/** What starting a worker does here: throws (with which error), fails later, or starts. */
async function probeWorker(): Promise<{ worker: string; start: string }> {
  const global = globalThis as { Worker?: typeof Worker };
  if (typeof global.Worker !== 'function') return { worker: typeof global.Worker, start: 'no constructor' };
  let worker: Worker;
  try {
    worker = new global.Worker(new URL('./pattern.ts', import.meta.url), { type: 'module' });
  } catch (error) {
    return { worker: 'function', start: `threw ${(error as Error).name}` };
  }
  // Not thrown: a refused script shows as an error event; a started one stays quiet.
  const start = await new Promise<string>((resolve) => {
    worker.addEventListener('error', () => resolve('error event'), { once: true });
    setTimeout(() => resolve('started'), 2000);
  });
  worker.terminate();
  return { worker: 'function', start };
}

const harness = {
  /** Which case this page is, and what starting a worker does on it. */
  environment: () =>
    answer(async () => ({
      case: new URL(location.href).searchParams.get('case'),
      ...(await probeWorker()),
    })),
  /** An OpfsFile round trip of `mib` MiB with the default (automatic) backend choice. */
  roundTrip: (mib: number) => answer(() => roundTrip('no-worker-page', mib)),
};

export type NoWorkerHarness = typeof harness;

type Call = [name: keyof NoWorkerHarness, args: unknown[]];

async function post(body: unknown): Promise<void> {
  await fetch('/__results', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Runs the calls in the URL one after another, posting each answer (see webkit-runner.ts). */
async function runCalls(calls: Call[]): Promise<void> {
  await post({ event: 'start', userAgent: navigator.userAgent });
  for (const [index, [name, args]] of calls.entries()) {
    const value = await (harness[name] as (...args: unknown[]) => Promise<unknown>)(...args);
    await post({ event: 'result', index, name, value });
  }
  await post({ event: 'done' });
}

(globalThis as unknown as { harness: NoWorkerHarness }).harness = harness;
document.getElementById('status')!.textContent = 'ready';
const calls = new URL(location.href).searchParams.get('calls');
if (calls !== null) {
  addEventListener('error', (event) => void post({ event: 'page-error', message: event.message }));
  void runCalls(JSON.parse(calls) as Call[]);
}
