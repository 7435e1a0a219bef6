/**
 * The packed package as users install it (scripts/pack-once.mjs, one tarball per change):
 * its declarations compile in the setups users compile in, under TypeScript 5 and 7 (the
 * native compiler `npm install typescript` gives now), and `publint` and `arethetypeswrong`
 * find nothing wrong with it.
 *
 * The setups (test/types/packed/) are copied next to the installed tarball, outside the
 * repository, so nothing resolves from the repository's own node_modules: a Vite
 * "vanilla-ts" app (DOM, no @types/node), a Node program (no DOM, @types/node) and a
 * dedicated worker (WebWorker). Each imports every entry it can use and calls a few APIs,
 * with skipLibCheck off, so an error inside the package's .d.ts fails the compile.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { installFixture, packedTarball, repoRoot } from '../consumers/fixtures.js';

const here = fileURLToPath(new URL('packed', import.meta.url));

/** The compilers, both devDependencies: `typescript` (5.x) and `typescript-7` (`typescript@7`). */
const compilers = {
  'TypeScript 5': join(repoRoot, 'node_modules/typescript/bin/tsc'),
  'TypeScript 7': join(repoRoot, 'node_modules/typescript-7/bin/tsc'),
};

const setups = ['vite-app', 'node', 'worker'] as const;

let tarball = '';
let dir = '';

beforeAll(async () => {
  tarball = await packedTarball();
  dir = await installFixture('types-app', here, tarball);
  for (const entry of readdirSync(here)) {
    if (entry !== 'package.json') cpSync(join(here, entry), join(dir, entry), { recursive: true });
  }
}, 600_000);

/** Runs a Node CLI script and collects its exit status and output. */
function runCli(script: string, args: string[], cwd: string): { output: string; status: number | null } {
  const result = spawnSync(process.execPath, [script, ...args], { cwd, encoding: 'utf8', timeout: 180_000 });
  return { output: `${result.stdout}${result.stderr}${result.error?.message ?? ''}`, status: result.status };
}

describe.each(Object.entries(compilers))('under %s', (_, tsc) => {
  test('the compiler is the major version named', () => {
    const major = _.split(' ')[1];
    expect(runCli(tsc, ['--version'], repoRoot).output).toMatch(new RegExp(`^Version ${major}\\.`));
  });

  test.each(setups)(
    'the %s setup compiles against the packed declarations',
    (setup) => {
      expect(runCli(tsc, ['-p', join(dir, setup)], dir)).toEqual({ output: '', status: 0 });
    },
    180_000,
  );
});

test('publint finds nothing to report in the packed tarball', () => {
  const result = runCli(join(repoRoot, 'node_modules/publint/src/cli.js'), ['run', tarball, '--strict'], repoRoot);
  expect(result.status, result.output).toBe(0);
  expect(result.output).toContain('All good!');
}, 120_000);

test('arethetypeswrong finds no problem for ESM consumers of any entry', () => {
  const cli = join(repoRoot, 'node_modules/@arethetypeswrong/cli/dist/index.js');
  const args = [tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-color', '--no-emoji'];
  const result = runCli(cli, args, repoRoot);
  expect(result.status, result.output).toBe(0);
  // Each entry resolves, to types and code, for Node's ESM and for bundlers.
  for (const entry of ['nativefile', 'nativefile/node', 'nativefile/worker']) {
    const report = result.output.split(/\*{10,}/).find((part) => part.split('\n').includes(`"${entry}"`));
    expect(report, `no report for ${entry}:\n${result.output}`).toBeDefined();
    expect(report).toContain('node16 (from ESM): OK (ESM)');
    expect(report).toMatch(/bundler: OK\b/);
  }
}, 120_000);
