// The page side of the codec browser tests (codecs.test.ts): bytes travel as base64 strings.
import { Codec } from '../../src/codecs/codec.js';
import type { CodecName } from '../../src/codecs/names.js';
import { platformHas } from '../../src/codecs/platform.js';
import { BufferOutputStream } from '../../src/io/backends/buffer-output-stream.js';
import { BufferReader } from '../../src/io/backends/buffer-reader.js';
import { inputStream } from '../../src/io/open.js';
import { CompressedInputStream } from '../../src/io/wrappers/compressed-input-stream.js';
import { CompressedOutputStream } from '../../src/io/wrappers/compressed-output-stream.js';
import { Buffer } from '../../src/memory/buffer.js';

const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.byteLength; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

const harness = {
  /** The first gzip stream of the page (it asks the platform whether it reads gzip members). */
  async firstGunzip(packed: string): Promise<string> {
    const stream = inputStream(fromBase64(packed), { compression: 'gzip' });
    return new TextDecoder().decode(await stream.read());
  },

  /** Decompresses `packed` with a compressed stream and with Codec: whether each equals `expected`. */
  async decompress(codec: CodecName, packed: string, expected: string): Promise<{ stream: boolean; codec: boolean }> {
    const input = fromBase64(packed);
    const want = Buffer.wrap(fromBase64(expected));
    const stream = new CompressedInputStream(new BufferReader(input), codec);
    const streamed = await stream.readBuffer();
    await stream.close();
    const whole = (await Codec.open(codec)).decompress(input);
    return { stream: streamed.equals(want), codec: whole.equals(want) };
  },

  /** Compresses `data` with a compressed stream (in pieces) and with Codec: both outputs. */
  async compress(codec: CodecName, data: string, level?: number): Promise<{ stream: string; codec: string }> {
    const bytes = fromBase64(data);
    const raw = new BufferOutputStream();
    const out = new CompressedOutputStream(raw, codec, { level });
    for (let offset = 0; offset < bytes.byteLength; offset += 70_000) await out.write(bytes.subarray(offset, offset + 70_000));
    await out.close();
    const whole = (await Codec.open(codec, { level })).compress(bytes);
    return { stream: toBase64(raw.getValue().toBytes()), codec: toBase64(whole.toBytes()) };
  },

  /** A small input expanding past maxOutputBytes: the error's code and message. */
  async bomb(codec: CodecName, packed: string, maxOutputBytes: number): Promise<string> {
    const stream = new CompressedInputStream(new BufferReader(fromBase64(packed)), codec, { maxOutputBytes });
    return stream.readBuffer().then(
      () => 'no error',
      (error: Error & { code?: string }) => `${error.code}: ${error.message}`,
    );
  },

  /** Which formats the platform's own streams take here. */
  platform(): Record<string, { compress: boolean; decompress: boolean }> {
    const formats = ['gzip', 'deflate', 'deflate-raw', 'brotli', 'zstd'];
    return Object.fromEntries(
      formats.map((format) => [
        format,
        { compress: platformHas(format, 'compress'), decompress: platformHas(format, 'decompress') },
      ]),
    );
  },
};

(globalThis as unknown as { harness: typeof harness }).harness = harness;
document.getElementById('status')!.textContent = 'ready';
export type CodecsHarness = typeof harness;
