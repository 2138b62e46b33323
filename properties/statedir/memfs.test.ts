import { suite } from 'uvu';
import { statedirSuite } from './suite.ts';
import { memWorld } from './worlds.ts';

const memfs = suite('statedir on memfs');
statedirSuite(memfs, memWorld, {
  idempotent: 200,
  roundTrip: 150,
  crash: 300,
  faults: 300,
  confined: 300,
});
memfs.run();
