import { goQuote } from '../model/goquote.ts';
import type { HookKind } from '../model/hookKind.ts';

/** A state directory operation that failed: `message` is the full Go text. */
export interface StateDirError {
  readonly _tag: 'StateDirError';
  readonly message: string;
}

export const stateDirError = (message: string): StateDirError => ({
  _tag: 'StateDirError',
  message,
});

/** ReadStateDir's prefix; `dir` is the relation directory path. */
export const readPrefix = (dir: string): string =>
  `cannot load relation state from ${goQuote(dir)}: `;

/** ReadAllStateDirs's prefix; `base` is the path as given. */
export const readAllPrefix = (base: string): string =>
  `cannot load relations state from ${goQuote(base)}: `;

/** Write's prefix. */
export const writePrefix = (kind: HookKind, unit: string): string =>
  `failed to write ${goQuote(kind)} hook info for ${goQuote(unit)} on state directory: `;

/** The reason for a member file that is not valid. */
export const invalidUnitFile = (name: string, reason: string): string =>
  `invalid unit file ${goQuote(name)}: ${reason}`;

export const bothPending = (first: string, second: string): string =>
  `${goQuote(first)} and ${goQuote(second)} both have pending changed hooks`;
