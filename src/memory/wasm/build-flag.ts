/**
 * `__NATIVEFILE_WASM_POOL__`, the app's build flag (Vue's feature-flag pattern). An app that
 * never runs cross-origin isolated can define it as `false` in its bundler (Vite `define`,
 * webpack `DefinePlugin`, esbuild `define`), which leaves the wasm pool and its embedded
 * module out of the bundle (docs/bundle-sizes.md). Undefined, as in every build that does not
 * set it, means included: the default pool is then `wasm` wherever shared memory is available.
 *
 * Where dropping code depends on it, the module spells out the whole test
 * (`typeof __NATIVEFILE_WASM_POOL__ === 'boolean' && !__NATIVEFILE_WASM_POOL__`) instead of
 * calling {@link wasmPoolLeftOut}: a bundler folds the expression, never a call.
 * @module
 */

declare const __NATIVEFILE_WASM_POOL__: boolean | undefined;

/** Whether the app's build left the wasm pool out (`__NATIVEFILE_WASM_POOL__` defined as `false`). */
export function wasmPoolLeftOut(): boolean {
  return typeof __NATIVEFILE_WASM_POOL__ === 'boolean' && !__NATIVEFILE_WASM_POOL__;
}

/** The error of a call that needs the wasm pool's module in a build that left it out. */
export function leftOut(): TypeError {
  return new TypeError(
    'this app was built with __NATIVEFILE_WASM_POOL__ defined as false, which leaves the wasm pool out: ' +
      'use the system pool, or attach a pool another thread shares (attachMemoryPool)',
  );
}
