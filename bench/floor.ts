import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type { RelationUnitsChange } from '../src/model/change.ts';
import type { ChangeVersion } from '../src/model/changeVersion.ts';
import type { HookInfo } from '../src/model/hook.ts';
import type { UnitName } from '../src/model/unitName.ts';
import { emptySource, type SourceError } from '../src/schedule/errors.ts';
import type { Replayable } from './live.ts';

// The floor of the live rows: the least a live source written in
// TypeScript must do per change of the stream. It finds each named unit in
// a Map, notes a new version, and forgets departed units; it queues
// nothing and hands out no hooks. What it costs is spent by any such
// source before its own work begins, so it says how much of a target is
// left for that work.

/** One record per unit, as a real source keeps. */
interface Seen {
  version: ChangeVersion;
}

export class FloorSource {
  private readonly units = new Map<UnitName, Seen>();
  /** Made once: the replay gets the same success from every update. */
  readonly asRight: E.Either<never, FloorSource> = E.right(this);
  /** Changed units are read with one callback, made once. */
  private readonly note = (version: ChangeVersion, unit: UnitName): void => {
    const seen = this.units.get(unit);
    if (seen === undefined) this.units.set(unit, { version });
    else if (seen.version !== version) seen.version = version;
  };

  update(change: RelationUnitsChange): E.Either<SourceError, FloorSource> {
    change.changed.forEach(this.note);
    for (const unit of change.departed) this.units.delete(unit);
    return this.asRight;
  }
}

export const floorSource: Replayable<FloorSource> = {
  live: () => E.right(new FloorSource()),
  update: (s, change) => s.update(change),
  empty: () => true,
  next: (): O.Option<HookInfo> => O.none,
  pop: () => E.left(emptySource),
};
