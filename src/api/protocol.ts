/**
 * `relspec/protocol`: the reference behind `relspec serve`, in process. A
 * session is a value; `handleLine(session, line)` gives the response line
 * `relspec serve` would write and the next session (a promise only for ops
 * that wait). `statedirOps(fs)` adds the state directory ops over a port.
 */
export { IMPLEMENTATION } from '../protocol/implementation.ts';
export { createReferenceSession, referenceOps } from '../protocol/index.ts';
export { statedirOps } from '../protocol/ops/statedir.ts';
export { serveStreams } from '../protocol/server.ts';
export {
  handleLine,
  handleRequest,
  type Session,
  type Step,
} from '../protocol/session.ts';
