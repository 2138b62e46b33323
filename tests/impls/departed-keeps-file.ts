// Broken on purpose: the state directory's write of relation-departed drops
// the member in memory but leaves the unit's file on disk, so a restart
// reads the departed unit back (and relation-broken cannot remove the
// directory). Breaks the departed write rule / G9b.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { HookInfo } from '../../src/model/hook.ts';
import { unitFileName } from '../../src/model/unitName.ts';
import { defineOp, HandleName, lookupDir } from '../../src/protocol/index.ts';
import { referenceHandler, serveMutant } from './serve.ts';

const write = referenceHandler('statedir.write');

await serveMutant('departed leaves its file', [
  defineOp('statedir.write', { dir: HandleName, hook: HookInfo }, async (session, request) => {
    const handle = lookupDir(session, request.dir);
    if (E.isLeft(handle) || request.hook.kind !== 'relation-departed') {
      return write(session, request);
    }
    const file = join(handle.right.path, unitFileName(request.hook.remoteUnit));
    const kept = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    const reply = await write(session, request);
    if (kept !== undefined) writeFileSync(file, kept);
    return reply;
  }),
]);
