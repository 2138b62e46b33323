import type { Readable, Writable } from 'node:stream';
import { byteLineSplitter } from '../runner/lines.ts';
import { handleLine, isPromise, type Session, type Step } from './session.ts';
import { encodeResponse } from './wire.ts';

// Output is collected and written once per input chunk (readline emits all
// the lines of a chunk synchronously), not once per line: a runner that
// pipelines requests then costs one write per chunk. A flush is also forced
// past this size so that memory stays bounded under a long burst.
const FLUSH_BYTES = 1 << 16;

/** The longest request line read; a longer one gets a protocol error and is skipped. */
export const SERVE_MAX_LINE_BYTES = 64 * 1024 * 1024;

// A line that was too long, in the queue where the line would have been.
interface TooLong {
  readonly bytes: number;
}

/**
 * Serve the protocol on a pair of streams: one request per input line
 * (lines end at LF; a CR before it is dropped, any other CR is JSON
 * whitespace), one response line per request, in order. Resolves with the exit status (0)
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
    const queue: (string | TooLong)[] = [];
    let head = 0;
    let busy = false;
    let ended = false;
    let finished = false;

    let paused = false;
    const stopReading = () => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.pause();
    };

    const flush = () => {
      flushQueued = false;
      if (buffer === '') return;
      const chunk = buffer;
      buffer = '';
      if (!output.write(chunk)) {
        // Back-pressure: stop reading until the runner has taken our answers.
        if (!paused) {
          paused = true;
          input.pause();
          output.once('drain', () => {
            paused = false;
            if (!finished) input.resume();
          });
        }
      }
    };

    const finish = () => {
      if (finished) return;
      finished = true;
      stopReading();
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
        const line = queue[head] as string | TooLong;
        head += 1;
        if (typeof line !== 'string') {
          const error = `request line of more than ${SERVE_MAX_LINE_BYTES} bytes (${line.bytes} read), skipped`;
          emit({
            session,
            response: { id: null, ok: false, error },
            line: encodeResponse({ id: null, ok: false, error }),
            done: false,
          });
          continue;
        }
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

    const enqueue = (item: string | TooLong) => {
      if (finished) return;
      queue.push(item);
      if (!busy) drain();
    };
    const lines = byteLineSplitter(
      SERVE_MAX_LINE_BYTES,
      (raw) => enqueue(raw.endsWith('\r') ? raw.slice(0, -1) : raw),
      (bytes) => enqueue({ bytes }),
    );
    const onData = (chunk: Buffer | string) => {
      if (!finished) lines.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    };
    const onEnd = () => {
      lines.end();
      ended = true;
      if (!busy) finish();
    };
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onEnd);
    output.on('error', () => {
      // The runner closed its end: nobody is left to answer.
      finished = true;
      stopReading();
      resolve(0);
    });
  });
