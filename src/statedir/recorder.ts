import type { FsPort } from './fsPort.ts';
import { type CallEvent, intercept } from './intercept.ts';

export interface RecordingPort {
  readonly port: FsPort;
  /** Every call made so far, in order, with its outcome. */
  calls(): readonly CallEvent[];
}

/** A port that passes every call through and remembers it. */
export const withRecorder = (port: FsPort): RecordingPort => {
  const log: CallEvent[] = [];
  return {
    port: intercept(port, { after: (event) => log.push(event) }),
    calls: () => log,
  };
};
