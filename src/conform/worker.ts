import { parentPort, workerData } from 'node:worker_threads';
import * as E from 'fp-ts/lib/Either.js';
import { ImplPool } from './impl.ts';
import { SCENARIO_PHASES } from './phases.ts';
import { implLimits } from './run.ts';
import { TempRoot } from './tmp.ts';
import type { FromWorker, ToWorker, WorkerData } from './workerProtocol.ts';
import { runScenario } from './workers.ts';

// A scenario worker: its own implementation process, reference and
// temporary root; it checks the scenarios `conform` hands it and says, for
// each, whether it failed and which ids it reached. Shrinking stays with
// `conform` (phases.ts), on its own process.

const port = parentPort;
if (port === null) throw new Error('conform worker: not started as a worker thread');
const { options } = workerData as WorkerData;
const post = (m: FromWorker) => port.postMessage(m);

const impl = new ImplPool(options.command, implLimits(options));
const hello = await impl.start();
const tmp = await TempRoot.create();
post(E.isLeft(hello) ? { type: 'ready', error: hello.left } : { type: 'ready' });

const handle = async (m: ToWorker): Promise<FromWorker> => {
  switch (m.type) {
    case 'run': {
      const spec = SCENARIO_PHASES.find((p) => p.name === m.phase);
      if (spec === undefined) return { type: 'error', message: `no phase ${m.phase}` };
      return runScenario(spec, options, impl, tmp, m.scenario);
    }
    case 'close':
      await impl.close();
      await tmp.remove();
      return { type: 'closed' };
  }
};

// One request at a time: the next message waits for the answer to this one.
let queue = Promise.resolve();
port.on('message', (m: ToWorker) => {
  queue = queue.then(async () => {
    try {
      const reply = await handle(m);
      post(reply);
      if (reply.type === 'closed') port.close();
    } catch (e) {
      post({ type: 'error', message: (e as Error).stack ?? String(e) });
    }
  });
});
