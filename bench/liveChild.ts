import { pureEngine } from '../src/schedule/engine.ts';
import { fastEngine } from '../src/schedule/fast/engine.ts';
import { replayLive } from './live.ts';

// One replay in a process of its own, so that the engine's code is compiled
// for it alone (in one process, the engine run second shares the harness's
// call sites with the first). Usage: liveChild.ts fast|pure <units> <changes>;
// prints the LiveReplay as JSON.

const [engine, units, changes] = process.argv.slice(2);
const r =
  engine === 'pure'
    ? replayLive(pureEngine, Number(units), Number(changes))
    : replayLive(fastEngine, Number(units), Number(changes));
process.stdout.write(`${JSON.stringify(r)}\n`);
