import type { RelationUnitsChange } from '../../src/model/change.ts';
import type { HookInfo } from '../../src/model/hook.ts';
import type { State } from '../../src/model/state.ts';
import { compareUnits } from '../../src/model/unitName.ts';
import type { TraceEvent } from '../trace.ts';

// A readable step list for traces: one line per event, used by failure
// reports of the property suite and by the trace checker.

/** `relation-joined foo/1 v3`, or `relation-broken` (relation ids are shown only when asked). */
export const describeHook = (h: HookInfo, withRelation = false): string => {
  const rel = withRelation ? ` (relation ${h.relationId})` : '';
  if (h.kind === 'relation-broken') return `relation-broken${rel}`;
  return `${h.kind} ${h.remoteUnit} v${h.changeVersion}${rel}`;
};

/** `foo/0 v3, foo/1 v5; departed foo/2`. */
export const describeChange = (c: RelationUnitsChange): string => {
  const changed = [...c.changed]
    .sort(([a], [b]) => compareUnits(a, b))
    .map(([u, v]) => `${u} v${v}`)
    .join(', ');
  const departed = c.departed.length > 0 ? `departed ${c.departed.join(', ')}` : '';
  const parts = [changed, departed].filter((p) => p !== '');
  return parts.length === 0 ? '(nothing)' : parts.join('; ');
};

/** `relation 7 {foo/0 v3*, foo/1 v5}` (the star marks the changed-pending unit), or `broken`. */
export const describeState = (s: State): string => {
  if (s.members === null) return `relation ${s.relationId} broken`;
  const units = [...s.members]
    .sort(([a], [b]) => compareUnits(a, b))
    .map(([u, v]) => `${u} v${v}${u === s.changedPending ? '*' : ''}`);
  return `relation ${s.relationId} {${units.join(', ')}}`;
};

export const describeEvent = (e: TraceEvent): string => {
  switch (e.type) {
    case 'start':
      return `start   ${describeState(e.state)}`;
    case 'change':
      return `change  ${describeChange(e.change)}`;
    case 'hook':
      return `hook    ${describeHook(e.hook, e.hook.kind === 'relation-broken')}`;
    case 'commit':
      return `commit  ${describeHook(e.hook)}`;
    case 'crash':
      return 'crash';
    case 'dying':
      return 'dying';
    case 'idle':
      return 'idle';
  }
};

export interface FormatOptions {
  /** Mark this step (e.g. a violation) with `>>`. */
  readonly mark?: number;
  /** A line appended at the end (e.g. the violation). */
  readonly footer?: string;
}

/** The numbered step list of a trace, one event per line. */
export const formatTrace = (trace: readonly TraceEvent[], options: FormatOptions = {}): string => {
  const width = String(Math.max(0, trace.length - 1)).length;
  const lines = trace.map((e, i) => {
    const marker = i === options.mark ? '>>' : '  ';
    return `${marker} ${String(i).padStart(width)}  ${describeEvent(e)}`;
  });
  if (options.footer !== undefined) lines.push(options.footer);
  return lines.join('\n');
};
