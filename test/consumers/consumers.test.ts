/**
 * Real consumers: the packed package installed into a Vite app, a webpack 5 app and a plain
 * Rollup 4 app (with the worker plugin a Rollup user needs: rollup-app/rollup.config.mjs), built,
 * served cross-origin isolated and not, and opened in Chromium, Firefox and WebKitGTK (the page,
 * the app's own dedicated worker and SharedWorker); also the Vite dev server, what the browser
 * bundles contain, and a Node program using 'nativefile/node'.
 * Every page check has its own timeout (page/checks.ts), so a broken check fails, never hangs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, launchFirefox, type Driver, type PageOutcome } from './browsers.js';
import { buildFixture, packedTarball, prepareFixture, browserPaths, run, scanBundle, scriptsHoldingEntries } from './fixtures.js';
import { CHECK_TIMEOUT_MS, type CheckResult } from './page/checks.js';
import { rollupBundleTests } from './rollup-bundle.js';
import type { Served } from './serve.js';
import { dirs, serveTargets, targets, type Fixture, type Target } from './targets.js';
import { openAllInWebKit, webkitAvailable } from './webkit.js';

/** Page load plus the checks, which run concurrently and each stop at CHECK_TIMEOUT_MS. */
const PAGE_TIMEOUT_MS = CHECK_TIMEOUT_MS + 20_000;

let browsers: { chromium: string; firefox: string };
/** A fixture that did not build fails its own tests with the bundler's error; the others still run. */
const buildErrors: Partial<Record<Fixture, string>> = {};
const servers: Served[] = [];
/** Each target's page, by label. */
let urls = new Map<string, string>();
const urlOf = (target: Target): string => urls.get(target.label)!;

const timed = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
  const started = Date.now();
  const value = await work();
  console.log(`consumers: ${label} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return value;
};

/** Builds one fixture; a failure is recorded for that fixture's tests instead of stopping the suite. */
async function build(fixture: Fixture): Promise<void> {
  try {
    const output = await timed(`${fixture} build`, () => buildFixture(`${fixture}-app`, dirs[fixture]));
    if (/warn/i.test(output)) console.log(`consumers: ${fixture} build said:\n${output.trim()}`);
  } catch (error) {
    buildErrors[fixture] = error instanceof Error ? error.message : String(error);
  }
}

function expectBuilt(fixture: Fixture): void {
  if (buildErrors[fixture] !== undefined) throw new Error(`the ${fixture} app did not build:\n${buildErrors[fixture]}`);
}

beforeAll(async () => {
  browsers = await browserPaths();
  const tarball = await timed('pack', packedTarball);
  // One heavy step at a time: this machine has two cores and other suites run alongside.
  dirs.vite = await timed('install vite-app', () => prepareFixture('vite-app', tarball));
  dirs.webpack = await timed('install webpack-app', () => prepareFixture('webpack-app', tarball));
  dirs.rollup = await timed('install rollup-app', () => prepareFixture('rollup-app', tarball));
  await build('vite');
  await build('webpack');
  await build('rollup');
  urls = await serveTargets(servers);
}, 900_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

/** Each fixture app's bundler, by name. */
const BUNDLERS = [
  ['Vite', 'vite'],
  ['webpack', 'webpack'],
  ['Rollup', 'rollup'],
] as const;

describe('bundles', () => {
  for (const [name, key] of BUNDLERS) {
    test(`the ${name} browser bundle has no node: imports and no native addon`, () => {
      expectBuilt(key);
      const findings = scanBundle(join(dirs[key], 'dist'));
      expect(findings.files.length).toBeGreaterThan(0);
      expect(findings.nodeImports).toEqual([]);
      expect(findings.addons).toEqual([]);
    });
  }

  for (const [name, key] of BUNDLERS) {
    test(`the ${name} build emits the app's dedicated worker and SharedWorker as files of their own`, () => {
      expectBuilt(key);
      const { page, worker, shared } = scriptsHoldingEntries(join(dirs[key], 'dist'));
      expect(page).toHaveLength(1);
      expect(worker).toHaveLength(1);
      expect(shared).toHaveLength(1);
      expect(worker).not.toEqual(page);
      expect(shared).not.toEqual(page);
    });
  }

  test('a Node program importing nativefile/node works and never loads the IO worker', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'nativefile-trace-'));
    try {
      const traceFile = join(scratch, 'trace.txt');
      const result = await run(process.execPath, ['--import', './node-check/trace.mjs', './node-check/check.mjs'], {
        cwd: dirs.vite,
        timeoutMs: 30_000,
        env: { NATIVEFILE_TRACE_FILE: traceFile },
      });
      expect(result.code, result.output).toBe(0);
      const lines = result.output.trim().split('\n');
      expect(JSON.parse(lines[lines.length - 1]!)).toEqual({ text: 'written by a Node consumer\n', pool: 'wasm' });
      const loaded = readFileSync(traceFile, 'utf8').trim().split('\n');
      const fromPackage = loaded.filter((url) => url.includes('/node_modules/nativefile/'));
      // Sanity: the trace saw the package itself, so an empty list below means something.
      expect(fromPackage.some((url) => url.endsWith('/dist/node.js'))).toBe(true);
      // The worker's own files (dist/worker.js, dist/worker/); dist/src/opfs/default-worker.js,
      // which only defines the function that would start it, loads with OpfsFile's module.
      const workerModules = fromPackage.filter((url) => /^dist\/(worker[./-]|assets\/)/.test(url.split('/nativefile/')[1]!));
      expect(workerModules).toEqual([]);
      expect(loaded.filter((url) => url === 'node:worker_threads')).toEqual([]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 40_000);

  test('a CommonJS program can require nativefile and nativefile/node', async () => {
    const result = await run(process.execPath, ['./node-check/check.cjs'], { cwd: dirs.vite, timeoutMs: 30_000 });
    expect(result.code, result.output).toBe(0);
    const lines = result.output.trim().split('\n');
    expect(JSON.parse(lines[lines.length - 1]!)).toEqual({ read: 'required', osFile: 'function' });
  }, 40_000);
});

rollupBundleTests(
  () => dirs.rollup,
  () => expectBuilt('rollup'),
);

/** The check's detail; a failed or missing check fails with its error and the page's errors. */
function checkOf(outcome: PageOutcome | undefined, name: string): CheckResult {
  const problems = outcome?.problems.join('\n') ?? 'the page was not opened';
  const result = outcome?.report?.checks[name];
  if (result === undefined) throw new Error(`no result for check ${name}:\n${problems}`);
  if (!result.ok) throw new Error(`check ${name} failed after ${result.ms} ms: ${result.error}\n${problems}`);
  return result;
}

const launchers: Record<Driver['name'], (path: string) => Promise<Driver>> = {
  chromium: launchChromium,
  firefox: launchFirefox,
};

type Engine = Driver['name'] | 'webkit';

/** Each engine's user agent, told apart from the others (WebKit's names neither Chrome nor Firefox). */
const USER_AGENTS: Record<Engine, RegExp> = {
  chromium: /Chrome\//,
  firefox: /Firefox\//,
  webkit: /^(?!.*(?:Chrome|Firefox)\/).*AppleWebKit\//,
};

/** The targets one engine opens, all at once (a driver) or one after another (WebKit). */
async function openTargets(open: (target: Target) => Promise<PageOutcome>): Promise<Map<string, PageOutcome>> {
  const unbuilt = (target: Target): PageOutcome | undefined => {
    const error = buildErrors[target.fixture];
    return error === undefined ? undefined : { problems: [`the ${target.fixture} app did not build:\n${error}`] };
  };
  return new Map(
    await Promise.all(targets.map(async (target) => [target.label, unbuilt(target) ?? (await open(target))] as const)),
  );
}

/**
 * WebKitGTK has no sync access handles: OpfsFile uses the async backend there in a dedicated
 * worker too. Without MiniBrowser and xvfb-run its tests are skipped, and say so.
 */
const webkitRuns = webkitAvailable();
if (!webkitRuns) console.log('consumers: WebKitGTK tests skipped: MiniBrowser or xvfb-run is not installed');

for (const engine of ['chromium', 'firefox', 'webkit'] as const) {
  const engineTest = engine !== 'webkit' || webkitRuns ? test : test.skip;
  describe(engine, () => {
    let driver: Driver | undefined;
    let outcomes = new Map<string, PageOutcome>();

    beforeAll(
      async () => {
        if (engine === 'webkit') {
          if (!webkitRuns) return;
          // One browser walks the pages in turn; WebKit's own page timeouts do not apply.
          const pages = targets
            .filter((target) => buildErrors[target.fixture] === undefined)
            .map((target) => ({ label: target.label, url: urlOf(target) }));
          const walked = await timed('webkit pages', () => openAllInWebKit(pages, PAGE_TIMEOUT_MS));
          outcomes = await openTargets(async (target) => walked.get(target.label)!);
          return;
        }
        driver = await launchers[engine](browsers[engine]);
        // All pages at once: a check that times out then costs its timeout once per engine.
        outcomes = await timed(`${engine} pages`, () => openTargets((target) => driver!.open(urlOf(target), PAGE_TIMEOUT_MS)));
      },
      // WebKit opens the pages in turn: each may take its whole timeout before it reports why.
      targets.length * PAGE_TIMEOUT_MS + 60_000,
    );

    afterAll(async () => {
      await driver?.close();
    });

    for (const target of targets) {
      describe(target.label, () => {
        // The report must come from the engine named, or the expectations below prove nothing.
        engineTest(`the page's report comes from ${engine}`, () => {
          const outcome = outcomes.get(target.label);
          const userAgent = outcome?.report?.userAgent ?? `no report: ${outcome?.problems.join('\n')}`;
          expect(userAgent).toMatch(USER_AGENTS[engine]);
        });

        engineTest('picks the pool the page allows (wasm when isolated, else system)', () => {
          const outcome = outcomes.get(target.label);
          expect(outcome?.report?.crossOriginIsolated, outcome?.problems.join('\n')).toBe(target.isolated);
          expect(checkOf(outcome, 'pool').detail).toEqual({
            backend: target.isolated ? 'wasm' : 'system',
            counted: true,
            sum: 7000,
          });
        });

        engineTest('BlobFile over a File', () => {
          expect(checkOf(outcomes.get(target.label), 'blobFile').detail).toEqual({ size: 300_000, middle: true, all: true });
        });

        engineTest('new Response(toReadableStream(file)) carries the bytes', () => {
          expect(checkOf(outcomes.get(target.label), 'responseBytes').detail).toEqual({ fromBuffer: true, fromBlob: true });
        });

        engineTest('the copies and a codec, loaded on first use, work', () => {
          expect(checkOf(outcomes.get(target.label), 'lazyChunks').detail).toEqual({ downloaded: true, zstd: true });
        });

        // WebKitGTK's IO worker would have no sync access handles, so the page uses the async backend.
        const workerSync = engine !== 'webkit';
        engineTest(
          `OPFS write, read and stream upload from the page ${workerSync ? 'through the IO worker' : 'on the async backend'}`,
          () => {
            expect(checkOf(outcomes.get(target.label), 'opfs').detail).toEqual({
              backend: workerSync ? 'worker' : 'async',
              isSync: false,
              size: 1024 * 1024 + 17,
              same: true,
              tail: true,
              streamed: true,
            });
          },
        );

        engineTest(
          `OPFS round trip in the app's dedicated worker, ${workerSync ? 'synchronous' : 'on the async backend'}, read through a Response`,
          () => {
            expect(checkOf(outcomes.get(target.label), 'workerOpfs').detail).toEqual(
              workerSync ? { backend: 'sync', isSync: true, same: true } : { backend: 'async', isSync: false, same: true },
            );
          },
        );

        engineTest("OPFS round trip in the app's SharedWorker on the async backend, read through a Response", () => {
          expect(checkOf(outcomes.get(target.label), 'sharedWorkerOpfs').detail).toEqual({
            backend: 'async',
            isSync: false,
            same: true,
          });
        });
      });
    }
  });
}
