import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as E from 'fp-ts/lib/Either.js';
import { packagePath, RUNNING_SOURCES } from '../package/root.ts';
import type { ImplPool } from './impl.ts';
import type { ScenarioAdvisory } from './judge.ts';
import {
  type ConformOptions,
  type RunContext,
  type ScenarioPhaseSpec,
  scenarioCheck,
  scenarioCheckContext,
} from './phases.ts';
import { runValues } from './runValues.ts';
import type { Scenario } from './scenario.ts';
import { shardRuns } from './shard.ts';
import type { TempRoot } from './tmp.ts';
import type { FromWorker, ToWorker, WorkerData } from './workerProtocol.ts';

/** What the workers made of a phase: its runs up to the first failure, if any. */
export interface ParallelPhase {
  /** Runs counted, as the sequential phase counts them: all, or up to the first failure. */
  readonly checked: number;
  /** The advisories of each counted run, by run index, in run order. */
  readonly advisories: readonly (readonly [number, readonly ScenarioAdvisory[]])[];
  /** Index (fast-check run number) of the first failing run in the share. */
  readonly firstFailure?: number;
  readonly error?: string;
}

/** Something that checks one scenario at a time: a worker thread, or `conform`'s own process. */
interface Lane {
  run(spec: ScenarioPhaseSpec, scenario: Scenario): Promise<FromWorker>;
  close(): Promise<void>;
}

/** Check one scenario on `impl`: whether it failed, and the ids it reached. */
export const runScenario = async (
  spec: ScenarioPhaseSpec,
  options: ConformOptions,
  impl: ImplPool,
  tmp: TempRoot,
  scenario: Scenario,
): Promise<FromWorker> => {
  const ctx = scenarioCheckContext(spec, options, impl, tmp, '');
  const outcome = await scenarioCheck(options)(ctx, scenario);
  return {
    type: 'result',
    failed: outcome.mismatch !== undefined,
    reached: [...outcome.reached],
    advisories: [...(outcome.advisories ?? [])],
  };
};

/** The run's own process and implementation, as one more lane. */
const mainLane = (ctx: RunContext): Lane => ({
  run: async (spec, scenario) => {
    try {
      return await runScenario(spec, ctx.options, ctx.impl, ctx.tmp, scenario);
    } catch (e) {
      return { type: 'error', message: (e as Error).stack ?? String(e) };
    }
  },
  close: async () => {},
});

/**
 * One worker thread. It answers its requests one at a time and in order, so
 * several may be sent before the first answer: each answer goes to the
 * oldest request still waiting.
 */
class WorkerLane implements Lane {
  private readonly waiting: ((m: FromWorker) => void)[] = [];
  private readonly early: FromWorker[] = [];
  private failure: string | undefined;

  constructor(private readonly worker: Worker) {
    worker.on('message', (m: FromWorker) => this.deliver(m));
    worker.on('error', (e) => {
      this.failure = e.stack ?? e.message;
      this.failAll(this.failure);
    });
    worker.on('exit', (code) => {
      if (code !== 0) this.failAll(`worker exited with ${code}`);
    });
  }

  private deliver(m: FromWorker): void {
    const w = this.waiting.shift();
    if (w === undefined) this.early.push(m);
    else w(m);
  }

  /** A dead worker answers nothing more: every request still waiting gets the error. */
  private failAll(message: string): void {
    const waiting = this.waiting.splice(0);
    if (waiting.length === 0) this.early.push({ type: 'error', message });
    for (const w of waiting) w({ type: 'error', message });
  }

  /** The answer to the oldest request not yet answered. */
  receive(): Promise<FromWorker> {
    const m = this.early.shift();
    if (m !== undefined) return Promise.resolve(m);
    if (this.failure !== undefined)
      return Promise.resolve({ type: 'error', message: this.failure });
    return new Promise((resolve) => {
      this.waiting.push(resolve);
    });
  }

  ask(m: ToWorker): Promise<FromWorker> {
    this.worker.postMessage(m);
    return this.receive();
  }

  run(spec: ScenarioPhaseSpec, scenario: Scenario): Promise<FromWorker> {
    return this.ask({ type: 'run', phase: spec.name, scenario });
  }

  async close(): Promise<void> {
    const closed = await Promise.race([
      this.ask({ type: 'close' }),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 30_000).unref()),
    ]);
    if (closed?.type !== 'closed') await this.worker.terminate();
  }
}

// From the sources, a worker loads them through tsx, as bin/relspec.js does;
// from a build, it starts from the compiled worker: next to this module in
// the library (dist/src/conform), or the command line's own entry.
const BOOT = `
const { workerData } = require('node:worker_threads');
import(workerData.tsx).then((tsx) => {
  tsx.register();
  return import(workerData.entry);
});
`;

const startWorker = (data: WorkerData): Worker => {
  if (RUNNING_SOURCES) {
    const workerData = {
      ...data,
      tsx: import.meta.resolve('tsx/esm/api'),
      entry: new URL('./worker.ts', import.meta.url).href,
    };
    return new Worker(BOOT, { eval: true, workerData, execArgv: [] });
  }
  const beside = fileURLToPath(new URL('./worker.js', import.meta.url));
  const entry = existsSync(beside) ? beside : packagePath('dist', 'cli', 'conform-worker.js');
  return new Worker(entry, { workerData: data, execArgv: [] });
};

/**
 * `--jobs N` lanes: `conform`'s own process and N-1 worker threads, each
 * with its own implementation process. A phase's scenarios (made once, here)
 * are handed out one at a time, in run order, to whichever lane is free;
 * once a run fails, no later run is handed out, and the phase's result is
 * what running the runs in order gives: the runs before the first failure,
 * and that failure.
 */
export class ScenarioWorkers {
  private constructor(private readonly workers: readonly WorkerLane[]) {}

  static async start(data: WorkerData, jobs: number): Promise<E.Either<string, ScenarioWorkers>> {
    const workers = Array.from(
      { length: Math.max(0, jobs - 1) },
      () => new WorkerLane(startWorker(data)),
    );
    const pool = new ScenarioWorkers(workers);
    for (const ready of await Promise.all(workers.map((l) => l.receive()))) {
      const error =
        ready.type === 'ready' ? ready.error : ready.type === 'error' ? ready.message : undefined;
      if (error !== undefined) {
        await pool.close();
        return E.left(error);
      }
    }
    return E.right(pool);
  }

  async runPhase(spec: ScenarioPhaseSpec, ctx: RunContext): Promise<ParallelPhase> {
    const scenarios = runValues(spec, ctx.options);
    const indices = shardRuns(ctx.options.shard, scenarios.length);
    ctx.progress.start(spec.name, indices.length);
    const results = new Map<number, Extract<FromWorker, { type: 'result' }>>();
    let firstFailure: number | undefined;
    let error: string | undefined;
    let next = 0;
    const drive = async (l: Lane): Promise<void> => {
      while (error === undefined && next < indices.length) {
        const index = indices[next++] as number;
        if (firstFailure !== undefined && index > firstFailure) return;
        const r = await l.run(spec, scenarios[index] as Scenario);
        if (r.type !== 'result') {
          error = r.type === 'error' ? r.message : `unexpected ${r.type}`;
          return;
        }
        results.set(index, r);
        ctx.progress.tick();
        if (r.failed && (firstFailure === undefined || index < firstFailure)) firstFailure = index;
      }
    };
    // Each worker is driven twice over, so that its next scenario is already
    // waiting when it answers: the main lane's own work on this thread must
    // not leave a worker idle until its answer is read.
    await Promise.all([mainLane(ctx), ...this.workers, ...this.workers].map(drive));
    ctx.progress.stop();
    if (error !== undefined) return { checked: 0, advisories: [], error };
    // Count and tally exactly the runs the sequential phase would have made.
    let checked = 0;
    const advisories: [number, readonly ScenarioAdvisory[]][] = [];
    for (const index of indices) {
      if (firstFailure !== undefined && index > firstFailure) break;
      const r = results.get(index);
      if (r === undefined) return { checked, advisories, error: `run ${index} was not made` };
      checked += 1;
      ctx.tally.reach(r.reached);
      if (r.advisories.length > 0) advisories.push([index, r.advisories]);
    }
    return firstFailure === undefined
      ? { checked, advisories }
      : { checked, advisories, firstFailure };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((l) => l.close()));
  }
}
