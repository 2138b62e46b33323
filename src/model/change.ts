import * as t from 'io-ts';
import { ChangeVersion } from './changeVersion.ts';
import { readonlyMapFromRecord } from './readonlyMap.ts';
import { UnitName } from './unitName.ts';

/** One event of a relation units watcher: settings versions of changed units, and departures. */
export interface RelationUnitsChange {
  readonly changed: ReadonlyMap<UnitName, ChangeVersion>;
  readonly departed: readonly UnitName[];
}

export interface RelationUnitsChangeJson {
  readonly changed: Record<string, { readonly version: bigint }>;
  readonly departed: readonly string[];
}

const UnitSettings = t.type({ version: ChangeVersion }, 'UnitSettings');
const ChangedC = readonlyMapFromRecord(UnitName, UnitSettings, 'Changed');

// Both fields may be left out of the JSON form; absent means empty.
const ChangeC = t.partial({ changed: ChangedC, departed: t.readonlyArray(UnitName) });

export const RelationUnitsChange = new t.Type<
  RelationUnitsChange,
  RelationUnitsChangeJson,
  unknown
>(
  'RelationUnitsChange',
  (u): u is RelationUnitsChange =>
    typeof u === 'object' && u !== null && 'changed' in u && u.changed instanceof Map,
  (u, c) => {
    const decoded = t.UnknownRecord.validate(u, c);
    if (decoded._tag === 'Left') return decoded;
    const fields = ChangeC.validate(u, c);
    if (fields._tag === 'Left') return fields;
    const changed = new Map<UnitName, ChangeVersion>();
    for (const [unit, settings] of fields.right.changed ?? []) changed.set(unit, settings.version);
    return t.success({ changed, departed: fields.right.departed ?? [] });
  },
  (ch) => {
    const changed: Record<string, { version: bigint }> = {};
    for (const unit of [...ch.changed.keys()].sort()) {
      changed[unit] = { version: ch.changed.get(unit) as bigint };
    }
    return { changed, departed: [...ch.departed] };
  },
);

export const change = (
  changed: Iterable<readonly [UnitName, ChangeVersion]> = [],
  departed: readonly UnitName[] = [],
): RelationUnitsChange => ({ changed: new Map(changed), departed });
