import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type { HookInfo } from '../model/hook.ts';
import {
  change,
  type RelationUnitsChange,
  relationId,
  unitName as u,
  changeVersion as v,
} from '../model/index.ts';
import type { State } from '../model/state.ts';
import { liveSource } from '../schedule/live.ts';
import { type HookSource, next, pop, update } from '../schedule/source.ts';
import { commitHook } from '../state/commit.ts';
import { validate } from '../state/validate.ts';

// A restart: the agent knew mysql/0 and mysql/1 and owed mysql/1 its
// relation-changed; the fresh watcher's snapshot no longer has mysql/0.
const initial: State = {
  relationId: relationId(7),
  members: new Map([
    [u('mysql/0'), v(3)],
    [u('mysql/1'), v(5)],
  ]),
  changedPending: u('mysql/1'),
};

const stream: readonly RelationUnitsChange[] = [
  change([
    [u('mysql/1'), v(6)],
    [u('mysql/2'), v(1)],
  ]),
  change([[u('mysql/3'), v(1)]]),
  change([[u('mysql/2'), v(2)]], [u('mysql/3')]),
];

const describe = (h: HookInfo): string =>
  `${h.kind.padEnd(17)} ${h.remoteUnit === '' ? '-' : h.remoteUnit} v${h.changeVersion}`;

/** Run the live source over a built-in stream, one hook after each change. */
export const runDemo = (print: (line: string) => void): number => {
  const created = liveSource(initial);
  if (E.isLeft(created)) {
    print(created.left.message);
    return 1;
  }
  let source: HookSource = created.right;
  let state = initial;
  const drain = () => {
    for (let h = next(source); O.isSome(h); h = next(source)) {
      const verdict = validate(state, h.value);
      print(
        `  ${describe(h.value)}${E.isLeft(verdict) ? `  REFUSED: ${verdict.left.message}` : ''}`,
      );
      state = commitHook(state, h.value);
      const popped = pop(source);
      if (E.isLeft(popped)) return;
      source = popped.right;
    }
  };
  print(
    'relation 7: restart with members mysql/0 v3, mysql/1 v5, relation-changed owed to mysql/1',
  );
  for (const [i, ch] of stream.entries()) {
    const changed = [...ch.changed].map(([unit, ver]) => `${unit}=v${ver}`).join(' ');
    print(`watcher change ${i + 1}: changed [${changed}] departed [${ch.departed.join(' ')}]`);
    const updated = update(source, ch);
    if (E.isLeft(updated)) {
      print(`  update failed: ${updated.left.message}`);
      return 1;
    }
    source = updated.right;
    drain();
  }
  print(`final members: ${[...(state.members ?? [])].map(([k, x]) => `${k}=v${x}`).join(' ')}`);
  return 0;
};
