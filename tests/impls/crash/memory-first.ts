import { applied, referenceWriter, serve } from './server.ts';

// Broken: memory takes the new state before the disk is written, and keeps
// it when the write fails, so memory and disk disagree after an I/O error.
serve('memory-first', (path, state, hook) => {
  const ahead = applied(state, hook);
  const written = referenceWriter(path, state, hook);
  return written._tag === 'Left'
    ? { ...written, left: { ...written.left, state: ahead } }
    : written;
});
