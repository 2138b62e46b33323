// Runs the uvu suites (TypeScript through tsx) and ends with one plain
// "N passed, N failed" line, so any CI reader can count the tests.
// Usage: node scripts/test.mjs [dir] [pattern]
import { spawn } from 'node:child_process';

const dir = process.argv[2] ?? '.';
const pattern = process.argv[3] ?? '(tests|properties)/.*\\.test\\.ts$';
const child = spawn(
  process.execPath,
  ['--import', 'tsx', 'node_modules/uvu/bin.js', dir, pattern],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let out = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  out += chunk.toString();
});
child.on('close', (code) => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colours
  const plain = out.replace(/\u001b\[[0-9;]*m/g, '');
  const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const failed = Math.max(total - passed, code === 0 ? 0 : 1);
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  process.exitCode = code ?? 1;
});
