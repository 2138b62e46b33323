import { rm } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import { abstractBase } from '../fixtures/base.ts';
import { snapshotFiles } from '../fixtures/files.ts';
import type { Fixture, Step } from '../fixtures/fixture.ts';
import { type JudgeLevel, judgeFixture } from '../fixtures/judge.ts';
import { layInitialFiles, type ReplayReport, reportOf, wireRequest } from '../fixtures/replay.ts';
import type { Client } from '../runner/client.ts';
import { describeRunnerError } from '../runner/errors.ts';

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
 * do not depend on the answers), then judge the answers in order. Same
 * report as the fixtures' own sequential replay, one round trip instead of
 * one per step. An implementation that dies at an undefined point is
 * restarted through `restart` and gets the remaining steps.
 */
export const replayPipelined = async (
  fixture: Fixture,
  client: Client,
  base: string,
  handlePrefix = '',
  options: { readonly level?: JudgeLevel; readonly restart?: () => Promise<Client> } = {},
): Promise<ReplayReport & { readonly answers: readonly unknown[] }> => {
  let current = client;
  // What the implementation answered, by step (base abstracted), for the report.
  let answered: unknown[] = [];
  const restart = options.restart;
  const play = async (oneByOne: boolean) => {
    await rm(base, { recursive: true, force: true });
    answered = [];
    const unlaid = await layInitialFiles(fixture, base);
    if (unlaid !== undefined) return unlaid;
    const call = (i: number) =>
      current.call(
        renameHandles(wireRequest(fixture.steps[i] as Step, i, base), handlePrefix) as {
          op: string;
        },
      );
    const judged = await judgeFixture(fixture, base, options.level ?? 'exact', {
      send: async (indices) => {
        const answers: Awaited<ReturnType<typeof call>>[] = [];
        if (oneByOne) {
          // A death is then seen at the request that caused it; nothing more is sent.
          for (const i of indices) {
            const a = await call(i);
            answers.push(a);
            if (E.isLeft(a)) break;
          }
          while (answers.length < indices.length)
            answers.push(answers[answers.length - 1] as never);
        } else answers.push(...(await Promise.all(indices.map(call))));
        for (const [k, a] of answers.entries()) {
          if (E.isRight(a)) answered[indices[k] as number] = abstractBase(a.right, base);
        }
        return answers.map((a) => (E.isLeft(a) ? E.left(describeRunnerError(a.left)) : a));
      },
      ...(restart === undefined
        ? {}
        : {
            restart: async () => {
              current = await restart();
              return true;
            },
          }),
      files: () => snapshotFiles(base),
    });
    return reportOf(fixture, judged);
  };
  let report = await play(false);
  // A process that dies in a pipelined batch may take earlier answers with it:
  // where dying can be allowed (an undefined point), go again one request at a time.
  if (
    report.aborted !== undefined &&
    restart !== undefined &&
    fixture.steps.some((s) => s.undefined)
  ) {
    current = await restart();
    report = await play(true);
  }
  // In step order, up to the first step without an answer.
  const gap = answered.findIndex((_, i) => !(i in answered));
  const answers = gap < 0 ? [...answered] : answered.slice(0, gap);
  return { ...report, answers };
};

/** Whether a drift could come from handles an earlier fixture left behind in the same process. */
export const mayBeLeftovers = (fixture: Fixture, report: ReplayReport): boolean =>
  report.drifts.some((d) => {
    const step = fixture.steps[d.step - 1];
    return step !== undefined && (!step.response.ok || d.message.includes('protocol error'));
  });
