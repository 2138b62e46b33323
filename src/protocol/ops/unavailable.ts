import { defineOp, type OpSpec, refused } from '../registry.ts';

/** The state directory ops, in the order the protocol document lists them. */
export const STATEDIR_OPS = [
  'statedir.open',
  'statedir.readAll',
  'statedir.state',
  'statedir.ensure',
  'statedir.remove',
  'statedir.write',
] as const;

// Placeholders until the real state directory ops are registered over them:
// the op is known (so it is not "unknown op") but answered with a protocol
// error, whatever fields the request has.
export const unavailableStatedirOps: readonly OpSpec[] = STATEDIR_OPS.map((op) =>
  defineOp(op, {}, () => refused(`${op}: the state directory ops are not available`)),
);
