import { readFile } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import { monitorJuju3 } from '../../../spec/juju-3/model/monitor.ts';
import { parseTraceLine, type TraceEvent } from '../../../spec/juju-3/trace.ts';

/** `relspec check --profile juju-3 <trace>`: 0 conforms, 1 a clause is broken, 2 unreadable or malformed. */
export const checkJuju3Trace = async (
  file: string,
  out: (line: string) => void,
): Promise<number> => {
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (e) {
    out(`cannot read ${file}: ${(e as Error).message}`);
    return 2;
  }
  const events: TraceEvent[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const e = parseTraceLine(line, i + 1);
    if (E.isLeft(e)) {
      out(`${file}: ${e.left}`);
      return 2;
    }
    events.push(e.right);
  }
  const v = monitorJuju3(events);
  if (v === undefined) {
    out(`${file}: ${events.length} events, every clause of spec/juju-3/GUARANTEES.md holds`);
    return 0;
  }
  out(`${file}: ${v.clause} broken at event ${v.index + 1}: ${v.message}`);
  return 1;
};

const readStdin = async (): Promise<string> => {
  let s = '';
  for await (const chunk of process.stdin) s += String(chunk);
  return s;
};
