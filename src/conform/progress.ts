import cliProgress from 'cli-progress';

/** How a phase shows that it is moving: a bar on a terminal, a few plain lines otherwise. */
export interface Progress {
  start(phase: string, total: number): void;
  tick(status?: string): void;
  stop(): void;
}

export const silentProgress: Progress = { start: () => {}, tick: () => {}, stop: () => {} };

/** A progress bar on stderr (it is redrawn in place, so it must be a terminal). */
export const barProgress = (): Progress => {
  const bar = new cliProgress.SingleBar(
    {
      format: '{phase} [{bar}] {value}/{total} {status}',
      stream: process.stderr,
      clearOnComplete: true,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let value = 0;
  return {
    start: (phase, total) => {
      value = 0;
      bar.start(Math.max(total, 1), 0, { phase, status: '' });
    },
    tick: (status = '') => {
      value += 1;
      bar.update(value, { status });
    },
    stop: () => bar.stop(),
  };
};

/** Plain lines: one at each tenth of the phase, so logs stay short. */
export const lineProgress = (write: (line: string) => void): Progress => {
  let phase = '';
  let total = 0;
  let value = 0;
  let lastTenth = 0;
  return {
    start: (p, t) => {
      phase = p;
      total = t;
      value = 0;
      lastTenth = 0;
    },
    tick: () => {
      value += 1;
      const tenth = total === 0 ? 10 : Math.floor((value * 10) / total);
      if (tenth > lastTenth && value < total) {
        lastTenth = tenth;
        write(`  ${phase}: ${value}/${total}`);
      }
    },
    stop: () => {},
  };
};
