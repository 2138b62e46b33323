import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { dyingHooks } from '../dying.ts';
import type { Engine } from '../engine.ts';
import { updatesRefused } from '../errors.ts';
import { FastList } from './list.ts';
import { FastLive } from './live.ts';

/** A source of the fast engine; the dying source is a list source. */
export type FastSource = FastLive | FastList;

/** The imperative engine: `update` and `pop` change the source in place and return it. */
export const fastEngine: Engine<FastSource> = {
  name: 'fast',
  live: (initial) => FastLive.create(initial),
  dying: (initial) => new FastList(dyingHooks(initial)),
  list: (hooks) => new FastList(hooks),
  update: (s, change) => {
    if (s._tag === 'FastList') return E.left(updatesRefused);
    const error = s.update(change);
    return error === undefined ? s.asRight : E.left(error);
  },
  empty: (s) => s.empty(),
  next: (s) => O.fromNullable(s.next()),
  pop: (s) => {
    const error = s.pop();
    return error === undefined ? s.asRight : E.left(error);
  },
};
