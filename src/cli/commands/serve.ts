import { type Command, Option } from 'commander';
import { createReferenceSession } from '../../protocol/index.ts';
import { statedirOps } from '../../protocol/ops/statedir.ts';
import { serveStreams } from '../../protocol/server.ts';
import { nodeFs } from '../../statedir/nodeFs.ts';

export const register = (program: Command): void => {
  program
    .command('serve')
    .description(
      'answer the driver protocol v1 (spec/PROTOCOL.md) on stdin/stdout as the reference implementation',
    )
    .addOption(
      new Option('--profile <profile>', 'which Juju behaviour to serve')
        .choices(['2015', 'juju-3'])
        .default('2015'),
    )
    .action(async (o: { profile: string }) => {
      const status =
        o.profile === 'juju-3'
          ? await (await import('../../juju3/protocol/serve.ts')).serveJuju3()
          : await serveStreams(
              process.stdin,
              process.stdout,
              createReferenceSession(statedirOps(nodeFs())),
            );
      // stdin may still be open after bye; leave without waiting for it.
      process.exit(status);
    });
};
