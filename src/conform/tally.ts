/**
 * Per clause or rule id: how many scenarios reached it and how many failed
 * on it. Mutable on purpose: it is the run's one accumulator, filled as
 * scenarios finish and printed once at the end.
 */
export interface Row {
  reached: number;
  failed: number;
  /** Hardening differences met (level exact): advisories, not failures. */
  advised: number;
}

export class Tally {
  readonly rows = new Map<string, Row>();

  private row(id: string): Row {
    let row = this.rows.get(id);
    if (row === undefined) {
      row = { reached: 0, failed: 0, advised: 0 };
      this.rows.set(id, row);
    }
    return row;
  }

  /** Declare ids up front so that unreached ones show with 0 (a coverage gap is visible). */
  declare(ids: Iterable<string>): void {
    for (const id of ids) this.row(id);
  }

  reach(ids: Iterable<string>): void {
    for (const id of new Set(ids)) this.row(id).reached += 1;
  }

  fail(ids: Iterable<string>): void {
    for (const id of new Set(ids)) this.row(id).failed += 1;
  }

  advise(ids: Iterable<string>): void {
    for (const id of new Set(ids)) this.row(id).advised += 1;
  }

  /** Clause ids (T, A, G) first in the order given, then rule ids sorted. */
  sorted(clauseOrder: readonly string[]): [string, Row][] {
    const compare = compareIds(clauseOrder);
    return [...this.rows].sort(([a], [b]) => compare(a, b));
  }
}

/** The closing table's order: clause ids in the order given, then rule ids sorted. */
export const compareIds =
  (clauseOrder: readonly string[]) =>
  (a: string, b: string): number => {
    const rank = (id: string) => {
      const i = clauseOrder.indexOf(id);
      return i === -1 ? clauseOrder.length : i;
    };
    return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
  };
