/**
 * The block ids of a resumable upload, and which of the blocks Azure holds a resume keeps.
 *
 * Azure replaces an uncommitted block staged again under the same id, and its block list
 * carries no digest. A block sent by an interrupted run can land late (held up by a proxy or
 * a slow server), after a resume sent the same block again with the source's new bytes:
 * under one id, the late one would be committed. So each run of an upload names its blocks
 * apart: an id is the upload's id (24 hex digits), the run's tag (3 characters) and the
 * block's index (5 digits), 32 characters before base64 as every block id nativefile makes.
 * The first run's tag is `000`, which makes the ids older versions gave every block (the
 * index in 8 digits); a resumed run takes a tag no block of the upload has (`a`-`f` first).
 * @module
 */
import { IOError } from '../../errors.js';

/** The tag of an upload's first run. */
export const FIRST_RUN = '000';

const RUN_AND_INDEX = /^([0-9a-f]{3})(\d{5})$/;

/** The id of block `index` sent by run `run` of upload `uploadId`. */
export function runBlockId(uploadId: string, run: string, index: number): string {
  return btoa(`${uploadId}${run}${String(index).padStart(5, '0')}`);
}

/** The run and index a block id of upload `uploadId` names; `undefined` for another's. */
export function parseRunBlockId(uploadId: string, id: string): { run: string; index: number } | undefined {
  let text: string;
  try {
    text = atob(id);
  } catch {
    return undefined;
  }
  const match = text.startsWith(uploadId) ? RUN_AND_INDEX.exec(text.slice(uploadId.length)) : null;
  return match === null ? undefined : { run: match[1]!, index: Number(match[2]) };
}

/**
 * A tag for a resumed run, at random among those none of `taken` (the runs whose blocks Azure
 * holds) has: `a00` to `fff`, 1,536 of them.
 * @throws IOError `EBUSY` when every one is taken (1,536 runs in the week Azure keeps blocks).
 */
export function newRun(taken: ReadonlySet<string>): string {
  const free: string[] = [];
  for (const first of 'abcdef') {
    for (let rest = 0; rest < 256; rest++) {
      const run = `${first}${rest.toString(16).padStart(2, '0')}`;
      if (!taken.has(run)) free.push(run);
    }
  }
  if (free.length === 0)
    throw new IOError('every run tag of this upload has staged blocks: start a new upload', { code: 'EBUSY' });
  return free[Math.floor(Math.random() * free.length)]!;
}

/**
 * The blocks a resume keeps, from the first on without a gap, each `partSize` bytes: where
 * the token lists a block, that one (another run's block of that index is not the token's);
 * past the token (blocks staged after it was saved), those of the run that staged its last
 * block (the first run's, if it lists none): an earlier run's blocks there may be ones a later
 * run found the source no longer holds. Also the runs whose blocks are held, which a new run's
 * tag must not be.
 */
export function heldParts(
  uploadId: string,
  held: ReadonlyMap<string, number>,
  partSize: number,
  listed: readonly string[],
): { parts: string[]; runs: Set<string> } {
  const runs = new Set<string>();
  for (const id of held.keys()) {
    const named = parseRunBlockId(uploadId, id);
    if (named !== undefined) runs.add(named.run);
  }
  const last = listed.length === 0 ? undefined : parseRunBlockId(uploadId, listed[listed.length - 1]!);
  const latest = last?.run ?? FIRST_RUN;
  const parts: string[] = [];
  for (;;) {
    const index = parts.length;
    const id = listed[index] ?? runBlockId(uploadId, latest, index);
    if (held.get(id) !== partSize) return { parts, runs };
    parts.push(id);
  }
}
