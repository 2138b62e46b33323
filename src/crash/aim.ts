import * as fs from 'node:fs';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { Client } from '../runner/client.ts';
import { attachTrace, type Reuse, startTraced } from './attach.ts';
import { aimText, describeCall, type FileCall, fileCalls, sameAim } from './fileCalls.ts';
import { type RunOptions, tracedBase } from './record.ts';
import type { Action, Injection } from './strace.ts';
import { parseStraceLog, type Syscall } from './straceLog.ts';

// strace's `when=` counts the calls of a syscall in a thread; the target is
// a rank among the calls of that syscall in a directory of the base. The
// recording gives the first guess; the trace of each injection run shows
// whether the injection hit the target, and if not, by how many calls it
// was off, so the next run can correct `when=`.

/** Injection runs per point before the point counts as "could not aim". */
export const AIM_ATTEMPTS = 4;

export type Aimed<A> =
  | {
      readonly _tag: 'Aimed';
      readonly value: A;
      readonly base: string;
      readonly hit: FileCall;
      readonly injection: Injection;
    }
  | { readonly _tag: 'Missed'; readonly reason: string };

const nthOfThread = (log: readonly Syscall[], tid: number, name: string, nth: number) =>
  log.filter((c) => c.tid === tid && c.name === name)[nth - 1];

/** The call strace acted on: the failed one, or the one the thread was killed in. */
const hitOf = (
  log: readonly Syscall[],
  calls: readonly FileCall[],
  injection: Injection,
): { raw: Syscall | undefined; call: FileCall | undefined } => {
  if (injection.action.kind === 'error') {
    const raw = log.find((c) => c.injected && c.name === injection.syscall);
    return { raw, call: calls.find((c) => c.seq === raw?.seq) };
  }
  // Killed: a thread's nth call of the syscall that never returned.
  const tids = [...new Set(log.map((c) => c.tid))];
  for (const tid of tids) {
    const raw = nthOfThread(log, tid, injection.syscall, injection.nth);
    if (raw !== undefined && raw.ret === '?') {
      return { raw, call: calls.find((c) => c.seq === raw.seq) };
    }
  }
  return { raw: undefined, call: undefined };
};

/**
 * Runs `body` against the implementation with `action` injected at the
 * recorded `target` call, until the trace shows the injection hit the call
 * of the target's rank (or the attempts run out).
 */
export const aimedRun = async <A>(
  options: RunOptions,
  root: string,
  name: string,
  target: FileCall,
  recorded: { readonly base: string; readonly calls: readonly FileCall[] },
  action: Action,
  body: (client: Client, base: string) => Promise<A>,
  shared?: Reuse,
): Promise<Aimed<A>> => {
  let nth = target.nth;
  const tried: string[] = [];
  for (let attempt = 1; attempt <= AIM_ATTEMPTS; attempt += 1) {
    const { dir, base } = tracedBase(root, name);
    const log = path.join(dir, 'strace.log');
    const injection: Injection = { syscall: target.syscall, nth, action };
    const impl = shared === undefined ? undefined : await shared.get();
    if (impl !== undefined && E.isLeft(impl)) return { _tag: 'Missed', reason: impl.left };
    const traced =
      impl === undefined
        ? await startTraced(options, dir, log, injection)
        : await attachTrace(impl.right, log, injection);
    if (E.isLeft(traced)) return { _tag: 'Missed', reason: traced.left };
    const value = await body(traced.right.client, base);
    if (impl === undefined || traced.right.client.failure() !== undefined) {
      await traced.right.finish(impl !== undefined);
    } else await traced.right.detach();
    const parsed = fs.existsSync(log) ? parseStraceLog(fs.readFileSync(log, 'utf8')) : [];
    const calls = fileCalls(parsed, base, options.cwd, traced.right.threads);
    const hit = hitOf(parsed, calls, injection);
    if (hit.call !== undefined && sameAim(hit.call.aim, target.aim)) {
      return { _tag: 'Aimed', value, base, hit: hit.call, injection };
    }
    tried.push(
      `when=${nth} hit ${hit.call !== undefined ? `${describeCall(hit.call, base)} (${aimText(hit.call.aim)})` : hit.raw !== undefined ? `a call outside the state directory (${hit.raw.name})` : 'no call'}`,
    );
    // Too late: the target ran, and its own count says where it is.
    const seen = calls.find((c) => sameAim(c.aim, target.aim));
    let next: number;
    if (seen !== undefined && (hit.raw === undefined || seen.seq < hit.raw.seq)) next = seen.nth;
    else {
      // Too early (or nowhere): shift by the drift of the last call of the
      // syscall in the state directory that ran in both runs.
      const before = calls.filter(
        (c) =>
          c.syscall === target.syscall &&
          c.thread === target.thread &&
          (hit.raw === undefined || c.seq < hit.raw.seq),
      );
      const last = before[before.length - 1];
      const same =
        last === undefined ? undefined : recorded.calls.find((r) => sameAim(r.aim, last.aim));
      const drift = last !== undefined && same !== undefined ? last.nth - same.nth : 0;
      next = target.nth + drift;
      if (next <= nth && hit.raw !== undefined) next = nth + 1;
    }
    if (next === nth || next < 1) break;
    nth = next;
  }
  return {
    _tag: 'Missed',
    reason: `could not aim at ${describeCall(target, recorded.base)} (${aimText(target.aim)}): ${tried.join('; ')}`,
  };
};
