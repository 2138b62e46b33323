// Broken on purpose: the process exits (code 3, after a word on stderr) when
// asked for a dying source. A dead implementation must get a clear verdict.
import { State } from '../../src/model/state.ts';
import { defineOp, HandleName } from '../../src/protocol/index.ts';
import { serveMutant } from './serve.ts';

await serveMutant('dies on source.dying', [
  defineOp('source.dying', { source: HandleName, state: State }, () => {
    process.stderr.write('panic: dying source not implemented\n');
    process.exit(3);
  }),
]);
