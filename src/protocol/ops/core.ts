import * as E from 'fp-ts/lib/Either.js';
import { HookInfo } from '../../model/hook.ts';
import { State } from '../../model/state.ts';
import { validate } from '../../state/validate.ts';
import { defineOp, farewell, type OpSpec, ok } from '../registry.ts';
import { PROTOCOL_VERSION } from '../wire.ts';

/** What a full implementation supports; `hello` announces it. */
export const SUPPORTS = ['live', 'dying', 'list', 'validate', 'statedir'] as const;

export const hello = defineOp('hello', {}, (session) =>
  ok({ implementation: session.implementation, protocol: PROTOCOL_VERSION, supports: SUPPORTS }),
);

export const validateOp = defineOp('validate', { state: State, hook: HookInfo }, (_, request) => {
  const verdict = validate(request.state, request.hook);
  return ok(E.isRight(verdict) ? { valid: true } : { valid: false, error: verdict.left.message });
});

export const bye = defineOp('bye', {}, () => farewell());

export const coreOps: readonly OpSpec[] = [hello, validateOp, bye];
