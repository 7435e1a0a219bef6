/**
 * Node's built-in modules through `process.getBuiltinModule` (Node 20.16 and later): no
 * `import` of a Node built-in, so browser bundles have none and bundlers resolve nothing.
 * @module
 */

/** What the program's `process` has of `getBuiltinModule`, where it has a `process`. */
type BuiltinModules = { getBuiltinModule?: (id: string) => unknown } | undefined;

/** Node's built-in module `id` (`'node:zlib'`, `'node:stream'`), or `undefined` outside Node. */
export function nodeBuiltin(id: string): unknown {
  const runtime = (globalThis as { process?: BuiltinModules }).process;
  return typeof runtime?.getBuiltinModule === 'function' ? runtime.getBuiltinModule(id) : undefined;
}
