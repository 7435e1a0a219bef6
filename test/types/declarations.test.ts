/**
 * The built type declarations as users get them: `usage.ts` compiles against `dist/types`
 * through the package's own `exports` (`npm test` builds them first), under TypeScript 5 and 7.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

const built = existsSync(`${root}/dist/types/src/index.d.ts`);

/** The compilers, both devDependencies: `typescript` (5.x) and `typescript-7` (`typescript@7`). */
const compilers = {
  'TypeScript 5': `${root}/node_modules/typescript/bin/tsc`,
  'TypeScript 7': `${root}/node_modules/typescript-7/bin/tsc`,
};

/** Compiles the project `config` (under test/types) with `tsc`. */
function compile(tsc: string, config: string): { output: string; status: number | null } {
  const result = spawnSync(process.execPath, [tsc, '-p', `${root}/test/types/${config}`], { encoding: 'utf8' });
  return { output: result.stdout + result.stderr, status: result.status };
}

describe.each(Object.entries(compilers))('under %s', (_, tsc) => {
  test.runIf(built)(
    'misuse is a type error and correct use compiles, against the built .d.ts',
    () => {
      expect(compile(tsc, 'tsconfig.json')).toEqual({ output: '', status: 0 });
    },
    120_000,
  );

  test.runIf(built)(
    'the declarations compile in a Node program without the DOM library',
    () => {
      expect(compile(tsc, 'node-only/tsconfig.json')).toEqual({ output: '', status: 0 });
    },
    120_000,
  );
});
