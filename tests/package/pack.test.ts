import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

// relspec as a user gets it: `npm pack` (which builds dist/ through
// `prepare`), the tarball installed into an empty project from the npm cache
// alone (no registry), then the commands and the README's library examples
// run there, from the installed copy.

const ROOT = resolve('.');
const work = await mkdtemp(join(tmpdir(), 'relspec-package-'));
const project = join(work, 'project');

interface Run {
  readonly status: number | null;
  readonly out: string;
}

// Colours off: console.log would colour the examples' values under the test runner.
const { FORCE_COLOR: _colour, ...env } = process.env;

const sh = (cwd: string, command: string, args: readonly string[], input?: string): Run => {
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    input,
    maxBuffer: 64 << 20,
    env: {
      ...env,
      NO_COLOR: '1',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
};

const expectOk = (r: Run, what: string): string => {
  assert.is(r.status, 0, `${what} failed (exit ${r.status}):\n${r.out}`);
  return r.out;
};

interface PackedFile {
  readonly path: string;
}

let packed: readonly PackedFile[] = [];

interface LockEntry {
  readonly dependencies?: Record<string, string> | undefined;
  readonly optionalDependencies?: Record<string, string> | undefined;
  readonly [key: string]: unknown;
}

/**
 * The empty project's lock file: relspec from the tarball, memfs (its
 * optional peer, for the memFs adapter) and everything they need at run
 * time, each with the entry of relspec's own lock file (the registry tarball
 * and its integrity, all in the npm cache after `npm ci`). With it,
 * `npm ci --offline` needs no package metadata.
 */
const projectLock = async (
  tarball: string,
  direct: readonly string[],
): Promise<{ readonly packages: Record<string, LockEntry> } & Record<string, unknown>> => {
  const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as LockEntry;
  const relspecEntry: LockEntry = {
    version: pkg.version,
    resolved: `file:${tarball}`,
    license: pkg.license,
    dependencies: pkg.dependencies,
    peerDependencies: pkg.peerDependencies,
    peerDependenciesMeta: pkg.peerDependenciesMeta,
    bin: pkg.bin,
    engines: pkg.engines,
  };
  // Node's lookup: the nearest node_modules up from the package that needs it.
  const locate = (from: string, name: string): string => {
    for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
      const path = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
      if (path in lock.packages) return path;
      if (dir === '')
        throw new Error(`${name} (needed by ${from || 'the project'}) is not in package-lock.json`);
    }
  };
  const packages: Record<string, LockEntry> = { 'node_modules/relspec': relspecEntry };
  const visit = (from: string, entry: LockEntry): void => {
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      const path = locate(from, name);
      if (path in packages) continue;
      const {
        dev: _dev,
        devOptional: _devOptional,
        peer: _peer,
        ...rest
      } = lock.packages[path] as LockEntry;
      packages[path] = rest;
      visit(path, rest);
    }
  };
  visit('node_modules/relspec', relspecEntry);
  for (const name of direct) if (name !== 'relspec') visit('', { dependencies: { [name]: '*' } });
  const version = (name: string) => String(packages[`node_modules/${name}`]?.version);
  const dependencies = Object.fromEntries(
    direct.map((name) => [name, name === 'relspec' ? `file:${tarball}` : version(name)]),
  );
  return {
    name: 'relspec-package-test',
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name: 'relspec-package-test', dependencies }, ...packages },
  };
};

test('npm pack: the tarball holds the build, the specs, the fixtures, README and LICENSE, and nothing else', async () => {
  const out = expectOk(sh(ROOT, 'npm', ['pack', '--json', '--pack-destination', work]), 'npm pack');
  // Lifecycle output (the build) may precede the JSON.
  const json = out.slice(out.indexOf('[\n'));
  const [info] = JSON.parse(json.slice(0, json.lastIndexOf(']') + 1)) as {
    filename: string;
    files: PackedFile[];
  }[];
  assert.ok(info !== undefined, out);
  packed = info.files;
  const paths = packed.map((f) => f.path);
  for (const path of paths) {
    assert.ok(
      /^(dist\/(cli|src|spec)\/|spec\/[^/]+\.(md|json)$|fixtures\/[^/]+\.json$|README\.md$|LICENSE$|package\.json$)/.test(
        path,
      ),
      `unexpected file in the package: ${path}`,
    );
  }
  for (const needed of [
    'dist/cli/relspec.js',
    'dist/src/index.js',
    'dist/src/index.d.ts',
    'dist/src/api/monitor.d.ts',
    'spec/PROTOCOL.md',
    'spec/RULES.md',
    'spec/fixture.schema.json',
    'fixtures/protocol-errors.json',
    'LICENSE',
  ]) {
    assert.ok(paths.includes(needed), `${needed} is missing from the package`);
  }
  assert.not.ok(
    paths.some((p) => p.endsWith('.ts') && !p.endsWith('.d.ts')),
    'TypeScript sources are shipped',
  );

  await mkdir(project);
  const tarball = join(work, info.filename);
  const lock = await projectLock(tarball, ['relspec', 'memfs']);
  await writeFile(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'relspec-package-test', private: true, type: 'module', dependencies: lock.packages['']?.dependencies }, null, 2)}\n`,
  );
  await writeFile(join(project, 'package-lock.json'), JSON.stringify(lock, null, 2));
  expectOk(
    sh(project, 'npm', ['ci', '--offline', '--ignore-scripts']),
    'npm ci --offline of the tarball',
  );
});

const relspec = (args: readonly string[], input?: string): Run =>
  sh(project, 'npx', ['--offline', '--no-install', 'relspec', ...args], input);

test('installed: npx relspec --help lists the commands', () => {
  const out = expectOk(relspec(['--help']), 'npx relspec --help');
  for (const command of ['serve', 'conform', 'fixtures', 'check', 'statedir', 'crash']) {
    assert.match(out, new RegExp(`\\n  ${command}\\b`), `--help does not list ${command}`);
  }
});

// Which chunks of the bundled command line a run loads: a module hook logs
// every resolved file of dist/cli/chunks on stderr.
const chunksLoaded = async (args: readonly string[]): Promise<string[]> => {
  await writeFile(
    join(project, 'chunk-hooks.mjs'),
    `export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.includes('/dist/cli/chunks/')) process.stderr.write(\`CHUNK \${r.url.split('/').pop()}\\n\`);
  return r;
}
`,
  );
  const hook = join(project, 'log-chunks.mjs');
  await writeFile(
    hook,
    "import { register } from 'node:module';\nregister('./chunk-hooks.mjs', import.meta.url);\n",
  );
  const entry = join(project, 'node_modules', 'relspec', 'dist', 'cli', 'relspec.js');
  const r = sh(project, process.execPath, ['--import', hook, entry, ...args]);
  expectOk(r, `relspec ${args.join(' ')}`);
  return [...r.out.matchAll(/^CHUNK (\w+)-/gm)].map((m) => m[1] ?? '');
};

const COMMAND_CHUNKS = ['serve', 'conform', 'fixtures', 'check', 'statedir', 'crash'];

test('installed: a command loads its own command module only; --help does not load the oracle', async () => {
  for (const command of COMMAND_CHUNKS) {
    for (const args of [
      [command, '--help'],
      [command, '--help', 'x'],
    ]) {
      const loaded = (await chunksLoaded(args)).filter((c) => COMMAND_CHUNKS.includes(c));
      assert.equal(loaded, [command], `relspec ${args.join(' ')} loaded ${loaded.join(', ')}`);
    }
  }
  const serve = await chunksLoaded(['serve']);
  assert.equal(
    serve.filter((c) => COMMAND_CHUNKS.includes(c)),
    ['serve'],
    serve.join(', '),
  );
  // The top-level help lists every command, so it loads their modules, but
  // not what their actions load (the conformance runner, its progress bar).
  const help = await chunksLoaded(['--help']);
  assert.equal(help.filter((c) => COMMAND_CHUNKS.includes(c)).sort(), [...COMMAND_CHUNKS].sort());
  assert.not.ok(help.includes('run') || help.includes('progress'), help.join(', '));
});

test('installed: npx relspec conform --runs 20 conforms, with the shipped fixtures and rules', () => {
  const out = expectOk(
    relspec(['conform', '--runs', '20', '--timeout', '20000']),
    'npx relspec conform',
  );
  assert.match(out, /golden fixtures: \d+ checked, pass/);
  assert.match(out, /R-VALIDATE-PREFIX/);
  assert.match(out, /conforms at level exact/);
});

test('installed: npx relspec check on the trace of the shipped spec/TRACE.md', async () => {
  const doc = await readFile(join(project, 'node_modules', 'relspec', 'spec', 'TRACE.md'), 'utf8');
  const trace = /```jsonl\n([^`]*)```/.exec(doc)?.[1];
  assert.ok(trace !== undefined, 'spec/TRACE.md has no jsonl example');
  await writeFile(join(project, 'trace.jsonl'), trace);
  assert.match(expectOk(relspec(['check', 'trace.jsonl']), 'npx relspec check'), /conforms/);
  // The same trace with its first commit left out breaks G9a: exit 1.
  const lines = trace.split('\n');
  const broken = lines.filter((_, i) => i !== lines.findIndex((l) => l.includes('"commit"')));
  const r = relspec(['check', '-'], broken.join('\n'));
  assert.is(r.status, 1, r.out);
  assert.match(r.out, /violates G/);
});

test('installed: every example of the README section "relspec as a library" prints what it shows', async () => {
  const readme = await readFile(join(project, 'node_modules', 'relspec', 'README.md'), 'utf8');
  const section = readme.split('## relspec as a library')[1]?.split('\n## ')[0] ?? '';
  const examples = [...section.matchAll(/```js\n([\s\S]*?)```\n```text\n([\s\S]*?)```/g)];
  assert.ok(examples.length >= 6, `found ${examples.length} examples`);
  for (const [i, example] of examples.entries()) {
    const file = join(project, `example-${i}.mjs`);
    await writeFile(file, example[1] ?? '');
    const out = expectOk(sh(project, process.execPath, [file]), `README example ${i}`);
    assert.fixture(out, example[2] ?? '', `README example ${i} (${file})`);
  }
});

test('installed: a script imports the library and checks a trace with it', async () => {
  const script = `
import { checkTraceText, createReferenceSession, handleLine, validate, State, HookInfo } from 'relspec';
import { checkTrace, TraceEvent } from 'relspec/monitor';
import { readFileSync } from 'node:fs';
const text = readFileSync('trace.jsonl', 'utf8');
const events = text.split('\\n').filter((l) => l.trim() !== '').map((l) => TraceEvent.decode(JSON.parse(l)).right);
const state = State.decode({ relationId: 7, members: {}, changedPending: '' }).right;
const hook = HookInfo.decode({ kind: 'relation-joined', relationId: 7, remoteUnit: 'a/0', changeVersion: 1 }).right;
const step = await handleLine(createReferenceSession(), '{"id":1,"op":"hello"}');
console.log(checkTraceText(text)._tag, checkTrace(events).ok, validate(state, hook)._tag, step.line.includes('"protocol":1'));
`;
  await writeFile(join(project, 'script.mjs'), script);
  const out = expectOk(sh(project, process.execPath, ['script.mjs']), 'library script');
  assert.fixture(out.trim(), 'Conforms true Right true');
});

test('installed: the memFs adapter over a memfs Volume (the optional peer dependency)', async () => {
  const script = `
import { Volume } from 'memfs';
import { changeVersion, relationId, unitHook, unitName } from 'relspec/reference';
import { memFs, openStateDir, readStateDir } from 'relspec/statedir';
const volume = new Volume();
const fs = memFs(volume);
const dir = openStateDir(fs, '/relations', relationId(7)).right;
dir.ensure();
dir.write(unitHook('relation-joined', relationId(7), unitName('mysql/0'), changeVersion(9223372036854775807n)));
console.log(JSON.stringify(volume.readFileSync('/relations/7/mysql-0', 'utf8')));
console.log(readStateDir(fs, '/relations', relationId(7)).right.state.changedPending);
`;
  await writeFile(join(project, 'memfs.mjs'), script);
  const out = expectOk(sh(project, process.execPath, ['memfs.mjs']), 'memfs script');
  assert.fixture(
    out,
    '"change-version: 9223372036854775807\\nchanged-pending: true\\n"\nmysql/0\n',
  );
});

test('installed: the type declarations type a TypeScript consumer (strict, NodeNext)', async () => {
  const consumer = `import { type Either, isRight } from 'fp-ts/lib/Either.js';
import { type CheckResult, checkTraceText, type HookSource, liveSource, type State, validate } from 'relspec';
import { createReferenceSession, handleLine, type Session } from 'relspec/protocol';
import { type FsPort, nodeFs, readStateDir } from 'relspec/statedir';
import { relationId } from 'relspec/reference';

const result: CheckResult = checkTraceText('');
const fs: FsPort = nodeFs();
const read = readStateDir(fs, '/nonexistent', relationId(7));
const state: State | undefined = isRight(read) ? read.right.state : undefined;
const source: Either<unknown, HookSource> | undefined = state === undefined ? undefined : liveSource(state);
const session: Session = createReferenceSession();
const refused = state === undefined ? undefined : validate(state, { kind: 'relation-broken', relationId: relationId(7), remoteUnit: '', changeVersion: 0n as never });
export { handleLine, refused, result, session, source };
// @ts-expect-error: validate takes a state and a hook
validate('not a state');
`;
  await writeFile(join(project, 'consumer.ts'), consumer);
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
  const types = [
    '--skipLibCheck',
    '--types',
    'node',
    '--typeRoots',
    join(ROOT, 'node_modules', '@types'),
  ];
  expectOk(
    sh(project, process.execPath, [tsc, ...args, ...types, 'consumer.ts']),
    'tsc on a consumer',
  );
});

test.after(async () => {
  await rm(work, { recursive: true, force: true });
});

test.run();
