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
import { randomTag } from './azure-upload.js';

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

/** A tag for a resumed run: none of `taken` (the runs whose blocks Azure holds). */
export function newRun(taken: ReadonlySet<string>): string {
  for (;;) {
    const run = `${'abcdef'[Math.floor(Math.random() * 6)]}${randomTag(2)}`;
    if (!taken.has(run)) return run;
  }
}

/**
 * The blocks a resume keeps, from the first on without a gap, each `partSize` bytes: where
 * the token lists a block, that one (another run's block of that index is not the token's);
 * past the token (a block staged after it was saved), the one block held for the index, and
 * none where two runs staged it, since which of them the source's bytes are is not known.
 * Also the runs whose blocks are held, which a new run's tag must not be.
 */
export function heldParts(
  uploadId: string,
  held: ReadonlyMap<string, number>,
  partSize: number,
  listed: readonly string[],
): { parts: string[]; runs: Set<string> } {
  const byIndex = new Map<number, string[]>();
  const runs = new Set<string>();
  for (const [id, size] of held) {
    const named = parseRunBlockId(uploadId, id);
    if (named === undefined) continue;
    runs.add(named.run);
    if (size === partSize) byIndex.set(named.index, [...(byIndex.get(named.index) ?? []), id]);
  }
  const parts: string[] = [];
  for (;;) {
    const candidates = byIndex.get(parts.length) ?? [];
    const want = listed[parts.length];
    const id = want === undefined ? (candidates.length === 1 ? candidates[0] : undefined) : candidates.find((c) => c === want);
    if (id === undefined) return { parts, runs };
    parts.push(id);
  }
}
