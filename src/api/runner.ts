/**
 * `relspec/runner`: drive an implementation (any program speaking
 * spec/PROTOCOL.md) as a child process: `startClient` for single requests,
 * `fixtureSession` to replay fixtures on it, and `runConform`, the whole of
 * `relspec conform`. `REFERENCE_COMMAND` starts this package's own
 * `relspec serve`; `conform` is `runConform` with the command line's defaults.
 */
export type { ConformOptions, Level } from '../conform/phases.ts';
export { silentProgress } from '../conform/progress.ts';
export { type ConformResult, runConform } from '../conform/run.ts';
export { REFERENCE_COMMAND } from '../package/root.ts';
export { type Client, type ClientOptions, type ExitInfo, startClient } from '../runner/client.ts';
export { fixtureSession } from '../runner/session.ts';

import type { ConformOptions } from '../conform/phases.ts';
import { silentProgress } from '../conform/progress.ts';
import { type ConformResult, runConform } from '../conform/run.ts';
import { FIXTURES_DIR } from '../package/root.ts';

/**
 * `relspec conform` with its command-line defaults (level exact, 200 runs per
 * phase, seed 20150312, the curated fixtures); `out` gets the report lines.
 */
export const conform = (
  command: string,
  options: Partial<Omit<ConformOptions, 'command'>> = {},
  out: (line: string) => void = () => {},
): Promise<ConformResult> =>
  runConform(
    {
      command,
      level: 'exact',
      runs: 200,
      seed: 20150312,
      timeoutMs: 5000,
      fixturesDir: FIXTURES_DIR,
      failuresDir: 'relspec-failures',
      maxSteps: 25,
      ...options,
    },
    out,
    silentProgress,
  );
