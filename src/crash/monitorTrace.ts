import { createMonitor } from '../../spec/model/monitor.ts';
import { describeVerdict } from '../../spec/model/report.ts';
import type { TraceEvent } from '../../spec/trace.ts';
import { change } from '../model/change.ts';
import { changeVersion } from '../model/changeVersion.ts';
import type { HookInfo } from '../model/hook.ts';
import type { RelationId } from '../model/relationId.ts';
import { emptyState, type State } from '../model/state.ts';
import { commitHook } from '../state/commit.ts';
import type { Scenario } from './scenario.ts';

// After a crash the whole story of each relation goes to the guarantee
// monitor of spec/model: the requests before the crash (with the watcher
// events the agent saw), the crash, the state the restarted implementation
// read back, and the continuation it was driven through.

/** What the restarted agent did for one relation. */
export interface Continuation {
  readonly relation: RelationId;
  /** The state `statedir.open` read back after the crash. */
  readonly read: State;
  /** The hooks run, in order. */
  readonly hooks: readonly HookInfo[];
  /** How many of them were committed (the rest ran but their write failed). */
  readonly committed: number;
}

/** The events of one relation up to the crash during request `crashStep`; whether it had started. */
const beforeCrash = (
  scenario: Scenario,
  crashStep: number,
  relation: RelationId,
): { events: TraceEvent[]; started: boolean; broken: boolean } => {
  const events: TraceEvent[] = [];
  let started = false;
  let committed: State = emptyState(relation);
  for (const [j, step] of scenario.steps.entries()) {
    if (j > crashStep) break;
    if (step.relation !== relation) continue;
    if (step.op === 'statedir.open') {
      if (started) events.push({ type: 'crash' });
      events.push({ type: 'start', state: committed });
      started = true;
      events.push(...(step.events ?? []));
      continue;
    }
    events.push(...(step.events ?? []));
    if (step.op === 'statedir.write') {
      events.push({ type: 'hook', hook: step.hook });
      if (j < crashStep) {
        events.push({ type: 'commit', hook: step.hook });
        committed = commitHook(committed, step.hook);
      }
    }
  }
  return { events, started, broken: committed.members === null };
};

/** The whole trace of one relation: before the crash, the crash, and the continuation. */
export const relationTrace = (
  scenario: Scenario,
  crashStep: number,
  run: Continuation,
): TraceEvent[] => {
  const { events, started, broken } = beforeCrash(scenario, crashStep, run.relation);
  // A relation whose relation-broken was committed is over: the agent forgets
  // it, and writing broken again on its missing directory changes nothing.
  if (broken) return [...events, { type: 'idle' }];
  if (started) events.push({ type: 'crash' });
  events.push({ type: 'start', state: run.read });
  const view = scenario.views.get(run.relation);
  if (view === undefined || view.kind === 'dying') events.push({ type: 'dying' });
  else {
    const snapshot = [...view.members].map(([u, v]) => [u, changeVersion(v)] as const);
    events.push({ type: 'change', change: change(snapshot) });
  }
  for (const [i, hook] of run.hooks.entries()) {
    events.push({ type: 'hook', hook });
    if (i < run.committed) events.push({ type: 'commit', hook });
  }
  if (run.committed === run.hooks.length) events.push({ type: 'idle' });
  return events;
};

/**
 * The first guarantee the runs break, as a failure text, or undefined. Only
 * scenarios that carry the watcher's events can be checked.
 */
export const monitorRuns = (
  scenario: Scenario,
  crashStep: number,
  runs: readonly Continuation[],
): string | undefined => {
  if (scenario.watched !== true) return undefined;
  for (const run of runs) {
    const trace = relationTrace(scenario, crashStep, run);
    const monitor = createMonitor();
    for (const event of trace) {
      const violation = monitor.step(event);
      if (violation !== null) {
        return `guarantee monitor, relation ${run.relation}: ${describeVerdict({ ok: false, violation })} (${trace.length} events: before the crash, the restart, after)`;
      }
    }
  }
  return undefined;
};
