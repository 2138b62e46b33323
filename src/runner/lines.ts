/**
 * Splits a byte stream into lines without copying the whole buffer per
 * chunk: only the unfinished tail is kept between chunks.
 */
export const lineSplitter = (onLine: (line: string) => void) => {
  let rest = '';
  return (chunk: string): void => {
    let start = 0;
    let nl = chunk.indexOf('\n');
    if (nl === -1) {
      rest += chunk;
      return;
    }
    onLine(rest + chunk.slice(0, nl));
    rest = '';
    start = nl + 1;
    nl = chunk.indexOf('\n', start);
    while (nl !== -1) {
      onLine(chunk.slice(start, nl));
      start = nl + 1;
      nl = chunk.indexOf('\n', start);
    }
    rest = chunk.slice(start);
  };
};

/** Keeps the last `size` lines of a stream (the implementation's stderr). */
export const lastLines = (size: number) => {
  const lines: string[] = [];
  const push = lineSplitter((line) => {
    lines.push(line.length > 300 ? `${line.slice(0, 297)}...` : line);
    if (lines.length > size) lines.shift();
  });
  return { push, lines: (): readonly string[] => [...lines] };
};
