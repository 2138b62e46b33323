import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stringifyJson } from '../../src/model/json.ts';
import { serve } from '../protocol/child.ts';

// The statedir.* ops of `relspec serve`, on a real temporary directory, with
// the exact texts of spec/RULES.md (state directory section).

const MAX = 9223372036854775807n;

test('R-DIR-PROTOCOL: open, ensure, write, state, readAll, remove on the real file system', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'relspec-serve-'));
  const base = path.join(root, 'relations');
  const s = serve();
  const result = async (request: Record<string, unknown>) => {
    const r = await s.call({ id: 1, ...request });
    assert.is(r.ok, true, stringifyJson(r));
    return stringifyJson(r.result);
  };
  try {
    assert.is(
      await result({ op: 'statedir.open', dir: 'd', base, relationId: 7 }),
      '{"state":{"relationId":7,"members":{},"changedPending":""}}',
    );
    assert.not.ok(fs.existsSync(base), 'open creates nothing');
    assert.is(
      await result({
        op: 'statedir.write',
        dir: 'd',
        hook: { kind: 'relation-joined', relationId: 7, remoteUnit: 'foo/1', changeVersion: 1 },
      }),
      `{"error":"failed to write \\"relation-joined\\" hook info for \\"foo/1\\" on state directory: open ${base}/7/foo-1.preparing: no such file or directory"}`,
    );
    assert.is(await result({ op: 'statedir.ensure', dir: 'd' }), '{}');
    assert.is(
      await result({
        op: 'statedir.write',
        dir: 'd',
        hook: {
          kind: 'relation-joined',
          relationId: 7,
          remoteUnit: 'foo-bar/1',
          changeVersion: MAX,
        },
      }),
      '{}',
    );
    assert.is(
      fs.readFileSync(path.join(base, '7', 'foo-bar-1'), 'utf8'),
      'change-version: 9223372036854775807\nchanged-pending: true\n',
    );
    assert.is(
      await result({ op: 'statedir.state', dir: 'd' }),
      '{"state":{"relationId":7,"members":{"foo-bar/1":9223372036854775807},"changedPending":"foo-bar/1"}}',
    );
    assert.is(
      await result({ op: 'statedir.readAll', base }),
      '{"states":{"7":{"relationId":7,"members":{"foo-bar/1":9223372036854775807},"changedPending":"foo-bar/1"}}}',
    );
    assert.is(
      await result({ op: 'statedir.remove', dir: 'd' }),
      `{"error":"remove ${base}/7: directory not empty"}`,
    );
    assert.is(
      await result({
        op: 'statedir.write',
        dir: 'd',
        hook: { kind: 'relation-broken', relationId: 7, remoteUnit: '', changeVersion: 0 },
      }),
      `{"error":"failed to write \\"relation-broken\\" hook info for \\"\\" on state directory: remove ${base}/7: directory not empty"}`,
    );
    assert.is(
      await result({
        op: 'statedir.write',
        dir: 'd',
        hook: {
          kind: 'relation-changed',
          relationId: 7,
          remoteUnit: 'foo-bar/1',
          changeVersion: 3,
        },
      }),
      '{}',
    );
    assert.is(
      await result({
        op: 'statedir.write',
        dir: 'd',
        hook: {
          kind: 'relation-departed',
          relationId: 7,
          remoteUnit: 'foo-bar/1',
          changeVersion: 3,
        },
      }),
      '{}',
    );
    assert.is(await result({ op: 'statedir.remove', dir: 'd' }), '{}');
    assert.is(
      await result({ op: 'statedir.state', dir: 'd' }),
      '{"state":{"relationId":7,"members":null,"changedPending":""}}',
    );
    assert.is(await result({ op: 'statedir.readAll', base }), '{"states":{}}');
    fs.mkdirSync(path.join(base, '8', 'foo-1'), { recursive: true });
    assert.is(
      await result({ op: 'statedir.readAll', base }),
      `{"error":"cannot load relations state from \\"${base}\\": cannot load relation state from \\"${base}/8\\": read ${base}/8/foo-1: is a directory"}`,
    );
    assert.is(
      await result({ op: 'statedir.open', dir: 'e', base: `${base}//`, relationId: 8 }),
      `{"error":"cannot load relation state from \\"${base}/8\\": read ${base}/8/foo-1: is a directory"}`,
    );
    const unknown = await s.call({ id: 2, op: 'statedir.state', dir: 'e' });
    assert.is(unknown.ok, false, 'a failed open creates no handle');
    const bad = await s.call({
      id: 3,
      op: 'statedir.write',
      dir: 'd',
      hook: { kind: 'relation-joined', relationId: 7, remoteUnit: '../x/0', changeVersion: 1 },
    });
    assert.is(bad.ok, false, 'a hostile unit name is refused before any file call');
    assert.is((await s.call({ id: 4, op: 'bye' })).ok, true);
    assert.is((await s.exit).code, 0);
  } finally {
    s.endInput();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test.run();
