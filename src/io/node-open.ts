import { OSFile } from './backends/os-file.js';
import type { AnyInputStream, AnyOutputStream } from './core/interfaces.js';
import type { NativeFile } from './core/native-file.js';
import { openInput, openOutput, type InputSource, type OutputSink, type StreamOptions } from './open.js';

const openOsFile = (path: string, mode: 'rb' | 'wb'): NativeFile => new OSFile(path, mode) as unknown as NativeFile;

/** {@link inputStream} that also opens paths (strings and `file:` URLs) as OS files; `.gz .bz2 .br .lz4 .zst` are detected. */
export function inputStream(source: InputSource | string | URL, options: StreamOptions = {}): AnyInputStream {
  return openInput(source, options, openOsFile);
}

/** {@link outputStream} that also opens paths (strings and `file:` URLs) as OS files; `.gz .bz2 .br .lz4 .zst` are detected. */
export function outputStream(sink: OutputSink | string | URL, options: StreamOptions = {}): AnyOutputStream {
  return openOutput(sink, options, openOsFile);
}
