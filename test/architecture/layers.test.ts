/**
 * The tree as the README's "Contributing" section draws it: layers that point one way, no
 * import cycle (type-only imports count: ESLint's `import-x/no-cycle` skips them), and a demo
 * that uses only the package's entry, as an app would.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The layers, top first: a module may import its own layer and those below it. */
const LAYERS: [name: string, files: RegExp][] = [
  ['entries', /^(src\/(index|node)\.ts|worker\/)/],
  ['adapters', /^src\/adapters\//],
  ['filesystems', /^src\/fs\//],
  ['remote', /^src\/remote\//],
  // inputStream/outputStream open whatever the user has, over the backends and wrappers.
  ['openers', /^src\/io\/(open|node-open)\.ts$/],
  // The other modules directly under src/io/ are helpers of the backends (errors, the addon).
  ['backends', /^src\/io\/(backends\/|[^/]+\.ts$)/],
  ['wrappers', /^src\/io\/wrappers\//],
  ['file core', /^src\/io\/core\//],
  // Codecs deal in bytes and buffers; the compressed streams (wrappers) drive them.
  ['codecs', /^src\/codecs\//],
  ['opfs', /^src\/opfs\//],
  ['memory', /^src\/memory\//],
  ['base', /^src\/(errors\.ts|util\/|platform\/)/],
];

/** The TypeScript modules under `folder`, relative to the repository. */
function modules(folder: string): string[] {
  const found: string[] = [];
  const walk = (path: string): void => {
    if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
    else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) found.push(relative(root, path));
  };
  walk(join(root, folder));
  return found.sort();
}

/** The modules `file` imports or re-exports from, type-only ones included; relative ones resolved. */
function importsOf(file: string): { relative: string[]; all: string[] } {
  const all = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true).importedFiles.map((ref) => ref.fileName);
  return {
    all,
    relative: all
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => relative(root, resolve(root, dirname(file), specifier.replace(/\.js$/, '.ts')))),
  };
}

const library = [...modules('src'), ...modules('worker')];
const graph = new Map(library.map((file) => [file, importsOf(file).relative]));

const layerOf = (file: string): number => {
  const index = LAYERS.findIndex(([, files]) => files.test(file));
  if (index < 0) throw new Error(`${file} is in no layer of the test's LAYERS`);
  return index;
};

test('every module of the library imports only from its own layer or those below it', () => {
  const upward: string[] = [];
  for (const [file, imported] of graph) {
    for (const target of imported) {
      if (layerOf(target) < layerOf(file)) {
        upward.push(`${file} (${LAYERS[layerOf(file)]![0]}) -> ${target} (${LAYERS[layerOf(target)]![0]})`);
      }
    }
  }
  expect(upward).toEqual([]);
});

test('the library has no import cycle, counting type-only imports', () => {
  // Depth-first search; a module met again while still on the path closes a cycle.
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    path.push(file);
    for (const target of graph.get(file) ?? []) {
      if (state.get(target) === 'open') cycles.push([...path.slice(path.indexOf(target)), target].join(' -> '));
      else if (!state.has(target)) visit(target);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  expect(cycles).toEqual([]);
});

test('the demo imports only the package entry', () => {
  const imported = modules('demo').flatMap((file) => importsOf(file).all.map((specifier) => `${file}: ${specifier}`));
  expect(imported.length).toBeGreaterThan(0);
  expect(imported.filter((line) => !line.endsWith(': ../src/index.js'))).toEqual([]);
});
