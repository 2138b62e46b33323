import * as fs from 'node:fs';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { TraceEvent } from '../../spec/trace.ts';
import { decodeWith } from '../model/decode.ts';
import { HookInfo } from '../model/hook.ts';
import { parseJson, stringifyJsonPretty } from '../model/json.ts';
import { RelationId } from '../model/relationId.ts';
import { Members } from '../model/state.ts';
import type { PhaseName } from './phases.ts';
import type { Scenario, Step, View } from './scenario.ts';
import { IO_CODES, type IoCode } from './strace.ts';

// A replay file names one failing point completely: the scenario (requests,
// watcher events, final views), the phase, and the point: a call by its
// request and its position in the request, with its aim and the injection;
// or a power-cut state by the cut and the changes lost. `relspec crash
// --replay` reads it back and runs that point alone.

const StepC = t.intersection([
  t.type({
    op: t.keyof({
      'statedir.open': null,
      'statedir.ensure': null,
      'statedir.remove': null,
      'statedir.write': null,
    }),
    relation: RelationId,
  }),
  t.partial({ hook: HookInfo, events: t.readonlyArray(TraceEvent) }),
]);

const ViewC = t.union([t.literal('dying'), Members]);

const ScenarioC = t.type({
  name: t.string,
  watched: t.boolean,
  steps: t.readonlyArray(StepC),
  views: t.record(t.string, ViewC),
});

const PointC = t.union([
  t.type({
    kind: t.literal('call'),
    /** 1-based request number. */
    request: t.number,
    /** 1-based position of the call among the request's mutating calls. */
    call: t.number,
    syscall: t.string,
    aim: t.type({ syscall: t.string, dir: t.string, rank: t.number }),
    code: t.union([t.keyof(Object.fromEntries(IO_CODES.map((c) => [c, null]))), t.null]),
  }),
  t.type({
    kind: t.literal('cut'),
    /** The first request whose calls the cut's window holds (1-based). */
    from: t.number,
    request: t.number,
    /** Calls of the request done before the cut. */
    completed: t.number,
    /** The changes that did not reach the disk: index in the window's changes, and how. */
    lost: t.readonlyArray(
      t.type({ change: t.number, fate: t.keyof({ lost: null, partial: null }) }),
    ),
  }),
]);

const ReplayC = t.type({
  relspecCrashReplay: t.literal(1),
  phase: t.keyof({ 'process crash': null, 'I/O error': null, 'power cut': null }),
  implementation: t.string,
  scenario: ScenarioC,
  point: PointC,
  verdict: t.string,
});

export type ReplayPoint = t.TypeOf<typeof PointC>;

export interface Replay {
  readonly phase: PhaseName;
  readonly implementation: string;
  readonly scenario: Scenario;
  readonly point: ReplayPoint;
  /** The verdict the failing run gave. */
  readonly verdict: string;
}

/** The scenario in the decoded shape of the file (ReplayC.encode makes it JSON). */
const scenarioValue = (s: Scenario): t.TypeOf<typeof ScenarioC> => ({
  name: s.name,
  watched: s.watched === true,
  steps: s.steps.map((step) => ({
    op: step.op,
    relation: step.relation,
    ...(step.op === 'statedir.write' ? { hook: step.hook } : {}),
    ...(step.events === undefined ? {} : { events: step.events }),
  })),
  views: Object.fromEntries(
    [...s.views].map(([id, v]) => [
      String(id),
      v.kind === 'dying' ? ('dying' as const) : (v.members as t.TypeOf<typeof Members>),
    ]),
  ),
});

const toScenario = (s: t.TypeOf<typeof ScenarioC>): E.Either<string, Scenario> => {
  const steps: Step[] = [];
  for (const [i, raw] of s.steps.entries()) {
    const events = raw.events === undefined ? {} : { events: raw.events };
    if (raw.op === 'statedir.write') {
      if (raw.hook === undefined) return E.left(`scenario.steps[${i}].hook: missing`);
      steps.push({ op: raw.op, relation: raw.relation, hook: raw.hook, ...events });
    } else steps.push({ op: raw.op, relation: raw.relation, ...events });
  }
  const views = new Map<RelationId, View>();
  for (const [key, v] of Object.entries(s.views)) {
    const id = RelationId.decode(Number(key));
    if (E.isLeft(id) || !/^-?\d+$/.test(key)) {
      return E.left(`scenario.views: ${JSON.stringify(key)} is not a relation id`);
    }
    views.set(id.right, v === 'dying' ? { kind: 'dying' } : { kind: 'live', members: v });
  }
  return E.right({ name: s.name, steps, views, watched: s.watched });
};

export const writeReplayFile = (dir: string, n: number, replay: Replay): string => {
  fs.mkdirSync(dir, { recursive: true });
  const phase = replay.phase.replace(/[^a-z]+/gi, '-').toLowerCase();
  const file = path.join(dir, `crash-${phase}-${n}.json`);
  fs.writeFileSync(
    file,
    stringifyJsonPretty(
      ReplayC.encode({
        relspecCrashReplay: 1,
        phase: replay.phase,
        implementation: replay.implementation,
        scenario: scenarioValue(replay.scenario),
        point: replay.point,
        verdict: replay.verdict,
      }),
    ),
  );
  return file;
};

const decodeReplay = decodeWith(ReplayC, 'crash replay file');

/** Reads a replay file; a clear error naming the file and the field otherwise. */
export const readReplayFile = (file: string): E.Either<string, Replay> => {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return E.left(`cannot read ${file}: ${(e as Error).message}`);
  }
  const json = parseJson(text);
  if (E.isLeft(json)) return E.left(`${file}: not JSON: ${json.left.message}`);
  const decoded = decodeReplay(json.right);
  if (E.isLeft(decoded)) return E.left(`${file}: ${decoded.left.message}`);
  const scenario = toScenario(decoded.right.scenario);
  if (E.isLeft(scenario)) return E.left(`${file}: ${scenario.left}`);
  return E.right({
    phase: decoded.right.phase,
    implementation: decoded.right.implementation,
    scenario: scenario.right,
    point: decoded.right.point,
    verdict: decoded.right.verdict,
  });
};

export const ioCodeOf = (code: unknown): IoCode | undefined => IO_CODES.find((c) => c === code);

/** The JSON form of a scenario, as a replay file holds it. */
export const encodeScenarioForTest = (s: Scenario): unknown => ScenarioC.encode(scenarioValue(s));
