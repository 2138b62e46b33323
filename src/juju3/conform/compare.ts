import * as E from 'fp-ts/lib/Either.js';
import { canonicalText } from '../../fixtures/canonical.ts';
import { encodeState } from '../wire.ts';
import { decodeStateYaml, FRACTION_REFUSED } from '../yamlState.ts';
import type { Answer } from './endpoint.ts';

export type Level = 'exact' | 'strict' | 'guarantees';

/** How one answer of the implementation compares with the reference's. */
export type Verdict =
  | { readonly _tag: 'Same' }
  | { readonly _tag: 'Differ'; readonly rule: string; readonly message: string }
  /** relspec is stricter than Juju here: reported, a failure only at --level strict. */
  | { readonly _tag: 'Hardening'; readonly rule: string; readonly message: string };

const SAME: Verdict = { _tag: 'Same' };
const differ = (rule: string, message: string): Verdict => ({ _tag: 'Differ', rule, message });

const text = (a: Answer) => canonicalText(a);
const isError = (a: Answer) => !a.ok || a.result.error !== undefined;

/** The rule an op's answer is judged by (the id a failure names). */
const RULE_OF_OP: Readonly<Record<string, string>> = {
  'rel.open': 'J3-OPEN',
  'rel.next': 'J3-NEXT',
  'rel.commit': 'J3-COMMIT',
  'rel.state': 'J3-COMMIT',
  'rel.save': 'J3-CODEC-KEYS',
  'rel.restore': 'J3-CREATED-RESTART',
  validate: 'J3-VALIDATE-ORDER',
  'hook.validate': 'J3-HOOKINFO',
  'state.decode': 'J3-CODEC-DEFAULTS',
  'state.encode': 'J3-CODEC-KEYS',
};

type HookJson = {
  kind?: string;
  remoteUnit?: string;
  departingUnit?: string;
  changeVersion?: unknown;
  relationId?: unknown;
};

const ruleOfKind = (h: HookJson): string => {
  switch (h.kind) {
    case 'relation-created':
      return 'J3-CREATED-FIRST';
    case 'relation-joined':
      return 'J3-JOIN';
    case 'relation-departed':
      return 'J3-DEPART';
    case 'relation-broken':
      return 'J3-BROKEN';
    default:
      return h.remoteUnit === '' ? 'J3-APP-CHANGED' : 'J3-UNIT-CHANGED';
  }
};

/** The rule a differing next-hook answer points at: the one that gives the reference's answer. */
export const blameNext = (ref: Answer, impl: Answer): string => {
  const r = ref.ok ? ref.result : {};
  const i = impl.ok ? impl.result : {};
  if (typeof r.error === 'string')
    return r.error.startsWith('changed pending')
      ? 'J3-PENDING-BAD-NAME'
      : r.error.startsWith('somehow')
        ? 'J3-EMPTY-UNIT'
        : 'J3-BAD-UNIT-NAME';
  const rh = r.hook as HookJson | undefined;
  const ih = i.hook as HookJson | undefined;
  if (rh === undefined) return 'J3-NONE';
  if (ih !== undefined && ih.kind === rh.kind && ih.remoteUnit === rh.remoteUnit) {
    if (ih.departingUnit !== rh.departingUnit) return 'J3-DEPARTEE';
    if (
      canonicalText(ih.changeVersion) !== canonicalText(rh.changeVersion) &&
      rh.kind === 'relation-changed' &&
      rh.remoteUnit !== ''
    )
      return 'J3-PENDING-VERSION';
  }
  return ruleOfKind(rh);
};

const yamlState = (a: Answer): string | undefined => {
  if (!a.ok || typeof a.result.yaml !== 'string') return undefined;
  const d = decodeStateYaml(a.result.yaml);
  return E.isRight(d) ? canonicalText(encodeState(d.right)) : `undecodable: ${d.left}`;
};

/**
 * Compare one answer (agent.next is judged by the driver, against the
 * allowed set). Error texts are compared where Juju fixes them; elsewhere
 * both being errors is enough.
 */
export const compareAnswer = (op: string, ref: Answer, impl: Answer): Verdict => {
  const rule = RULE_OF_OP[op] ?? 'J3-NEXT';
  if (!ref.ok || !impl.ok)
    return !ref.ok && !impl.ok
      ? SAME
      : differ(rule, `${op}: reference ${text(ref)}, implementation ${text(impl)}`);
  if (op === 'rel.commit' && isError(ref) && !isError(impl))
    return {
      _tag: 'Hardening',
      rule: 'J3-H-COMMIT-RELATION',
      message: `rel.commit: the reference refuses (${String(ref.result.error)}), the implementation commits`,
    };
  if (
    (op === 'rel.restore' || op === 'state.decode') &&
    isError(ref) &&
    !isError(impl) &&
    String(ref.result.error).includes(FRACTION_REFUSED)
  )
    return {
      _tag: 'Hardening',
      rule: 'J3-H-CODEC-NUMBERS',
      message: `${op}: the reference refuses a version with a fraction, the implementation reads it`,
    };
  if (op === 'rel.restore' || op === 'state.decode') {
    // J3-CODEC-ERROR: whether it is an error is fixed, the text is not.
    if (isError(ref) !== isError(impl))
      return differ(
        'J3-CODEC-ERROR',
        `${op}: reference ${text(ref)}, implementation ${text(impl)}`,
      );
    if (isError(ref)) return SAME;
  }
  if (op === 'rel.save' || op === 'state.encode') {
    // J3-CODEC-LAYOUT: any text that reads back as the same state.
    const a = yamlState(ref);
    const b = yamlState(impl);
    if (a === b) return SAME;
    return differ(
      'J3-CODEC-LAYOUT',
      `${op}: reference ${text(ref)}, implementation ${text(impl)} (${b ?? 'no yaml'})`,
    );
  }
  if (text(ref) === text(impl)) return SAME;
  return differ(
    op === 'rel.next' ? blameNext(ref, impl) : rule,
    `${op}: reference ${text(ref)}, implementation ${text(impl)}`,
  );
};
