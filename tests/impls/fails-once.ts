// Broken on purpose, and not deterministic from the runner's point of view:
// the process answers one `validate` wrongly (the N-th it receives, N from
// argv, default 40) and every other one right. Run the same scenario again
// in the same process and it passes: the failure does not reproduce.
import * as E from 'fp-ts/lib/Either.js';
import { HookInfo } from '../../src/model/hook.ts';
import { State } from '../../src/model/state.ts';
import { defineOp, ok } from '../../src/protocol/index.ts';
import { validate } from '../../src/state/validate.ts';
import { serveMutant } from './serve.ts';

const nth = Number(process.argv[2] ?? 40);
let seen = 0;

await serveMutant('fails once', [
  defineOp('validate', { state: State, hook: HookInfo }, (_, request) => {
    seen += 1;
    const verdict = validate(request.state, request.hook);
    if (seen === nth) return ok({ valid: false, error: 'refused this once' });
    return ok(E.isRight(verdict) ? { valid: true } : { valid: false, error: verdict.left.message });
  }),
]);
