import * as E from 'fp-ts/lib/Either.js';
import type { HookInfo } from '../../model/hook.ts';
import { emptySource, type SourceError } from '../errors.ts';

/** A fixed sequence of hooks with a moving head; it refuses updates. */
export class FastList {
  readonly _tag = 'FastList';
  /** The source as a success, made once: the engine returns it from every update and pop. */
  readonly asRight: E.Either<never, FastList> = E.right(this);
  private position = 0;

  constructor(private readonly hooks: readonly HookInfo[]) {}

  empty(): boolean {
    return this.position >= this.hooks.length;
  }

  next(): HookInfo | undefined {
    return this.hooks[this.position];
  }

  pop(): SourceError | undefined {
    if (this.empty()) return emptySource;
    this.position++;
    return undefined;
  }
}
