// Random access into a picked File without reading it whole: its header, its last bytes, its lines.
import { BlobFile } from 'nativefile';

export async function inspect(picked: File): Promise<{ magic: string; tail: Uint8Array; firstLine: string }> {
  await using file = new BlobFile(picked);
  const magic = new TextDecoder().decode(await file.readAt(0, 4)); // 4 bytes at offset 0
  const tail = await file.readAt((await file.size()) - 8, 8); // the position does not move
  let firstLine = '';
  for await (const line of file.lines()) {
    firstLine = new TextDecoder().decode(line).trimEnd(); // each line ends with its '\n', as PyArrow's readline
    break;
  }
  return { magic, tail, firstLine };
}
