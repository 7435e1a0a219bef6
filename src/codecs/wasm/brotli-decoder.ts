import { ShimModule } from './shim-module.js';
import { MODULE_HEX as DECODER } from './brotli-decoder.generated.js';

/** The brotli decoder module (wasm/codecs/brotli.c), instantiated on first use. */
export function loadDecoder(): Promise<ShimModule> {
  return ShimModule.load(DECODER, 'brotli');
}
