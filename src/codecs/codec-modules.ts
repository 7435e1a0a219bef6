/**
 * The codec modules loaded on first use, each once per thread: the wasm builds of the
 * reference libraries and fflate's coders. Each `import()` is a chunk of its own.
 * @module
 */
import type { ShimModule } from './wasm/shim-module.js';

/** A wasm codec module's name. */
export type WasmModuleName = 'zstd-decoder' | 'zstd-encoder' | 'brotli-decoder' | 'brotli-encoder' | 'lz4' | 'bz2';

const modules = new Map<string, Promise<ShimModule>>();

/** A wasm module, loaded once per thread. */
export function wasm(key: WasmModuleName): Promise<ShimModule> {
  let module = modules.get(key);
  if (module === undefined) {
    // Each import is its own chunk, loaded only by the codec that needs it.
    switch (key) {
      case 'zstd-decoder':
        module = import('./wasm/zstd-decoder.js').then((m) => m.loadDecoder());
        break;
      case 'zstd-encoder':
        module = import('./wasm/zstd-encoder.js').then((m) => m.loadEncoder());
        break;
      case 'brotli-decoder':
        module = import('./wasm/brotli-decoder.js').then((m) => m.loadDecoder());
        break;
      case 'brotli-encoder':
        module = import('./wasm/brotli-encoder.js').then((m) => m.loadEncoder());
        break;
      case 'lz4':
        module = import('./wasm/lz4.js').then((m) => m.loadModule());
        break;
      default:
        module = import('./wasm/bz2.js').then((m) => m.loadModule());
    }
    modules.set(key, module);
    module.catch(() => modules.delete(key));
  }
  return module;
}

/** fflate's coders (gzip, deflate, deflate-raw). */
export const fflate = () => import('./fflate-coders.js');
