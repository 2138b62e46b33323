import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  cloneImage,
  imageFiles,
  imageFromFiles,
  imageFs,
} from '../../src/statedir/powercut/image.ts';
import { crashImages, traceEffects } from '../../src/statedir/powercut/model.ts';
import { crashTable, crashTableMarkdown } from '../../src/statedir/powercut/table.ts';
import { withRecorder } from '../../src/statedir/recorder.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

test('R-DIR-POWERCUT-MODEL: a write is durable only after its sync; unsynced changes may each be lost', () => {
  const initial = imageFromFiles({ '/d': null });
  const rec = withRecorder(imageFs(cloneImage(initial)));
  const file = rec.port.open('/d/f', 0o644);
  assert.ok(file._tag === 'Right');
  if (file._tag !== 'Right') return;
  rec.port.write(file.right, bytes('x'));
  rec.port.close(file.right);
  const effects = traceEffects(initial, rec.calls());
  assert.equal(
    effects.map((e) => [e.label, e.durableAt]),
    [
      ['create f', undefined],
      ['data of f', undefined],
    ],
  );
  const disks = new Set(
    crashImages(initial, rec.calls()).map((c) => JSON.stringify(imageFiles(c.image))),
  );
  assert.equal(
    [...disks].sort(),
    [
      JSON.stringify({ '/d': null }),
      JSON.stringify({ '/d': null, '/d/f': '' }),
      JSON.stringify({ '/d': null, '/d/f': 'x' }),
    ].sort(),
  );
});

test('R-DIR-POWERCUT: every crash state of one write of each hook kind is survived', () => {
  const rows = crashTable();
  // Printed so that the README table can be regenerated from the tests too.
  console.log(`\n${crashTableMarkdown(rows)}`);
  assert.ok(
    rows.every((r) => r.survives),
    crashTableMarkdown(rows.filter((r) => !r.survives)),
  );
  const count = (scenario: string) => rows.filter((r) => r.scenario === scenario).length;
  assert.is(count('relation-joined'), 4);
  assert.is(count('relation-joined over a stray temp file'), 5);
  assert.is(count('relation-changed'), 4);
  assert.is(count('relation-departed'), 2);
  assert.is(count('relation-broken'), 2);
  // Removals are never followed by a directory sync (as in Go): an acknowledged
  // departed or broken can come back after a power cut, and the hook runs again.
  assert.equal(
    rows.filter((r) => r.verdict === 'before' && r.afterReturn).map((r) => r.scenario),
    ['relation-departed', 'relation-broken'],
  );
  // Joined and changed are durable once the write returned.
  assert.ok(
    rows
      .filter((r) => r.afterReturn && r.scenario.startsWith('relation-joined'))
      .every((r) => r.verdict === 'after'),
  );
});

test('R-DIR-POWERCUT-FSYNC: without the file sync before the rename, a power cut can leave an empty member file', () => {
  const rows = crashTable({ drop: ['fsync'] });
  const failing = rows.filter((r) => !r.survives);
  assert.ok(failing.some((r) => r.scenario === 'relation-joined' && r.verdict === 'error'));
  assert.ok(
    failing.some((r) => r.scenario === 'relation-changed' && r.disk === 'wordpress-0: empty'),
  );
});

test('R-DIR-POWERCUT-SYNCDIR: without the directory sync, an acknowledged joined can be lost', () => {
  const rows = crashTable({ drop: ['syncDir'] });
  assert.ok(rows.every((r) => r.survives));
  assert.ok(
    rows.some((r) => r.scenario === 'relation-joined' && r.afterReturn && r.verdict === 'before'),
  );
});

test.run();
