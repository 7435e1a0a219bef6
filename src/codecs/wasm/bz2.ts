import { ShimModule } from './shim-module.js';
import { MODULE_HEX } from './bz2.generated.js';

/** The bz2 module (wasm/codecs/bz2.c): decoder and encoder, instantiated on first use. */
export function loadModule(): Promise<ShimModule> {
  return ShimModule.load(MODULE_HEX, 'bz2');
}
