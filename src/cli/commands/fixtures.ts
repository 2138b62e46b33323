import { type Command, InvalidArgumentError } from 'commander';
import * as E from 'fp-ts/lib/Either.js';
import { recordAll } from '../../fixtures/curate.ts';
import { curatedScenarios } from '../../fixtures/curated.ts';
import { loadFixtureDir, writeFixtures } from '../../fixtures/dir.ts';
import { generateScenarios } from '../../fixtures/generate.ts';
import { referenceFixtureSession } from '../../fixtures/reference.ts';
import { conforms } from '../../fixtures/replay.ts';
import { describeDrift, verifyAll } from '../../fixtures/verify.ts';

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

const parseIntOption =
  (name: string, min: number) =>
  (raw: string): number => {
    if (!/^-?[0-9]+$/.test(raw) || !Number.isSafeInteger(Number(raw)) || Number(raw) < min) {
      throw new InvalidArgumentError(
        `${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`,
      );
    }
    return Number(raw);
  };

const verify = async (dir: string): Promise<number> => {
  const loaded = await loadFixtureDir(dir);
  if (E.isLeft(loaded)) {
    for (const p of loaded.left) err(p.message);
    return 2;
  }
  const reports = await verifyAll(loaded.right, referenceFixtureSession);
  const drifted = reports.filter((r) => !conforms(r));
  for (const r of drifted) for (const line of describeDrift(r)) out(line);
  const steps = reports.reduce((n, r) => n + r.steps, 0);
  out(
    drifted.length === 0
      ? `${reports.length} fixtures (${steps} steps) replayed on the reference: no drift`
      : `${drifted.length} of ${reports.length} fixtures drift from the reference`,
  );
  return drifted.length === 0 ? 0 : 1;
};

const writeAll = async (dir: string, scenarios: Parameters<typeof recordAll>[0]) => {
  const fixtures = await recordAll(scenarios, referenceFixtureSession);
  if (E.isLeft(fixtures)) {
    err(`cannot record: ${fixtures.left}`);
    return 1;
  }
  const paths = await writeFixtures(dir, fixtures.right);
  out(`wrote ${paths.length} fixtures to ${dir}`);
  return 0;
};

export const register = (program: Command): void => {
  const fixtures = program
    .command('fixtures')
    .description('golden fixtures: replay them on the reference, or write them (spec/FIXTURES.md)');

  fixtures
    .command('export')
    .description('write the hooks of a fixture as a plain JSON list for charm tests (juju-3)')
    .requiredOption('--profile <profile>', 'juju-3 (the only profile with event export)')
    .option('--format <format>', 'events', 'events')
    .option('--id <id>', 'the fixture to export (default: every fixture, by id)')
    .option('--dir <dir>', 'where the fixtures are (default: fixtures/juju-3)')
    .action(async (o: { profile: string; format: string; id?: string; dir?: string }) => {
      const { exportEvents } = await import('../../juju3/cli/fixtures.ts');
      process.exitCode = await exportEvents(o, out, err);
    });

  fixtures
    .command('verify')
    .argument('<dir>', 'a directory of fixture files (*.json)')
    .description('replay every fixture on the reference; exit 1 on drift, 2 on a malformed fixture')
    .action(async (dir: string) => {
      process.exitCode = await verify(dir);
    });

  fixtures
    .command('curate')
    .description('write the curated fixtures (the ones in fixtures/), recorded on the reference')
    .option('--out <dir>', 'where to write them (default fixtures, or fixtures/juju-3)')
    .option('--profile <profile>', '2015 or juju-3', '2015')
    .action(async (options: { out?: string; profile: string }) => {
      if (options.profile === 'juju-3') {
        const { curateJuju3 } = await import('../../juju3/cli/fixtures.ts');
        process.exitCode = await curateJuju3(options.out, out, err);
        return;
      }
      process.exitCode = await writeAll(options.out ?? 'fixtures', curatedScenarios());
    });

  fixtures
    .command('generate')
    .description('write generated fixtures; the same arguments give byte-identical files')
    .requiredOption('--out <dir>', 'where to write them')
    .option('--seed <s>', 'the fast-check seed', parseIntOption('--seed', -2147483648), 1)
    .option('--count <n>', 'how many fixtures', parseIntOption('--count', 1), 20)
    .option('--profile <profile>', '2015 or juju-3', '2015')
    .action(async (options: { out: string; seed: number; count: number; profile: string }) => {
      if (options.profile === 'juju-3') {
        const { generateJuju3 } = await import('../../juju3/cli/fixtures.ts');
        process.exitCode = await generateJuju3(options, out, err);
        return;
      }
      process.exitCode = await writeAll(
        options.out,
        generateScenarios(options.seed, options.count),
      );
    });
};
