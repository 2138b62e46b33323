import * as fs from 'node:fs';
import { serve, unitFileWriter, writeAll } from './server.ts';

// Broken only for a power cut: temporary file and rename, but no fsync of
// the file nor of the directory. A process kill cannot tell.
serve(
  'no-fsync',
  unitFileWriter((file, bytes) => {
    const temp = `${file}.preparing`;
    const fd = fs.openSync(temp, 'w', 0o644);
    try {
      writeAll(fd, bytes);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  }),
);
