// An esbuild plugin for size-limit (.size-limit.mjs) that measures what an app loads at start.
// Vite and webpack put what a module imports dynamically (`import()`) into chunks an app loads
// on first use. esbuild's own code splitting keeps more than they do when the app imports
// through the package's index (it loads dynamically imported modules' code with the entry),
// so instead the plugin leaves every dynamic import out of the bundle; the "loaded on first
// use" checks measure those modules on their own.

/** Leaves the targets of dynamic imports out of the bundle (an app loads them later). */
export const initialChunkOnly = {
  name: 'nativefile-initial-chunk-only',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined,
    );
  },
};
