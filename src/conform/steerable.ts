import * as E from 'fp-ts/lib/Either.js';
import { canonicalText } from '../fixtures/canonical.ts';
import type { Request, Response } from '../fixtures/fixture.ts';
import { CREATING_OPS } from '../fixtures/marks.ts';
import { parseJson, stringifyJson } from '../model/json.ts';
import type { UnitName } from '../model/unitName.ts';
import {
  createReferenceSession,
  handleLine,
  isPromise,
  lookupSource,
  type Session,
  withSource,
} from '../protocol/index.ts';
import type { LiveSource } from '../schedule/live.ts';
import { stripId } from './endpoint.ts';
import { referenceExtraOps } from './reference.ts';

/**
 * The in-process reference, able to follow an implementation's pick where
 * Juju's outcome is a set (R-LIVE-FIRST-ABSENT-DEPART): the departures a
 * first change injects may come in any order, and once the implementation
 * shows one, the reference's queue takes the order that shows it too.
 */
export class SteerableReference {
  private session: Session = createReferenceSession(referenceExtraOps());
  private id = 0;
  /** Per live source: the injected departures still at the place they were queued in. */
  private readonly groups = new Map<string, Map<UnitName, number>>();

  private live(name: string): LiveSource | undefined {
    const s = lookupSource(this.session, name);
    return E.isRight(s) && s.right._tag === 'LiveSource' ? s.right : undefined;
  }

  async send(request: Request): Promise<Response> {
    const name = typeof request.source === 'string' ? request.source : undefined;
    const before = name === undefined ? undefined : this.live(name);
    this.id += 1;
    const pending = handleLine(this.session, stringifyJson({ ...request, id: this.id }));
    const step = isPromise(pending) ? await pending : pending;
    this.session = step.session;
    // A source made again (or stopped) under the name has no injected departures yet.
    if (name !== undefined && (CREATING_OPS.has(request.op) || request.op === 'source.stop')) {
      this.groups.delete(name);
    }
    const after = name === undefined ? undefined : this.live(name);
    if (name !== undefined && before?.started === false && after?.started === true) {
      this.groups.set(name, injected(before, after));
    }
    const parsed = parseJson(step.line);
    const response = E.isRight(parsed) ? stripId(parsed.right) : undefined;
    if (response === undefined) throw new Error(`the reference answered ${step.line}`);
    return response;
  }

  /**
   * If another order of the injected departures makes `source.next` on
   * `source` answer `actual`, take that order and return the answer.
   */
  async steer(source: string, actual: Response | undefined): Promise<Response | undefined> {
    const s = this.live(source);
    const group = this.groups.get(source);
    if (s === undefined || group === undefined || actual === undefined) return undefined;
    const inPlace = [...group].filter(([u, seq]) => {
      const e = s.units.get(u);
      return e?.seq === seq && e.pending === 'relation-departed';
    });
    const headUnit = s.queue.first();
    if (headUnit === undefined || !inPlace.some(([u]) => u === headUnit)) return undefined;
    for (const [unit] of inPlace) {
      if (unit === headUnit) continue;
      const swapped = swapPlaces(s, headUnit, unit);
      const saved = this.session;
      this.session = withSource(saved, source, swapped);
      const answer = await this.send({ op: 'source.next', source });
      if (canonicalText(answer) === canonicalText(actual)) {
        group.set(headUnit, swapped.units.get(headUnit)?.seq ?? -1);
        group.set(unit, swapped.units.get(unit)?.seq ?? -1);
        return answer;
      }
      this.session = saved;
    }
    return undefined;
  }
}

/** The units a first change departed because they were absent, with their queue places. */
const injected = (before: LiveSource, after: LiveSource): Map<UnitName, number> => {
  const out = new Map<UnitName, number>();
  for (const unit of before.units.keys()) {
    const e = after.units.get(unit);
    if (e !== undefined && e.pending === 'relation-departed') out.set(unit, e.seq);
  }
  return out.size > 1 ? out : new Map();
};

/** The same source with two queued units in each other's place. */
const swapPlaces = (s: LiveSource, a: UnitName, b: UnitName): LiveSource => {
  const ea = s.units.get(a);
  const eb = s.units.get(b);
  if (ea === undefined || eb === undefined) return s;
  return {
    ...s,
    units: s.units.with(a, { ...ea, seq: eb.seq }).with(b, { ...eb, seq: ea.seq }),
    queue: s.queue.with(ea.seq, b).with(eb.seq, a),
  };
};
