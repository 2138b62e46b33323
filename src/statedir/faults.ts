import { type FsCall, type FsPort, fsError } from './fsPort.ts';
import { intercept } from './intercept.ts';

/** The error codes a fault can have. */
export const FAULT_CODES = ['EIO', 'ENOSPC', 'EACCES'] as const;
export type FaultCode = (typeof FAULT_CODES)[number];

/** Fail the `at`-th call (1-based), counting only calls of `call` when it is given. */
export interface FaultPlan {
  readonly at: number;
  readonly call?: FsCall;
  readonly code: FaultCode;
}

export interface FaultyPort {
  readonly port: FsPort;
  /** Whether the fault has happened. */
  fired(): boolean;
  /** The calls counted so far (of the planned kind, or all). */
  counted(): number;
}

/** A port that fails once, as planned, and otherwise passes every call through. */
export const withFault = (port: FsPort, plan: FaultPlan): FaultyPort => {
  let count = 0;
  let fired = false;
  const faulty = intercept(port, {
    before: (call, path, path2) => {
      if (plan.call !== undefined && call !== plan.call) return undefined;
      count += 1;
      if (count !== plan.at) return undefined;
      fired = true;
      return fsError(call, plan.code, path, path2 === undefined ? {} : { path2 });
    },
  });
  return { port: faulty, fired: () => fired, counted: () => count };
};
