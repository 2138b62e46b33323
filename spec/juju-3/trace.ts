import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type {
  Hook,
  LocalUnit,
  RelationInfo,
  RelationState,
  RemoteRelation,
} from '../../src/juju3/types.ts';
import { HookC, LocalUnitC, RelationId, RemoteRelationC, StateC } from '../../src/juju3/wire.ts';
import { decodeWith } from '../../src/model/decode.ts';
import { parseJson } from '../../src/model/json.ts';

/**
 * A juju-3 trace (spec/juju-3/TRACE.md): what an agent did, one JSON object
 * per line. `snapshot` is the remote state the agent looked at: the local
 * unit and every relation it reported, by handle name.
 */
export interface Snapshot {
  readonly local: LocalUnit;
  readonly relations: ReadonlyMap<string, RemoteRelation>;
}

export type TraceEvent =
  | ({ readonly event: 'open'; readonly rel: string; readonly created: boolean } & RelationInfo)
  | ({
      readonly event: 'restore';
      readonly rel: string;
      readonly state: RelationState;
    } & RelationInfo)
  | { readonly event: 'restart' }
  | {
      readonly event: 'hook';
      readonly rel: string;
      readonly snapshot: Snapshot;
      readonly hook: Hook;
    }
  | { readonly event: 'commit'; readonly rel: string; readonly hook: Hook }
  | { readonly event: 'idle'; readonly snapshot: Snapshot };

const info = {
  rel: t.string,
  relationId: RelationId,
  peer: t.boolean,
  localUnit: t.string,
  remoteApp: t.string,
};

const SnapshotC = new t.Type<Snapshot, unknown, unknown>(
  'Snapshot',
  (u): u is Snapshot => typeof u === 'object' && u !== null,
  (u, c) => {
    const d = t
      .type({ local: LocalUnitC, relations: t.record(t.string, RemoteRelationC) })
      .validate(u, c);
    return d._tag === 'Left'
      ? d
      : t.success({ local: d.right.local, relations: new Map(Object.entries(d.right.relations)) });
  },
  (s) => ({
    local: s.local,
    relations: Object.fromEntries([...s.relations].map(([k, v]) => [k, RemoteRelationC.encode(v)])),
  }),
);

const EventC = t.union([
  t.type({ event: t.literal('open'), ...info, created: t.boolean }),
  t.type({ event: t.literal('restore'), ...info, state: StateC }),
  t.type({ event: t.literal('restart') }),
  t.type({ event: t.literal('hook'), rel: t.string, snapshot: SnapshotC, hook: HookC }),
  t.type({ event: t.literal('commit'), rel: t.string, hook: HookC }),
  t.type({ event: t.literal('idle'), snapshot: SnapshotC }),
]);

const decodeEvent = decodeWith(EventC as unknown as t.Type<TraceEvent, unknown, unknown>, 'event');

/** One trace line; the error names the line and the field. */
export const parseTraceLine = (line: string, lineNo: number): E.Either<string, TraceEvent> => {
  const json = parseJson(line);
  if (E.isLeft(json)) return E.left(`line ${lineNo}: invalid JSON: ${json.left.message}`);
  return E.mapLeft((e: { message: string }) => `line ${lineNo}: ${e.message}`)(
    decodeEvent(json.right),
  );
};

export const encodeTraceEvent = (e: TraceEvent): unknown => {
  switch (e.event) {
    case 'hook':
      return {
        event: e.event,
        rel: e.rel,
        snapshot: SnapshotC.encode(e.snapshot),
        hook: HookC.encode(e.hook),
      };
    case 'commit':
      return { event: e.event, rel: e.rel, hook: HookC.encode(e.hook) };
    case 'idle':
      return { event: e.event, snapshot: SnapshotC.encode(e.snapshot) };
    case 'restore':
      return { ...e, state: StateC.encode(e.state) };
    default:
      return e;
  }
};
