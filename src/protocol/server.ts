import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { handleLine, isPromise, type Session, type Step } from './session.ts';

// Output is collected and written once per input chunk (readline emits all
// the lines of a chunk synchronously), not once per line: a runner that
// pipelines requests then costs one write per chunk. A flush is also forced
// past this size so that memory stays bounded under a long burst.
const FLUSH_BYTES = 1 << 16;

/**
 * Serve the protocol on a pair of streams: one request per input line, one
 * response line per request, in order. Resolves with the exit status (0)
 * after `bye` or at the end of the input, once every response is written.
 * Blank lines are skipped; anything else that is not a request gets a
 * protocol error, never an exception.
 */
export const serveStreams = (
  input: Readable,
  output: Writable,
  initial: Session,
): Promise<number> =>
  new Promise((resolve) => {
    let session = initial;
    let buffer = '';
    let flushQueued = false;
    const queue: string[] = [];
    let head = 0;
    let busy = false;
    let ended = false;
    let finished = false;

    const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });

    const flush = () => {
      flushQueued = false;
      if (buffer === '') return;
      const chunk = buffer;
      buffer = '';
      if (!output.write(chunk)) {
        // Back-pressure: stop reading until the runner has taken our answers.
        rl.pause();
        output.once('drain', () => {
          if (!finished) rl.resume();
        });
      }
    };

    const finish = () => {
      if (finished) return;
      finished = true;
      rl.close();
      const chunk = buffer;
      buffer = '';
      // Callbacks run in write order: this one means every answer is out,
      // even when an earlier write is still queued behind back-pressure.
      output.write(chunk, () => resolve(0));
    };

    const emit = (step: Step) => {
      session = step.session;
      buffer += `${step.line}\n`;
      if (step.done) {
        finish();
        return;
      }
      if (buffer.length >= FLUSH_BYTES) flush();
      else if (!flushQueued) {
        flushQueued = true;
        queueMicrotask(flush);
      }
    };

    // Lines are answered strictly in order; an asynchronous op holds the
    // queue until its answer is in.
    const drain = () => {
      busy = true;
      while (head < queue.length && !finished) {
        const line = queue[head] as string;
        head += 1;
        if (line.trim() === '') continue;
        const step = handleLine(session, line);
        if (isPromise(step)) {
          step.then((s) => {
            emit(s);
            drain();
          });
          return;
        }
        emit(step);
      }
      queue.length = 0;
      head = 0;
      busy = false;
      if (ended) finish();
    };

    rl.on('line', (line) => {
      if (finished) return;
      queue.push(line);
      if (!busy) drain();
    });
    rl.on('close', () => {
      ended = true;
      if (!busy) finish();
    });
    output.on('error', () => {
      // The runner closed its end: nobody is left to answer.
      finished = true;
      rl.close();
      resolve(0);
    });
  });
