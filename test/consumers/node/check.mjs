// A Node consumer of 'nativefile/node': OS files work, and nothing of the browser IO worker is
// loaded (trace-hooks.mjs records every module Node loads into NATIVEFILE_TRACE_FILE).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferOutputStream, OSFile, defaultMemoryPool } from 'nativefile/node';

const dir = mkdtempSync(join(tmpdir(), 'nativefile-consumer-'));
try {
  const path = join(dir, 'data.bin');
  const bytes = new TextEncoder().encode('written by a Node consumer\n');
  const out = new OSFile(path, 'wb');
  out.writeSync(bytes);
  out.closeSync();
  const input = new OSFile(path, 'rb');
  const back = input.readSync();
  input.closeSync();
  const sink = new BufferOutputStream();
  sink.writeSync(back);
  console.log(
    JSON.stringify({
      text: new TextDecoder().decode(sink.getValue().toBytes()),
      pool: defaultMemoryPool().backendName,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
