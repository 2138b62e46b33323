import * as fs from 'node:fs';
import { serve, syncDir, unitFileWriter, writeAll } from './server.ts';

// Broken: truncates the unit file and rewrites it in place. A kill between
// the truncation and the write leaves an empty file that cannot be read.
serve(
  'in-place',
  unitFileWriter((file, bytes) => {
    const fd = fs.openSync(file, 'w', 0o644);
    try {
      writeAll(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    syncDir(file.slice(0, file.lastIndexOf('/')));
  }),
);
