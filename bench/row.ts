/**
 * One line of the bench table. Every case measures one kind of event (watcher
 * changes, trace lines, protocol requests...) and reports how many it handled
 * in how long; `notes` says what else is worth knowing about the run.
 */
export interface BenchRow {
  /** What was measured, e.g. "live source". */
  readonly name: string;
  /** The size that matters for its cost, e.g. "10^4 units". */
  readonly size: string;
  /** What one event is, e.g. "change". */
  readonly event: string;
  readonly events: number;
  readonly seconds: number;
  /** Events per second over the fastest timed slice, when the case times slices. */
  readonly best?: number | undefined;
  /** CPU time of the process over the timed work (all threads, GC included), when measured. */
  readonly cpuSeconds?: number | undefined;
  /** This row against its anchor (measured in the same run unless it says otherwise). */
  readonly anchor?: string | undefined;
  readonly notes: string;
}

/** A named case: `run` does the work and measures itself (setup excluded). */
export interface BenchCase {
  readonly name: string;
  readonly run: () => BenchRow | readonly BenchRow[] | Promise<BenchRow | readonly BenchRow[]>;
}

export const perSecond = (row: BenchRow): number => row.events / row.seconds;

/** CPU nanoseconds per event, when the CPU time was measured (else wall time). */
export const cpuNsPerEvent = (row: BenchRow): number =>
  ((row.cpuSeconds ?? row.seconds) * 1e9) / row.events;
