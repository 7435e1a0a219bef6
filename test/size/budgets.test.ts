/**
 * Bundle-size budgets: runs size-limit (.size-limit.mjs) over the built dist/, as `npm run
 * size` does, and fails with its message when a check is over budget. Each check bundles what
 * an app imports the way the app's bundler would (esbuild: tree-shaken, minified, gzipped).
 * `npm test` builds dist/ first; run `npm run build` before running this file alone.
 * Prints the table of sizes, what each app loads on first use, and the wasm pool's share
 * (docs/bundle-sizes.md).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import checks, { FIRST_USE, WITHOUT_WASM_POOL } from '../../.size-limit.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Result {
  name: string;
  passed: boolean;
  size: number;
  sizeLimit?: number;
}

let results: Result[] = [];
let failure = '';

/** Runs size-limit; it exits non-zero when a check is over budget, with the JSON still on stdout. */
function sizeLimit(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'node_modules/size-limit/bin.js'), '--json'],
      { cwd: root, timeout: 120_000 },
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : ((error.code as number | undefined) ?? 1), stdout, stderr }),
    );
  });
}

const kB = (bytes: number): string => `${(bytes / 1000).toFixed(2)} kB`;

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/index.js'))) throw new Error('dist/ is not built: run `npm run build` first');
  const run = await sizeLimit();
  try {
    results = JSON.parse(run.stdout) as Result[];
  } catch {
    throw new Error(`size-limit failed (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  failure = run.stderr;
  const byName = new Map(results.map((result) => [result.name, result]));
  const lines = results.map(
    (result) =>
      `  ${result.name.padEnd(58)} ${kB(result.size).padStart(9)}  (budget ${result.sizeLimit === undefined ? '-' : kB(result.sizeLimit)})`,
  );
  const note = (text: string, bytes: number) => lines.push(`  ${text}`.padEnd(60) + kB(bytes).padStart(9));
  for (const result of results) {
    const everything = byName.get(`${result.name}${FIRST_USE}`);
    if (everything !== undefined) note(`${result.name}: loads on first use`, everything.size - result.size);
    const without = byName.get(`${result.name}${WITHOUT_WASM_POOL}`);
    if (without !== undefined) note(`the wasm pool's share of ${result.name.replace(FIRST_USE, '')}`, result.size - without.size);
  }
  console.log(`bundle sizes (minified and gzipped):\n${lines.join('\n')}`);
}, 180_000);

describe('bundle-size budgets (.size-limit.mjs)', () => {
  test('size-limit measured every check', () => {
    expect(results.map((result) => result.name)).toEqual(checks.map((check) => check.name));
  });

  for (const check of checks) {
    test(check.name, () => {
      const result = results.find((candidate) => candidate.name === check.name);
      expect(result, `size-limit did not measure ${check.name}`).toBeDefined();
      const message = `${check.name}: ${kB(result!.size)} is over its budget of ${check.limit}\n${failure}`;
      expect(result!.passed, message).toBe(true);
    });
  }
});
