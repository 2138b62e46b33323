import * as fc from 'fast-check';
import { type ChangeVersion, changeVersion } from '../../src/model/changeVersion.ts';
import { INT64_MAX } from '../../src/model/int64.ts';
import { type RelationId, relationId } from '../../src/model/relationId.ts';
import type { State } from '../../src/model/state.ts';
import type { UnitName } from '../../src/model/unitName.ts';
import { nthUnit } from './units.ts';

export interface StateSize {
  /** Most members a stored state has. */
  readonly members: number;
}

/** A relation id: mostly small, sometimes large. */
export const relationIdArb: fc.Arbitrary<RelationId> = fc
  .oneof(fc.nat(20), fc.constant(Number.MAX_SAFE_INTEGER))
  .map(relationId);

const storedVersionArb: fc.Arbitrary<ChangeVersion> = fc
  .oneof(
    { weight: 6, arbitrary: fc.bigInt({ min: -3n, max: 10n }) },
    {
      weight: 1,
      arbitrary: fc.bigInt({ min: INT64_MAX - 2_000_000n, max: INT64_MAX - 1_000_000n }),
    },
  )
  .map(changeVersion);

/**
 * A state as read from a relation directory: some members with versions, and
 * sometimes one of them with a pending relation-changed (its join ran, its
 * changed did not). Never broken: a broken relation has no directory.
 */
export const storedStateArb = (
  size: StateSize = { members: 4 },
  rel: fc.Arbitrary<RelationId> = relationIdArb,
): fc.Arbitrary<State> =>
  fc
    .record({
      relationId: rel,
      units: fc.uniqueArray(fc.nat(size.members * 2), { maxLength: size.members }),
      versions: fc.array(storedVersionArb, { minLength: size.members, maxLength: size.members }),
      pending: fc.option(fc.nat(size.members), { freq: 2 }),
    })
    .map(({ relationId, units, versions, pending }) => {
      const members = new Map<UnitName, ChangeVersion>(
        units.map((k, i) => [nthUnit(k), versions[i] ?? changeVersion(0)]),
      );
      const names = [...members.keys()];
      const owed = pending === null || names.length === 0 ? '' : names[pending % names.length];
      return { relationId, members, changedPending: owed ?? '' };
    });
