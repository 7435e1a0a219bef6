// An atomic writer closed while a reader of the same path is open in the same context (as
// `await using` disposes them: the writer, opened last, first): its close must not wait for
// that reader, which only the code waiting on the close would close.
import { OpfsFile, type OpfsOpenOptions } from '../../src/io/backends/opfs-file.js';

export async function writerClosedBeforeItsReader(path: string, options: OpfsOpenOptions = {}) {
  const encode = (text: string) => new TextEncoder().encode(text);
  const old = await OpfsFile.open(path, 'wb', options);
  await old.write(encode('old'));
  await old.close();
  const reader = await OpfsFile.open(path, 'rb', options);
  const writer = await OpfsFile.open(path, 'wb', options);
  await writer.write(encode('new'));
  const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('still waiting after 3 s'), 3000));
  const closed = await Promise.race([
    writer.close().then(
      () => 'closed',
      (error: { code?: string }) => error.code ?? 'no code',
    ),
    timeout,
  ]);
  await reader.close();
  const after = await OpfsFile.open(path, 'rb', options);
  const text = new TextDecoder().decode(await after.read());
  await after.close();
  return { closed, text };
}
