/**
 * The API reference (`npm run docs`, TypeDoc over the three entry points) builds without a
 * warning: every export is documented, every `{@link}` resolves, and no public type names one
 * that is not exported. TypeDoc's own message is the failure message, so it says what to fix.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'nativefile-docs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs TypeDoc with the options file `options` and `args`; its exit status and log, colours removed. */
function typedoc(options: string, ...args: string[]): { status: number | null; log: string } {
  const run = spawnSync(process.execPath, [`${root}/node_modules/typedoc/bin/typedoc`, '--options', options, ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  // eslint-disable-next-line no-control-regex -- TypeDoc colours its log with ANSI escapes.
  return { status: run.status, log: (run.stdout + run.stderr).replace(/\u001b\[[0-9;]*m/g, '').trim() };
}

describe('API reference', () => {
  test('builds from the TSDoc comments with no undocumented export, broken link or unexported type', () => {
    const out = join(scratch, 'api');
    const { status, log } = typedoc(`${root}/typedoc.json`, '--out', out);
    const problems = log.split('\n').filter((line) => /^\[(warning|error)\]/.test(line));
    expect(problems.join('\n')).toBe('');
    expect(status).toBe(0);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
  }, 180_000);

  test('the same configuration fails on an undocumented export and on a broken link', () => {
    const source = join(scratch, 'planted.ts');
    writeFileSync(
      source,
      [
        '/** A module with two faults. @module */',
        'export function undocumented(): number { return 1; }',
        '/** Points at {@link Nowhere}. */',
        'export const pointer = 2;',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', skipLibCheck: true },
        files: [source],
      }),
    );
    // The project's options with only the program swapped (on the command line TypeDoc would
    // keep the options file's tsconfig, which does not include the planted file).
    const options = {
      ...(JSON.parse(readFileSync(`${root}/typedoc.json`, 'utf8')) as object),
      entryPoints: [source],
      tsconfig: join(scratch, 'tsconfig.json'),
      out: join(scratch, 'planted'),
    };
    writeFileSync(join(scratch, 'typedoc.json'), JSON.stringify(options));
    const { status, log } = typedoc(join(scratch, 'typedoc.json'));
    expect(status).not.toBe(0);
    expect(log).toMatch(/undocumented .*does not have any documentation/);
    expect(log).toMatch(/Nowhere/);
  }, 180_000);
});
