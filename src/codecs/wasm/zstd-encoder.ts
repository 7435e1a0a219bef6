import { ShimModule } from './shim-module.js';
import { MODULE_HEX as ENCODER } from './zstd-encoder.generated.js';

/** The zstd encoder module (wasm/codecs/zstd.c), instantiated on first use. */
export function loadEncoder(): Promise<ShimModule> {
  return ShimModule.load(ENCODER, 'zstd');
}
