import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeWith } from '../../src/model/decode.ts';
import { type HookInfo, HookInfo as HookInfoC } from '../../src/model/hook.ts';
import { relationId } from '../../src/model/relationId.ts';
import { withCrash } from '../../src/statedir/crash.ts';
import { writePrefix } from '../../src/statedir/errors.ts';
import { FAULT_CODES, withFault } from '../../src/statedir/faults.ts';
import type { FsCall } from '../../src/statedir/fsPort.ts';
import { MUTATING_CALLS } from '../../src/statedir/fsPort.ts';
import { goDir } from '../../src/statedir/goPath.ts';
import { readAllStateDirs, readStateDir, relationDirPath } from '../../src/statedir/read.ts';
import { withRecorder } from '../../src/statedir/recorder.ts';
import { openStateDir, type StateDir, stateDirOf } from '../../src/statedir/stateDir.ts';
import { check } from '../config.ts';
import { anyHookArb, counter, diskView, R, readView, stepsArb, validRun } from './gen.ts';
import type { World } from './worlds.ts';

export interface SuiteRuns {
  readonly idempotent: number;
  readonly roundTrip: number;
  readonly crash: number;
  readonly faults: number;
  readonly confined: number;
}

// Opened (read) on the world's own port; then every later call goes to `fs`,
// so faults and crashes are counted over the writes only.
const open = (w: World, fs = w.fs): StateDir => {
  const dir = openStateDir(w.fs, w.base, R);
  if (E.isLeft(dir)) throw new Error(dir.left.message);
  return stateDirOf(fs, dir.right.path, dir.right.state());
};

const mustWrite = (dir: StateDir, h: HookInfo) => {
  const r = dir.write(h);
  if (E.isLeft(r)) throw new Error(r.left.message);
};

const inWorld = <A>(make: () => World, run: (w: World) => A): A => {
  const w = make();
  try {
    return run(w);
  } finally {
    w.dispose();
  }
};

const reread = (w: World): string => {
  const read = readStateDir(w.fs, w.base, R);
  if (E.isLeft(read)) throw new Error(`disk unreadable: ${read.left.message}`);
  return diskView(read.right.state);
};

/** The properties of issue 3, on the worlds `make` gives. */
export const statedirSuite = (suite: Test, make: () => World, runs: SuiteRuns): void => {
  suite('R-WRITE-IDEMPOTENT: write(h) twice leaves the disk and memory of write(h) once, from any reachable state', () => {
    const seen = counter();
    check(
      fc.property(stepsArb(8), anyHookArb, (steps, h) =>
        inWorld(make, (w) => {
          const dir = open(w);
          dir.ensure();
          for (const prior of validRun(steps).hooks) mustWrite(dir, prior);
          const before = dir.state();
          if (h.kind === 'relation-departed' && !before.members?.has(h.remoteUnit))
            seen.hit('departed of a missing file');
          if (h.kind === 'relation-broken' && (before.members?.size ?? 0) > 0)
            seen.hit('broken with leftover files');
          if (h.kind === 'relation-changed' && before.changedPending === h.remoteUnit)
            seen.hit('pending changed');
          const first = dir.write(h);
          const disk1 = w.snapshot();
          const mem1 = diskView(dir.state());
          const second = dir.write(h);
          assert.equal(w.snapshot(), disk1);
          assert.is(diskView(dir.state()), mem1);
          assert.is(
            E.isLeft(second) ? second.left.message : 'ok',
            E.isLeft(first) ? first.left.message : 'ok',
          );
        }),
      ),
      runs.idempotent,
    );
    for (const c of [
      'departed of a missing file',
      'broken with leftover files',
      'pending changed',
    ]) {
      assert.ok(seen.get(c) > 0, `never reached: ${c} ${JSON.stringify(seen.all())}`);
    }
  });

  suite('R-WRITE-ROUND-TRIP: after any valid hook sequence, ReadStateDir of the disk equals memory', () => {
    check(
      fc.property(stepsArb(14), (steps) =>
        inWorld(make, (w) => {
          const dir = open(w);
          dir.ensure();
          const { hooks, states } = validRun(steps);
          hooks.forEach((h, i) => {
            mustWrite(dir, h);
            assert.is(diskView(dir.state()), diskView(states[i + 1]));
            assert.is(reread(w), readView(dir.state()));
          });
          const all = readAllStateDirs(w.fs, w.base);
          assert.ok(E.isRight(all));
          if (E.isRight(all)) assert.is(diskView(all.right.get(R)?.state), diskView(dir.state()));
        }),
      ),
      runs.roundTrip,
    );
  });

  suite('R-DIR-CRASH: a crash at any mutating call recovers the state before or after the interrupted write', () => {
    const seen = counter();
    check(
      fc.property(stepsArb(10), fc.nat(), (steps, pick) => {
        const { hooks, states } = validRun(steps);
        const total = inWorld(make, (w) => {
          const dir = open(w);
          dir.ensure();
          const counting = withCrash(w.fs, Number.POSITIVE_INFINITY);
          const d = open(w, counting.port);
          for (const h of hooks) mustWrite(d, h);
          void dir;
          return counting.mutations();
        });
        if (total === 0) return;
        const at = (pick % total) + 1;
        inWorld(make, (w) => {
          open(w).ensure();
          const crashing = withCrash(w.fs, at);
          const dir = open(w, crashing.port);
          let interrupted = -1;
          for (const [i, h] of hooks.entries()) {
            const r = dir.write(h);
            if (E.isLeft(r)) {
              interrupted = i;
              break;
            }
          }
          assert.ok(interrupted >= 0, 'the crash interrupts a write');
          const h = hooks[interrupted] as HookInfo;
          seen.hit(`crash in ${h.kind}`);
          const before = states[interrupted];
          if (before?.changedPending === h.remoteUnit && h.kind === 'relation-changed')
            seen.hit('pending changed');
          if (Object.keys(w.snapshot()).some((p) => p.endsWith('.preparing')))
            seen.hit('stray temp file');
          const recovered = readAllStateDirs(w.fs, w.base);
          if (E.isLeft(recovered)) throw new Error(`recovery failed: ${recovered.left.message}`);
          const got = diskView(recovered.right.get(R)?.state);
          const options = [diskView(before), diskView(states[interrupted + 1])];
          assert.ok(
            options.includes(got),
            `recovered ${got}, expected one of ${options.join(' / ')}`,
          );
        });
      }),
      runs.crash,
    );
    for (const c of [
      'crash in relation-joined',
      'crash in relation-changed',
      'crash in relation-departed',
      'crash in relation-broken',
      'pending changed',
      'stray temp file',
    ]) {
      assert.ok(seen.get(c) > 0, `never reached: ${c} ${JSON.stringify(seen.all())}`);
    }
  });

  suite('R-WRITE-FAULTS: an injected error is reported, memory equals disk, and a retry converges', () => {
    const seen = counter();
    const kinds: FsCall[] = [
      'open',
      'write',
      'fsync',
      'close',
      'rename',
      'syncDir',
      'unlink',
      'rmdir',
    ];
    check(
      fc.property(
        stepsArb(10),
        fc.nat(),
        fc.constantFrom(...FAULT_CODES),
        fc.option(fc.constantFrom(...kinds), { nil: undefined }),
        (steps, pick, code, kind) => {
          const { hooks } = validRun(steps);
          const reference = inWorld(make, (w) => {
            const dir = open(w);
            dir.ensure();
            const counting = withFault(w.fs, {
              at: Number.POSITIVE_INFINITY,
              code,
              ...(kind === undefined ? {} : { call: kind }),
            });
            const d = open(w, counting.port);
            for (const h of hooks) mustWrite(d, h);
            return { disk: w.snapshot(), mem: diskView(d.state()), calls: counting.counted() };
          });
          if (reference.calls === 0) return;
          const at = (pick % reference.calls) + 1;
          inWorld(make, (w) => {
            open(w).ensure();
            const faulty = withFault(w.fs, {
              at,
              code,
              ...(kind === undefined ? {} : { call: kind }),
            });
            const dir = open(w, faulty.port);
            for (const h of hooks) {
              const r = dir.write(h);
              if (E.isRight(r)) continue;
              seen.hit(`fault ${code}`);
              seen.hit(`fault in ${h.kind}`);
              assert.ok(
                r.left.message.startsWith(writePrefix(h.kind, h.remoteUnit)),
                r.left.message,
              );
              assert.is(reread(w), readView(dir.state()), 'memory equals disk after the fault');
              const retry = dir.write(h);
              assert.ok(E.isRight(retry), 'the retry succeeds');
            }
            assert.ok(faulty.fired());
            assert.equal(w.snapshot(), reference.disk);
            assert.is(diskView(dir.state()), reference.mem);
          });
        },
      ),
      runs.faults,
    );
    for (const c of [
      'fault EIO',
      'fault ENOSPC',
      'fault EACCES',
      'fault in relation-joined',
      'fault in relation-changed',
      'fault in relation-departed',
      'fault in relation-broken',
    ]) {
      assert.ok(seen.get(c) > 0, `never reached: ${c} ${JSON.stringify(seen.all())}`);
    }
  });

  suite('R-DIR-CONFINED: nothing is written outside base/<relationId>/, whatever the input', () => {
    const seen = counter();
    const hostile = fc.constantFrom(
      '../x/0',
      'a/0/../..',
      '/etc/0',
      'a/../0',
      'a\u0000/0',
      '..',
      '.',
      'a/0/b',
      'a-/0',
      '-a/0',
      'a//0',
      'A/0',
      'a/00',
      'a/-1',
    );
    const nameArb = fc.oneof(
      hostile,
      fc.string({ maxLength: 12 }),
      fc.constantFrom('a/0', 'foo-bar/1', 'x9/12', 'b-2c/9223372036854775807'),
    );
    check(
      fc.property(
        fc.constantFrom(
          'relation-joined',
          'relation-changed',
          'relation-departed',
          'relation-broken',
        ),
        nameArb,
        fc.integer({ min: -1000, max: 1000 }),
        (kind, remoteUnit, id) =>
          inWorld(make, (w) => {
            const decoded = decodeWith(HookInfoC)({
              kind,
              relationId: id,
              remoteUnit,
              changeVersion: 1,
            });
            if (E.isLeft(decoded)) {
              seen.hit('rejected');
              return;
            }
            seen.hit('accepted');
            const rec = withRecorder(w.fs);
            const opened = openStateDir(rec.port, w.base, relationId(id));
            if (E.isLeft(opened)) throw new Error(opened.left.message);
            opened.right.ensure();
            opened.right.write(decoded.right);
            const dir = relationDirPath(w.base, relationId(id));
            for (const c of rec.calls()) {
              if (!MUTATING_CALLS.has(c.call)) continue;
              for (const p of [c.path, c.path2]) {
                if (p === undefined) continue;
                const inside =
                  goDir(p) === dir || p === dir || (c.call === 'mkdir' && dir.startsWith(`${p}/`));
                assert.ok(inside, `${c.call} ${p} is outside ${dir}`);
              }
            }
          }),
      ),
      runs.confined,
    );
    assert.ok(seen.get('rejected') > 0 && seen.get('accepted') > 0, JSON.stringify(seen.all()));
  });
};
