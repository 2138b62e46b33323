/**
 * `relspec/runner`: drive an implementation (any program speaking
 * spec/PROTOCOL.md) as a child process: `startClient` for single requests,
 * `fixtureSession` to replay fixtures on it, and `runConform`, the whole of
 * `relspec conform`. `REFERENCE_COMMAND` starts this package's own
 * `relspec serve`.
 */
export type { ConformOptions, Level } from '../conform/phases.ts';
export { type ConformResult, runConform } from '../conform/run.ts';
export { REFERENCE_COMMAND } from '../package/root.ts';
export { type Client, type ClientOptions, type ExitInfo, startClient } from '../runner/client.ts';
export { fixtureSession } from '../runner/session.ts';
