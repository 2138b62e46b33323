import { type Command, Option } from 'commander';
import { createReferenceSession } from '../../protocol/index.ts';
import { statedirOps } from '../../protocol/ops/statedir.ts';
import { serveStreams } from '../../protocol/server.ts';
import { ENGINE_NAMES, type EngineName, pureEngine } from '../../schedule/engine.ts';
import { fastEngine } from '../../schedule/fast/engine.ts';
import { nodeFs } from '../../statedir/nodeFs.ts';

export const register = (program: Command): void => {
  program
    .command('serve')
    .description(
      'answer the driver protocol v1 (spec/PROTOCOL.md) on stdin/stdout as the reference implementation',
    )
    .addOption(
      new Option(
        '--engine <engine>',
        'the hook sources behind the protocol: fast (imperative, verified equal to pure) or pure (the specification)',
      )
        .choices(ENGINE_NAMES)
        .default('fast'),
    )
    .action(async (options: { engine: EngineName }) => {
      const ops = statedirOps(nodeFs());
      const session =
        options.engine === 'pure'
          ? createReferenceSession(ops, pureEngine)
          : createReferenceSession(ops, fastEngine);
      const status = await serveStreams(process.stdin, process.stdout, session);
      // stdin may still be open after bye; leave without waiting for it.
      process.exit(status);
    });
};
