import { referenceFixtureSession } from '../fixtures/reference.ts';
import type { Session } from '../fixtures/replay.ts';
import { statedirOps } from '../protocol/ops/statedir.ts';
import type { OpSpec } from '../protocol/registry.ts';
import { nodeFs } from '../statedir/nodeFs.ts';
import type { Call } from './driver.ts';
import { sessionCall } from './endpoint.ts';

/**
 * The ops the in-process reference answers beyond the pure ones: the same
 * set `relspec serve` uses, so that expected results are what serve says.
 */
export const referenceExtraOps = (): readonly OpSpec[] => statedirOps(nodeFs());

/** A fresh in-process reference session (with the state directory ops, as serve has). */
export const referenceSession = (): Session => referenceFixtureSession();

/** A fresh in-process reference, as the driver calls it. */
export const referenceCall = (): Call => sessionCall(referenceSession());
