/**
 * OPFS positions past 4 GiB: a file truncated to 5 GiB (sparse on disk) is written and read at
 * 4.5 GiB and across 2^32, appended to at its end and read back, through the IO worker from a
 * page (cross-origin isolated: shared memory; and not: transferred copies) and on sync access
 * handles in a dedicated worker, in Chromium and Firefox. Every position crosses the
 * page/worker boundary or the handle's `at` as a plain number.
 *
 * Chromium runs with a profile on disk: an incognito context keeps OPFS in memory, where a
 * 5 GiB file would take 5 GiB of memory. Each run removes its file (5 GiB of quota).
 */
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { available, harnessCaller, launch, type BrowserDriver, type Engine, type PageDriver } from '../browser/driver.js';
import { isolation, startServer, urlOf } from '../browser/servers.js';
import type { Harness } from './harness.js';
import { runScenario } from './run.js';
import { AT, type Route } from './scenarios.js';

const call = harnessCaller<Harness>();
const GiB = 1024 ** 3;

const engines: Engine[] = ['chromium', 'firefox'];
const routes: Array<{ name: string; isolated: boolean; where: 'page' | 'worker'; route: Route; backend: string }> = [
  {
    name: 'through the IO worker from a cross-origin isolated page',
    isolated: true,
    where: 'page',
    route: { options: {}, sync: false },
    backend: 'worker',
  },
  {
    name: 'through the IO worker from a page without shared memory',
    isolated: false,
    where: 'page',
    route: { options: {}, sync: false },
    backend: 'worker',
  },
  {
    name: 'on sync access handles in a worker',
    isolated: true,
    where: 'worker',
    route: { options: {}, sync: true },
    backend: 'sync',
  },
];

let isolated: ViteDevServer;
let plain: ViteDevServer;
beforeAll(async () => {
  [isolated, plain] = await Promise.all([startServer(isolation), startServer({})]);
}, 60_000);
afterAll(async () => {
  await Promise.all([isolated?.close(), plain?.close()]);
});

describe.each(engines)('a 5 GiB OPFS file in %s', (engine) => {
  const runs = available(engine) ? test : test.skip;
  let driver: BrowserDriver;
  const pages = new Map<boolean, PageDriver>();
  beforeAll(async () => {
    if (!available(engine)) return;
    driver = await launch(engine, { profileOnDisk: true });
    for (const [shared, server] of [
      [true, isolated],
      [false, plain],
    ] as const) {
      const page = await driver.newPage((message) => console.error(`${engine} page error:`, message));
      await page.goto(urlOf(server, '/test/opfs-limits/index.html'));
      await page.waitFor(() => document.getElementById('status')?.textContent === 'ready');
      pages.set(shared, page);
    }
  }, 120_000);
  afterAll(async () => {
    await driver?.close();
  });

  describe.each(routes)('$name', ({ isolated: shared, where, route, backend }) => {
    runs(
      'is written and read at 4.5 GiB and across 2^32, and appended to at its end',
      async () => {
        const page = pages.get(shared)!;
        expect(await call(page, 'environment')).toEqual({ isolated: shared });
        const result = await runScenario(page, where, 'pastFourGiB', `large-${backend}`, route);
        expect(result).toEqual({
          backend,
          tellAfterWrite: AT + 256 * 1024,
          sizeAfterWrites: 5 * GiB,
          sameHandle: true,
          reopenedSize: 5 * GiB,
          atMark: true,
          acrossBoundary: true,
          sequential: true,
          tellAfterRead: AT + 6000,
          viaBuffer: true,
          zeros: true,
          endSeek: 5 * GiB - 10,
          tail: new Array(10).fill(0),
          appendFrom: 5 * GiB,
          appendedSize: 5 * GiB + 10,
          appended: true,
        });
      },
      300_000,
    );
  });

  runs('leaves no file behind', async () => {
    for (const page of pages.values()) expect(await call(page, 'rootEntries')).toEqual([]);
  });
});
