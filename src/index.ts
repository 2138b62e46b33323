/**
 * relspec as a library: the reference (validate, the hook sources), the
 * state directory, the protocol session, the trace monitor, the golden
 * fixtures and the runner. Each group is also its own entry point
 * (`relspec/reference`, `relspec/statedir`, `relspec/protocol`,
 * `relspec/monitor`, `relspec/fixtures`, `relspec/runner`).
 */
export * from './api/fixtures.ts';
export * from './api/monitor.ts';
export * from './api/protocol.ts';
export * from './api/reference.ts';
export * from './api/runner.ts';
export * from './api/statedir.ts';
