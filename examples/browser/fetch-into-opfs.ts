// Stream a download into OPFS as it arrives: memory stays small whatever the size.
import { OpfsFile } from 'nativefile';

export async function download(url: string, path: string, signal?: AbortSignal): Promise<number> {
  const response = await fetch(url, signal === undefined ? {} : { signal });
  if (!response.ok || response.body === null) throw new Error(`${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length') ?? NaN);
  await using file = await OpfsFile.open(path, 'wb');
  return file.upload(response.body, {
    onProgress: (done) => console.log(`${done} of ${total} bytes`),
    ...(signal === undefined ? {} : { signal }),
  });
}
