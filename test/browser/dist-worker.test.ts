/**
 * The library build starts the IO worker so that it resolves wherever the package is
 * installed: `new Worker(new URL('<relative path>/worker.js', import.meta.url), { type: 'module' })` in the
 * built page-side code, the worker emitted as dist/worker.js (the `nativefile/worker` export),
 * nothing minified.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { root } from './servers.js';

const WORKER_PATTERN = /new Worker\(new URL\((['"])((?:\.\.?\/)+)worker\.js\1, import\.meta\.url\), \{ type: (['"])module\3 \}\)/;
let outDir: string;

/** The built JavaScript files, one per module, as paths relative to the build folder. */
const builtFiles = (): string[] => (readdirSync(outDir, { recursive: true }) as string[]).filter((name) => name.endsWith('.js'));

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'nativefile-dist-'));
  await build({ configFile: join(root, 'vite.config.ts'), root, logLevel: 'error', build: { outDir, emptyOutDir: true } });
}, 180_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('the library build', () => {
  test('emits the worker as worker.js, the file package.json exports as nativefile/worker', () => {
    const exported = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports['./worker'].import as string;
    expect(exported).toBe('./dist/worker.js');
    expect(existsSync(join(outDir, 'worker.js'))).toBe(true);
  });

  test('page-side code starts it by the relative URL bundlers recognise, from the folder worker.js is in', () => {
    const files = builtFiles();
    const starters = files.filter((name) => WORKER_PATTERN.test(readFileSync(join(outDir, name), 'utf8')));
    expect(starters.length).toBe(1);
    expect(starters[0]).not.toBe('worker.js');
    const relativePath = WORKER_PATTERN.exec(readFileSync(join(outDir, starters[0]!), 'utf8'))![2]!;
    expect(resolve(dirname(join(outDir, starters[0]!)), `${relativePath}worker.js`)).toBe(join(outDir, 'worker.js'));
    // No second copy of the worker bundled as an asset, and no root-absolute or ignored URL.
    expect(existsSync(join(outDir, 'assets'))).toBe(false);
    for (const name of files)
      expect(readFileSync(join(outDir, name), 'utf8')).not.toMatch(/@vite-ignore|new URL\([^)]*worker\/index\.ts/);
  });

  test('is not minified, so class names survive', () => {
    const code = builtFiles()
      .map((name) => readFileSync(join(outDir, name), 'utf8'))
      .join('\n');
    expect(code).toMatch(/class OpfsFile\b/);
    expect(code).toMatch(/class WorkerConnection\b/);
  });

  test('the worker does not import the package entry', () => {
    expect(readFileSync(join(outDir, 'worker.js'), 'utf8')).not.toMatch(/from ["']\.\/index\.js["']/);
  });
});
