import * as fs from 'node:fs';
import { serve, syncDir, unitFileWriter, writeAll } from './server.ts';

// Broken: one temporary name per directory, opened without O_TRUNC. After a
// crash leaves it behind, a shorter content written next keeps the old
// tail (a unit file that still says `changed-pending: true`).
serve(
  'fixed-temp',
  unitFileWriter((file, bytes) => {
    const dir = file.slice(0, file.lastIndexOf('/'));
    const temp = `${dir}/tmp`;
    const fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o644);
    try {
      writeAll(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
    syncDir(dir);
  }),
);
