/**
 * Bundle sizes as Vite builds them: small apps that import nativefile from the packed package
 * (the tarball `npm pack` makes, installed as an app installs it), built by Vite 8 for
 * production with its defaults. Vite adds code of its own that esbuild's measure
 * (.size-limit.mjs, test/size/budgets.test.ts) does not see: the module-preload polyfill every
 * app's entry carries (0.4 kB), and its preload helper (0.85 kB) in a chunk that reaches an
 * `import()`, as the file core's lazily loaded copies (upload, download) do.
 *
 * Each figure is what the page loads at start: the entry chunk and the chunks it imports
 * statically (index.html's script and modulepreload links), gzipped at level 9 each, as
 * size-limit measures. What loads on first use (dynamic imports) is left out.
 * `npm test` builds dist/ first; run `npm run build` before running this file alone.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { cacheRoot, packedTarball, runOk } from '../consumers/fixtures.js';

const here = fileURLToPath(new URL('.', import.meta.url));

interface App {
  /** What the app imports from nativefile. */
  readonly imports: string;
  /** The app's code using them, so that nothing is dropped as unused. */
  readonly code: string;
  /** The budget in bytes; tighten it when you beat it, and never loosen one without a note. */
  readonly budget: number;
  /** The target, where it set one. */
  readonly target?: number;
}

const apps: Record<string, App> = {
  // Target 6 kB. Measured 7.37 kB (7.12 kB before the edges' checks and messages, issue 22;
  // see .size-limit.mjs): 0.4 kB of it is Vite's module-preload polyfill, which every
  // Vite app's entry has, and 0.85 kB Vite's preload helper, for the import() of the copies
  // (src/io/core/native-file.ts), which an app's own dynamic imports share; without the helper
  // it would be 6.5 kB (esbuild's measure of the library alone: 6.21 kB). Loosened to 7.41 kB
  // (7.407 measured) for released buffers leaving the collection backstop's list and letting
  // go of their memory (src/memory/collection.ts, src/memory/buffer.ts): a loop of allocate +
  // release had held up to 64 MB until the list was registered. Tightened to 7.13 kB (7.128)
  // when Buffers over foreign memory stopped carrying that backstop (src/memory/allocation.ts).
  // Vite adds its helper for any import() it can resolve, even with nothing to preload
  // (vitejs/vite#13952, open): about 0.77 kB of the figure. Loosened to 7.18 kB (7.17) for
  // the file core's share of a round of reviews' fixes (.size-limit.mjs says which). Loosened
  // to 7.21 kB (7.201) for a second round's (a Buffer's view keeps it alive; .size-limit.mjs).
  BufferReader: {
    imports: 'BufferReader',
    code: 'const file = new BufferReader(new TextEncoder().encode("hello"));\nconsole.log(file.readSync(5));',
    budget: 7210,
    target: 6000,
  },
  // Target 10 kB. Measured 9.12 kB in two files (the code the entry shares with the lazily
  // loaded copies is a chunk of its own, preloaded); 8.87 kB (8.865) since Buffers over
  // foreign memory carry no collection backstop; 8.91 kB (8.90) for the file core's share of a
  // round of reviews' fixes (.size-limit.mjs); 8.95 kB (8.942) for a second round's; 9.11 kB
  // (9.107) for a review of the streams adapters (a signal reaching its stream weakly, and
  // more; .size-limit.mjs).
  'BlobFile + toReadableStream': {
    imports: 'BlobFile, toReadableStream',
    code: 'const stream = toReadableStream(new BlobFile(new Blob(["hello"])));\nconsole.log(await new Response(stream).text());',
    budget: 9110,
    target: 10000,
  },
};

const sha = (...parts: (string | Uint8Array)[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 16);
};

/**
 * A folder with the tarball and Vite installed, reused while the tarball, this app's
 * package.json and the Node ABI stay the same (outside the repository: see cacheRoot).
 */
async function installed(tarball: string): Promise<string> {
  const manifest = readFileSync(join(here, 'vite-app/package.json'));
  const dir = join(cacheRoot, `size-vite-app-${sha(readFileSync(tarball), manifest, process.versions.modules)}`);
  mkdirSync(cacheRoot, { recursive: true });
  for (const entry of readdirSync(cacheRoot)) {
    if (entry.startsWith('size-vite-app-') && join(cacheRoot, entry) !== dir)
      rmSync(join(cacheRoot, entry), { recursive: true, force: true });
  }
  if (!existsSync(join(dir, '.installed'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), manifest);
    copyFileSync(tarball, join(dir, 'nativefile.tgz'));
    await runOk('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, timeoutMs: 600_000 });
    writeFileSync(join(dir, '.installed'), new Date().toISOString());
  }
  return dir;
}

/** Builds one app with Vite; returns the gzipped bytes of each file the page loads at start. */
async function build(dir: string, id: string, app: App): Promise<Map<string, number>> {
  const root = join(dir, 'apps', id);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html>\n<script type="module" src="./main.js"></script>\n');
  writeFileSync(join(root, 'main.js'), `import { ${app.imports} } from 'nativefile';\n${app.code}\n`);
  await runOk(process.execPath, [join(dir, 'node_modules/vite/bin/vite.js'), 'build', root, '--logLevel', 'warn'], {
    cwd: dir,
    timeoutMs: 180_000,
  });
  const out = join(root, 'dist');
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script type="module"[^>]*\bsrc|link rel="modulepreload"[^>]*\bhref)="\/?([^"]+)"/g)].map(
    (match) => match[1]!,
  );
  if (files.length === 0) throw new Error(`no module script in the built index.html of ${id}:\n${html}`);
  return new Map(files.map((file) => [file, gzipSync(readFileSync(join(out, file)), { level: 9 }).byteLength]));
}

const kB = (bytes: number): string => `${(bytes / 1000).toFixed(2)} kB`;
const measured = new Map<string, Map<string, number>>();

beforeAll(async () => {
  if (!existsSync(fileURLToPath(new URL('../../dist/index.js', import.meta.url)))) {
    throw new Error('dist/ is not built: run `npm run build` first');
  }
  const dir = await installed(await packedTarball());
  const lines: string[] = [];
  for (const [id, app] of Object.entries(apps)) {
    const files = await build(dir, id, app);
    measured.set(id, files);
    const total = [...files.values()].reduce((sum, bytes) => sum + bytes, 0);
    const target = app.target === undefined ? '' : `, target ${kB(app.target)}`;
    lines.push(`  ${id.padEnd(30)} ${kB(total).padStart(9)}  (budget ${kB(app.budget)}${target}; ${files.size} file(s))`);
  }
  console.log(`what a Vite 8 app loads at start (gzip level 9):\n${lines.join('\n')}`);
}, 900_000);

describe('bundle sizes as Vite builds an app from the packed package', () => {
  for (const [id, app] of Object.entries(apps)) {
    test(id, () => {
      const files = measured.get(id);
      expect(files, `${id} was not built`).toBeDefined();
      const total = [...files!.values()].reduce((sum, bytes) => sum + bytes, 0);
      const detail = [...files!].map(([file, bytes]) => `${file} ${kB(bytes)}`).join(', ');
      expect(total, `${id}: ${kB(total)} (${detail}) is over its budget of ${kB(app.budget)}`).toBeLessThanOrEqual(app.budget);
    });
  }
});
