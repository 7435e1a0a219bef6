// Packs the package once per change of its inputs and prints the tarball's path. The consumer
// fixture tests install this tarball, so they test what `npm publish` would ship; keying the
// cache by a hash of the inputs lets `npm test` (pretest) and the test file itself both call it
// while the expensive `npm pack` (prepack = vite build + tsc declarations) runs once.
//
//   node scripts/pack-once.mjs        -> prints the tarball path (packs when the inputs changed)
//   NATIVEFILE_TARBALL=/x.tgz ...     -> uses that tarball instead (e.g. a pack of a known-good commit)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const packCacheDir = join(root, 'test/consumers/.cache/pack');

/** Files whose content decides what the tarball holds: the published sources and the build setup. */
function inputFiles() {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  // dist is the build's output, not an input; the build configuration is.
  const entries = [
    ...manifest.files.filter((entry) => entry !== 'dist'),
    'package.json', 'vite.config.ts', 'tsconfig.json', 'tsconfig.build.json', 'scripts/embed-wasm.mjs',
  ];
  const files = [];
  const walk = (path) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) walk(join(path, name));
    } else {
      files.push(path);
    }
  };
  for (const entry of entries) walk(join(root, entry));
  return files;
}

/** A short hash over the paths and contents of every input file. */
export function inputHash() {
  const hash = createHash('sha256');
  for (const file of inputFiles()) {
    hash.update(relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** Returns the path of a tarball of the current working tree, packing only when needed. */
export function packOnce({ log = (line) => console.error(line) } = {}) {
  const override = process.env.NATIVEFILE_TARBALL;
  if (override) {
    if (!existsSync(override)) throw new Error(`NATIVEFILE_TARBALL=${override} does not exist`);
    log(`pack-once: using NATIVEFILE_TARBALL=${override}`);
    return resolve(override);
  }
  const dir = join(packCacheDir, inputHash());
  const tarball = join(dir, 'nativefile.tgz');
  if (existsSync(tarball)) {
    log(`pack-once: reusing ${relative(root, tarball)}`);
    return tarball;
  }
  const started = Date.now();
  // Pack into a scratch folder and rename at the end, so an interrupted pack never leaves a
  // half-written tarball under the final name.
  const scratch = `${dir}.partial-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const result = spawnSync('npm', ['pack', '--pack-destination', scratch], {
    cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    rmSync(scratch, { recursive: true, force: true });
    throw new Error(`npm pack failed (exit ${result.status}); its prepack builds the library:\n` +
      `${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
  }
  // The scratch folder holds only what npm pack wrote: the one tarball.
  const [filename] = readdirSync(scratch).filter((name) => name.endsWith('.tgz'));
  if (filename === undefined) throw new Error(`npm pack wrote no tarball into ${scratch}`);
  renameSync(join(scratch, filename), join(scratch, 'nativefile.tgz'));
  rmSync(dir, { recursive: true, force: true });
  renameSync(scratch, dir);
  log(`pack-once: packed ${relative(root, tarball)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return tarball;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(packOnce());
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
