/**
 * A plain Rollup 4 consumer: the packed package installed into rollup-app/, built with the
 * config a Rollup user needs (node resolution, a worker plugin, terser; see its
 * rollup.config.mjs), served cross-origin isolated and not, and opened in Chromium, where the
 * page runs the same checks as the Vite and webpack apps (page/checks.ts). Also what the bundle
 * refers to, and what the same build leaves dangling without the worker plugin.
 * Every page check has its own timeout (page/checks.ts), so a broken check fails, never hangs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, type Driver, type PageOutcome } from './browsers.js';
import { browserPaths, buildFixture, packedTarball, prepareFixture, scanBundle, scriptsHoldingEntries } from './fixtures.js';
import { CHECK_TIMEOUT_MS, type CheckResult } from './page/checks.js';
import { isolationHeaders, serveStatic, type Served } from './serve.js';

/** Page load plus the checks, which run concurrently and each stop at CHECK_TIMEOUT_MS. */
const PAGE_TIMEOUT_MS = CHECK_TIMEOUT_MS + 20_000;

let dir = '';
/** The bundler's error: the tests that need the build fail with it, the others still run. */
let buildError: string | undefined;
let driver: Driver | undefined;
const servers: Served[] = [];
const outcomes = new Map<boolean, PageOutcome>();

function expectBuilt(): void {
  if (buildError !== undefined) throw new Error(`the Rollup app did not build:\n${buildError}`);
}

beforeAll(async () => {
  const { chromium } = await browserPaths();
  const tarball = await packedTarball();
  dir = await prepareFixture('rollup-app', tarball);
  try {
    const output = await buildFixture('rollup-app', dir);
    if (/warn|\(!\)/i.test(output)) console.log(`rollup: the build said:\n${output.trim()}`);
  } catch (error) {
    buildError = error instanceof Error ? error.message : String(error);
    return;
  }
  servers.push(...(await Promise.all([serveStatic(join(dir, 'dist'), isolationHeaders), serveStatic(join(dir, 'dist'), {})])));
  driver = await launchChromium(chromium);
  // Both pages at once: a check that times out costs its timeout once.
  const [isolated, plain] = await Promise.all(servers.map((server) => driver!.open(server.url, PAGE_TIMEOUT_MS)));
  outcomes.set(true, isolated!).set(false, plain!);
}, 900_000);

afterAll(async () => {
  await driver?.close();
  await Promise.all(servers.map((server) => server.close()));
});

interface References {
  /** `file: reference`, for every relative module, chunk or worker URL the bundle names. */
  all: string[];
  /** Those naming a file the build did not emit, or an import() the bundler did not resolve. */
  dangling: string[];
}

/** A relative import, export-from or import(), or a `new URL('…', import.meta.url)`. */
const STATIC_IMPORT = /\b(?:from|import)\s*(["'])(\.{1,2}\/[^"']+)\1/g;
const DYNAMIC_IMPORT = /\bimport\s*\(\s*(["'`])(\.{1,2}\/[^"'`]+)\1\s*(\+?)/g;
const MODULE_URL = /\bnew\s+URL\(\s*(["'`])([^"'`]+)\1\s*,\s*import\.meta\.url\s*\)/g;

/**
 * What the built app's scripts refer to, resolved as the browser resolves them with the app
 * served at a site's root (so `../../worker.js` from `/main.js` is `/worker.js`).
 */
function references(dist: string): References {
  const found: References = { all: [], dangling: [] };
  for (const file of scanBundle(dist).files.filter((name) => name.endsWith('.js'))) {
    const text = readFileSync(join(dist, file), 'utf8');
    const check = (reference: string, specifier: string, unresolved = false) => {
      found.all.push(`${file}: ${reference}`);
      const target = decodeURIComponent(new URL(specifier, `http://app.test/${file}`).pathname.slice(1));
      if (unresolved || !existsSync(join(dist, target))) found.dangling.push(`${file}: ${reference} -> /${target}`);
    };
    for (const [, , specifier] of text.matchAll(STATIC_IMPORT)) check(`import "${specifier}"`, specifier!);
    for (const [, , specifier, plus] of text.matchAll(DYNAMIC_IMPORT)) {
      check(`import("${specifier}"${plus === '' ? '' : ' + …'})`, specifier!, plus !== '');
    }
    for (const [, , specifier] of text.matchAll(MODULE_URL)) check(`new URL("${specifier}", import.meta.url)`, specifier!);
  }
  return found;
}

describe('the Rollup build', () => {
  test('has no node: imports and no native addon', () => {
    expectBuilt();
    const findings = scanBundle(join(dir, 'dist'));
    expect(findings.files.length).toBeGreaterThan(0);
    expect(findings.nodeImports).toEqual([]);
    expect(findings.addons).toEqual([]);
  });

  test("emits the package's lazily loaded modules (a codec's wasm, fflate) as chunks of their own", () => {
    expectBuilt();
    const files = scanBundle(join(dir, 'dist')).files;
    for (const chunk of [/^zstd-decoder-[\w-]+\.js$/, /^zstd-encoder-[\w-]+\.js$/, /^fflate-coders-[\w-]+\.js$/]) {
      expect(
        files.filter((file) => chunk.test(file)),
        String(chunk),
      ).toHaveLength(1);
    }
  });

  test('every module, chunk and worker the bundle refers to was emitted', () => {
    expectBuilt();
    const found = references(join(dir, 'dist'));
    // Sanity, so that no dangling reference below means something: the lazy chunks' import()s,
    // and the IO worker's and the app's dedicated worker's URLs.
    expect(found.all.filter((reference) => reference.includes(': import(')).length).toBeGreaterThanOrEqual(3);
    expect(found.all.filter((reference) => reference.includes(': new URL(')).length).toBeGreaterThanOrEqual(3);
    expect(found.dangling).toEqual([]);
  });

  test("emits the app's dedicated worker and SharedWorker as files of their own", () => {
    expectBuilt();
    const { page, worker, shared } = scriptsHoldingEntries(join(dir, 'dist'));
    expect(page).toHaveLength(1);
    expect(worker).toHaveLength(1);
    expect(shared).toHaveLength(1);
    expect(worker).not.toEqual(page);
    expect(shared).not.toEqual(page);
  });

  test("without a worker plugin leaves the IO worker's URL naming a file it never emitted", async () => {
    expectBuilt();
    await buildFixture('rollup-app', dir, { NATIVEFILE_NO_WORKER_PLUGIN: '1' });
    const { all, dangling } = references(join(dir, 'dist-no-worker-plugin'));
    const urls = (list: string[]) =>
      list.filter((reference) => reference.includes(': new URL(')).map((reference) => reference.replace(/^[^:]+: /, ''));
    // Sanity: the page's URLs of its own workers, which are inputs of this build, were seen too.
    expect(urls(all).length).toBeGreaterThanOrEqual(3);
    // As the package wrote it (dist/src/opfs/default-worker.js, two folders below dist/worker.js),
    // in whichever chunk holds that module: with the app at a site's root, /worker.js, a 404.
    expect(urls(dangling)).toEqual(['new URL("../../worker.js", import.meta.url) -> /worker.js']);
  }, 200_000);
});

/** The check's detail; a failed or missing check fails with its error and the page's errors. */
function checkOf(isolated: boolean, name: string): CheckResult {
  expectBuilt();
  const outcome = outcomes.get(isolated);
  const problems = outcome?.problems.join('\n') ?? 'the page was not opened';
  const result = outcome?.report?.checks[name];
  if (result === undefined) throw new Error(`no result for check ${name}:\n${problems}`);
  if (!result.ok) throw new Error(`check ${name} failed after ${result.ms} ms: ${result.error}\n${problems}`);
  return result;
}

// The expectations of consumers.test.ts for its Chromium targets, for the Rollup app's pages.
for (const isolated of [true, false]) {
  describe(`Chromium, the Rollup build ${isolated ? 'cross-origin isolated' : 'not isolated'}`, () => {
    test("the page's report comes from Chromium", () => {
      expectBuilt();
      const outcome = outcomes.get(isolated);
      expect(outcome?.report?.userAgent ?? `no report: ${outcome?.problems.join('\n')}`).toMatch(/Chrome\//);
    });

    test('picks the pool the page allows (wasm when isolated, else system)', () => {
      expectBuilt();
      const outcome = outcomes.get(isolated);
      expect(outcome?.report?.crossOriginIsolated, outcome?.problems.join('\n')).toBe(isolated);
      expect(checkOf(isolated, 'pool').detail).toEqual({ backend: isolated ? 'wasm' : 'system', counted: true, sum: 7000 });
    });

    test('BlobFile over a File', () => {
      expect(checkOf(isolated, 'blobFile').detail).toEqual({ size: 300_000, middle: true, all: true });
    });

    test('new Response(toReadableStream(file)) carries the bytes', () => {
      expect(checkOf(isolated, 'responseBytes').detail).toEqual({ fromBuffer: true, fromBlob: true });
    });

    test('the copies and a codec, loaded on first use from their chunks, work', () => {
      expect(checkOf(isolated, 'lazyChunks').detail).toEqual({ downloaded: true, zstd: true });
    });

    test("OPFS write, read and stream upload from the page through the package's IO worker", () => {
      expect(checkOf(isolated, 'opfs').detail).toEqual({
        backend: 'worker',
        isSync: false,
        size: 1024 * 1024 + 17,
        same: true,
        tail: true,
        streamed: true,
      });
    });

    test("OPFS round trip in the app's dedicated worker, synchronous, read through a Response", () => {
      expect(checkOf(isolated, 'workerOpfs').detail).toEqual({ backend: 'sync', isSync: true, same: true });
    });

    test("OPFS round trip in the app's SharedWorker on the async backend, read through a Response", () => {
      expect(checkOf(isolated, 'sharedWorkerOpfs').detail).toEqual({ backend: 'async', isSync: false, same: true });
    });
  });
}
