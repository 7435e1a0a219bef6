/**
 * The browser globals the public API names, as types taken from the program's own globals, so
 * the package's declarations compile without the DOM library (a Node program with
 * `lib: ["ES2022"]` and `@types/node`, `skipLibCheck: false`). Where a global is missing its
 * type is `never`: nothing of that kind can be passed there.
 * @module
 */

type Globals = typeof globalThis;

/** A dedicated `Worker` (DOM). */
export type WorkerInstance = Globals extends { Worker: { prototype: infer W } } ? W : never;

/** A `WebAssembly.Memory` (DOM; a Node program without the DOM library has no type for it). */
export type WasmMemory = Globals extends { WebAssembly: { Memory: { prototype: infer M } } } ? M : never;

/** A compiled `WebAssembly.Module`. */
export type WasmModule = Globals extends { WebAssembly: { Module: { prototype: infer M } } } ? M : never;

/** What `new Headers(init)` takes (`HeadersInit`: DOM, or Node's fetch types). */
export type HeadersInput = Globals extends { Headers: new (init?: infer I) => unknown } ? I : never;
