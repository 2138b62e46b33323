import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compilePlan, seededPlans } from '../../src/crash/generate.ts';
import { type CrashOptions, type CrashReport, runCrashPhases } from '../../src/crash/index.ts';
import type { PhaseName } from '../../src/crash/phases.ts';
import { replayCrash } from '../../src/crash/replay.ts';
import type { Scenario, Step } from '../../src/crash/scenario.ts';
import { STRACE_MISSING, straceAvailable, straceCannotTrace } from '../../src/crash/strace.ts';
import { changeVersion } from '../../src/model/changeVersion.ts';
import { unitHook } from '../../src/model/hook.ts';
import { relationId } from '../../src/model/relationId.ts';
import { unitName } from '../../src/model/unitName.ts';

// The crash phases against real processes under strace: the reference
// passes, and each broken implementation of tests/impls/crash is caught by
// the phase that should catch it, with the call named. Small scenarios and
// selected points keep this to a few traced runs per case.

const ROOT = new URL('../..', import.meta.url).pathname;
const impl = (name: string) => `node --import tsx tests/impls/crash/${name}.ts`;
const R = relationId(7);
const SEED = 20150312;

const write = (kind: 'relation-joined' | 'relation-changed', unit: string, v: number): Step => ({
  op: 'statedir.write',
  relation: R,
  hook: unitHook(kind, R, unitName(unit), changeVersion(v)),
});

/** One relation: b/0 joins (and optionally more), the watcher then shows `view`. */
const small = (steps: readonly Step[], view: Record<string, bigint>): Scenario => ({
  name: 'small',
  steps: [{ op: 'statedir.open', relation: R }, { op: 'statedir.ensure', relation: R }, ...steps],
  views: new Map([
    [R, { kind: 'live', members: new Map(Object.entries(view).map(([u, v]) => [unitName(u), v])) }],
  ]),
});

const JOIN_B = small([write('relation-joined', 'b/0', 1)], { 'b/0': 1n });

const run = (options: Partial<CrashOptions> & { command: string }): Promise<CrashReport> =>
  runCrashPhases({ cwd: ROOT, timeoutMs: 60000, shrink: false, seed: 1, ...options });

const tried = (report: CrashReport, phase: PhaseName) =>
  report.rows.filter((r) => r.phase === phase).reduce((n, r) => n + r.tried, 0);

const only = (report: CrashReport, phase: PhaseName) => {
  assert.ok(report.ran, report.note);
  assert.is(
    report.rows.reduce((n, r) => n + r.missed, 0),
    0,
    'every injection hit its call',
  );
  const failures = report.failures.filter((f) => f.phase === phase);
  assert.ok(failures.length > 0, `the ${phase} phase fails`);
  assert.is(report.failures.length, failures.length, `only the ${phase} phase fails`);
  assert.is(report.exitCode, 1);
  return failures;
};

// Where strace exists but may not attach (no ptrace), the phases say so and these cases cannot run.
const HAVE_STRACE = straceAvailable() && (await straceCannotTrace()) === undefined;

test('without strace the phases say so visibly instead of passing', async () => {
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    const report = await run({ command: impl('standin') });
    assert.is(report.ran, false);
    assert.is(report.note, STRACE_MISSING);
  } finally {
    process.env.PATH = path;
  }
});

if (straceAvailable() && !HAVE_STRACE) {
  test('strace present but unable to trace: the phases say so visibly', async () => {
    const report = await run({ command: impl('standin') });
    assert.is(report.ran, false);
    assert.match(report.note ?? '', 'crash phase not run: strace cannot attach');
  });
}

if (HAVE_STRACE) {
  test('relspec serve recovers in all three phases (sampled points)', async () => {
    const report = await run({
      command: 'node bin/relspec.js serve',
      crashPoints: 3,
      scenario: small([write('relation-joined', 'b/0', 1), write('relation-changed', 'b/0', 1)], {
        'b/0': 2n,
      }),
    });
    assert.ok(report.ran, report.note);
    assert.equal(report.failures, []);
    assert.is(report.exitCode, 0);
    for (const phase of ['process crash', 'I/O error', 'power cut'] as const) {
      assert.ok(tried(report, phase) > 0, `${phase} tried points`);
    }
    assert.is(
      report.rows.reduce((n, r) => n + r.missed, 0),
      0,
    );
  });

  test('in place rewrite: caught by the process crash at the write', async () => {
    const report = await run({
      command: impl('in-place'),
      scenario: JOIN_B,
      phases: ['process crash'],
      select: (p) => p.op === 'write',
    });
    const [f] = only(report, 'process crash');
    assert.match(f?.what ?? '', 'kill at write 7/b-0 (40 bytes)');
    assert.match(f?.reason ?? '', '"changed-version" not set');
  });

  test('rename before writing the temporary: caught by the process crash at the write', async () => {
    const report = await run({
      command: impl('rename-first'),
      scenario: JOIN_B,
      phases: ['process crash'],
      select: (p) => p.op === 'write',
    });
    const [f] = only(report, 'process crash');
    assert.match(f?.what ?? '', 'kill at write 7/b-0 (40 bytes)');
  });

  test('fixed temporary name without truncation: caught after a kill at the rename', async () => {
    // c/0's join dies before its rename and leaves `tmp` behind; the restarted
    // agent first writes b/0's shorter relation-changed into it.
    const report = await run({
      command: impl('fixed-temp'),
      scenario: small(
        [
          write('relation-joined', 'b/0', 1),
          write('relation-changed', 'b/0', 1),
          write('relation-joined', 'c/0', 3),
        ],
        { 'b/0': 2n, 'c/0': 3n },
      ),
      phases: ['process crash'],
      select: (p) => p.request === 5 && p.op === 'rename',
    });
    const [f] = only(report, 'process crash');
    assert.match(f?.what ?? '', 'kill at rename 7/tmp -> 7/c-0');
    assert.match(f?.what ?? '', 'rename #3 in 7');
    assert.match(f?.reason ?? '', 'continuation');
  });

  test('never fsyncs: every process kill recovers, the power cut names the missing fsync', async () => {
    const report = await run({
      command: impl('no-fsync'),
      scenario: JOIN_B,
      phases: ['process crash', 'power cut'],
      crashPoints: 'all',
    });
    assert.ok(tried(report, 'process crash') >= 3, 'every call was killed once');
    const [f] = only(report, 'power cut');
    assert.match(
      f?.reason ?? '',
      'fsync of 7/b-0.preparing before rename 7/b-0.preparing -> 7/b-0',
    );
  });

  test('memory before disk: caught by the I/O error phase (memory differs from a fresh open)', async () => {
    const report = await run({
      command: impl('memory-first'),
      scenario: JOIN_B,
      phases: ['I/O error'],
      codes: ['EIO'],
      select: (p) => p.op === 'rename',
    });
    const [f] = only(report, 'I/O error');
    assert.match(f?.what ?? '', 'EIO at rename 7/b-0.preparing -> 7/b-0');
    assert.match(f?.reason ?? '', 'memory holds');
  });

  // Python implementations writing through tempfile.mkstemp: random names in every run.
  const python = (name: string) => `python3 -B tests/impls/crash/python/${name}.py`;
  const kindsWithCalls = (report: CrashReport, phase: PhaseName) =>
    report.rows.filter((r) => r.phase === phase && r.calls > 0);

  test('random temporary names, correct: every phase passes, every kind aimed and tried', async () => {
    const report = await run({
      command: python('correct'),
      scenario: compilePlan(seededPlans(SEED, 1)[0] as never, 'generated'),
      crashPoints: 4,
    });
    assert.ok(report.ran, report.note);
    assert.equal(report.failures, []);
    for (const phase of ['process crash', 'I/O error', 'power cut'] as const) {
      const rows = kindsWithCalls(report, phase);
      assert.ok(rows.length >= 3, `${phase}: several request kinds`);
      for (const r of rows) {
        assert.ok(r.tried > 0, `${phase}: ${r.kind} tried`);
        assert.is(r.missed, 0, `${phase}: ${r.kind} aimed`);
      }
    }
  });

  test('random temporary names, no fsync before the rename: kills and I/O errors pass, the power cut names the fsync', async () => {
    const report = await run({
      command: python('no_fsync'),
      scenario: JOIN_B,
      crashPoints: 'all',
      codes: ['EIO'],
    });
    assert.ok(tried(report, 'process crash') >= 4, 'every call killed once');
    assert.ok(tried(report, 'I/O error') >= 4, 'every call failed once');
    const [f] = only(report, 'power cut');
    assert.match(f?.reason ?? '', /fsync of 7\/tmp\w+ before rename 7\/tmp\w+ -> 7\/b-0/);
  });

  test('random temporary names, in place: caught by the process crash, and --replay reproduces it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relspec-crash-test-'));
    try {
      const report = await run({
        command: python('in_place'),
        scenario: JOIN_B,
        phases: ['process crash'],
        select: (p) => p.op === 'write',
        failuresDir: dir,
      });
      const [f] = only(report, 'process crash');
      assert.match(f?.what ?? '', 'kill at write 7/b-0 (40 bytes)');
      assert.match(f?.reason ?? '', '"changed-version" not set');
      assert.ok(f?.replayFile);
      const again = await replayCrash(f.replayFile, { cwd: ROOT, timeoutMs: 60000 });
      assert.is(again.exitCode, 1, again.lines.join('\n'));
      assert.ok(
        again.lines.some((l) => l.includes(f.what)),
        again.lines.join('\n'),
      );
      assert.ok(
        again.lines.some((l) => l.includes(f.reason)),
        again.lines.join('\n'),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test.run();
