/**
 * OPFS from a service worker, in Chromium and Firefox: no sync access handles there and no
 * Worker to reach them, so `OpfsFile.open` must choose the async backend by itself. The
 * service worker (harness-service-worker.ts) imports the package entry and is registered by
 * service-worker.html both as a module script straight from the dev server (Chromium and
 * Firefox ESR 153 both take `type: 'module'`) and as a classic script bundled by
 * service-worker-bundle.ts. WebKitGTK runs the same checks in webkit-service-worker.test.ts.
 */
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { available, harnessCaller, launch, type BrowserDriver, type Engine, type PageDriver } from './driver.js';
import type { ServiceWorkerHarness, ServiceWorkerKind } from './harness-service-worker-page.js';
import { startServer, urlOf } from './servers.js';
import { classicServiceWorker, serveServiceWorkers } from './service-worker-bundle.js';

const MiB = 1024 * 1024;

let server: ViteDevServer;
beforeAll(async () => {
  // A page that is not cross-origin isolated, as most apps with a service worker are;
  // http://127.0.0.1 is a secure context, so service workers may register.
  server = await startServer({}, false, [serveServiceWorkers(await classicServiceWorker())]);
}, 180_000);
afterAll(async () => {
  await server?.close();
});

/** Calls `harness[name](...args)` in the page. */
const call = harnessCaller<ServiceWorkerHarness>();

const engines: Engine[] = ['chromium', 'firefox'];
const kinds: ServiceWorkerKind[] = ['module', 'classic'];

describe.each(engines)('a service worker in %s', (engine) => {
  let driver: BrowserDriver;
  let page: PageDriver;
  beforeAll(async () => {
    if (!available(engine)) return;
    driver = await launch(engine);
    page = await driver.newPage((message) => console.error(`${engine} page error:`, message));
    await page.goto(urlOf(server, '/test/browser/service-worker.html'));
    await page.waitFor(() => document.getElementById('status')?.textContent === 'ready');
  }, 120_000);
  afterAll(async () => {
    await driver?.close();
  });
  const runs = available(engine) ? test : test.skip;

  runs('the page may register service workers (127.0.0.1 over http is a secure context)', async () => {
    expect(await call(page, 'pageSupport')).toEqual({ secureContext: true, serviceWorker: true });
  });

  describe.each(kinds)('(%s script)', (kind) => {
    runs(
      'has no Worker and no sync access handles',
      async () => {
        expect(await call(page, 'capabilities', kind)).toEqual({
          value: { serviceWorker: true, worker: false, syncAccessHandle: false, locks: true },
        });
      },
      60_000,
    );

    runs(
      "round trips 8 MiB through OpfsFile ('wb', close, 'rb') on the async backend, chosen automatically",
      async () => {
        expect(await call(page, 'roundTrip', kind, 8)).toEqual({
          value: { same: true, size: 8 * MiB, atEnd: true, writer: 'async', reader: 'async', isSync: false },
        });
      },
      120_000,
    );

    // Module service workers refuse import(), with which upload and download load their code
    // elsewhere: OpfsFile carries it (this failed in the module script before).
    runs(
      'uploads a Response body into OPFS and downloads it into a WritableStream',
      async () => {
        expect(await call(page, 'transfer', kind, 3 * MiB + 5)).toEqual({
          value: { uploaded: 3 * MiB + 5, downloaded: 3 * MiB + 5, same: true, backend: 'async' },
        });
      },
      120_000,
    );
  });
});
