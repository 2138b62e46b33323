import { rename, rm, writeFile } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import { stringifyJsonPretty } from '../model/json.ts';

/**
 * Write a JSON document whole or not at all: to a temporary name beside
 * it, then renamed over the target, so a reader never sees half of one.
 */
export const writeJsonAtomically = async (
  path: string,
  value: unknown,
): Promise<E.Either<string, void>> => {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, stringifyJsonPretty(value));
    await rename(temporary, path);
    return E.right(undefined);
  } catch (e) {
    await rm(temporary, { force: true });
    return E.left(`cannot write ${path}: ${(e as Error).message}`);
  }
};
