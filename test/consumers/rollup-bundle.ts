/**
 * What only the Rollup app's bundle is checked for (consumers.test.ts builds it, and runs its
 * pages with the other apps'): that the package's lazily loaded modules are chunks of their
 * own, that every module, chunk and worker URL the bundle names was emitted, and what the same
 * build leaves dangling without a worker plugin (rollup-app/rollup.config.mjs says why).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildFixture, scanBundle } from './fixtures.js';

interface References {
  /** `file: reference`, for every relative module, chunk or worker URL the bundle names. */
  all: string[];
  /** Those naming a file the build did not emit, or an import() the bundler did not resolve. */
  dangling: string[];
  /** The files some script imports statically, and those some script loads with `import()`. */
  imported: { statically: Set<string>; lazily: Set<string> };
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
  const found: References = { all: [], dangling: [], imported: { statically: new Set(), lazily: new Set() } };
  for (const file of scanBundle(dist).files.filter((name) => /\.m?js$/.test(name))) {
    const text = readFileSync(join(dist, file), 'utf8');
    const check = (reference: string, specifier: string, unresolved = false): string => {
      found.all.push(`${file}: ${reference}`);
      const target = decodeURIComponent(new URL(specifier, `http://app.test/${file}`).pathname.slice(1));
      if (unresolved || !existsSync(join(dist, target))) found.dangling.push(`${file}: ${reference} -> /${target}`);
      return target;
    };
    for (const [, , specifier] of text.matchAll(STATIC_IMPORT)) {
      found.imported.statically.add(check(`import "${specifier}"`, specifier!));
    }
    for (const [, , specifier, plus] of text.matchAll(DYNAMIC_IMPORT)) {
      found.imported.lazily.add(check(`import("${specifier}"${plus === '' ? '' : ' + …'})`, specifier!, plus !== ''));
    }
    for (const [, , specifier] of text.matchAll(MODULE_URL)) check(`new URL("${specifier}", import.meta.url)`, specifier!);
  }
  return found;
}

/**
 * Registers the Rollup bundle's tests; `dir()` is the built app's working copy, and
 * `expectBuilt()` throws the bundler's error if it did not build.
 */
export function rollupBundleTests(dir: () => string, expectBuilt: () => void): void {
  describe('the Rollup bundle', () => {
    test("emits the package's lazily loaded modules (a codec's wasm, fflate) as chunks loaded only by import()", () => {
      expectBuilt();
      const dist = join(dir(), 'dist');
      const files = scanBundle(dist).files;
      const { imported } = references(dist);
      for (const chunk of [/^zstd-decoder-[\w-]+\.js$/, /^zstd-encoder-[\w-]+\.js$/, /^fflate-coders-[\w-]+\.js$/]) {
        const emitted = files.filter((file) => chunk.test(file));
        expect(emitted, String(chunk)).toHaveLength(1);
        expect(imported.lazily.has(emitted[0]!), `${emitted[0]} is loaded by an import()`).toBe(true);
        expect(imported.statically.has(emitted[0]!), `${emitted[0]} is imported statically`).toBe(false);
      }
    });

    test('every module, chunk and worker the bundle refers to was emitted', () => {
      expectBuilt();
      const found = references(join(dir(), 'dist'));
      // Sanity, so that no dangling reference below means something: the lazy chunks' import()s,
      // and the IO worker's and the app's dedicated worker's URLs.
      expect(found.all.filter((reference) => reference.includes(': import(')).length).toBeGreaterThanOrEqual(3);
      expect(found.all.filter((reference) => reference.includes(': new URL(')).length).toBeGreaterThanOrEqual(3);
      expect(found.dangling).toEqual([]);
    });

    test("without a worker plugin leaves the IO worker's URL naming a file it never emitted", async () => {
      expectBuilt();
      await buildFixture('rollup-app', dir(), { NATIVEFILE_NO_WORKER_PLUGIN: '1' });
      const { all, dangling } = references(join(dir(), 'dist-no-worker-plugin'));
      const urls = (list: string[]) =>
        list.filter((reference) => reference.includes(': new URL(')).map((reference) => reference.replace(/^[^:]+: /, ''));
      // Sanity: the page's URLs of its own workers, which are inputs of this build, were seen too.
      expect(urls(all).length).toBeGreaterThanOrEqual(3);
      // As the package wrote it (dist/src/opfs/default-worker.js, two folders below dist/worker.js),
      // in whichever chunk holds that module: with the app at a site's root, /worker.js, a 404.
      expect(urls(dangling)).toEqual(['new URL("../../worker.js", import.meta.url) -> /worker.js']);
    }, 200_000);
  });
}
