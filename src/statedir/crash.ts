import { type FsPort, fsError, MUTATING_CALLS } from './fsPort.ts';
import { intercept } from './intercept.ts';

export interface CrashingPort {
  readonly port: FsPort;
  /** Whether the process has been "killed". */
  crashed(): boolean;
  /** Mutating calls seen so far (including the one that was killed). */
  mutations(): number;
}

/**
 * A process crash: the `at`-th mutating call (1-based) is never made, and
 * neither is any later call; each answers EKILLED. Every call completed
 * before stays on the volume, as after a process kill (not a power cut).
 */
export const withCrash = (port: FsPort, at: number): CrashingPort => {
  let mutations = 0;
  let dead = false;
  const crashing = intercept(port, {
    before: (call, path, path2) => {
      if (!dead && MUTATING_CALLS.has(call)) {
        mutations += 1;
        if (mutations === at) dead = true;
      }
      return dead
        ? fsError(call, 'EKILLED', path, path2 === undefined ? {} : { path2 })
        : undefined;
    },
  });
  return { port: crashing, crashed: () => dead, mutations: () => mutations };
};
