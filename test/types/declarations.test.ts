/**
 * The built type declarations as users get them: `usage.ts` compiles against `dist/types`
 * through the package's own `exports` (`npm test` builds them first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

const built = existsSync(`${root}/dist/types/src/index.d.ts`);

/** Compiles the project `config` (under test/types) with the repository's TypeScript. */
function compile(config: string): { output: string; status: number | null } {
  const tsc = spawnSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-p', `${root}/test/types/${config}`], {
    encoding: 'utf8',
  });
  return { output: tsc.stdout + tsc.stderr, status: tsc.status };
}

test.runIf(built)(
  'misuse is a type error and correct use compiles, against the built .d.ts',
  () => {
    expect(compile('tsconfig.json')).toEqual({ output: '', status: 0 });
  },
  120_000,
);

test.runIf(built)(
  'the declarations compile in a Node program without the DOM library',
  () => {
    expect(compile('node-only/tsconfig.json')).toEqual({ output: '', status: 0 });
  },
  120_000,
);
