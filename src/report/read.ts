import { readFile } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import { decodeWith } from '../model/decode.ts';
import { parseJson } from '../model/json.ts';
import { ReportDocument } from './document.ts';

const decodeReport = decodeWith(ReportDocument, 'report document');

/** Read a run or failure document: the error names the file and the field path. */
export const readReport = async (path: string): Promise<E.Either<string, ReportDocument>> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return E.left(`${path}: cannot read: ${(e as Error).message}`);
  }
  const parsed = parseJson(text);
  if (E.isLeft(parsed)) return E.left(`${path}: not JSON: ${parsed.left.message}`);
  const decoded = decodeReport(parsed.right);
  return E.isLeft(decoded)
    ? E.left(
        `${path}: not a relspec run or failure document (relspec conform --json, or relspec-failures/<id>.failure.json): ${decoded.left.problems.slice(0, 5).join('; ')}`,
      )
    : E.right(decoded.right);
};
