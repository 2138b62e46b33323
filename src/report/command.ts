import { writeFile } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import { renderPage } from './html.ts';
import { mergeRuns, type NamedRun } from './merge.ts';
import { documentLines } from './print.ts';
import { readReport } from './read.ts';
import { idTexts } from './ruleText.ts';
import { buildTimeline } from './timeline.ts';
import { writeJsonAtomically } from './write.ts';

/** `relspec report`: print a saved document, and draw one of its failures. */
export const runReport = async (
  file: string,
  options: { readonly html?: string; readonly failure: string },
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<0 | 2> => {
  const read = await readReport(file);
  if (E.isLeft(read)) {
    err(`relspec report: ${read.left}`);
    return 2;
  }
  const doc = read.right;
  for (const line of documentLines(doc)) out(line);
  if (options.html === undefined) return 0;
  const failures = doc.format === 'relspec-failure' ? [doc.failure] : doc.failures;
  const index = Number(options.failure);
  const failure = failures[index - 1];
  if (!Number.isInteger(index) || failure === undefined) {
    err(
      `relspec report: --failure ${options.failure}: ${file} has ${failures.length} failure(s), nothing to draw`,
    );
    return 2;
  }
  if (failure.counterexample === null) {
    err(`relspec report: failure ${index} of ${file} has no recorded counterexample to draw`);
    return 2;
  }
  const timeline = await buildTimeline(failure.counterexample);
  const page = renderPage({
    implementation: doc.implementation.command,
    level: doc.level,
    seed: doc.seed,
    failure,
    timeline,
    texts: idTexts(),
  });
  try {
    await writeFile(options.html, page);
  } catch (e) {
    err(`relspec report: cannot write ${options.html}: ${(e as Error).message}`);
    return 2;
  }
  out(`timeline: ${options.html}`);
  return 0;
};

/**
 * `relspec report merge`: join the shard documents of one run and print
 * the whole run's verdict; its exit code is that verdict (0, 1 or 2), or 2
 * when the documents cannot be merged (nothing is written then).
 */
export const runMerge = async (
  files: readonly string[],
  options: { readonly json?: string },
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<0 | 1 | 2> => {
  const runs: NamedRun[] = [];
  for (const file of files) {
    const read = await readReport(file);
    if (E.isLeft(read)) {
      err(`relspec report merge: ${read.left}`);
      return 2;
    }
    if (read.right.format !== 'relspec-run') {
      err(
        `relspec report merge: ${file}: a failure document; merge takes run documents (conform --json)`,
      );
      return 2;
    }
    runs.push({ file, doc: read.right });
  }
  const merged = mergeRuns(runs);
  if (E.isLeft(merged)) {
    err(`relspec report merge: ${merged.left}`);
    return 2;
  }
  if (options.json !== undefined) {
    const written = await writeJsonAtomically(options.json, merged.right);
    if (E.isLeft(written)) {
      err(`relspec report merge: ${written.left}`);
      return 2;
    }
  }
  for (const line of documentLines(merged.right)) out(line);
  return merged.right.exitCode;
};
