import * as E from 'fp-ts/lib/Either.js';
import { abstractBase, substitute } from '../fixtures/base.ts';
import type { Files, Fixture, Request } from '../fixtures/fixture.ts';
import { RULE_ID } from '../fixtures/fixture.ts';
import type { JudgeLevel } from '../fixtures/judge.ts';
import { conforms } from '../fixtures/replay.ts';
import { mismatchRules, protocolSteps } from './blame.ts';
import {
  type CheckContext,
  compareRecording,
  type Mismatch,
  markedSteps,
  type Outcome,
  plainFailure,
  type Recording,
} from './check.ts';
import { type Exchange, errorTextOf, validateRule } from './driver.ts';
import { snapshotFilesSync } from './files.ts';
import { replayPipelined } from './replay.ts';
import { fixtureRuleClasses } from './ruleClass.ts';

/**
 * The last shrinking pass of an exact-level counterexample: fast-check has
 * shrunk the abstract scenario; this works on the protocol requests it
 * became. It tries to delete runs of requests (halves, quarters, ... single
 * ones), to merge two watcher changes, and to make each request's values
 * smaller (fewer units in a change or a state, smaller versions, no pending
 * unit, smaller unit numbers), keeping a change when the implementation
 * still fails the same way (see Signature). Every candidate is recorded
 * afresh on the reference, so the expected answers always fit the requests.
 */

/**
 * What makes two failures "the same": the mismatch kind at the same op,
 * and a rule of the same area. What a source holds shows at whichever of
 * empty, next and pop looks first, so those three count as one op, and the
 * rules compare by area (R-LIVE, R-DYING, R-VALIDATE, ...): the failure of
 * a source's queue stays that failure when a smaller scenario shows it at
 * an earlier look.
 */
interface Signature {
  readonly kind: string;
  readonly areas: ReadonlySet<string>;
}

const CONSUMER_OPS = new Set(['source.empty', 'source.next', 'source.pop']);

const opKind = (op: string | undefined): string =>
  op !== undefined && CONSUMER_OPS.has(op) ? 'source.empty/next/pop' : String(op);

/** R-LIVE-POP-HEAD -> R-LIVE; G8b -> G8b. */
const area = (rule: string): string => /^[RQ]-[A-Z]+/.exec(rule)?.[0] ?? rule;

const signatureOf = (o: Outcome): Signature | undefined => {
  const m = o.mismatch;
  if (m === undefined) return undefined;
  const areas = new Set(mismatchRules(o).map(area));
  switch (m._tag) {
    case 'Drift': {
      // A protocol error where the first failure had an answer is another failure (a lost handle).
      const x = o.exchanges[m.step - 1];
      const answer = x?.response.ok === false ? 'protocol error' : 'answer';
      return { kind: `drift ${opKind(x?.request.op)} ${answer}`, areas };
    }
    case 'Runner':
      return { kind: `${m.error._tag} ${opKind(o.exchanges[m.step - 1]?.request.op)}`, areas };
    case 'Files':
      return { kind: 'files', areas };
    default:
      return undefined;
  }
};

const sameFailure = (want: Signature, got: Signature | undefined): boolean =>
  got !== undefined &&
  got.kind === want.kind &&
  (want.areas.size === 0 ? got.areas.size === 0 : [...got.areas].some((r) => want.areas.has(r)));

export interface MinimizeOptions {
  /**
   * Candidates to try at most: the bound that keeps the result the same on
   * a fast machine and a loaded one.
   */
  readonly maxTries: number;
  /** A safety net for very slow implementations: stop trying after this long. */
  readonly budgetMs: number;
  /** Stop when the implementation has been restarted this many times. */
  readonly maxRestarts: number;
  /** The level rule classes judge a difference at. */
  readonly level: JudgeLevel;
}

export interface Minimized {
  readonly outcome: Outcome;
  /** Candidates replayed on the implementation. */
  readonly tries: number;
}

/** Record requests on a fresh in-process reference, in a fresh base. */
const record = async (
  ctx: CheckContext,
  template: Fixture,
  exchanges: readonly Exchange[],
): Promise<Recording | undefined> => {
  const base = await ctx.tmp.fresh('min-ref');
  try {
    const call = ctx.reference();
    const recorded: Exchange[] = [];
    for (const x of exchanges) {
      const answer = await call(substitute(x.request, base) as Request);
      if (E.isLeft(answer)) return undefined;
      const response = abstractBase(answer.right, base) as Exchange['response'];
      // Validate's rule is in its answer, which a smaller request may change.
      const rules =
        x.request.op === 'validate' && response.ok
          ? [
              ...new Set([
                validateRule(response.result.error),
                ...x.rules.filter((r) => r === 'R-VALIDATE-PREFIX'),
              ]),
            ]
          : x.rules;
      recorded.push({ ...x, response, rules, errorText: errorTextOf(x.request.op, response) });
    }
    const files = abstractBase(snapshotFilesSync(base), base) as Files;
    const rules = [...new Set(recorded.flatMap((x) => x.rules))]
      .filter((r) => RULE_ID.test(r))
      .sort();
    const unclassed: Fixture = {
      ...template,
      clauses: [],
      title: `minimal counterexample (${recorded.length} protocol steps)`,
      rules,
      // With the rule-class marks, so that a candidate whose difference a
      // class may excuse is told apart (see plainFailure).
      steps: markedSteps(recorded),
      expectedFiles: files,
    };
    const fixture: Fixture = {
      ...unclassed,
      ruleClasses: fixtureRuleClasses(rules, unclassed.steps),
    };
    return { fixture, exchanges: recorded, reached: new Set(rules), files };
  } finally {
    await ctx.tmp.release(base);
  }
};

/** The requests up to the failing one: what comes after cannot matter. */
const upToFailure = (o: Outcome): readonly Exchange[] => o.exchanges.slice(0, protocolSteps(o));

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u);

// Fields that name handles, places or kinds: changing them changes what the request is.
const FIXED = new Set(['op', 'source', 'dir', 'base', 'kind', 'relationId', 'remoteUnit']);

/**
 * Smaller versions of a value: a unit dropped from a map keyed by unit
 * names, an element dropped from an array, a version moved towards 0.
 */
const simpler = (value: unknown, key = ''): unknown[] => {
  if (FIXED.has(key)) return [];
  if (typeof value === 'bigint') {
    const out = new Set<bigint>();
    for (const v of [0n, 1n, value / 2n, value - 1n]) if (v >= 0n && v < value) out.add(v);
    return [...out];
  }
  // A pending unit owes a relation-changed: none is simpler.
  if (key === 'changedPending' && value !== '') return [''];
  if (typeof value === 'number' && Number.isInteger(value) && key !== 'id') {
    return [0, 1, Math.floor(value / 2), value - 1].filter(
      (v, i, all) => v >= 0 && v < value && all.indexOf(v) === i,
    );
  }
  if (Array.isArray(value)) {
    const out: unknown[] = value.map((_, i) => value.filter((__, j) => j !== i));
    for (const [i, v] of value.entries()) {
      for (const s of simpler(v)) out.push(value.map((w, j) => (j === i ? s : w)));
    }
    return out;
  }
  if (isRecord(value)) {
    const out: unknown[] = [];
    const entries = Object.entries(value);
    for (const [k] of entries) {
      if (k.includes('/')) out.push(Object.fromEntries(entries.filter(([j]) => j !== k)));
    }
    for (const [k, v] of entries) {
      for (const s of simpler(v, k)) out.push({ ...value, [k]: s });
    }
    return out;
  }
  return [];
};

const UNIT = /^([a-z][a-z0-9-]*)\/(\d+)$/;

/** Every string and key of a value that is `from`, as `to`. */
const rename = (value: unknown, from: string, to: string): unknown => {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((v) => rename(v, from, to));
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k === from ? to : k, rename(v, from, to)]),
    );
  }
  return value;
};

/** Unit names of the requests with a smaller free name of the same application. */
const renamings = (exchanges: readonly Exchange[]): [string, string][] => {
  const names = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === 'string' && UNIT.test(value)) names.add(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (isRecord(value)) {
      for (const [k, v] of Object.entries(value)) {
        if (UNIT.test(k)) names.add(k);
        collect(v);
      }
    }
  };
  for (const x of exchanges) collect(x.request);
  const out: [string, string][] = [];
  for (const name of names) {
    const [, app, n] = UNIT.exec(name) as RegExpExecArray;
    for (let k = 0; k < Number(n); k++) {
      const smaller = `${app}/${k}`;
      if (!names.has(smaller)) {
        out.push([name, smaller]);
        break;
      }
    }
  }
  return out;
};

type Change = { readonly changed?: Record<string, unknown>; readonly departed?: readonly string[] };

/**
 * One `source.update` with both changes of two in a row on the same
 * source, when no unit is in both (then the order between them is moot).
 */
const mergeChanges = (a: Exchange | undefined, b: Exchange | undefined): Exchange | undefined => {
  if (a === undefined || b === undefined) return undefined;
  if (a.request.op !== 'source.update' || b.request.op !== 'source.update') return undefined;
  if (a.request.source !== b.request.source) return undefined;
  const ca = (a.request.change ?? {}) as Change;
  const cb = (b.request.change ?? {}) as Change;
  const units = (c: Change) => [...Object.keys(c.changed ?? {}), ...(c.departed ?? [])];
  const first = new Set(units(ca));
  if (units(cb).some((u) => first.has(u))) return undefined;
  const change = {
    changed: { ...(ca.changed ?? {}), ...(cb.changed ?? {}) },
    departed: [...(ca.departed ?? []), ...(cb.departed ?? [])],
  };
  return { ...a, request: { ...a.request, change }, rules: [...new Set([...a.rules, ...b.rules])] };
};

/**
 * Shrink an exact-level failure at the protocol level. Returns the smallest
 * outcome that still fails the same way (the given one if nothing could go).
 */
export const minimizeExact = async (
  ctx: CheckContext,
  outcome: Outcome,
  options: MinimizeOptions,
): Promise<Minimized> => {
  const want = signatureOf(outcome);
  const m = outcome.mismatch;
  // A hung implementation costs a full timeout per try.
  if (want === undefined || (m?._tag === 'Runner' && m.error._tag === 'Timeout')) {
    return { outcome, tries: 0 };
  }
  const sequential = m?._tag === 'Runner';
  const started = performance.now();
  const restartsAtStart = ctx.impl.restarts;
  let tries = 0;
  let best = outcome;
  const exhausted = () =>
    tries >= options.maxTries ||
    performance.now() - started > options.budgetMs ||
    ctx.impl.restarts - restartsAtStart > options.maxRestarts;

  const judgedFails = async (recording: Recording): Promise<boolean> => {
    const base = await ctx.tmp.fresh('min-judge');
    try {
      const report = await replayPipelined(
        recording.fixture,
        await ctx.impl.client(),
        base,
        `j${tries}.`,
        { level: options.level, restart: () => ctx.impl.client() },
      );
      return !conforms(report);
    } finally {
      await ctx.impl.idle();
      await ctx.tmp.release(base);
    }
  };

  /** Replay a candidate; it becomes the best when it fails the same way. */
  const attempt = async (exchanges: readonly Exchange[]): Promise<boolean> => {
    if (exhausted()) return false;
    const recording = await record(ctx, outcome.fixture, exchanges);
    if (recording === undefined) return false;
    tries += 1;
    const got = await compareRecording(ctx, recording, sequential, `m${tries}.`);
    if (!sameFailure(want, signatureOf(got))) return false;
    // A difference a rule class may excuse counts only if the judged replay
    // fails too, as checkExact would judge it.
    if (
      !plainFailure(recording.fixture, got.mismatch as Mismatch) &&
      !(await judgedFails(recording))
    ) {
      return false;
    }
    best = got;
    return true;
  };

  // The steps after the failing one go first: one try, usually kept.
  if (protocolSteps(best) < best.exchanges.length) await attempt(upToFailure(best));

  let progress = true;
  while (progress && !exhausted()) {
    progress = false;
    // Deletion: runs of steps, from half of them down to single steps.
    for (
      let size = 2 ** Math.floor(Math.log2(Math.max(1, best.exchanges.length / 2)));
      size >= 1;
      size = Math.floor(size / 2)
    ) {
      let i = best.exchanges.length - size;
      while (i >= 0 && !exhausted()) {
        const current = upToFailure(best);
        const candidate = [...current.slice(0, i), ...current.slice(i + size)];
        if (candidate.length > 0 && (await attempt(candidate))) {
          progress = true;
          i = Math.min(i, best.exchanges.length) - size;
        } else i -= size;
      }
    }
    // Two watcher changes in a row as one: a step less when the order between them does not matter.
    for (let i = best.exchanges.length - 2; i >= 0 && !exhausted(); i--) {
      const current = upToFailure(best);
      const merged = mergeChanges(current[i], current[i + 1]);
      if (
        merged !== undefined &&
        (await attempt([...current.slice(0, i), merged, ...current.slice(i + 2)]))
      ) {
        progress = true;
      }
    }
    // Values: fewer units, smaller versions, one request at a time.
    for (let i = best.exchanges.length - 1; i >= 0 && !exhausted(); i--) {
      let changed = true;
      while (changed && !exhausted()) {
        changed = false;
        const current = upToFailure(best);
        const x = current[i];
        if (x === undefined) break;
        for (const request of simpler(x.request)) {
          const candidate = current.map((y, j) =>
            j === i ? { ...y, request: request as Request } : y,
          );
          if (await attempt(candidate)) {
            changed = true;
            progress = true;
            break;
          }
        }
      }
    }
    // Names: a unit renamed everywhere to the smallest free number of its application.
    for (const [from, to] of renamings(upToFailure(best))) {
      if (exhausted()) break;
      const current = upToFailure(best);
      const candidate = current.map((x) => ({
        ...x,
        request: rename(x.request, from, to) as Request,
      }));
      if (await attempt(candidate)) progress = true;
    }
  }
  return { outcome: best, tries };
};
