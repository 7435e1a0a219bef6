import { ShimModule } from './shim-module.js';
import { MODULE_HEX } from './lz4.generated.js';

/** The lz4 module (wasm/codecs/lz4.c): decoder and encoder, instantiated on first use. */
export function loadModule(): Promise<ShimModule> {
  return ShimModule.load(MODULE_HEX, 'lz4');
}
