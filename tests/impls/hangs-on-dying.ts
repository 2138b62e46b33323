// Broken on purpose: never answers a request for a dying source. A hung
// implementation must get a timeout verdict, not hang the run.
import { State } from '../../src/model/state.ts';
import { defineOp, HandleName, type Reply } from '../../src/protocol/index.ts';
import { serveMutant } from './serve.ts';

await serveMutant('hangs on source.dying', [
  defineOp('source.dying', { source: HandleName, state: State }, () => {
    process.stderr.write('waiting forever for the dying source\n');
    return new Promise<Reply>(() => {});
  }),
]);
