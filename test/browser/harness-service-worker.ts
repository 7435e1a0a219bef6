// A service worker for the browser tests. It imports the package entry, as an app's service
// worker would, and answers calls the page posts with a MessagePort: OPFS there has no sync
// access handles and no Worker to reach them, so OpfsFile.open must choose the async backend.
// Served as a module service worker by the dev server, and bundled into a classic script
// (service-worker-bundle.ts), as an app that also targets browsers without module service
// workers would ship it.
import { OpfsFile } from '../../src/index.js';
import { roundTrip } from './opfs-round-trip.js';
import { checkPattern, fillPattern, removeEntry } from './pattern.js';

/** What the page asks for. */
export type ServiceWorkerCall =
  | { readonly name: 'capabilities' }
  | { readonly name: 'roundTrip'; readonly mib: number }
  | { readonly name: 'transfer'; readonly bytes: number };

/** What the service worker posts back: the call's value, or how it failed. */
export type ServiceWorkerReply =
  | { readonly value: unknown }
  | { readonly error: { readonly name: string; readonly message: string; readonly code?: string; readonly stack?: string } };

/** The parts of ServiceWorkerGlobalScope used here (the project's lib has no WebWorker types). */
interface ExtendableMessageEventLike {
  readonly data: ServiceWorkerCall;
  readonly ports: readonly MessagePort[];
  waitUntil(promise: Promise<unknown>): void;
}
interface ServiceWorkerScopeLike {
  addEventListener(type: 'message', listener: (event: ExtendableMessageEventLike) => void): void;
  addEventListener(type: 'install', listener: () => void): void;
  skipWaiting(): Promise<void>;
}
const scope = globalThis as unknown as ServiceWorkerScopeLike;

const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2)}`;

/** What this context has: whether it is a service worker, a Worker constructor, sync access handles. */
const capabilities = () => {
  const global = globalThis as { ServiceWorkerGlobalScope?: unknown; Worker?: unknown; FileSystemSyncAccessHandle?: unknown };
  return {
    serviceWorker: typeof global.ServiceWorkerGlobalScope !== 'undefined',
    worker: typeof global.Worker === 'function',
    syncAccessHandle: typeof global.FileSystemSyncAccessHandle !== 'undefined',
    locks: typeof (navigator as { locks?: unknown }).locks !== 'undefined',
  };
};

/**
 * What a service worker caching a response would do: `upload` a Response body into OPFS, then
 * `download` the file into a WritableStream.
 */
async function transfer(bytes: number) {
  const folder = unique('service-worker-transfer');
  const path = `${folder}/body.bin`;
  const body = new Uint8Array(bytes);
  fillPattern(body, 0);
  try {
    const writer = await OpfsFile.open(path, 'wb');
    const uploaded = await writer.upload(new Response(body).body!);
    await writer.close();
    const reader = await OpfsFile.open(path, 'rb');
    const parts: Uint8Array[] = [];
    const downloaded = await reader.download(new WritableStream<Uint8Array>({ write: (part) => void parts.push(part.slice()) }));
    await reader.close();
    const back = new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer());
    return { uploaded, downloaded, same: back.length === bytes && checkPattern(back, 0), backend: reader.backend };
  } finally {
    await removeEntry(folder);
  }
}

async function answer(call: ServiceWorkerCall): Promise<unknown> {
  switch (call.name) {
    case 'capabilities':
      return capabilities();
    case 'roundTrip':
      return roundTrip('service-worker', call.mib);
    case 'transfer':
      return transfer(call.bytes);
  }
}

const failure = (error: unknown): ServiceWorkerReply => {
  const { name, message, code, stack } = error as { name?: string; message?: string; code?: string; stack?: string };
  return {
    error: { name: String(name), message: String(message), ...(code === undefined ? {} : { code }), ...(stack ? { stack } : {}) },
  };
};

// Installs without waiting for an older version's pages to close.
scope.addEventListener('install', () => void scope.skipWaiting());

// waitUntil keeps the service worker alive until the answer is posted.
scope.addEventListener('message', (event) => {
  const port = event.ports[0]!;
  event.waitUntil(
    answer(event.data).then(
      (value) => port.postMessage({ value } satisfies ServiceWorkerReply),
      (error: unknown) => port.postMessage(failure(error)),
    ),
  );
});
