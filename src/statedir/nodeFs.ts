import * as fs from 'node:fs';
import type { FsPort } from './fsPort.ts';
import { fromSyncApi } from './syncApiFs.ts';

/** The real file system. */
export const nodeFs = (): FsPort => fromSyncApi(fs);
