/**
 * A page that cannot start workers: `OpfsFile.open` normally starts the IO worker from a page,
 * and must fall back to the async backend by itself where it cannot. Two such pages
 * (no-worker-page.html): one whose Content-Security-Policy says `worker-src 'none'` (the header
 * comes from this file's own middleware), one where `globalThis.Worker` is deleted before any
 * module runs; a control page with neither uses the IO worker. In Chromium and Firefox through
 * the drivers, in WebKitGTK through MiniBrowser, whose page posts its answers to the test
 * server (see webkit.ts). On the CSP page WebKit throws from `new Worker`, while Chromium and
 * Firefox fail the worker as if its script were missing (they fell back only since
 * src/opfs/worker-policy.ts: this test failed there before).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plugin, ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { available, harnessCaller, launch, type BrowserDriver, type Engine, type PageDriver } from './driver.js';
import type { NoWorkerCase, NoWorkerHarness } from './harness-no-worker-page.js';
import { isolation, startServer, urlOf } from './servers.js';
import { openInWebKit, resultsEndpoint, webkitAvailable, type PageMessage } from './webkit.js';

const MiB = 1024 * 1024;
const PAGE = '/test/browser/no-worker-page.html';
const CSP = "worker-src 'none'";

/** Sends the CSP header with the page when its URL says `?case=csp`. */
const cspForPage: Plugin = {
  name: 'nativefile:no-worker-csp',
  // Pre-bundles what the page imports, so that no re-bundling reloads it mid-run.
  config: () => ({ optimizeDeps: { entries: [PAGE.slice(1), 'test/browser/harness-no-worker-page.ts'] } }),
  configureServer(server) {
    server.middlewares.use((request, response, next) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname === PAGE && url.searchParams.get('case') === 'csp') response.setHeader('Content-Security-Policy', CSP);
      next();
    });
  },
};

/** The WebKit page's messages go to the run under way (the two cases run one after the other). */
let onWebKitMessage: (message: PageMessage) => void = () => {};

let server: ViteDevServer;
beforeAll(async () => {
  // Cross-origin isolated, as pages using the IO worker's shared memory are.
  server = await startServer(isolation, false, [cspForPage, resultsEndpoint((message) => onWebKitMessage(message))]);
}, 180_000);
afterAll(async () => {
  await server?.close();
});

const cases: NoWorkerCase[] = ['csp', 'no-worker'];
const ROUND_TRIP_MIB = 3;
const roundTripOn = (backend: string) => ({
  value: { same: true, size: ROUND_TRIP_MIB * MiB, atEnd: true, writer: backend, reader: backend, isSync: false },
});

/**
 * What probing `new Worker(...)` on each page gives, as measured. Under `worker-src 'none'`
 * only WebKitGTK throws a SecurityError from the constructor; Chromium and Firefox construct
 * the worker and fire an `error` event at it (Firefox logs the CSP violation).
 */
const environment = (which: NoWorkerCase, engine: Engine | 'webkit') => ({
  value: {
    case: which,
    worker: which === 'no-worker' ? 'undefined' : 'function',
    start: {
      csp: engine === 'webkit' ? 'threw SecurityError' : 'error event',
      'no-worker': 'no constructor',
      control: 'started',
    }[which],
  },
});

const pageUrl = (which: NoWorkerCase) => `${urlOf(server, PAGE)}?case=${which}`;

/** Calls `harness[name](...args)` in the page. */
const call = harnessCaller<NoWorkerHarness>();

const engines: Engine[] = ['chromium', 'firefox'];

describe.each(engines)('a page that cannot start workers, in %s', (engine) => {
  let driver: BrowserDriver;
  beforeAll(async () => {
    if (available(engine)) driver = await launch(engine);
  }, 120_000);
  afterAll(async () => {
    await driver?.close();
  });
  const runs = available(engine) ? test : test.skip;

  describe.each([...cases, 'control'] as const)('(%s)', (which) => {
    let page: PageDriver;
    beforeAll(async () => {
      if (!available(engine)) return;
      page = await driver.newPage((message) => console.error(`${engine} ${which} page error:`, message));
      await page.goto(pageUrl(which));
      await page.waitFor(() => document.getElementById('status')?.textContent === 'ready');
    }, 120_000);
    afterAll(async () => {
      await page?.close();
    });

    runs(
      which === 'control' ? 'the page starts a worker' : 'the page cannot start a worker',
      async () => {
        expect(await call(page, 'environment')).toEqual(environment(which, engine));
      },
      30_000,
    );

    // The control page shows the same round trip goes through the IO worker where it may start.
    const backend = which === 'control' ? 'worker' : 'async';
    runs(
      `round trips ${ROUND_TRIP_MIB} MiB through OpfsFile ('wb', close, 'rb') on the ${backend} backend, chosen automatically`,
      async () => {
        expect(await call(page, 'roundTrip', ROUND_TRIP_MIB)).toEqual(roundTripOn(backend));
      },
      60_000,
    );
  });
});

/** The WebKit page's calls, in order (see harness-no-worker-page.ts). */
const CALLS: Array<[keyof NoWorkerHarness, unknown[]]> = [
  ['environment', []],
  ['roundTrip', [ROUND_TRIP_MIB]],
];

describe.each(cases)('a page that cannot start workers, in WebKitGTK (MiniBrowser) (%s)', (which) => {
  const runs = webkitAvailable() ? test : test.skip;
  const results = new Map<number, PageMessage>();
  let userAgent = '';
  beforeAll(async () => {
    if (!webkitAvailable()) return;
    const dataDir = mkdtempSync(join(tmpdir(), 'nativefile-webkit-no-worker-'));
    let finished: () => void = () => {};
    const done = new Promise<void>((resolve) => (finished = resolve));
    onWebKitMessage = (message) => {
      if (message.event === 'start') userAgent = message.userAgent ?? '';
      if (message.event === 'result') results.set(message.index!, message);
      if (message.event === 'page-error') console.error(`WebKit ${which} page error:`, message.message);
      if (message.event === 'done') finished();
    };
    const browser = openInWebKit(`${pageUrl(which)}&calls=${encodeURIComponent(JSON.stringify(CALLS))}`, dataDir);
    try {
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 90_000))]);
    } finally {
      browser.close();
      onWebKitMessage = () => {};
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  /** What the page answered to call `name`. */
  const valueOf = (name: keyof NoWorkerHarness): unknown => {
    const message = results.get(CALLS.findIndex(([called]) => called === name));
    if (message === undefined) throw new Error(`the WebKit page never answered ${name} (user agent: ${userAgent || 'none'})`);
    return message.value;
  };

  runs('the page cannot start a worker', () => {
    expect(valueOf('environment')).toEqual(environment(which, 'webkit'));
  });

  runs(
    `round trips ${ROUND_TRIP_MIB} MiB through OpfsFile ('wb', close, 'rb') on the async backend, chosen automatically`,
    () => {
      expect(valueOf('roundTrip')).toEqual(roundTripOn('async'));
    },
  );
});
