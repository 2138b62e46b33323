import { createInterface } from 'node:readline';
import './pids.ts';

/**
 * A protocol loop without the reference: `hello` is answered properly
 * (so that the run starts), every other request goes to `answer`.
 */
export const serveRaw = (name: string, answer: (id: unknown, op: unknown) => void): void => {
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const request = JSON.parse(line) as { id: unknown; op: unknown };
    if (request.op === 'hello') {
      const result = {
        implementation: name,
        protocol: 1,
        supports: ['live', 'dying', 'list', 'validate', 'statedir'],
      };
      process.stdout.write(`${JSON.stringify({ id: request.id, ok: true, result })}\n`);
      return;
    }
    answer(request.id, request.op);
  });
};
