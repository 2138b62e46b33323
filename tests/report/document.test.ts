import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseJson, stringifyJsonPretty } from '../../src/model/json.ts';
import { runReport } from '../../src/report/command.ts';
import { runDocument } from '../../src/report/document.ts';
import { documentLines } from '../../src/report/print.ts';
import { readReport } from '../../src/report/read.ts';
import { mutantRun } from './shared.ts';

// conform --json: the document validates against spec/report.schema.json,
// reads back through its codec, and prints what the terminal printed.

const ajv = new Ajv2020.default({ allErrors: true, strict: true });
ajv.addSchema(JSON.parse(readFileSync('spec/fixture.schema.json', 'utf8')));
const validate = ajv.compile(JSON.parse(readFileSync('spec/report.schema.json', 'utf8')));

const dir = await mkdtemp(join(tmpdir(), 'relspec-report-doc-'));

/** The document as a file, then as JSON.parse sees it (what the schema sees). */
const saved = async (name: string, value: unknown) => {
  const path = join(dir, name);
  await writeFile(path, stringifyJsonPretty(value));
  return { path, json: JSON.parse(await readFile(path, 'utf8')) as unknown };
};

for (const fixtures of [true, false]) {
  const which = fixtures ? 'a golden fixture' : 'the generated phases (--no-fixtures)';
  test(`run document of a failure found by ${which}: schema, codec, the same summary`, async () => {
    const run = await mutantRun(fixtures);
    assert.is(run.result.exitCode, 1, run.lines.join('\n'));
    const doc = runDocument(run.options, run.result);
    const { path, json } = await saved(`run-${fixtures}.json`, doc);
    assert.ok(validate(json), ajv.errorsText(validate.errors));
    const read = await readReport(path);
    assert.ok(E.isRight(read), E.isLeft(read) ? read.left : '');
    if (E.isRight(read)) assert.equal(documentLines(read.right), run.lines);
    // Every failure is there with its steps and what the implementation said.
    assert.ok(doc.failures.length > 0);
    for (const f of doc.failures) {
      const c = f.counterexample;
      assert.ok(c !== null, 'counterexample recorded');
      if (c === null) continue;
      assert.ok(c.fixture.steps.length > 0);
      assert.ok(c.mismatch.step !== undefined && c.got[c.mismatch.step - 1] !== null);
      assert.ok(f.ids.includes('R-DYING-ORDER'), f.ids.join(' '));
    }
    assert.equal(doc.advisories, []);
    const row = doc.ids.find((r) => r.id === 'R-DYING-ORDER');
    assert.ok(row !== undefined && row.reached > 0 && row.failed > 0);
  });
}

test('each failure is also saved as <id>.failure.json, which validates and reads back', async () => {
  const run = await mutantRun(false);
  const failure = run.result.failures[0];
  const line = failure?.lines.find((l) => l.includes('timeline: relspec report'));
  const path = /relspec report (\S+\.failure\.json)/.exec(line ?? '')?.[1];
  assert.ok(path !== undefined, line);
  if (path === undefined) return;
  const parsed = parseJson(await readFile(path, 'utf8'));
  assert.ok(E.isRight(parsed));
  assert.ok(validate(JSON.parse(await readFile(path, 'utf8'))), ajv.errorsText(validate.errors));
  const out: string[] = [];
  const code = await runReport(
    path,
    { failure: '1' },
    (l) => out.push(l),
    (l) => out.push(l),
  );
  assert.is(code, 0, out.join('\n'));
  assert.ok(
    out.some((l) => l.startsWith('FAIL [well-behaved]')),
    out.join('\n'),
  );
});

test('the schema refuses what the codec refuses: a run without its failures', async () => {
  const run = await mutantRun(false);
  const { failures: _f, ...broken } = runDocument(run.options, run.result);
  const { path, json } = await saved('broken.json', broken);
  assert.not.ok(validate(json));
  const read = await readReport(path);
  assert.ok(E.isLeft(read));
  if (E.isLeft(read))
    assert.match(read.left, /broken\.json: not a relspec run or failure document/);
});

test('relspec report: bad input is one clear line and exit 2', async () => {
  const cases: [string, string, RegExp][] = [
    ['missing.json', '', /missing\.json: cannot read/],
    ['text.json', 'not json', /text\.json: not JSON/],
    [
      'fixture.json',
      '{"id":"x","steps":[]}',
      /fixture\.json: not a relspec run or failure document/,
    ],
    [
      'wrong-count.json',
      '{"format":"relspec-failure","version":1,"implementation":{"command":"x","hello":null},"level":"exact","seed":1,"failure":{"phase":"p","ids":[],"steps":-1,"stepsBefore":null,"lines":[],"fixturePath":null,"counterexample":null}}',
      /failure\.steps: /,
    ],
  ];
  for (const [name, content, want] of cases) {
    const path = join(dir, name);
    if (content !== '') await writeFile(path, content);
    const err: string[] = [];
    const code = await runReport(
      path,
      { failure: '1' },
      () => {},
      (l) => err.push(l),
    );
    assert.is(code, 2, name);
    assert.is(err.length, 1, err.join('\n'));
    assert.match(err[0] ?? '', want);
  }
});

test('relspec report --html: a failure number the run does not have is an error', async () => {
  const run = await mutantRun(false);
  const { path } = await saved('run-for-html.json', runDocument(run.options, run.result));
  const err: string[] = [];
  const code = await runReport(
    path,
    { html: join(dir, 'x.html'), failure: '9' },
    () => {},
    (l) => err.push(l),
  );
  assert.is(code, 2);
  assert.match(err.join('\n'), /--failure 9: .* has 1 failure\(s\)/);
});

test.run();
