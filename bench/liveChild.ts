import { pureEngine } from '../src/schedule/engine.ts';
import { fastEngine } from '../src/schedule/fast/engine.ts';
import { floorSource } from './floor.ts';
import { type LiveReplay, replayLive } from './live.ts';

// One replay in a process of its own, so that the engine's code is compiled
// for it alone (in one process, the engine run second shares the harness's
// call sites with the first). Usage: liveChild.ts fast|pure|floor <units> <changes>;
// prints the LiveReplay as JSON.

const [engine, units, changes] = process.argv.slice(2);
const replay = (): LiveReplay | undefined => {
  const n = Number(units);
  const k = Number(changes);
  if (engine === 'pure') return replayLive(pureEngine, n, k);
  if (engine === 'floor') return replayLive(floorSource, n, k);
  if (engine === 'fast') return replayLive(fastEngine, n, k);
  return undefined;
};
const r = replay();
if (r === undefined) {
  process.stderr.write(`liveChild.ts: no engine ${JSON.stringify(engine)} (fast, pure or floor)\n`);
  process.exitCode = 2;
} else process.stdout.write(`${JSON.stringify(r)}\n`);
