// Broken on purpose: Validate refuses the right hooks but words one refusal
// differently ("unit is already joined"). Breaks R-VALIDATE-JOINED's text.
import * as E from 'fp-ts/lib/Either.js';
import { HookInfo } from '../../src/model/hook.ts';
import { State } from '../../src/model/state.ts';
import { defineOp, ok } from '../../src/protocol/index.ts';
import { validate } from '../../src/state/validate.ts';
import { serveMutant } from './serve.ts';

await serveMutant('wrong Validate text', [
  defineOp('validate', { state: State, hook: HookInfo }, (_, request) => {
    const verdict = validate(request.state, request.hook);
    if (E.isRight(verdict)) return ok({ valid: true });
    return ok({
      valid: false,
      error: verdict.left.message.replace('unit already joined', 'unit is already joined'),
    });
  }),
]);
