/**
 * What must not outlive the run: the process groups of the implementations
 * started, and the temporary folders made for them. On every way out of
 * the process (a normal exit, an uncaught error, Ctrl-C, SIGTERM, SIGHUP)
 * the groups are killed and the folders removed, synchronously.
 */

const groups = new Set<number>();
const folders = new Set<() => void>();

/** Kill one process group; false when it no longer exists. */
export const killProcessGroup = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 'SIGKILL');
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Whether any process of the group is still there. */
export const groupAlive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const reapAll = () => {
  for (const pgid of groups) killProcessGroup(pgid);
  groups.clear();
  for (const remove of folders) {
    try {
      remove();
    } catch {
      // Best effort on the way out.
    }
  }
  folders.clear();
};

let exitHooked = false;
const hookExit = () => {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', reapAll);
};

/** Track a process group until `untrack` is called (its members are gone). */
export const trackGroup = (pgid: number): (() => void) => {
  hookExit();
  groups.add(pgid);
  return () => groups.delete(pgid);
};

/** Register a synchronous removal to run if the process ends before `untrack`. */
export const trackFolder = (remove: () => void): (() => void) => {
  hookExit();
  folders.add(remove);
  return () => folders.delete(remove);
};

const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

let signalsHooked = false;

/**
 * For command-line use: on SIGINT, SIGTERM or SIGHUP, kill every tracked
 * group, remove every tracked folder, say so on stderr, and exit with the
 * shell's code for the signal. (A library caller keeps its own handlers.)
 */
export const exitCleanlyOnSignals = (): void => {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const [signal, code] of Object.entries(SIGNAL_EXIT)) {
    process.on(signal, () => {
      reapAll();
      process.stderr.write(`relspec: interrupted by ${signal}; implementations killed\n`);
      process.exit(code);
    });
  }
};
