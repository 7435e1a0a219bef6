/**
 * The one file contract (contract.ts), run against every backend and wrapper that runs in
 * Node. OPFS runs its share in the browser suite.
 */
import { open as openHandle } from 'node:fs/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  BlobFile,
  BlobOutputStream,
  BufferedInputStream,
  BufferedOutputStream,
  BufferOutputStream,
  BufferReader,
  CompressedInputStream,
  CompressedOutputStream,
  fromReadableStream,
  fromWritableStream,
  inputStream,
  JsFile,
  memoryMap,
  NativeFile,
  OSFile,
} from '../../src/node.js';
import { tempFiles } from '../helpers.js';
import { readerContract, writerContract } from './contract.js';

const { fresh } = tempFiles('contract');
const asFile = (file: unknown) => file as NativeFile;
const onDisk = (data: Uint8Array, name = fresh()) => {
  writeFileSync(name, data);
  return name;
};
const streamOf = (data: Uint8Array, chunk = 7) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < data.length; i += chunk) controller.enqueue(data.slice(i, i + chunk));
      controller.close();
    },
  });

const sync = { sync: true, seekable: true, seekPastEnd: false };
readerContract('BufferReader', sync, (data) => ({ file: asFile(new BufferReader(data)) }), 150);
readerContract('memoryMap', sync, (data) => ({ file: asFile(memoryMap(onDisk(data))) }));
readerContract('OSFile', { ...sync, seekPastEnd: true }, (data) => ({ file: asFile(new OSFile(onDisk(data))) }));
readerContract('BlobFile', { sync: false, seekable: true, seekPastEnd: true }, (data) => ({
  file: asFile(new BlobFile(new Blob([data as Uint8Array<ArrayBuffer>]), { readAhead: 16 })),
}));
readerContract(
  'JsFile over a FileHandle',
  { sync: false, seekable: true, seekPastEnd: true, seekFromEnd: false },
  async (data) => ({
    file: asFile(new JsFile(await openHandle(onDisk(data)))),
  }),
);

const stream = { sync: false, seekable: false, seekPastEnd: false };
readerContract('JsFile over a Node Readable', stream, (data) => ({
  file: asFile(new JsFile(Readable.from([Buffer.from(data)]))),
}));
readerContract('fromReadableStream', stream, (data) => ({ file: asFile(fromReadableStream(streamOf(data))) }));
readerContract('BufferedInputStream over a sync reader', { ...stream, sync: true }, (data) => ({
  file: asFile(new BufferedInputStream(new BufferReader(data), 16)),
}));
readerContract('BufferedInputStream over a stream', stream, (data) => ({
  file: asFile(new BufferedInputStream(fromReadableStream(streamOf(data)), 9)),
}));
readerContract(
  'CompressedInputStream',
  stream,
  (data) => ({
    file: asFile(new CompressedInputStream(new BufferReader(gzipSync(data)), 'gzip')),
  }),
  30,
);
readerContract(
  'inputStream of a .gz path',
  stream,
  (data) => ({ file: asFile(inputStream(onDisk(gzipSync(data), `${fresh()}.gz`))) }),
  30,
);

writerContract('BufferOutputStream', true, () => {
  const out = new BufferOutputStream();
  return { file: asFile(out), written: () => out.getValue().toBytes() };
});
writerContract('OSFile', true, () => {
  const path = fresh();
  return { file: asFile(new OSFile(path, 'wb')), written: () => readFileSync(path) };
});
writerContract('BlobOutputStream', true, () => {
  const out = new BlobOutputStream();
  return { file: asFile(out), written: async () => new Uint8Array(await out.getValue().arrayBuffer()) };
});
writerContract('JsFile over a FileHandle', false, async () => {
  const path = fresh();
  return { file: asFile(new JsFile(await openHandle(path, 'w'), 'wb')), written: () => readFileSync(path) };
});
writerContract('JsFile over a Node Writable', false, () => {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { file: asFile(new JsFile(sink, 'wb')), written: () => Buffer.concat(chunks) };
});
writerContract('fromWritableStream', false, () => {
  const chunks: Uint8Array[] = [];
  const sink = new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(chunk) });
  return { file: asFile(fromWritableStream(sink)), written: () => Buffer.concat(chunks) };
});
writerContract('BufferedOutputStream', true, () => {
  const out = new BufferOutputStream();
  return { file: asFile(new BufferedOutputStream(out, 16)), written: () => out.getValue().toBytes() };
});
writerContract(
  'CompressedOutputStream',
  false,
  () => {
    const out = new BufferOutputStream();
    return { file: asFile(new CompressedOutputStream(out, 'gzip')), written: () => gunzipSync(out.getValue().toBytes()) };
  },
  20,
);
