import * as fc from 'fast-check';

// One place for how properties run: fixed seeds in CI so that every run is
// the same, RELSPEC_RUNS to scale the number of runs for a deeper local or
// nightly run, RELSPEC_SEED (and RELSPEC_PATH) to replay a reported failure.

const envInt = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n))
    throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return n;
};

/** The fixed seed used when RELSPEC_SEED is not set. */
export const DEFAULT_SEED = 20150312;

/**
 * fast-check parameters for one property: `numRuns` is the CI default,
 * multiplied by RELSPEC_RUNS (e.g. RELSPEC_RUNS=50 for a fifty times deeper
 * run). The seed is fixed unless RELSPEC_SEED says otherwise; RELSPEC_PATH
 * replays one counterexample. A failure report names the seed and the path.
 */
export const params = <Ts>(numRuns: number, extra: fc.Parameters<Ts> = {}): fc.Parameters<Ts> => {
  const scale = envInt('RELSPEC_RUNS') ?? 1;
  const seed = envInt('RELSPEC_SEED') ?? DEFAULT_SEED;
  const path = process.env.RELSPEC_PATH;
  return {
    seed,
    numRuns: Math.max(1, numRuns * scale),
    ...(path !== undefined && path !== '' ? { path, endOnFailure: true } : {}),
    ...extra,
  };
};

/**
 * fc.assert with relspec's parameters. On failure the thrown error carries
 * fast-check's report (seed, path, shrunk counterexample) plus the command
 * that replays it.
 */
export const check = <Ts>(
  property: fc.IProperty<Ts>,
  numRuns: number,
  extra: fc.Parameters<Ts> = {},
) => {
  const p = params(numRuns, extra);
  const details = fc.check(property, p);
  if (details.failed) throw new Error(report(details));
};

export const checkAsync = async <Ts>(
  property: fc.IAsyncProperty<Ts>,
  numRuns: number,
  extra: fc.Parameters<Ts> = {},
) => {
  const details = await fc.check(property, params(numRuns, extra));
  if (details.failed) throw new Error(report(details));
};

const report = <Ts>(details: fc.RunDetails<Ts>): string =>
  `${fc.defaultReportMessage(details) ?? 'property failed'}\n` +
  `replay with: RELSPEC_SEED=${details.seed} RELSPEC_PATH=${JSON.stringify(details.counterexamplePath ?? '')} npm run test:unit`;
