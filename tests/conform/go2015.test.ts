import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ConformOptions, Level } from '../../src/conform/phases.ts';
import { silentProgress } from '../../src/conform/progress.ts';
import { type ConformResult, runConform } from '../../src/conform/run.ts';
import { startClient } from '../../src/runner/client.ts';

// `conform --level exact` certifies an implementation that behaves as the
// 2015 Go code does (tests/impls/go2015): Go's map order for injected
// departures, Go's panics (as errors, or as deaths) with Go's texts, no
// unit-name checks and no confinement. Each conforms at exact, on more
// than one seed; the hardenings met are advisories naming their rules, and
// --level strict fails on them.

const go = (...modes: string[]) =>
  `node --import tsx ${join('tests', 'impls', 'go2015', 'serve.ts')} ${modes.join(' ')}`;

const root = await mkdtemp(join(tmpdir(), 'relspec-go2015-'));

const options = (command: string, extra: Partial<ConformOptions> = {}): ConformOptions => ({
  command,
  level: 'exact',
  runs: 60,
  seed: 20150312,
  // Generous: a loaded CI machine must not turn slowness into a verdict.
  timeoutMs: 20_000,
  fixturesDir: 'fixtures',
  failuresDir: join(root, String(Math.random()).slice(2)),
  maxSteps: 20,
  // A net only: shrinking stops after a fixed number of candidates.
  shrinkBudgetMs: 600_000,
  ...extra,
});

interface Run {
  readonly result: ConformResult;
  readonly lines: readonly string[];
}

const run = async (command: string, extra: Partial<ConformOptions> = {}): Promise<Run> => {
  const lines: string[] = [];
  const result = await runConform(options(command, extra), (l) => lines.push(l), silentProgress);
  return { result, lines };
};

const advised = (r: Run) => [...new Set(r.result.advisories.map((a) => a.rule))].sort();

const conforms = (r: Run, what: string) => {
  assert.is(r.result.exitCode, 0, `${what}:\n${r.lines.join('\n')}`);
};

test('Go map order: the injected departures come in a different order from run to run', async () => {
  // The implementation really is random (otherwise the test below proves nothing).
  const orders = new Set<string>();
  for (let i = 0; i < 12 && orders.size < 2; i++) {
    const client = startClient({ command: go('map-order'), timeoutMs: 20_000 });
    const state = { relationId: 7, members: { 'a/0': 1, 'b/1': 1, 'c/2': 1 }, changedPending: '' };
    await client.call({ op: 'source.live', source: 's', state });
    await client.call({
      op: 'source.update',
      source: 's',
      change: { changed: { 'd/0': { version: 1 } } },
    });
    const shown: string[] = [];
    for (let k = 0; k < 3; k++) {
      const r = await client.call({ op: 'source.next', source: 's' });
      shown.push(JSON.stringify(r));
      await client.call({ op: 'source.pop', source: 's' });
    }
    orders.add(shown.join());
    await client.close();
  }
  assert.ok(orders.size >= 2, 'twelve runs, always the same order');
});

for (const seed of [20150312, 7]) {
  test(`Go map order conforms at exact, seed ${seed}, with no advisory`, async () => {
    const r = await run(go('map-order'), { seed });
    conforms(r, 'map-order');
    assert.equal(advised(r), []);
    // The choice was met: fixtures and scenarios where two or more stored units are gone.
    assert.ok((r.result.tally.rows.get('R-LIVE-FIRST-ABSENT-DEPART')?.reached ?? 0) > 1);
  });
}

test("Go's panics as errors, with Go's texts (and yaml.v2's), conform at exact", async () => {
  const r = await run(go('panics', 'map-order', 'yaml2'), { seed: 11 });
  conforms(r, 'panics');
  // Go accepts a changed-pending unit that is not a member: relspec's refusal is a hardening.
  assert.equal(advised(r), ['R-LIVE-INITIAL-PENDING-NOT-MEMBER']);
  for (const id of ['R-SOURCE-EMPTY-MISUSE', 'R-LIVE-UNKNOWN-DEPARTURE', 'R-WRITE-AFTER-BROKEN']) {
    assert.ok((r.result.tally.rows.get(id)?.reached ?? 0) > 0, `${id} not reached`);
  }
});

test('dying where Go panicked conforms at exact: the implementation is restarted', async () => {
  const r = await run(go('die'), { phase: 'API misuse', runs: 15, fixturesDir: null });
  conforms(r, 'die');
});

test('no unit-name checks and no confinement: conforms at exact with advisories naming the hardenings', async () => {
  const r = await run(go('lenient'));
  conforms(r, 'lenient');
  const rules = advised(r);
  for (const id of ['R-DIR-CONFINED', 'R-PROTOCOL-HYGIENE', 'R-READ-INVALID-NAME']) {
    assert.ok(rules.includes(id), `no advisory for ${id}: ${rules.join(' ')}`);
  }
  assert.ok(r.lines.some((l) => l.startsWith('ADVISORY [golden fixtures] R-DIR-CONFINED')));
});

test('no unit-name checks and no confinement: fails at strict, naming the rules', async () => {
  const level: Level = 'strict';
  const r = await run(go('lenient'), { level, runs: 10 });
  assert.is(r.result.exitCode, 1, r.lines.join('\n'));
  const ids = new Set(r.result.failures.flatMap((f) => f.ids));
  for (const id of ['R-DIR-CONFINED', 'R-PROTOCOL-HYGIENE', 'R-READ-INVALID-NAME']) {
    assert.ok(ids.has(id), `strict does not name ${id}`);
  }
  assert.ok(r.lines.some((l) => l.includes('a hardening, failing at level strict')));
});

test.after(async () => {
  await rm(root, { recursive: true, force: true });
});

test.run();
