import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import type { Reporter } from 'io-ts/lib/Reporter.js';
import { stringifyJson } from './json.ts';

/** A value from outside that does not have the expected shape. */
export interface DecodeError {
  readonly _tag: 'DecodeError';
  /** One line per problem, each naming the field path and the bad value. */
  readonly problems: readonly string[];
  readonly message: string;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

// The keys of a context that are real field names: union and intersection
// members add their branch index, which says nothing about the input.
const pathKeys = (context: t.Context): string[] =>
  context
    .filter((_entry, i) => {
      // Only the root entry has no key of its own; an empty key further
      // down is a real (empty) property name and stays in the path.
      if (i === 0) return false;
      const tag = (context[i - 1]?.type as { _tag?: string } | undefined)?._tag;
      return tag !== 'UnionType' && tag !== 'IntersectionType';
    })
    .map((entry) => entry.key);

const formatPath = (keys: readonly string[]): string => {
  let path = '';
  for (const key of keys) {
    if (/^[0-9]+$/.test(key)) path += `[${key}]`;
    else if (IDENT.test(key)) path += path === '' ? key : `.${key}`;
    else path += `[${JSON.stringify(key)}]`;
  }
  return path === '' ? '(root)' : path;
};

const formatValue = (value: unknown): string => {
  // JSON has no Infinity: a literal like 1e400 parses to it, and would print as null.
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return `a number beyond the range of a double (${value})`;
  }
  let text: string;
  try {
    text = stringifyJson(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

const expectation = (error: t.ValidationError): string => {
  if (error.message !== undefined) return error.message;
  const last = error.context[error.context.length - 1];
  return `expected ${last?.type.name ?? 'a value'}`;
};

/**
 * An io-ts reporter that names the field path and the bad value. A union
 * reports one error per branch: the branches that got furthest name the real
 * problem, so shallower errors on the way to a deeper one are dropped, and
 * alternatives at the same path are joined with "or".
 */
export const ProblemReporter: Reporter<readonly string[]> = {
  report: (validation) => {
    if (validation._tag === 'Right') return [];
    const byPath = new Map<string, { keys: string[]; value: unknown; expected: string[] }>();
    for (const error of validation.left) {
      const keys = pathKeys(error.context);
      const id = keys.join('\u0000');
      const entry = byPath.get(id) ?? { keys, value: error.value, expected: [] };
      const what = expectation(error);
      if (!entry.expected.includes(what)) entry.expected.push(what);
      byPath.set(id, entry);
    }
    const ids = [...byPath.keys()];
    const deepest = ids.filter(
      (p) => !ids.some((q) => q !== p && (p === '' || q.startsWith(`${p}\u0000`))),
    );
    return deepest.map((id) => {
      const { keys, value, expected } = byPath.get(id) as {
        keys: string[];
        value: unknown;
        expected: string[];
      };
      const want = expected.map((e, i) => (i === 0 ? e : e.replace(/^expected /, ''))).join(' or ');
      const got = value === undefined ? 'but it is missing' : `got ${formatValue(value)}`;
      return `${formatPath(keys)}: ${want}, ${got}`;
    });
  },
};

/** Decode an outside value, turning io-ts errors into a DecodeError value. */
export const decodeWith =
  <A, O>(codec: t.Type<A, O, unknown>, what: string = codec.name) =>
  (u: unknown): E.Either<DecodeError, A> => {
    const result = codec.decode(u);
    if (result._tag === 'Right') return E.right(result.right);
    const problems = ProblemReporter.report(result);
    return E.left({
      _tag: 'DecodeError',
      problems,
      message: `invalid ${what}: ${problems.join('; ')}`,
    });
  };
