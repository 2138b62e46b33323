/**
 * Why talking to an implementation failed. Each is a verdict about the
 * implementation (or its command line), never an exception: the runner turns
 * every way a child process can misbehave into one of these.
 */
export type RunnerError =
  | {
      readonly _tag: 'SpawnFailed';
      readonly command: string;
      readonly message: string;
    }
  | {
      readonly _tag: 'Timeout';
      readonly op: string;
      readonly id: number;
      readonly ms: number;
      readonly stderr: readonly string[];
    }
  | {
      readonly _tag: 'Died';
      readonly code: number | null;
      readonly signal: string | null;
      readonly pending: number;
      readonly stderr: readonly string[];
    }
  | {
      readonly _tag: 'BadResponse';
      readonly line: string;
      readonly reason: string;
      readonly stderr: readonly string[];
    }
  | {
      /** A line longer than the limit, or more output than a scenario may print. */
      readonly _tag: 'TooMuchOutput';
      readonly kind: 'line' | 'output';
      readonly limit: number;
      /** The oldest unanswered request when it happened (its id is the step). */
      readonly id?: number;
      readonly op?: string;
      readonly stderr: readonly string[];
    }
  | {
      /** Too many sessions in a row timed out or died: the run stops here. */
      readonly _tag: 'GaveUp';
      readonly losses: number;
      readonly last: RunnerError;
    }
  | { readonly _tag: 'Closed'; readonly message: string };

const tail = (stderr: readonly string[]): string =>
  stderr.length === 0
    ? ''
    : `\nlast stderr lines:\n${stderr.map((line) => `  | ${line}`).join('\n')}`;

const clip = (text: string): string => (text.length > 200 ? `${text.slice(0, 197)}...` : text);

/** One readable paragraph: what happened, then the implementation's last words. */
export const describeRunnerError = (e: RunnerError): string => {
  switch (e._tag) {
    case 'SpawnFailed':
      return `cannot start implementation ${JSON.stringify(e.command)}: ${e.message}`;
    case 'Timeout':
      return `implementation did not answer request ${e.id} (${e.op}) within ${e.ms} ms${tail(e.stderr)}`;
    case 'Died': {
      const how = e.signal !== null ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
      return `implementation ${how} with ${e.pending} request(s) unanswered${tail(e.stderr)}`;
    }
    case 'BadResponse':
      return `implementation wrote a bad response line (${e.reason}): ${clip(e.line)}${tail(e.stderr)}`;
    case 'TooMuchOutput': {
      const at = e.id === undefined ? 'with no request waiting' : `at step ${e.id} (${e.op})`;
      const what =
        e.kind === 'line'
          ? `printed a line of more than ${e.limit} bytes`
          : `printed more than ${e.limit} bytes in one scenario`;
      return `implementation ${what} ${at}${tail(e.stderr)}`;
    }
    case 'GaveUp':
      return `stopped talking to the implementation after ${e.losses} sessions in a row timed out or died; the last: ${describeRunnerError(e.last)}`;
    case 'Closed':
      return e.message;
  }
};
