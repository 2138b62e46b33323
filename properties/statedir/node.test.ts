import { suite } from 'uvu';
import { statedirSuite } from './suite.ts';
import { nodeWorld } from './worlds.ts';

// The same properties on a real temporary directory, fewer runs: memfs is not the only witness.
const node = suite('statedir on node:fs');
statedirSuite(node, nodeWorld, {
  idempotent: 40,
  roundTrip: 30,
  crash: 60,
  faults: 60,
  confined: 40,
});
node.run();
