// Copies each example of examples/ into the README where a marker names it, so the README
// shows exactly the code the tests run (test/examples/examples.test.ts):
//
//   <!-- example: examples/node/files-and-maps.ts -->
//   ```ts
//   ...the file, written here...
//   ```
//   <!-- /example -->
//
//   node scripts/examples.mjs           -> rewrites the README's example blocks
//   node scripts/examples.mjs --check   -> exits 1, naming the blocks that differ
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const check = process.argv.includes('--check');
const stale = [];
const updated = readme.replace(/<!-- example: (\S+) -->\n[\s\S]*?<!-- \/example -->/g, (block, path) => {
  if (!existsSync(join(root, path))) {
    stale.push(`${path} (no such file)`);
    return block;
  }
  const code = readFileSync(join(root, path), 'utf8').trimEnd();
  const fresh = `<!-- example: ${path} -->\n\`\`\`ts\n${code}\n\`\`\`\n<!-- /example -->`;
  if (fresh !== block) stale.push(path);
  return fresh;
});
if (check) {
  if (stale.length > 0) {
    console.error(`README.md does not show these examples as they are: ${stale.join(', ')} (run node scripts/examples.mjs)`);
    process.exit(1);
  }
} else if (updated !== readme) {
  writeFileSync(readmePath, updated);
  console.log(`README.md: ${stale.length} example blocks written`);
}
