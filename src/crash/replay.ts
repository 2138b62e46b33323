import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { aimText, sameAim } from './fileCalls.ts';
import { checker, type PhaseName, powerCutStep, type Verdict } from './phases.ts';
import { describePoint, runCallPoint, targetAt, withoutRoot } from './points.ts';
import { type RunOptions, record } from './record.ts';
import { readReplayFile } from './replayFile.ts';
import { stepKind } from './scenario.ts';
import { STRACE_MISSING, straceAvailable, straceCannotTrace } from './strace.ts';

// `relspec crash --replay <file>`: the one point a replay file names, run
// again on the same scenario with the same injection (or the same power-cut
// state), with the verdict printed as the failing run printed it.

export interface ReplayOutcome {
  readonly lines: readonly string[];
  /** 1 the failure is reproduced, 0 the point now passes, 2 the replay could not run. */
  readonly exitCode: 0 | 1 | 2;
}

const setup = (line: string): ReplayOutcome => ({ lines: [line], exitCode: 2 });

export const replayCrash = async (
  file: string,
  options: { readonly command?: string; readonly cwd: string; readonly timeoutMs: number },
): Promise<ReplayOutcome> => {
  const replay = readReplayFile(file);
  if (E.isLeft(replay)) return setup(`relspec crash --replay: ${replay.left}`);
  const { phase, scenario, point } = replay.right;
  if (!straceAvailable()) return setup(STRACE_MISSING);
  const cannot = await straceCannotTrace();
  if (cannot !== undefined) return setup(cannot);
  const run: RunOptions = {
    command: options.command ?? replay.right.implementation,
    timeoutMs: options.timeoutMs,
    cwd: options.cwd,
  };
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'relspec-replay-'));
  const check = checker(run);
  try {
    const recorded = await record(run, scenario, root);
    if (E.isLeft(recorded)) return setup(`relspec crash --replay: ${recorded.left}`);
    const recording = recorded.right;
    const rec = recording.steps[point.request - 1];
    if (rec === undefined) {
      return setup(`${file}: point.request ${point.request} is past the scenario's end`);
    }
    const kind = stepKind(rec.step);
    const head = (what: string) => `[${phase}] request ${point.request} (${kind}): ${what}`;
    let what: string;
    let verdict: Verdict;
    if (point.kind === 'call') {
      const call = rec.calls[point.call - 1];
      if (call === undefined || !sameAim(call.aim, point.aim) || call.syscall !== point.syscall) {
        return setup(
          `${file}: the implementation no longer makes ${point.syscall} (${aimText(point.aim)}) as call ${point.call} of request ${point.request}${call === undefined ? '' : `; it makes ${call.syscall} (${aimText(call.aim)})`}`,
        );
      }
      const target = targetAt(rec.index, call, point);
      what = describePoint(phase as PhaseName, target, recording.base);
      verdict = await runCallPoint(run, phase, scenario, recording, target, check, root);
    } else {
      const same = (a: typeof point, b: typeof point) =>
        a.from === b.from &&
        a.completed === b.completed &&
        JSON.stringify(a.lost) === JSON.stringify(b.lost);
      const results = await powerCutStep(
        scenario,
        recording,
        rec.index,
        check,
        root,
        Number.MAX_SAFE_INTEGER,
        (p) => same(p, point),
      );
      const state = results[0];
      if (state === undefined) {
        return setup(`${file}: the recording no longer allows the power-cut state the file names`);
      }
      what = state.what;
      verdict = state.verdict;
    }
    const lines = [`replaying ${file} against ${run.command}`, head(what)];
    if (verdict._tag === 'Failed') {
      lines.push(`   ${withoutRoot(verdict.reason, root)}`, 'failure reproduced');
      return { lines, exitCode: 1 };
    }
    if (verdict._tag === 'Missed') {
      lines.push(
        `   could not aim: ${withoutRoot(verdict.reason, root)}`,
        'failure reproduced (could not aim)',
      );
      return { lines, exitCode: 1 };
    }
    lines.push(`   ok (${verdict.detail})`, 'the point passes now: the failure is not reproduced');
    return { lines, exitCode: 0 };
  } finally {
    await check.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
};
