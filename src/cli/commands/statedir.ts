import type { Command } from 'commander';
import * as E from 'fp-ts/lib/Either.js';
import { atoi } from '../../model/int64.ts';
import { stringifyJson } from '../../model/json.ts';
import { type RelationId, relationId } from '../../model/relationId.ts';
import { State } from '../../model/state.ts';
import { checkStateBase } from '../../statedir/check.ts';
import type { FsCall } from '../../statedir/fsPort.ts';
import { nodeFs } from '../../statedir/nodeFs.ts';
import { crashTable, crashTableMarkdown } from '../../statedir/powercut/table.ts';
import { readAllStateDirs, readStateDir } from '../../statedir/read.ts';

/** Where a command writes its lines (the process's streams, or a test's buffers). */
export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

const parseRelationId = (text: string): E.Either<string, RelationId> => {
  const n = atoi(text);
  return n !== undefined && Number.isSafeInteger(Number(n))
    ? E.right(relationId(Number(n)))
    : E.left(`relationId: expected a decimal integer, got ${JSON.stringify(text)}`);
};

export const show = (
  base: string,
  id: string | undefined,
  { out, err }: Io = processIo,
): number => {
  const fail = (message: string): number => {
    err(`relspec statedir: ${message}`);
    return 1;
  };
  const fs = nodeFs();
  if (id !== undefined) {
    const parsed = parseRelationId(id);
    if (E.isLeft(parsed)) return fail(parsed.left);
    const dir = readStateDir(fs, base, parsed.right);
    if (E.isLeft(dir)) return fail(dir.left.message);
    out(stringifyJson(State.encode(dir.right.state)));
    return 0;
  }
  const all = readAllStateDirs(fs, base);
  if (E.isLeft(all)) return fail(all.left.message);
  out(
    stringifyJson(
      Object.fromEntries([...all.right].map(([k, dir]) => [String(k), State.encode(dir.state)])),
    ),
  );
  return 0;
};

export const check = (base: string, { out }: Io = processIo): number => {
  const problems = checkStateBase(nodeFs(), base);
  for (const p of problems) out(`${p.path}: ${p.message}`);
  out(problems.length === 0 ? `${base}: no problems` : `${problems.length} problem(s)`);
  return problems.length === 0 ? 0 : 1;
};

const DROPPABLE: readonly FsCall[] = ['fsync', 'syncDir'];

export const table = (drop: readonly string[], { out, err }: Io = processIo): number => {
  const bad = drop.filter((d) => !DROPPABLE.includes(d as FsCall));
  if (bad.length > 0) {
    err(`relspec statedir: --drop: expected one of ${DROPPABLE.join(', ')}, got ${bad.join(', ')}`);
    return 1;
  }
  const rows = crashTable({ drop: drop as FsCall[] });
  out(crashTableMarkdown(rows).trimEnd());
  const failing = rows.filter((r) => !r.survives).length;
  out(`\n${rows.length} crash states, ${failing} not survived`);
  return 0;
};

export const register = (program: Command): void => {
  const statedir = program
    .command('statedir')
    .description('read, check and model the on-disk relation state (Juju format)');
  statedir
    .command('show')
    .description('print the state of one relation, or of all relations under <base>, as JSON')
    .argument('<base>', 'the relations state directory')
    .argument('[relationId]', 'one relation id')
    .action((base: string, id: string | undefined) => {
      process.exitCode = show(base, id);
    });
  statedir
    .command('check')
    .description('report every problem under <base> with its path; exit 1 if there is any')
    .argument('<base>', 'the relations state directory')
    .action((base: string) => {
      process.exitCode = check(base);
    });
  statedir
    .command('crash-table')
    .description('every crash state a power cut allows for one write of each hook kind (Markdown)')
    .option(
      '--drop <calls...>',
      'leave fsync and/or syncDir out of the write, to see why they are there',
    )
    .action((options: { drop?: string[] }) => {
      process.exitCode = table(options.drop ?? []);
    });
};
