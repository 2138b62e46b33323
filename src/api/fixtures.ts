/**
 * `relspec/fixtures`: the golden fixtures of spec/FIXTURES.md. Read them
 * (`parseFixture`, `loadFixtureDir`; the curated set is `FIXTURES_DIR`),
 * replay them against any session (`replay`, `conforms`), or compare one
 * response or one directory yourself (`responseDrift`, `filesDrift`).
 */
export { filesDrift, responseDrift } from '../fixtures/compare.ts';
export { loadFixtureDir } from '../fixtures/dir.ts';
export type {
  ErrorText,
  Files,
  Fixture,
  Request,
  Response,
  Step as FixtureStep,
} from '../fixtures/fixture.ts';
export { type MalformedFixture, parseFixture } from '../fixtures/load.ts';
export { referenceFixtureSession } from '../fixtures/reference.ts';
export {
  conforms,
  type ReplayReport,
  replay,
  type Session as FixtureSession,
  type StepDrift,
} from '../fixtures/replay.ts';
export { FIXTURES_DIR } from '../package/root.ts';
