// The page side of the service-worker checks (service-worker.html): registers the test service
// worker, as a module script or as the classic bundle the test server builds, and hands it
// calls over a MessageChannel. With `?calls=` in its URL (WebKit, which runs without a driver)
// it runs them itself and posts each answer to the test server, as webkit-runner.ts does.
import type { ServiceWorkerCall, ServiceWorkerReply } from './harness-service-worker.js';

/** How the service worker script is loaded. */
export type ServiceWorkerKind = 'module' | 'classic';

/** The scripts, next to this page: the module one straight from the dev server, the bundle built by the test. */
const SCRIPTS: Record<ServiceWorkerKind, string> = {
  module: 'harness-service-worker.ts',
  classic: 'service-worker-classic.js',
};

/** One registration per kind: a registration is per scope, and a new script would replace the old one. */
const registered = new Map<ServiceWorkerKind, Promise<ServiceWorker>>();

/** The activated service worker of `kind`, registered on first use. */
function serviceWorker(kind: ServiceWorkerKind): Promise<ServiceWorker> {
  let worker = registered.get(kind);
  if (worker === undefined) {
    worker = (async () => {
      const registration = await navigator.serviceWorker.register(new URL(SCRIPTS[kind], location.href), {
        type: kind,
        scope: `./service-worker-${kind}/`,
        updateViaCache: 'none',
      });
      const candidate = registration.active ?? registration.waiting ?? registration.installing;
      if (candidate === null) throw new Error(`the ${kind} service worker registered but has no worker`);
      while (candidate.state !== 'activated') {
        if (candidate.state === 'redundant')
          throw new Error(`the ${kind} service worker became redundant (it failed to install)`);
        await new Promise((resolve) => candidate.addEventListener('statechange', resolve, { once: true }));
      }
      return candidate;
    })();
    registered.set(kind, worker);
    worker.catch(() => registered.delete(kind));
  }
  return worker;
}

/** Posts `call` to the service worker of `kind` and waits for its answer (or `timeout` ms). */
async function ask(kind: ServiceWorkerKind, call: ServiceWorkerCall, timeout = 60_000): Promise<ServiceWorkerReply> {
  let worker: ServiceWorker;
  try {
    worker = await serviceWorker(kind);
  } catch (error) {
    const { name, message } = error as Error;
    return { error: { name: `registration: ${name}`, message } };
  }
  const channel = new MessageChannel();
  try {
    return await new Promise<ServiceWorkerReply>((resolve) => {
      const timer = setTimeout(
        () =>
          resolve({
            error: { name: 'TimeoutError', message: `the ${kind} service worker did not answer ${call.name} in ${timeout} ms` },
          }),
        timeout,
      );
      channel.port1.onmessage = (event: MessageEvent<ServiceWorkerReply>) => {
        clearTimeout(timer);
        resolve(event.data);
      };
      worker.postMessage(call, [channel.port2]);
    });
  } finally {
    channel.port1.close();
  }
}

const harness = {
  /** Whether this page may register service workers at all. */
  pageSupport: () => ({ secureContext: isSecureContext, serviceWorker: 'serviceWorker' in navigator }),
  /** What the service worker of `kind` has (no Worker, no sync access handles). */
  capabilities: (kind: ServiceWorkerKind) => ask(kind, { name: 'capabilities' }),
  /** An OpfsFile round trip of `mib` MiB in the service worker of `kind`. */
  roundTrip: (kind: ServiceWorkerKind, mib: number) => ask(kind, { name: 'roundTrip', mib }),
  /** `upload` of a Response body and `download` into a WritableStream there. */
  transfer: (kind: ServiceWorkerKind, bytes: number) => ask(kind, { name: 'transfer', bytes }),
};

export type ServiceWorkerHarness = typeof harness;

type Call = [name: keyof ServiceWorkerHarness, args: unknown[]];

async function post(body: unknown): Promise<void> {
  await fetch('/__results', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Runs the calls in the URL one after another, posting each answer (see webkit-runner.ts). */
async function runCalls(calls: Call[]): Promise<void> {
  await post({ event: 'start', userAgent: navigator.userAgent });
  for (const [index, [name, args]] of calls.entries()) {
    try {
      const value = await (harness[name] as (...args: unknown[]) => unknown)(...args);
      await post({ event: 'result', index, name, value });
    } catch (error) {
      const { name: errorName, message } = error as Error;
      await post({ event: 'result', index, name, error: { name: errorName, message } });
    }
  }
  await post({ event: 'done' });
}

(globalThis as unknown as { harness: ServiceWorkerHarness }).harness = harness;
document.getElementById('status')!.textContent = 'ready';
const calls = new URL(location.href).searchParams.get('calls');
if (calls !== null) {
  addEventListener('error', (event) => void post({ event: 'page-error', message: event.message }));
  void runCalls(JSON.parse(calls) as Call[]);
}
