import { IMPLEMENTATION } from './implementation.ts';
import { coreOps } from './ops/core.ts';
import { sourceOps } from './ops/source.ts';
import { unavailableStatedirOps } from './ops/unavailable.ts';
import { type OpSpec, type OpTable, opTable, withOps } from './registry.ts';
import { createSession, type Session } from './session.ts';

export { IMPLEMENTATION } from './implementation.ts';
export { coreOps, SUPPORTS } from './ops/core.ts';
export { sourceOps } from './ops/source.ts';
export { STATEDIR_OPS, unavailableStatedirOps } from './ops/unavailable.ts';
export * from './registry.ts';
export * from './session.ts';
export * from './wire.ts';

/**
 * The reference's pure ops: everything but the state directory, whose ops
 * answer with a protocol error until real ones are added with `withOps`.
 */
export const referenceOps: OpTable = opTable([...coreOps, ...sourceOps, ...unavailableStatedirOps]);

/** A fresh reference session; `extraOps` (e.g. the statedir ops) replace ops of the same name. */
export const createReferenceSession = (extraOps: readonly OpSpec[] = []): Session =>
  createSession({ implementation: IMPLEMENTATION, ops: withOps(referenceOps, extraOps) });
