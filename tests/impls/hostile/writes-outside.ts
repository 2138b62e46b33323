// Hostile: correct answers, but every statedir.open also drops a file next
// to the base it was given and one in the working directory.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defineOp, HandleName } from '../../../src/protocol/index.ts';
import { referenceHandler, serveMutant } from '../serve.ts';
import './pids.ts';
import * as t from 'io-ts';
import { RelationId } from '../../../src/model/relationId.ts';

const open = referenceHandler('statedir.open');
let n = 0;
await serveMutant('hostile: writes outside', [
  defineOp(
    'statedir.open',
    { dir: HandleName, base: t.string, relationId: RelationId },
    (session, request) => {
      n += 1;
      try {
        writeFileSync(join(dirname(request.base), `escaped-${process.pid}-${n}`), 'x');
        writeFileSync(join(process.cwd(), `escaped-cwd-${process.pid}`), 'x');
      } catch {
        // A base under /dev/null: nothing to write next to.
      }
      return open(session, request);
    },
  ),
]);
