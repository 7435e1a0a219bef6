/**
 * OPFS from a service worker in WebKitGTK (MiniBrowser launched directly, see webkit.ts): the
 * service-worker page runs its calls itself and posts each answer to the test server. The
 * service worker is the module script from the dev server, as in service-worker.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, urlOf } from './servers.js';
import { classicServiceWorker, serveServiceWorkers } from './service-worker-bundle.js';
import { openInWebKit, resultsEndpoint, webkitAvailable, type PageMessage, type WebKitRun } from './webkit.js';

const MiB = 1024 * 1024;

/** The page's calls, in order (see harness-service-worker-page.ts). */
const CALLS: Array<[string, unknown[]]> = [
  ['pageSupport', []],
  ...(['module', 'classic'] as const).flatMap((kind): Array<[string, unknown[]]> => [
    ['capabilities', [kind]],
    ['roundTrip', [kind, 8]],
    ['transfer', [kind, 3 * MiB + 5]],
  ]),
];

/** The page's answers, by the index of their call. */
const results = new Map<number, PageMessage>();
let userAgent = '';
let finished: () => void = () => {};
const done = new Promise<void>((resolve) => (finished = resolve));
let server: ViteDevServer;
let browser: WebKitRun | undefined;
let dataDir: string;

const runs = webkitAvailable() ? test : test.skip;

beforeAll(async () => {
  if (!webkitAvailable()) return;
  server = await startServer({}, false, [
    serveServiceWorkers(await classicServiceWorker()),
    resultsEndpoint((message) => {
      if (message.event === 'start') userAgent = message.userAgent ?? '';
      if (message.event === 'result') results.set(message.index!, message);
      if (message.event === 'page-error') console.error('WebKit page error:', message.message);
      if (message.event === 'done') finished();
    }),
  ]);
  dataDir = mkdtempSync(join(tmpdir(), 'nativefile-webkit-sw-'));
  browser = openInWebKit(
    `${urlOf(server, '/test/browser/service-worker.html')}?calls=${encodeURIComponent(JSON.stringify(CALLS))}`,
    dataDir,
  );
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 120_000))]);
}, 180_000);

afterAll(async () => {
  browser?.close();
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** What the page got for call `name` (with `kind`, if it takes one). */
function valueOf(name: string, kind?: string): unknown {
  const index = CALLS.findIndex(([called, args]) => called === name && (kind === undefined || args[0] === kind));
  const label = kind === undefined ? name : `${name}(${kind})`;
  const message = results.get(index);
  if (message === undefined) throw new Error(`the WebKit page never answered ${label} (user agent: ${userAgent || 'none'})`);
  if (message.error !== undefined) throw new Error(`${label} failed in WebKit: ${message.error.name}: ${message.error.message}`);
  return message.value;
}

describe('a service worker in WebKitGTK (MiniBrowser)', () => {
  runs('the page may register service workers', () => {
    expect(valueOf('pageSupport')).toEqual({ secureContext: true, serviceWorker: true });
  });

  describe.each(['module', 'classic'])('(%s script)', (kind) => {
    runs('has no Worker and no sync access handles', () => {
      expect(valueOf('capabilities', kind)).toEqual({
        value: { serviceWorker: true, worker: false, syncAccessHandle: false, locks: true },
      });
    });

    runs("round trips 8 MiB through OpfsFile ('wb', close, 'rb') on the async backend, chosen automatically", () => {
      expect(valueOf('roundTrip', kind)).toEqual({
        value: { same: true, size: 8 * MiB, atEnd: true, writer: 'async', reader: 'async', isSync: false },
      });
    });

    // Module service workers refuse import(), with which upload and download load their code
    // elsewhere: OpfsFile carries it (this failed in the module script before).
    runs('uploads a Response body into OPFS and downloads it into a WritableStream', () => {
      expect(valueOf('transfer', kind)).toEqual({
        value: { uploaded: 3 * MiB + 5, downloaded: 3 * MiB + 5, same: true, backend: 'async' },
      });
    });
  });
});
