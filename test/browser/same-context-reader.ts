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
  const text = await textOf(path, options);
  // Both closed at once: the writer waits for the reader, which is closing, and replaces the file.
  const reader2 = await OpfsFile.open(path, 'rb', options);
  const writer2 = await OpfsFile.open(path, 'wb', options);
  await writer2.write(encode('newer'));
  const together = await Promise.all([writer2.close(), reader2.close()]).then(
    () => 'closed',
    (error: { code?: string }) => error.code ?? 'no code',
  );
  return { closed, text, together, after: await textOf(path, options) };
}

async function textOf(path: string, options: OpfsOpenOptions): Promise<string> {
  const file = await OpfsFile.open(path, 'rb', options);
  const text = new TextDecoder().decode(await file.read());
  await file.close();
  return text;
}
