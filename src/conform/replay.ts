import * as E from 'fp-ts/lib/Either.js';
import { abstractBase, substitute } from '../fixtures/base.ts';
import { filesDrift, responseDrift } from '../fixtures/compare.ts';
import { snapshotFiles } from '../fixtures/files.ts';
import type { ErrorText, Fixture, Response } from '../fixtures/fixture.ts';
import {
  layInitialFiles,
  type ReplayReport,
  type StepDrift,
  wireRequest,
} from '../fixtures/replay.ts';
import type { Client } from '../runner/client.ts';
import { describeRunnerError } from '../runner/errors.ts';

const stepMode = (mode: ErrorText | undefined, base: string): ErrorText =>
  mode === undefined
    ? 'exact'
    : typeof mode === 'object'
      ? { prefix: substitute(mode.prefix, base) as string }
      : mode;

/**
 * The request with its handle names (`source`, `dir`) prefixed, so that
 * fixtures replayed one after another in the same process cannot see each
 * other's sources and directories. Handle names appear in no behaviour.md
 * text; fixtures compare the protocol errors that name them loosely.
 */
export const renameHandles = (request: Record<string, unknown>, prefix: string) => {
  if (prefix === '') return request;
  const out = { ...request };
  for (const field of ['source', 'dir']) {
    const name = out[field];
    if (typeof name === 'string') out[field] = `${prefix}${name}`;
  }
  return out;
};

/**
 * Replay a fixture with every request sent at once (the fixture's requests
 * do not depend on the answers), then compare the answers in order. Same
 * report as the fixtures' own sequential replay, one round trip instead of
 * one per step.
 */
export const replayPipelined = async (
  fixture: Fixture,
  client: Client,
  base: string,
  handlePrefix = '',
): Promise<ReplayReport & { readonly answers: readonly unknown[] }> => {
  const unlaid = await layInitialFiles(fixture, base);
  if (unlaid !== undefined) return { ...unlaid, answers: [] };
  const answers = await Promise.all(
    fixture.steps.map((s, i) =>
      client.call(renameHandles(wireRequest(s, i, base), handlePrefix) as { op: string }),
    ),
  );
  const drifts: StepDrift[] = [];
  const got: unknown[] = [];
  for (const [i, answer] of answers.entries()) {
    const step = fixture.steps[i] as Fixture['steps'][number];
    if (E.isLeft(answer)) {
      return {
        fixture: fixture.id,
        steps: fixture.steps.length,
        drifts,
        files: [],
        aborted: `step ${i + 1} (${step.request.op}): ${describeRunnerError(answer.left)}`,
        answers: got,
      };
    }
    got.push(abstractBase(answer.right, base));
    const expected = substitute(step.response, base) as Response;
    const message = responseDrift(i + 1, expected, stepMode(step.errorText, base), answer.right);
    if (message !== undefined) drifts.push({ step: i + 1, op: step.request.op, message });
  }
  const files =
    fixture.expectedFiles === undefined
      ? []
      : filesDrift(fixture.expectedFiles, await snapshotFiles(base));
  return { fixture: fixture.id, steps: fixture.steps.length, drifts, files, answers: got };
};

/** Whether a drift could come from handles an earlier fixture left behind in the same process. */
export const mayBeLeftovers = (fixture: Fixture, report: ReplayReport): boolean =>
  report.drifts.some((d) => {
    const step = fixture.steps[d.step - 1];
    return step !== undefined && (!step.response.ok || d.message.includes('protocol error'));
  });
