// The juju-3 reference with one rule mutated: `tsx tests/impls/juju3/serve.ts <RULE-ID>`.
import { serveStreams } from '../../../src/protocol/server.ts';
import { MUTANTS, mutantSession } from './mutants.ts';

const id = process.argv[2] ?? '';
const m = MUTANTS[id];
if (m === undefined) {
  process.stderr.write(`unknown mutant ${JSON.stringify(id)}\n`);
  process.exit(2);
}
const session = mutantSession(m);
process.exit(await serveStreams(process.stdin, process.stdout, session));
