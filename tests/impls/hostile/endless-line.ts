// Hostile: after hello, prints one line that never ends.
import { serveRaw } from './raw.ts';

const chunk = 'y'.repeat(1 << 16);
let started = false;
serveRaw('hostile: endless line', () => {
  if (started) return;
  started = true;
  const more = () => {
    while (process.stdout.write(chunk));
    process.stdout.once('drain', more);
  };
  more();
});
