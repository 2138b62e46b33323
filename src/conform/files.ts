// The scenario directories' snapshot is the fixtures' own (bounded, and
// safe against whatever an implementation leaves behind).
export { snapshotFilesSync } from '../fixtures/files.ts';
