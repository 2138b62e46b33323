import { serveStreams } from '../../protocol/server.ts';
import { createJuju3Session } from './ops.ts';

/** `relspec serve --profile juju-3`: the reference on stdin/stdout; resolves with the exit status. */
export const serveJuju3 = (): Promise<number> =>
  serveStreams(process.stdin, process.stdout, createJuju3Session());
