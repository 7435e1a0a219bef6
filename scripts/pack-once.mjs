// Packs the package once per change of its inputs and prints the tarball's path. The consumer
// fixture tests install this tarball, so they test what `npm publish` would ship; keying the
// cache by a hash of the inputs lets `npm test` (pretest) and the test file itself both call it
// while the expensive `npm pack` (prepack = vite build + tsc declarations) runs once.
//
//   node scripts/pack-once.mjs              -> prints the tarball path (packs when the inputs changed)
//   node scripts/pack-once.mjs --from-dist  -> packs the dist/ already built, without prepack (see below)
//   NATIVEFILE_TARBALL=/x.tgz ...           -> uses that tarball instead (e.g. a pack of a known-good commit)
//
// --from-dist is what the tests use: `npm test` has just built dist/, and other test files read
// dist/ while the consumer tests run, so rebuilding it then (prepack's vite build empties it)
// would pull it from under them. The cache key then covers dist/'s contents too.
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
    'src',
    'worker',
    'package.json',
    'vite.config.ts',
    'tsconfig.json',
    'tsconfig.build.json',
    'scripts/embed-wasm.mjs',
  ];
  return entries.flatMap((entry) => walkFiles(join(root, entry)));
}

function walkFiles(dir) {
  const files = [];
  const walk = (path) => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) walk(join(path, name));
    } else {
      files.push(path);
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

/** A short hash over the paths and contents of every input file (and of dist/ with --from-dist). */
export function inputHash({ fromDist = false } = {}) {
  const hash = createHash('sha256');
  for (const file of [...inputFiles(), ...(fromDist ? walkFiles(join(root, 'dist')) : [])]) {
    hash.update(relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** Returns the path of a tarball of the current working tree, packing only when needed. */
export function packOnce({ fromDist = false, log = (line) => console.error(line) } = {}) {
  const override = process.env.NATIVEFILE_TARBALL;
  if (override) {
    if (!existsSync(override)) throw new Error(`NATIVEFILE_TARBALL=${override} does not exist`);
    log(`pack-once: using NATIVEFILE_TARBALL=${override}`);
    return resolve(override);
  }
  // Without a built dist/ there is nothing to pack as is: build it the normal way (prepack).
  const asBuilt = fromDist && existsSync(join(root, 'dist/index.js'));
  if (fromDist && !asBuilt) log('pack-once: no dist/ yet, so npm pack builds it (prepack)');
  const dir = join(packCacheDir, `${asBuilt ? 'dist-' : ''}${inputHash({ fromDist: asBuilt })}`);
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
  const result = spawnSync('npm', ['pack', ...(asBuilt ? ['--ignore-scripts'] : []), '--pack-destination', scratch], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    rmSync(scratch, { recursive: true, force: true });
    throw new Error(
      `npm pack failed (exit ${result.status})${asBuilt ? '' : '; its prepack builds the library'}:\n` +
        `${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`,
    );
  }
  // The scratch folder holds only what npm pack wrote: the one tarball.
  const [filename] = readdirSync(scratch).filter((name) => name.endsWith('.tgz'));
  if (filename === undefined) throw new Error(`npm pack wrote no tarball into ${scratch}`);
  renameSync(join(scratch, filename), join(scratch, 'nativefile.tgz'));
  rmSync(dir, { recursive: true, force: true });
  renameSync(scratch, dir);
  log(
    `pack-once: packed ${asBuilt ? 'the built dist/ into ' : ''}${relative(root, tarball)} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return tarball;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(packOnce({ fromDist: process.argv.includes('--from-dist') }));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
