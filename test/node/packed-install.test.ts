import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROOT } from './child.js';

/*
 * The package as users get it: `npm pack`, then an install with --ignore-scripts, as on a
 * machine without a compiler, so only the prebuilt addon in prebuilds/ can make memoryMap
 * work. dist/ is built here only if it is missing (`npm test` builds it first); the pack skips
 * its prepack build so that other test files reading dist/ meanwhile never see it emptied.
 * About 15 s with a warm npm cache; NATIVEFILE_SKIP_PACKED_INSTALL=1 skips it.
 */
const skip = process.env.NATIVEFILE_SKIP_PACKED_INSTALL === '1';

/** The environment for child npm and node processes, without the npm script that runs vitest. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('npm_lifecycle_') && !key.startsWith('npm_package_')) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs an ES module snippet in the consumer project and returns what it printed as JSON. */
function runInApp(app: string, script: string): unknown {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: app,
    encoding: 'utf8',
    env: childEnv(),
    timeout: 20_000,
  });
  return JSON.parse(output.trim().split('\n').at(-1) ?? 'null');
}

const MAP_A_FILE = `
  import { writeFileSync } from 'node:fs';
  import { IOError, memoryMap } from 'nativefile/node';
  writeFileSync('data.bin', new Uint8Array([10, 20, 30, 40, 50, 60]));
  try {
    const file = memoryMap('data.bin', 'r');
    file.seek(1);
    const bytes = Array.from(file.readSync(4));
    file.closeSync();
    console.log(JSON.stringify({ bytes }));
  } catch (error) {
    console.log(JSON.stringify({ io: error instanceof IOError, code: error.code, message: error.message }));
  }
`;

describe.skipIf(skip)('the packed package, installed with --ignore-scripts', () => {
  let work = '';
  let app = '';
  let installed = '';

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'nativefile-packed-'));
    if (!existsSync(join(ROOT, 'dist', 'node.js'))) {
      const bin = join(ROOT, 'node_modules', '.bin');
      execFileSync(join(bin, 'vite'), ['build'], { cwd: ROOT, env: childEnv(), stdio: 'pipe', timeout: 120_000 });
      execFileSync(join(bin, 'tsc'), ['-p', 'tsconfig.build.json'], {
        cwd: ROOT,
        env: childEnv(),
        stdio: 'pipe',
        timeout: 120_000,
      });
    }
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', work], {
      cwd: ROOT,
      env: childEnv(),
      stdio: 'pipe',
      timeout: 120_000,
    });
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    if (tarball === undefined) throw new Error(`npm pack left no tarball in ${work}`);
    app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'nativefile-consumer', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', join(work, tarball)], {
      cwd: app,
      env: childEnv(),
      stdio: 'pipe',
      timeout: 120_000,
    });
    installed = join(app, 'node_modules', 'nativefile');
  }, 180_000);

  afterAll(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  test('ships the prebuilt addon and no local build', () => {
    expect(readdirSync(join(installed, 'prebuilds', 'linux-x64'))).toEqual(['nativefile.glibc.node']);
    expect(existsSync(join(installed, 'build'))).toBe(false);
    expect(existsSync(join(installed, 'dist', 'node.js'))).toBe(true);
  });

  test.runIf(process.platform === 'linux' && process.arch === 'x64')('memoryMap maps a file through the prebuilt addon', () => {
    expect(runInApp(app, MAP_A_FILE)).toEqual({ bytes: [20, 30, 40, 50] });
  });

  test('the install script neither builds nor fails when the prebuild loads', () => {
    const script = join(installed, 'scripts', 'build-addon.mjs');
    const result = spawnSync(process.execPath, [script], { cwd: installed, encoding: 'utf8', env: childEnv(), timeout: 60_000 });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(existsSync(join(installed, 'build'))).toBe(false);
  });

  test('without a binary: the install script warns but succeeds; memoryMap throws IOError ENOSYS', () => {
    renameSync(join(installed, 'prebuilds'), join(installed, 'prebuilds-hidden'));
    try {
      // No node-gyp on PATH and none from npm: the source build cannot even start.
      const result = spawnSync(process.execPath, [join(installed, 'scripts', 'build-addon.mjs')], {
        cwd: installed,
        encoding: 'utf8',
        env: childEnv({ PATH: '/nonexistent', npm_config_node_gyp: '' }),
        timeout: 60_000,
      });
      expect(result.status).toBe(0);
      expect(result.stderr).toMatch(/did not build from source/);
      const outcome = runInApp(app, MAP_A_FILE);
      expect(outcome).toMatchObject({ io: true, code: 'ENOSYS' });
      expect((outcome as { message: string }).message).toMatch(/node-gyp rebuild/);
    } finally {
      renameSync(join(installed, 'prebuilds-hidden'), join(installed, 'prebuilds'));
    }
  });
});
