// A single-rule mutant of the reference, served over the driver protocol
// exactly as a foreign implementation would be:
//
//   node --import tsx tests/impls/mutants/serve.ts <RULE-ID>
//
// Every op is answered by the copies in this directory with the one switch
// of <RULE-ID> turned off (see rules.ts); `none` serves them with every
// switch on, which must conform like the reference.
import { createSession, type OpSpec, opTable } from '../../../src/protocol/index.ts';
import { coreOps } from '../../../src/protocol/ops/core.ts';
import { serveStreams } from '../../../src/protocol/server.ts';
import { nodeFs } from '../../../src/statedir/nodeFs.ts';
import { GoCrash } from './live.ts';
import { isMutantRule, MUTANT_RULES, offFor } from './rules.ts';
import { mutantCoreOps } from './sourceOps.ts';
import { mutantStatedirOps } from './statedirOps.ts';

const arg = process.argv[2] ?? '';
if (arg !== 'none' && !isMutantRule(arg)) {
  process.stderr.write(`usage: serve.ts <RULE-ID>|none; rule ids: ${MUTANT_RULES.join(' ')}\n`);
  process.exit(2);
}
const off = offFor(arg === 'none' ? null : arg);

// Go crashed where a mutant throws GoCrash: die like it, with its panic on
// stderr (the session would otherwise answer an internal protocol error).
const dieOnGoCrash = (spec: OpSpec): OpSpec => ({
  ...spec,
  handle: (session, request) => {
    try {
      return spec.handle(session, request);
    } catch (e) {
      if (!(e instanceof GoCrash)) throw e;
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
  },
});

const specs = [...coreOps, ...mutantCoreOps(off), ...mutantStatedirOps(off, nodeFs())];
const ops = opTable(specs.map(dieOnGoCrash));
const session = createSession({ implementation: `relspec mutant ${arg}`, ops });
process.exit(await serveStreams(process.stdin, process.stdout, session));
