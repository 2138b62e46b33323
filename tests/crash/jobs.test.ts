import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type CrashOptions, runCrashPhases } from '../../src/crash/index.ts';
import { formatCrashReport } from '../../src/crash/report.ts';
import { straceAvailable, straceCannotTrace } from '../../src/crash/strace.ts';

// --jobs spreads the crash points over processes run at once, never changes
// what is found: two jobs print what one job prints (tallies, failures, the
// shrunk scenario) and write the same replay files. The Python
// implementations name their temporary files at random (and drifting.py a
// directory after its process id), so those names are normalised; nothing
// else is.

const ROOT = new URL('../..', import.meta.url).pathname;
const python = (name: string) => `python3 -B tests/impls/crash/python/${name}.py`;
const HAVE_STRACE = straceAvailable() && (await straceCannotTrace()) === undefined;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'relspec-crash-jobs-'));

interface Run {
  readonly lines: readonly string[];
  /** The replay files written, by name, with their text. */
  readonly files: ReadonlyMap<string, string>;
  readonly exitCode: number;
  readonly failures: number;
}

const normal = (text: string, dir: string): string =>
  text
    .replace(/in [0-9.]+ s$/, 'in (t) s')
    .replaceAll(dir, 'FAILURES')
    .replace(/\btmp[a-z0-9_]{8}\b/g, 'tmpXXXXXXXX')
    .replace(/\bpid\d+\b/g, 'pidN');

const run = async (
  name: string,
  options: Partial<CrashOptions> & { command: string; jobs: number },
): Promise<Run> => {
  const dir = path.join(scratch, `${name}-${options.jobs}`);
  const report = await runCrashPhases({
    cwd: ROOT,
    // Generous: a loaded machine must not turn slowness into a verdict.
    timeoutMs: 60000,
    seed: 20150312,
    scenarios: 1,
    failuresDir: dir,
    ...options,
  });
  assert.ok(report.ran, report.note);
  const files = new Map<string, string>();
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
    files.set(f, normal(fs.readFileSync(path.join(dir, f), 'utf8'), dir));
  }
  return {
    lines: formatCrashReport(report).map((l) => normal(l, dir)),
    files,
    exitCode: report.exitCode,
    failures: report.failures.length,
  };
};

/** The same crash run with one job and with two. */
const bothJobs = async (
  name: string,
  options: Partial<CrashOptions> & { command: string },
): Promise<[Run, Run]> => [
  await run(name, { ...options, jobs: 1 }),
  await run(name, { ...options, jobs: 2 }),
];

const same = (one: Run, two: Run) => {
  assert.equal(two.lines, one.lines);
  assert.equal([...two.files.keys()], [...one.files.keys()]);
  for (const [name, text] of one.files) assert.fixture(two.files.get(name) ?? '', text);
};

if (HAVE_STRACE) {
  test('the reference: --jobs 2 reports what --jobs 1 reports, in every phase', async () => {
    const options = {
      command: 'node bin/relspec.js serve',
      crashPoints: 3,
      codes: ['EIO'] as const,
    };
    const [one, two] = await bothJobs('reference', options);
    assert.is(one.exitCode, 0, one.lines.join('\n'));
    for (const phase of ['process crash:', 'I/O error:', 'power cut:']) {
      assert.ok(one.lines.includes(phase), `${phase} reported`);
    }
    same(one, two);
  });

  test('in place (Python): the same failures, shrunk scenario and replay files with 2 jobs', async () => {
    const options = {
      command: python('in_place'),
      phases: ['process crash'] as const,
      crashPoints: 4,
      select: (p: { op: string }) => p.op === 'write',
    };
    const [one, two] = await bothJobs('in-place', options);
    assert.is(one.exitCode, 1, one.lines.join('\n'));
    // Several failures: their order and their numbers are what is compared.
    assert.ok(one.failures >= 2, one.lines.join('\n'));
    assert.ok(
      [...one.files.values()].some((t) => t.includes(', shrunk"')),
      'the first failure was shrunk',
    );
    assert.is(one.files.size, one.failures);
    same(one, two);
  });

  test('no fsync (Python): the same power-cut failure and replay file with 2 jobs', async () => {
    const options = {
      command: python('no_fsync'),
      phases: ['power cut'] as const,
    };
    const [one, two] = await bothJobs('no-fsync', options);
    assert.is(one.exitCode, 1, one.lines.join('\n'));
    assert.ok(
      one.lines.some((l) => l.includes('would be prevented by: fsync of')),
      one.lines.join('\n'),
    );
    same(one, two);
  });

  test('drifting (Python): points that cannot be aimed fail the run, with 1 job and with 2', async () => {
    const options = {
      command: python('drifting'),
      phases: ['process crash'] as const,
      crashPoints: 2,
      // The write of the marker in the pid-named directory: no later run has it.
      select: (p: { syscall: string; index: number; kind: string }) =>
        p.kind.startsWith('write') && p.syscall === 'write' && p.index === 3,
    };
    const [one, two] = await bothJobs('drifting', options);
    const text = one.lines.join('\n');
    assert.is(one.exitCode, 1, text);
    assert.ok(text.includes('could not aim at write pidN/mark'), text);
    assert.ok(/\d+ point\(s\) could not be aimed/.test(text), text);
    assert.ok(text.includes('crash phases FAILED'), text);
    same(one, two);
  });
}

test.after(() => fs.rmSync(scratch, { recursive: true, force: true }));

test.run();
