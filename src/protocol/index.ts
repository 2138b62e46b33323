import type { Engine } from '../schedule/engine.ts';
import { IMPLEMENTATION } from './implementation.ts';
import { coreOps } from './ops/core.ts';
import { sourceOps, sourceOpsFor } from './ops/source.ts';
import { unavailableStatedirOps } from './ops/unavailable.ts';
import { type OpSpec, type OpTable, opTable, withOps } from './registry.ts';
import { createSession, type Session, type SessionSource } from './session.ts';

export { IMPLEMENTATION } from './implementation.ts';
export { coreOps, SUPPORTS } from './ops/core.ts';
export { sourceOps, sourceOpsFor } from './ops/source.ts';
export { STATEDIR_OPS, unavailableStatedirOps } from './ops/unavailable.ts';
export * from './registry.ts';
export * from './session.ts';
export * from './wire.ts';

/**
 * The reference's pure ops: everything but the state directory, whose ops
 * answer with a protocol error until real ones are added with `withOps`.
 */
export const referenceOps: OpTable = opTable([...coreOps, ...sourceOps, ...unavailableStatedirOps]);

/** The reference's ops with the source ops of another engine. */
export const engineOps = <S extends SessionSource>(engine: Engine<S>): OpTable =>
  withOps(referenceOps, sourceOpsFor(engine));

/**
 * A fresh reference session; `extraOps` (e.g. the statedir ops) replace ops
 * of the same name. Its sources are the pure engine's unless `engine` says.
 */
export const createReferenceSession = <S extends SessionSource>(
  extraOps: readonly OpSpec[] = [],
  engine?: Engine<S>,
): Session =>
  createSession({
    implementation: IMPLEMENTATION,
    ops: withOps(engine === undefined ? referenceOps : engineOps(engine), extraOps),
  });
