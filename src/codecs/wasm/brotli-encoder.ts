import { ShimModule } from './shim-module.js';
import { MODULE_HEX as ENCODER } from './brotli-encoder.generated.js';

/** The brotli encoder module (wasm/codecs/brotli.c), instantiated on first use. */
export function loadEncoder(): Promise<ShimModule> {
  return ShimModule.load(ENCODER, 'brotli');
}
