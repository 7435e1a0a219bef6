/**
 * Parquet files whose pages are zstd, brotli, LZ4 (Hadoop-framed), LZ4_RAW, gzip and snappy,
 * written by hyparquet-writer with nativefile's compressors and read by hyparquet with its
 * decompressors (`parquetCompressors` / `parquetDecompressors`). The codecs' own bytes are
 * checked against the reference tools in reference-tools.test.ts.
 */
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, test } from 'vitest';
import { asyncBufferOf, BufferReader, parquetCompressors, parquetDecompressors, type ParquetCodecName } from '../../src/index.js';

const rows = 30_000;
const ids = Array.from({ length: rows }, (_, i) => i);
const names = ids.map((i) => `row-${i % 977}`);
const scores = ids.map((i) => ((i * 7919) % 1000) / 10);

describe.each(['ZSTD', 'BROTLI', 'LZ4', 'LZ4_RAW', 'GZIP', 'SNAPPY'] as ParquetCodecName[])('%s pages', (codec) => {
  test('hyparquet reads them through parquetDecompressors', async () => {
    const file = new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'id', data: ids, type: 'INT32' },
          { name: 'name', data: names, type: 'STRING' },
          { name: 'score', data: scores, type: 'DOUBLE' },
        ],
        codec,
        compressors: await parquetCompressors([codec]),
        rowGroupSize: 10_000,
      }),
    );
    const metadata = parquetMetadata(file.buffer);
    expect(metadata.row_groups[0]!.columns[0]!.meta_data!.codec).toBe(codec);
    const asyncBuffer = await asyncBufferOf(new BufferReader(file));
    const read = await parquetReadObjects({ file: asyncBuffer, compressors: await parquetDecompressors() });
    expect(read.length).toBe(rows);
    expect(read[12_345]).toEqual({ id: 12_345, name: names[12_345], score: scores[12_345] });
    expect(read.map((row) => row.id)).toEqual(ids);
  });
});
