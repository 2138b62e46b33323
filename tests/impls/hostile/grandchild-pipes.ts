// Hostile: a correct implementation whose child process keeps its stdout and
// stderr open (a forgotten helper), and lives on after it exits.
import { spawn } from 'node:child_process';
import { serveMutant } from '../serve.ts';
import { notePid } from './pids.ts';

const helper = spawn('sleep', ['600'], { stdio: ['ignore', 'inherit', 'inherit'] });
notePid(helper.pid);
helper.unref();
await serveMutant('hostile: grandchild holds the pipes', []);
