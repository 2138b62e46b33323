/**
 * Splits a byte stream into LF-terminated lines, never holding more than
 * `maxLine` bytes of an unfinished line: a longer line is reported to
 * `onOverflow` (with the bytes seen so far) and skipped up to its LF. Only
 * the unfinished tail is kept between chunks. A line ends at LF only (CR is
 * JSON whitespace); UTF-8 never has an LF inside a multi-byte character, so
 * each line decodes on its own. `end` hands over a last line without LF.
 */
export const byteLineSplitter = (
  maxLine: number,
  onLine: (line: string) => void,
  onOverflow: (bytes: number) => void,
) => {
  let parts: Buffer[] = [];
  let partBytes = 0;
  let skipping = false;
  const take = (last: Buffer): string => {
    const line =
      parts.length === 0 ? last.toString('utf8') : Buffer.concat([...parts, last]).toString('utf8');
    parts = [];
    partBytes = 0;
    return line;
  };
  const push = (chunk: Buffer): void => {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      const bytes = partBytes + nl - start;
      const from = start;
      start = nl + 1;
      if (skipping) {
        skipping = false;
        continue;
      }
      if (bytes > maxLine) {
        parts = [];
        partBytes = 0;
        onOverflow(bytes);
        continue;
      }
      onLine(take(chunk.subarray(from, nl)));
    }
    if (start === chunk.length || skipping) return;
    const bytes = partBytes + chunk.length - start;
    if (bytes > maxLine) {
      parts = [];
      partBytes = 0;
      skipping = true;
      onOverflow(bytes);
      return;
    }
    parts.push(chunk.subarray(start));
    partBytes = bytes;
  };
  const end = (): void => {
    if (partBytes > 0 && !skipping) onLine(take(Buffer.alloc(0)));
  };
  return { push, end };
};

/**
 * Splits a text stream into lines; an unfinished line longer than `maxRest`
 * characters is cut there (the rest of it is dropped), so a stream that
 * never ends a line costs bounded memory.
 */
export const lineSplitter = (onLine: (line: string) => void, maxRest = 4096) => {
  let rest = '';
  let dropping = false;
  return (chunk: string): void => {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      onLine(dropping ? rest : rest + chunk.slice(start, nl));
      rest = '';
      dropping = false;
      start = nl + 1;
    }
    if (dropping) return;
    rest += chunk.slice(start, start + maxRest - rest.length + 1);
    if (rest.length > maxRest) {
      rest = `${rest.slice(0, maxRest)}...`;
      dropping = true;
    }
  };
};

/** Keeps the last `size` lines of a stream (the implementation's stderr). */
export const lastLines = (size: number) => {
  const lines: string[] = [];
  const push = lineSplitter((line) => {
    lines.push(line.length > 300 ? `${line.slice(0, 297)}...` : line);
    if (lines.length > size) lines.shift();
  }, 300);
  return { push, lines: (): readonly string[] => [...lines] };
};
