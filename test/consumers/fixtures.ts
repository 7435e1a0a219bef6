/**
 * Fixture apps built from the packed package: pack once (scripts/pack-once.mjs), install the
 * tarball into a working copy of each fixture (node_modules cached by the tarball's hash),
 * build it with the fixture's own bundler.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Working copies live outside the repository on purpose: inside it, Node, Vite and webpack
 * would fall back to the repository's own node_modules when walking up, and a dependency the
 * package forgot to declare would go unnoticed. NATIVEFILE_CONSUMERS_CACHE moves them (CI caches).
 */
export const cacheRoot = process.env.NATIVEFILE_CONSUMERS_CACHE ?? join(tmpdir(), 'nativefile-consumers');

export interface RunResult {
  code: number | null;
  output: string;
}

/**
 * The environment for child npm and node processes: under `npm test` the npm_lifecycle_* and
 * npm_package_* variables describe this package's test script, which a fixture's own npm must not inherit.
 */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('npm_lifecycle_') && !key.startsWith('npm_package_')) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs a command, collecting stdout and stderr together; kills it after `timeoutMs`. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: childEnv(options.env) });
    let output = '';
    child.stdout.on('data', (chunk: Uint8Array) => void (output += chunk.toString()));
    child.stderr.on('data', (chunk: Uint8Array) => void (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish within ${options.timeoutMs} ms:\n${output.slice(-4000)}`));
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Like run(), but a non-zero exit is an error carrying the output. */
export async function runOk(command: string, args: string[], options: Parameters<typeof run>[2]): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.code} in ${options.cwd}:\n${result.output.slice(-6000)}`);
  }
  return result.output;
}

/** The tarball of this working tree's built dist/: packed once per change (or NATIVEFILE_TARBALL). */
export async function packedTarball(): Promise<string> {
  const output = await runOk(process.execPath, [join(repoRoot, 'scripts/pack-once.mjs'), '--from-dist'], {
    cwd: repoRoot,
    timeoutMs: 300_000,
  });
  const lines = output.trim().split('\n');
  return lines[lines.length - 1]!.trim();
}

/** The browsers scripts/ensure-browsers.mjs finds (it exits non-zero with one message if it cannot). */
export async function browserPaths(): Promise<{ chromium: string; firefox: string }> {
  const output = await runOk(process.execPath, [join(repoRoot, 'scripts/ensure-browsers.mjs'), '--json'], {
    cwd: repoRoot,
    timeoutMs: 900_000,
  });
  const lines = output.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as { chromium: string; firefox: string };
}

const sha = (...parts: (string | Uint8Array)[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 16);
};

/** A page module as JavaScript, for apps whose bundler has no TypeScript loader (webpack). */
function pageModuleJs(file: string): string {
  const source = readFileSync(join(here, 'page', file), 'utf8');
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  }).outputText;
}

/**
 * A folder of the cache holding `template`'s package.json with the tarball installed as its
 * `nativefile.tgz`, under the name `name`. node_modules is reused while the tarball, the
 * package.json and the Node ABI stay the same; only the current copy of each name is kept.
 */
export async function installFixture(name: string, template: string, tarball: string): Promise<string> {
  const manifest = readFileSync(join(template, 'package.json'));
  const key = sha(readFileSync(tarball), manifest, process.versions.modules, process.platform, process.arch);
  const dir = join(cacheRoot, `${name}-${key}`);
  mkdirSync(cacheRoot, { recursive: true });
  // A stale copy is hundreds of MB of node_modules.
  for (const entry of readdirSync(cacheRoot)) {
    if (entry.startsWith(`${name}-`) && entry !== `${name}-${key}`)
      rmSync(join(cacheRoot, entry), { recursive: true, force: true });
  }
  const marker = join(dir, '.installed');
  if (!existsSync(marker)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(template, 'package.json'), join(dir, 'package.json'));
    copyFileSync(tarball, join(dir, 'nativefile.tgz'));
    const started = Date.now();
    await runOk('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, timeoutMs: 600_000 });
    writeFileSync(marker, `${new Date().toISOString()} in ${Date.now() - started} ms\n`);
  }
  return dir;
}

/** The fixture apps: folders next to this file, each built with its own bundler. */
export type FixtureApp = 'vite-app' | 'webpack-app' | 'rollup-app';

/**
 * A working copy of fixture `name` with the tarball installed (see {@link installFixture});
 * sources are copied afresh.
 */
export async function prepareFixture(name: FixtureApp, tarball: string): Promise<string> {
  const template = join(here, name);
  const dir = await installFixture(name, template, tarball);
  for (const entry of readdirSync(template)) {
    if (entry !== 'package.json') cpSync(join(template, entry), join(dir, entry), { recursive: true });
  }
  // The page's modules next to the app's entry: main.js and the worker entries as they are, the
  // typed checks transpiled (checks.ts -> checks.js), and the page (index.html).
  for (const entry of readdirSync(join(here, 'page'))) {
    if (entry.endsWith('.js') || entry.endsWith('.html')) copyFileSync(join(here, 'page', entry), join(dir, entry));
    if (entry.endsWith('.ts')) writeFileSync(join(dir, entry.replace(/\.ts$/, '.js')), pageModuleJs(entry));
  }
  mkdirSync(join(dir, 'node-check'), { recursive: true });
  for (const entry of readdirSync(join(here, 'node'))) copyFileSync(join(here, 'node', entry), join(dir, 'node-check', entry));
  return dir;
}

/**
 * Builds the fixture with its own bundler into `dist/`, `env` added to its environment; returns
 * the bundler's output (warnings).
 */
export function buildFixture(name: FixtureApp, dir: string, env?: NodeJS.ProcessEnv): Promise<string> {
  const cli = {
    'vite-app': [join(dir, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    'webpack-app': [join(dir, 'node_modules/webpack-cli/bin/cli.js'), '--config', 'webpack.config.mjs'],
    'rollup-app': [join(dir, 'node_modules/rollup/dist/bin/rollup'), '--config', 'rollup.config.mjs'],
  }[name];
  return runOk(process.execPath, cli, { cwd: dir, timeoutMs: 180_000, env });
}

export interface BundleFindings {
  files: string[];
  /** `file: specifier` for every Node built-in (node:fs, or bare fs) a browser file imports or requires. */
  nodeImports: string[];
  /** Native addon binaries, or code that loads one. */
  addons: string[];
}

const builtins = new Set(builtinModules);

/** What a browser bundle must not contain: Node built-ins and the native addon. */
export function scanBundle(dir: string): BundleFindings {
  const findings: BundleFindings = { files: [], nodeImports: [], addons: [] };
  const walk = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path)) walk(join(path, entry));
      return;
    }
    const name = relative(dir, path);
    findings.files.push(name);
    if (name.endsWith('.node')) findings.addons.push(name);
    if (!/\.(m?js|html)$/.test(name)) return;
    const text = readFileSync(path, 'utf8');
    const specifier = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']([\w:/.@-]+)["']/g;
    for (const [, module] of text.matchAll(specifier)) {
      if (module!.startsWith('node:') || builtins.has(module!)) findings.nodeImports.push(`${name}: ${module}`);
    }
    if (/node-gyp-build|\bprebuilds\/|\.node["']\s*\)/.test(text)) findings.addons.push(`${name}: loads a native addon`);
  };
  walk(dir);
  return findings;
}

/**
 * The built app's scripts that hold each of its entries' OPFS folder names: the page's checks,
 * its dedicated worker's and its SharedWorker's (page/), so that a test can see each worker
 * emitted as a file of its own.
 */
export function scriptsHoldingEntries(dist: string): { page: string[]; worker: string[]; shared: string[] } {
  const scripts = scanBundle(dist).files.filter((file) => /\.m?js$/.test(file));
  const holding = (marker: string) => scripts.filter((file) => readFileSync(join(dist, file), 'utf8').includes(marker));
  return {
    page: holding('nativefile-consumer-checks'),
    worker: holding('nativefile-consumer-worker'),
    shared: holding('nativefile-consumer-shared'),
  };
}
