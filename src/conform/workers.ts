import { Worker } from 'node:worker_threads';
import * as E from 'fp-ts/lib/Either.js';
import type { RunContext, ScenarioPhaseSpec } from './phases.ts';
import { shardRuns } from './shard.ts';
import type { FromWorker, ToWorker, WorkerData } from './workerProtocol.ts';

/** What the workers made of a phase: its runs up to the first failure, if any. */
export interface ParallelPhase {
  /** Runs counted, as the sequential phase counts them: all, or up to the first failure. */
  readonly checked: number;
  /** Index (fast-check run number) of the first failing run in the share. */
  readonly firstFailure?: number;
  readonly error?: string;
}

/** One worker thread, spoken to one request at a time. */
class Lane {
  private waiting: ((m: FromWorker) => void) | undefined;
  private readonly early: FromWorker[] = [];
  private failure: string | undefined;

  constructor(private readonly worker: Worker) {
    worker.on('message', (m: FromWorker) => this.deliver(m));
    worker.on('error', (e) => {
      this.failure = e.stack ?? e.message;
      this.deliver({ type: 'error', message: this.failure });
    });
    worker.on('exit', (code) => {
      if (code !== 0) this.deliver({ type: 'error', message: `worker exited with ${code}` });
    });
  }

  private deliver(m: FromWorker): void {
    const w = this.waiting;
    this.waiting = undefined;
    if (w === undefined) this.early.push(m);
    else w(m);
  }

  /** The next message from the worker. */
  receive(): Promise<FromWorker> {
    const m = this.early.shift();
    if (m !== undefined) return Promise.resolve(m);
    if (this.failure !== undefined)
      return Promise.resolve({ type: 'error', message: this.failure });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  ask(m: ToWorker): Promise<FromWorker> {
    this.worker.postMessage(m);
    return this.receive();
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

// Workers load the TypeScript sources through tsx, as bin/relspec.js does.
const BOOT = `
const { workerData } = require('node:worker_threads');
import(workerData.tsx).then((tsx) => {
  tsx.register();
  return import(workerData.entry);
});
`;

/**
 * `--jobs N` worker threads, each with its own implementation process.
 * A phase's runs are handed out one at a time, in index order, to whichever
 * worker is free; once a run fails, no later run is handed out, and the
 * phase's result is the same as running the runs in order would give: the
 * runs before the first failure and that failure.
 */
export class ScenarioWorkers {
  private constructor(private readonly lanes: readonly Lane[]) {}

  static async start(data: WorkerData, jobs: number): Promise<E.Either<string, ScenarioWorkers>> {
    const workerData = {
      ...data,
      tsx: import.meta.resolve('tsx/esm/api'),
      entry: new URL('./worker.ts', import.meta.url).href,
    };
    const lanes = Array.from(
      { length: jobs },
      () => new Lane(new Worker(BOOT, { eval: true, workerData, execArgv: [] })),
    );
    const pool = new ScenarioWorkers(lanes);
    for (const ready of await Promise.all(lanes.map((l) => l.receive()))) {
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
    const indices = shardRuns(ctx.options.shard, ctx.options.runs);
    for (const r of await Promise.all(
      this.lanes.map((l) => l.ask({ type: 'phase', phase: spec.name })),
    )) {
      if (r.type !== 'phase')
        return { checked: 0, error: r.type === 'error' ? r.message : 'no phase' };
    }
    ctx.progress.start(spec.name, indices.length);
    const results = new Map<number, { failed: boolean; reached: readonly string[] }>();
    let firstFailure: number | undefined;
    let error: string | undefined;
    let next = 0;
    const lane = async (l: Lane): Promise<void> => {
      while (error === undefined && next < indices.length) {
        const index = indices[next++] as number;
        if (firstFailure !== undefined && index > firstFailure) return;
        const r = await l.ask({ type: 'run', index });
        if (r.type !== 'result') {
          error = r.type === 'error' ? r.message : `unexpected ${r.type}`;
          return;
        }
        results.set(index, r);
        ctx.progress.tick();
        if (r.failed && (firstFailure === undefined || index < firstFailure)) firstFailure = index;
      }
    };
    await Promise.all(this.lanes.map(lane));
    ctx.progress.stop();
    if (error !== undefined) return { checked: 0, error };
    // Count and tally exactly the runs the sequential phase would have made.
    let checked = 0;
    for (const index of indices) {
      if (firstFailure !== undefined && index > firstFailure) break;
      const r = results.get(index);
      if (r === undefined) return { checked, error: `run ${index} was not made` };
      checked += 1;
      ctx.tally.reach(new Set(r.reached));
    }
    return firstFailure === undefined ? { checked } : { checked, firstFailure };
  }

  async close(): Promise<void> {
    await Promise.all(
      this.lanes.map(async (l) => {
        const closed = await Promise.race([
          l.ask({ type: 'close' }),
          new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 30_000).unref()),
        ]);
        if (closed?.type !== 'closed') await l.terminate();
      }),
    );
  }
}
