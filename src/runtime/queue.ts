import * as E from 'fp-ts/lib/Either.js';
import type { HookInfo } from '../model/hook.ts';
import type { State } from '../model/state.ts';
import type { SourceError } from '../schedule/errors.ts';
import {
  type HookSourceFacade,
  newDyingHookSource,
  newLiveHookSource,
  type RelationUnitsWatcher,
} from '../schedule/facade.ts';
import type { SendOnly } from './channel.ts';
import { type HookSender, newHookSender } from './sender.ts';

// Go kept these names for a stable package interface; so does relspec.

export type HookQueue = HookSender;

/**
 * A sender over a live source for `initial` and `watcher`. Fails, leaving the
 * watcher to the caller, when the state is not a valid start (see live.ts).
 */
export const newAliveHookQueue = (
  initial: State,
  out: SendOnly<HookInfo>,
  watcher: RelationUnitsWatcher,
): E.Either<SourceError, HookQueue> =>
  E.map((source: HookSourceFacade) => newHookSender(out, source))(
    newLiveHookSource(initial, watcher),
  );

/** A sender of the hooks that wind `initial` down; it ends once they are all delivered. */
export const newDyingHookQueue = (initial: State, out: SendOnly<HookInfo>): HookQueue =>
  newHookSender(out, newDyingHookSource(initial));
