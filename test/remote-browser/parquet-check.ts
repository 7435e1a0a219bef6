// hyparquet in the page, reading Parquet over HttpFile through the asyncBufferOf adapter.
import { parquetReadObjects } from 'hyparquet';
import { asyncBufferOf, HttpFile } from '../../src/index.js';
import { recordingFetch } from './http-checks.js';

/** Rows `rowStart`..`rowEnd` of the columns `id`, `name`, `score`, and the GETs it took. */
export async function parquetRows(url: string, rowStart: number, rowEnd: number) {
  const { fetch, seen } = recordingFetch();
  const file = await HttpFile.open(url, { fetch, readAhead: 0 });
  try {
    const rows = await parquetReadObjects({
      file: await asyncBufferOf(file),
      columns: ['id', 'name', 'score'],
      rowStart,
      rowEnd,
    });
    return { rows, gets: seen.filter((s) => s.method === 'GET').length };
  } finally {
    await file.close();
  }
}
