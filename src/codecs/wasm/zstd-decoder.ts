import { ShimModule } from './shim-module.js';
import { MODULE_HEX as DECODER } from './zstd-decoder.generated.js';

/** The zstd decoder module (wasm/codecs/zstd.c), instantiated on first use. */
export function loadDecoder(): Promise<ShimModule> {
  return ShimModule.load(DECODER, 'zstd');
}
