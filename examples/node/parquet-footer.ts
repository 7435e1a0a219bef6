// Read a Parquet file's footer over HTTP with two small Range requests, not the whole file.
import { HttpFile } from 'nativefile';

const url = process.argv[2] ?? 'https://example.com/table.parquet';
await using file = await HttpFile.open(url); // one HEAD: the size and the ETag
const size = await file.size();
const [tail] = await file.readRanges([{ offset: size - 8, length: 8 }]);
const footerLength = new DataView(tail!.buffer, tail!.byteOffset).getUint32(0, true);
if (new TextDecoder().decode(tail!.subarray(4)) !== 'PAR1') throw new Error(`${url} is not a Parquet file`);
const footer = await file.readAt(size - 8 - footerLength, footerLength); // the Thrift FileMetaData
console.log(`footer: ${footer.byteLength} bytes of ${size}`);
