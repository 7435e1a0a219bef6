import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (where package.json and the addon's binaries are). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What a child process did. */
export interface ChildOutcome {
  /** Exit code, or null when a signal ended it. */
  status: number | null;
  /** The signal that ended it, if one did. */
  signal: NodeJS.Signals | null;
  /** The value the child passed to `report(...)` last, or undefined. */
  result: unknown;
  stdout: string;
  stderr: string;
}

/**
 * Runs `body` as a CommonJS script in a fresh node process, so that a SIGBUS can only kill
 * the child. The body sees `addon` (loaded the way src/io/mmap-addon.ts loads it: node-gyp-build
 * over the package root), `fs`, `path`, `page` (the page size), `dir` (an empty temp folder,
 * removed afterwards), `report(value)`, which hands a JSON value back to the test, and
 * `gypBuild`/`root` (to load the addon again in a Worker). `prelude` runs before the addon loads.
 */
export function runChild(body: string, options: { env?: Record<string, string>; prelude?: string } = {}): ChildOutcome {
  const dir = mkdtempSync(join(tmpdir(), 'nativefile-mmap-child-'));
  const preamble = `
    const fs = require('node:fs');
    const path = require('node:path');
    const gypBuild = ${JSON.stringify(join(ROOT, 'node_modules/node-gyp-build'))};
    const root = ${JSON.stringify(ROOT)};
    ${options.prelude ?? ''}
    const addon = require(gypBuild)(root);
    const page = addon.pageSize();
    const dir = ${JSON.stringify(dir)};
    const report = (value) => process.stdout.write('RESULT ' + JSON.stringify(value) + '\\n');
  `;
  try {
    const child = spawnSync(process.execPath, ['--expose-gc', '-e', preamble + body], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...options.env },
      timeout: 30_000,
    });
    const lines = child.stdout.split('\n').filter((line) => line.startsWith('RESULT '));
    const last = lines.at(-1);
    return {
      status: child.status,
      signal: child.signal,
      result: last === undefined ? undefined : JSON.parse(last.slice('RESULT '.length)),
      stdout: child.stdout,
      stderr: child.stderr,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
