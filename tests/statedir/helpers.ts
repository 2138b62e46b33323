import * as E from 'fp-ts/lib/Either.js';
import { Volume } from 'memfs';
import * as assert from 'uvu/assert';
import { changeVersion } from '../../src/model/changeVersion.ts';
import { relationId } from '../../src/model/relationId.ts';
import type { State } from '../../src/model/state.ts';
import { unitName } from '../../src/model/unitName.ts';
import type { FsPort } from '../../src/statedir/fsPort.ts';
import { memFs } from '../../src/statedir/memFs.ts';

export const R = relationId(7);

/** A memfs volume holding `files` (path -> content; null for an empty directory). */
export const volumeWith = (files: Record<string, string | null>): { vol: Volume; fs: FsPort } => {
  const vol = Volume.fromJSON(files);
  return { vol, fs: memFs(vol) };
};

export const state = (
  members: Record<string, number | bigint> | null,
  changedPending = '',
  id = R,
): State => ({
  relationId: id,
  members:
    members === null
      ? null
      : new Map(Object.entries(members).map(([k, v]) => [unitName(k), changeVersion(v)])),
  changedPending: changedPending === '' ? '' : unitName(changedPending),
});

export const right = <A>(e: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected success, got: ${e.left.message}`);
  return e.right;
};

export const leftMessage = <A>(e: E.Either<{ message: string }, A>): string => {
  if (E.isRight(e)) throw new Error('expected an error, got success');
  return e.left.message;
};

export const assertState = (actual: State, expected: State) => {
  assert.equal(
    {
      ...actual,
      members: actual.members === null ? null : Object.fromEntries([...actual.members].sort()),
    },
    {
      ...expected,
      members: expected.members === null ? null : Object.fromEntries([...expected.members].sort()),
    },
  );
};
