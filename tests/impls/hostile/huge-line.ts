// Hostile: answers the first request after hello with a 50 MB line.
import { serveRaw } from './raw.ts';

serveRaw('hostile: huge line', (id) => {
  const pad = 'x'.repeat(50 * 1024 * 1024);
  process.stdout.write(`${JSON.stringify({ id, ok: true, result: { pad } })}\n`);
});
