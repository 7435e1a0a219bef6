/**
 * Real consumers: the packed package installed into a Vite app and a webpack 5 app, built,
 * served cross-origin isolated and not, and driven in Chromium and Firefox; also the Vite dev
 * server, what the browser bundles contain, and a Node program using 'nativefile/node'.
 * Every page check has its own timeout (page/checks.ts), so a broken check fails, never hangs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, launchFirefox, type Driver, type PageOutcome } from './browsers.js';
import { buildFixture, packedTarball, prepareFixture, browserPaths, run, scanBundle } from './fixtures.js';
import { CHECK_TIMEOUT_MS, type CheckResult } from './page/checks.js';
import { isolationHeaders, serveStatic, startViteDev, type Served } from './serve.js';

/** Page load plus the checks, which run concurrently and each stop at CHECK_TIMEOUT_MS. */
const PAGE_TIMEOUT_MS = CHECK_TIMEOUT_MS + 20_000;

type Fixture = 'vite' | 'webpack';

interface Target {
  label: string;
  fixture: Fixture;
  isolated: boolean;
  url: () => string;
}

let browsers: { chromium: string; firefox: string };
const dirs: Record<Fixture, string> = { vite: '', webpack: '' };
/** A fixture that did not build fails its own tests with the bundler's error; the others still run. */
const buildErrors: Partial<Record<Fixture, string>> = {};
const servers: Served[] = [];
const urls = { viteIsolated: '', vitePlain: '', webpackIsolated: '', webpackPlain: '', viteDev: '', viteDevExcluded: '' };

const targets: Target[] = [
  { label: 'Vite build, cross-origin isolated', fixture: 'vite', isolated: true, url: () => urls.viteIsolated },
  { label: 'Vite build, not isolated', fixture: 'vite', isolated: false, url: () => urls.vitePlain },
  { label: 'webpack build, cross-origin isolated', fixture: 'webpack', isolated: true, url: () => urls.webpackIsolated },
  { label: 'webpack build, not isolated', fixture: 'webpack', isolated: false, url: () => urls.webpackPlain },
  { label: 'Vite dev server (pre-bundled), cross-origin isolated', fixture: 'vite', isolated: true, url: () => urls.viteDev },
  {
    label: 'Vite dev server (optimizeDeps.exclude), cross-origin isolated', fixture: 'vite', isolated: true,
    url: () => urls.viteDevExcluded,
  },
];

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
  await build('vite');
  await build('webpack');
  const started = await Promise.all([
    serveStatic(join(dirs.vite, 'dist'), isolationHeaders),
    serveStatic(join(dirs.vite, 'dist'), {}),
    serveStatic(join(dirs.webpack, 'dist'), isolationHeaders),
    serveStatic(join(dirs.webpack, 'dist'), {}),
    startViteDev(dirs.vite),
    startViteDev(dirs.vite, { NATIVEFILE_EXCLUDE: '1' }),
  ]);
  servers.push(...started);
  const [viteIsolated, vitePlain, webpackIsolated, webpackPlain, viteDev, viteDevExcluded] = started;
  Object.assign(urls, {
    viteIsolated: viteIsolated.url, vitePlain: vitePlain.url, webpackIsolated: webpackIsolated.url,
    webpackPlain: webpackPlain.url, viteDev: viteDev.url, viteDevExcluded: viteDevExcluded.url,
  });
}, 900_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('bundles', () => {
  for (const [name, key] of [['Vite', 'vite'], ['webpack', 'webpack']] as const) {
    test(`the ${name} browser bundle has no node: imports and no native addon`, () => {
      expectBuilt(key);
      const findings = scanBundle(join(dirs[key], 'dist'));
      expect(findings.files.length).toBeGreaterThan(0);
      expect(findings.nodeImports).toEqual([]);
      expect(findings.addons).toEqual([]);
    });
  }

  test('a Node program importing nativefile/node works and never loads the IO worker', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'nativefile-trace-'));
    try {
      const traceFile = join(scratch, 'trace.txt');
      const result = await run(process.execPath, ['--import', './node-check/trace.mjs', './node-check/check.mjs'], {
        cwd: dirs.vite, timeoutMs: 30_000, env: { NATIVEFILE_TRACE_FILE: traceFile },
      });
      expect(result.code, result.output).toBe(0);
      const lines = result.output.trim().split('\n');
      expect(JSON.parse(lines[lines.length - 1]!)).toEqual({ text: 'written by a Node consumer\n', pool: 'wasm' });
      const loaded = readFileSync(traceFile, 'utf8').trim().split('\n');
      const fromPackage = loaded.filter((url) => url.includes('/node_modules/nativefile/'));
      // Sanity: the trace saw the package itself, so an empty list below means something.
      expect(fromPackage.some((url) => url.endsWith('/dist/node.js'))).toBe(true);
      const workerModules = fromPackage.filter((url) => /\/dist\/(worker\.js|assets\/)|worker/i.test(url.split('/nativefile/')[1]!));
      expect(workerModules).toEqual([]);
      expect(loaded.filter((url) => url === 'node:worker_threads')).toEqual([]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 40_000);
});

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

for (const engine of ['chromium', 'firefox'] as const) {
  describe(engine, () => {
    let driver: Driver | undefined;
    const outcomes = new Map<string, PageOutcome>();

    beforeAll(async () => {
      driver = await launchers[engine](browsers[engine]);
      // All pages at once: a check that times out then costs its timeout once per engine.
      const opened = await timed(`${engine} pages`, () => Promise.all(
        targets.map(async (target): Promise<readonly [string, PageOutcome]> => {
          const error = buildErrors[target.fixture];
          if (error !== undefined) return [target.label, { problems: [`the ${target.fixture} app did not build:\n${error}`] }];
          return [target.label, await driver!.open(target.url(), PAGE_TIMEOUT_MS)];
        }),
      ));
      for (const [label, outcome] of opened) outcomes.set(label, outcome);
    }, 180_000);

    afterAll(async () => {
      await driver?.close();
    });

    for (const target of targets) {
      describe(target.label, () => {
        test('picks the pool the page allows (wasm when isolated, else system)', () => {
          const outcome = outcomes.get(target.label);
          expect(outcome?.report?.crossOriginIsolated, outcome?.problems.join('\n')).toBe(target.isolated);
          expect(checkOf(outcome, 'pool').detail).toEqual({
            backend: target.isolated ? 'wasm' : 'system', counted: true, sum: 7000,
          });
        });

        test('BlobFile over a File', () => {
          expect(checkOf(outcomes.get(target.label), 'blobFile').detail).toEqual({ size: 300_000, middle: true, all: true });
        });

        test('new Response(toReadableStream(file)) carries the bytes', () => {
          expect(checkOf(outcomes.get(target.label), 'responseBytes').detail).toEqual({ fromBuffer: true, fromBlob: true });
        });

        test('OPFS write and read from the page through the IO worker', () => {
          expect(checkOf(outcomes.get(target.label), 'opfs').detail).toEqual({
            isSync: false, size: 1024 * 1024 + 17, same: true, tail: true,
          });
        });
      });
    }
  });
}
