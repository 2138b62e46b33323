// The juju-3 reference with one rule mutated: `tsx tests/impls/juju3/serve.ts <RULE-ID>`.
import { REFERENCE_RULES } from '../../../src/juju3/next.ts';
import { createJuju3Session, REFERENCE_PARTS } from '../../../src/juju3/protocol/ops.ts';
import { serveStreams } from '../../../src/protocol/server.ts';
import { MUTANTS } from './mutants.ts';

const id = process.argv[2] ?? '';
const m = MUTANTS[id];
if (m === undefined) {
  process.stderr.write(`unknown mutant ${JSON.stringify(id)}\n`);
  process.exit(2);
}
const session = createJuju3Session(m.rules ?? REFERENCE_RULES, { ...REFERENCE_PARTS, ...m.parts });
process.exit(await serveStreams(process.stdin, process.stdout, session));
