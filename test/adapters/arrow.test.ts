import {
  AsyncRecordBatchFileReader,
  Float64,
  Int32,
  RecordBatchFileWriter,
  RecordBatchReader,
  RecordBatchStreamWriter,
  Table,
  tableFromIPC,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, test } from 'vitest';
import { recordBatchReaderOf, writeIpc, type IpcReadable } from '../../src/adapters/arrow.js';
import { BlobFile, BufferedOutputStream, BufferOutputStream, BufferReader } from '../../src/index.js';
import { OSFile } from '../../src/node.js';
import { tempFiles } from '../helpers.js';

const ROWS = 2_000;
/** A table of three batches: the file format's footer locates each of them. */
function sampleTable(): Table {
  // Plain Utf8, not the dictionary tableFromArrays would make: the file format cannot hold
  // one dictionary per batch.
  const part = (from: number) =>
    new Table({
      id: vectorFromArray(
        Array.from({ length: ROWS }, (_, i) => from + i),
        new Int32(),
      ),
      value: vectorFromArray(
        Array.from({ length: ROWS }, (_, i) => (from + i) / 4),
        new Float64(),
      ),
      name: vectorFromArray(
        Array.from({ length: ROWS }, (_, i) => `row ${from + i}`),
        new Utf8(),
      ),
    });
  return part(0).concat(part(ROWS), part(2 * ROWS));
}

const rowsOf = (table: Table) => table.toArray().map((row) => JSON.stringify(row));

describe('apache-arrow adapters', () => {
  const table = sampleTable();

  for (const format of ['file', 'stream'] as const) {
    test(`an IPC ${format} written with tableToIPC reads back through recordBatchReaderOf over a BufferReader, a BlobFile and an OSFile`, async () => {
      const bytes = tableToIPC(table, format);
      const { fresh } = tempFiles('arrow');
      const path = fresh();
      const out = new OSFile(path, 'w');
      await out.write(bytes);
      await out.close();
      for (const file of [new BufferReader(bytes), new BlobFile(new Blob([bytes.slice()])), new OSFile(path, 'r')]) {
        const reader = await recordBatchReaderOf(file, RecordBatchReader);
        const back = new Table(await reader.readAll());
        expect(back.numRows).toBe(3 * ROWS);
        expect(rowsOf(back)).toEqual(rowsOf(table));
        await file.close();
      }
    });
  }

  test('the file format reads one batch without reading the others', async () => {
    const bytes = tableToIPC(table, 'file');
    const file = new BufferReader(bytes);
    let bytesRead = 0;
    const counting: IpcReadable = {
      size: () => file.size(),
      readAt: async (offset, n) => {
        const chunk = await file.readAt(offset, n);
        bytesRead += chunk.byteLength;
        return chunk;
      },
    };
    const reader = await recordBatchReaderOf(counting, RecordBatchReader);
    expect(reader).toBeInstanceOf(AsyncRecordBatchFileReader);
    const fileReader = reader as AsyncRecordBatchFileReader;
    await fileReader.open();
    expect(fileReader.numRecordBatches).toBe(3);
    const batch = await fileReader.readRecordBatch(1);
    expect(batch?.get(0)?.toJSON()).toEqual(table.get(ROWS)?.toJSON());
    expect(bytesRead).toBeLessThan(bytes.byteLength / 2);
  });

  test('writeIpc streams a RecordBatchStreamWriter into a BufferOutputStream that tableFromIPC reads', async () => {
    const out = new BufferOutputStream();
    const written = await writeIpc(out, RecordBatchStreamWriter.writeAll(table));
    expect(out.closed).toBe(false);
    const bytes = out.getValue();
    expect(written).toBe(bytes.size);
    expect(rowsOf(tableFromIPC(bytes.view))).toEqual(rowsOf(table));
  });

  test('writeIpc writes a live file-format writer, batch by batch, into a buffered OSFile', async () => {
    const { fresh } = tempFiles('arrow');
    const path = fresh();
    const raw = new OSFile(path, 'w');
    const out = new BufferedOutputStream(raw, 64 * 1024);
    const writer = new RecordBatchFileWriter();
    const done = writeIpc(out, writer);
    for (const batch of table.batches) writer.write(batch);
    await writer.close();
    await done;
    await out.close();
    const file = new OSFile(path, 'r');
    const back = new Table(await (await recordBatchReaderOf(file, RecordBatchReader)).readAll());
    expect(rowsOf(back)).toEqual(rowsOf(table));
    await file.close();
  });

  test('rejects a file that is not random-access and a class that is not a reader', async () => {
    await expect(recordBatchReaderOf({} as IpcReadable, RecordBatchReader)).rejects.toThrow(TypeError);
    await expect(recordBatchReaderOf(new BufferReader(new Uint8Array(0)), {} as typeof RecordBatchReader)).rejects.toThrow(
      /RecordBatchReader/,
    );
    await expect(writeIpc({} as BufferOutputStream, [])).rejects.toThrow(/output stream/);
  });
});
