import type { Reuse } from './attach.ts';
import { aimText, describeCall, type FileCall } from './fileCalls.ts';
import {
  type Checker,
  crashPoint,
  ioErrorPoint,
  type PhaseName,
  type PowerCutResult,
  type Target,
  type Verdict,
} from './phases.ts';
import type { Recording, RunOptions } from './record.ts';
import { ioCodeOf, type ReplayPoint } from './replayFile.ts';
import type { Scenario } from './scenario.ts';

// The points of the phases, as the run, the shrinker and the replay share them.

/** What a point is, in the report: `kill at write 7/tmpab (40 bytes) (call 2 of request 5, write #1 in 7)`. */
export const describePoint = (phase: PhaseName, target: Target, base: string): string =>
  `${phase === 'process crash' ? 'kill' : (target.code ?? 'EIO')} at ${describeCall(target.call, base)} (call ${target.index} of request ${target.step + 1}, ${aimText(target.call.aim)})`;

/** The replay point of a call target. */
export const callPoint = (target: Target): ReplayPoint => ({
  kind: 'call',
  request: target.step + 1,
  call: target.index,
  syscall: target.call.syscall,
  aim: target.call.aim,
  code: target.code ?? null,
});

/** Runs one call point of a phase. */
export const runCallPoint = (
  run: RunOptions,
  phase: PhaseName,
  scenario: Scenario,
  recording: Recording,
  target: Target,
  check: Checker,
  root: string,
  shared?: Reuse,
): Promise<Verdict> =>
  phase === 'process crash'
    ? crashPoint(run, scenario, recording, target, check, root)
    : ioErrorPoint(run, scenario, recording, target, root, shared);

/** The first failing state of a request's power cut, fewest losses and earliest cut first. */
export const firstFailingCut = (results: readonly PowerCutResult[]): PowerCutResult | undefined =>
  results
    .filter((r) => r.verdict._tag === 'Failed')
    .sort((a, b) => a.lost - b.lost || a.completed - b.completed)[0];

/**
 * A failure text without the run's temporary directories, so that a replay
 * prints it exactly: every base under `root` reads `<base>`.
 */
export const withoutRoot = (text: string, root: string): string =>
  text.replace(
    new RegExp(`${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(?:[\\w.-]+/)?base`, 'g'),
    '<base>',
  );

/** The target of a replay point's call in a recorded request (the call it names must exist). */
export const targetAt = (
  step: number,
  call: FileCall,
  point: ReplayPoint & { kind: 'call' },
): Target => {
  const code = ioCodeOf(point.code);
  return { step, call, index: point.call, ...(code === undefined ? {} : { code }) };
};
