import { referenceWriter, serve } from './server.ts';

// The reference state directory behind the protocol: what the crash phases
// run against until `relspec serve` answers the statedir ops itself.
serve('relspec crash stand-in', referenceWriter);
