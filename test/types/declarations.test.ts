/**
 * The built type declarations as users get them: `usage.ts` compiles against `dist/types`
 * through the package's own `exports` (`npm test` builds them first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

test.runIf(existsSync(`${root}/dist/types/src/index.d.ts`))(
  'misuse is a type error and correct use compiles, against the built .d.ts',
  () => {
    const tsc = spawnSync(
      process.execPath,
      [`${root}/node_modules/typescript/bin/tsc`, '-p', `${root}/test/types/tsconfig.json`],
      {
        encoding: 'utf8',
      },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  },
  120_000,
);
