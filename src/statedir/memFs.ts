import type { Volume } from 'memfs';
import type { FsPort } from './fsPort.ts';
import { fromSyncApi, type SyncFsApi } from './syncApiFs.ts';

/**
 * A memfs volume given by the caller (tests). Only the type is imported, so
 * memfs stays a development dependency. memfs's fsync does nothing: a volume
 * has no cache to flush.
 */
export const memFs = (volume: Volume): FsPort => fromSyncApi(volume as unknown as SyncFsApi);
