import * as fs from 'node:fs';
import { serve, syncDir, unitFileWriter, writeAll } from './server.ts';

// Broken: renames the (still empty) temporary file over the target, then
// writes through the open descriptor. A kill before the write leaves the
// target empty.
serve(
  'rename-first',
  unitFileWriter((file, bytes) => {
    const temp = `${file}.preparing`;
    const fd = fs.openSync(temp, 'w', 0o644);
    try {
      fs.renameSync(temp, file);
      writeAll(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    syncDir(file.slice(0, file.lastIndexOf('/')));
  }),
);
