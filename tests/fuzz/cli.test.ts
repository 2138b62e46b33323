import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { params } from '../../properties/config.ts';
import { ROOT, STACK } from '../hostile/support.ts';
import { requestLine } from './arbitraries.ts';
import { entry, makeTree } from './tree.ts';

// A few fuzzed inputs through the real command line, as a user meets them:
// the exit code is 0, 1 or 2, no stack trace is printed, and the working
// directory stays empty. (The bulk of the fuzzing is in-process.)

const BIN = join(ROOT, 'bin', 'relspec.js');

const relspec = (cwd: string, args: string[], input?: string) => {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    ...(input === undefined ? {} : { input }),
  });
  const text = `${run.stdout}${run.stderr}`;
  assert.ok(
    [0, 1, 2].includes(run.status ?? -1),
    `relspec ${args.join(' ')}: exit ${run.status} ${run.signal}\n${text}`,
  );
  assert.not.match(text, STACK, text);
  assert.equal(readdirSync(cwd), [], `relspec ${args.join(' ')} wrote in its working directory`);
};

const sample = <A>(arb: fc.Arbitrary<A>, n: number): A[] => {
  const p = params(n);
  return fc.sample(arb, {
    numRuns: p.numRuns ?? n,
    ...(p.seed === undefined ? {} : { seed: p.seed }),
  });
};

test('fuzz: the command line on fuzzed state directories, traces, fixtures and request lines', () => {
  const data = mkdtempSync(join(tmpdir(), 'relspec-fuzz-cli-'));
  const cwd = mkdtempSync(join(tmpdir(), 'relspec-fuzz-cli-cwd-'));
  const names = fc.constantFrom('7', 'mysql-0', 'a.json', 'x-1');
  for (const [i, entries] of sample(fc.array(entry(names, 2), { maxLength: 6 }), 2).entries()) {
    const dir = join(data, `tree-${i}`);
    makeTree(dir, entries);
    relspec(cwd, ['statedir', 'show', dir]);
    relspec(cwd, ['statedir', 'check', dir]);
    relspec(cwd, ['fixtures', 'verify', dir]);
    relspec(cwd, ['check', join(dir, '7')]);
  }
  for (const [i, lines] of sample(fc.array(requestLine, { maxLength: 10 }), 2).entries()) {
    const file = join(data, `trace-${i}.jsonl`);
    writeFileSync(file, lines.join('\n'));
    relspec(cwd, ['check', file]);
    relspec(cwd, ['serve'], `${lines.filter((l) => !l.includes('statedir')).join('\n')}\n`);
  }
});

test.run();
