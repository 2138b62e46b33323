/**
 * How faithful each rule of spec/RULES.md is to Juju's 2015 Go code, and so
 * how `relspec conform` compares an implementation on it:
 *
 * - `juju`: Juju's behaviour; `--level exact` requires it.
 * - `choice`: Juju's result is one of a stated set (the order of injected
 *   departures, which of two decoder texts); any member passes and the
 *   comparison follows the implementation's pick. The reference picks one
 *   member, deterministically.
 * - `undefined`: Go panicked, crashed, or the agent stops using the object
 *   there; any error passes, and so does the implementation dying; the
 *   object is not compared after it.
 * - `hardening`: relspec is stricter than Juju (names, confinement, ranges,
 *   initial-state checks, protocol hygiene); a difference is an advisory at
 *   `--level exact` and a failure at `--level strict`.
 *
 * spec/RULES.md carries the same table in its section "Rule classes",
 * generated from this one (`npx tsx scripts/rule-classes.ts`, checked by a test).
 */
export type RuleClass = 'juju' | 'choice' | 'undefined' | 'hardening';

export const RULE_CLASS_NAMES: readonly RuleClass[] = ['juju', 'choice', 'undefined', 'hardening'];

/** Rule id -> class, and for every class but juju why (the Go fact). */
export const RULE_CLASSES = {
  'R-VALIDATE-ORDER': ['juju'],
  'R-VALIDATE-RELATION': ['juju'],
  'R-VALIDATE-BROKEN': ['juju'],
  'R-VALIDATE-BROKEN-HOOK': ['juju'],
  'R-VALIDATE-PENDING': ['juju'],
  'R-VALIDATE-JOINED': ['juju'],
  'R-VALIDATE-NOT-JOINED': ['juju'],
  'R-VALIDATE-ACCEPT': ['juju'],
  'R-VALIDATE-PREFIX': ['juju'],
  'R-VALIDATE-NO-VERSIONS': ['juju'],
  'R-SOURCE-EMPTY-MISUSE': [
    'undefined',
    'Go panics (`queue is empty` live, `source is empty` list and dying)',
  ],
  'R-SOURCE-PURE': ['hardening', 'Go sources are mutable; not observable over the protocol'],
  'R-SOURCE-DISPATCH': ['juju'],
  'R-SOURCE-UPDATE-ERROR-STOPS': [
    'undefined',
    'after an update error the agent stops the relation worker',
  ],
  'R-LIVE-INITIAL-MEMBERS': ['juju'],
  'R-LIVE-INITIAL-NULL': ['juju'],
  'R-LIVE-INITIAL-PENDING-NOT-MEMBER': [
    'hardening',
    'Go accepts the state (and panics later, in `next`)',
  ],
  'R-LIVE-EMPTY-BEFORE-FIRST': ['juju'],
  'R-LIVE-FIRST-NO-DEPARTURES': ['juju'],
  'R-LIVE-FIRST-ABSENT-DEPART': ['choice', 'any order of the absent units (Go map order)'],
  'R-LIVE-SORTED': ['juju'],
  'R-LIVE-NEW-UNIT-JOINS': ['juju'],
  'R-LIVE-JOINED-PENDING-VERSION-ONLY': ['juju'],
  'R-LIVE-CHANGED-QUEUE': ['juju'],
  'R-LIVE-QUEUE-KEEPS-PLACE': ['juju'],
  'R-LIVE-REQUEUE-TAIL': ['juju'],
  'R-LIVE-EQUAL-VERSION': ['juju'],
  'R-LIVE-VERSION-LATEST': ['juju'],
  'R-LIVE-DEPART-ORDER': ['juju'],
  'R-LIVE-DEPART-QUEUED-JOINED': ['juju'],
  'R-LIVE-DEPART': ['juju'],
  'R-LIVE-UNKNOWN-DEPARTURE': [
    'undefined',
    'Go panics on a nil dereference after applying the changed units',
  ],
  'R-LIVE-EMPTY': ['juju'],
  'R-LIVE-NEXT-PENDING-FIRST': ['juju'],
  'R-LIVE-NEXT-HEAD': ['juju'],
  'R-LIVE-NEXT-LATEST-VERSION': ['juju'],
  'R-LIVE-POP-PENDING-CHANGED': ['juju'],
  'R-LIVE-POP-HEAD': ['juju'],
  'R-LIVE-POP-JOINED': ['juju'],
  'R-LIVE-POP-DEPARTED-FORGETS': ['juju'],
  'R-DYING-ORDER': ['juju'],
  'R-DYING-PENDING-NOT-MEMBER': ['juju'],
  'R-DYING-NULL-MEMBERS': ['juju'],
  'R-DYING-NO-UPDATES': ['juju'],
  'R-LIST-ORDER': ['juju'],
  'R-LIST-NO-UPDATES': ['juju'],
  'R-SENDER-ORDER': ['juju'],
  'R-SENDER-UPDATE-WHILE-WAITING': ['juju'],
  'R-SENDER-STOP': ['juju'],
  'R-PEEKER-CONSUME-REJECT': ['juju'],
  'R-PEEKER-STOP': ['juju'],
  'Q-UNKNOWN-DEPARTURE-ERROR': ['undefined', 'Go panics there (R-LIVE-UNKNOWN-DEPARTURE)'],
  'Q-DEPART-BEFORE-JOIN-REAPPEAR': ['juju'],
  'Q-DEPART-BEFORE-JOIN-REAPPEAR-SAME': ['juju'],
  'Q-EQUAL-VERSION-DROPS-CHANGED': ['juju'],
  'Q-EQUAL-VERSION-DROPS-DEPARTED': ['juju'],
  'R-DIR-PATH': ['juju'],
  'R-DIR-FILE-NAME': ['juju'],
  'R-DIR-FORMAT': ['juju'],
  'R-READ-MISSING': ['juju'],
  'R-READ-ORDER': ['juju'],
  'R-READ-IGNORED': ['juju'],
  'R-READ-UNIT': ['juju'],
  'R-READ-INVALID-NAME': ['hardening', 'Go loads `Foo-1` as `Foo/1`, `foo-01` as `foo/01`'],
  'R-READ-UNREADABLE': ['juju'],
  'R-READ-STAT-ERROR': ['juju'],
  'R-READ-BAD-YAML': ['juju'],
  'R-READ-NO-VERSION': ['juju'],
  'R-READ-VERSION-TYPE': [
    'choice',
    'yaml.v1 ignores the value (not set), yaml.v2 fails with `yaml: unmarshal errors:`',
  ],
  'R-READ-VERSION-RANGE': [
    'choice',
    'not set (yaml.v1), `yaml: unmarshal errors:` (yaml.v2), or relspec’s range text',
  ],
  'R-READ-YAML-DIALECT': ['juju'],
  'R-READ-BOTH-PENDING': ['juju'],
  'R-READ-PREFIX': ['juju'],
  'R-READ-ALL-MISSING': ['juju'],
  'R-READ-ALL-ENTRIES': ['juju'],
  'R-READ-ALL-ATOI-QUIRK': ['juju'],
  'R-READ-ALL-ID-RANGE': ['hardening', 'Go reads relation ids with Atoi over the whole int range'],
  'R-READ-ALL-PREFIX': ['juju'],
  'R-DIR-ENSURE': ['juju'],
  'R-DIR-REMOVE': ['juju'],
  'R-WRITE-PREFIX': ['juju'],
  'R-WRITE-NO-VALIDATE': ['juju'],
  'R-WRITE-NO-ENSURE': ['juju'],
  'R-WRITE-BROKEN': ['juju'],
  'R-WRITE-DEPARTED': ['juju'],
  'R-WRITE-DEPARTED-MISSING': ['juju'],
  'R-WRITE-JOINED': ['juju'],
  'R-WRITE-CHANGED': ['juju'],
  'R-WRITE-ATOMIC': ['juju'],
  'R-WRITE-ERRORS': ['juju'],
  'R-WRITE-MEMORY-AFTER-DISK': ['juju'],
  'R-WRITE-SYNCDIR-FAILED': ['juju'],
  'R-WRITE-AFTER-BROKEN': ['undefined', 'Go panics on the nil members map (after the file write)'],
  'R-WRITE-IDEMPOTENT': ['juju'],
  'R-WRITE-ROUND-TRIP': ['juju'],
  'R-WRITE-FAULTS': ['juju'],
  'R-DIR-CRASH': ['juju'],
  'R-DIR-POWERCUT-MODEL': ['juju'],
  'R-DIR-POWERCUT': ['juju'],
  'R-DIR-POWERCUT-FSYNC': ['juju'],
  'R-DIR-POWERCUT-SYNCDIR': ['juju'],
  'R-DIR-CONFINED': [
    'hardening',
    'Go joins the unit name as a path: `a/0/../../../b` lands outside the state directory',
  ],
  'R-DIR-PROTOCOL': ['juju'],
  'R-PROTOCOL-HYGIENE': [
    'hardening',
    'a lenient decoder (a state without `members`, an invalid unit name) is not wrong about Juju',
  ],
} as const satisfies Readonly<Record<string, readonly [RuleClass] | readonly [RuleClass, string]>>;

export type ClassedRule = keyof typeof RULE_CLASSES;

/** The class of a rule id; ids the table does not know (a future rule) count as `juju`. */
export const ruleClass = (id: string): RuleClass =>
  (RULE_CLASSES as Readonly<Record<string, readonly [RuleClass, string?]>>)[id]?.[0] ?? 'juju';

/** Why a rule is not `juju`, or undefined. */
export const ruleClassReason = (id: string): string | undefined =>
  (RULE_CLASSES as Readonly<Record<string, readonly [RuleClass, string?]>>)[id]?.[1];

/** The class of each of `ids`, as a fixture records it. */
export const classesOf = (ids: readonly string[]): Record<string, RuleClass> =>
  Object.fromEntries([...ids].sort().map((id) => [id, ruleClass(id)]));

/** A fixture's `ruleClasses`: its rules and every rule its step marks name. */
export const fixtureRuleClasses = (
  rules: readonly string[],
  steps: readonly {
    readonly undefined?: string;
    readonly hardening?: string;
    readonly retire?: string;
    readonly choice?: string;
  }[],
): Record<string, RuleClass> => {
  const marked = steps.flatMap((s) => [s.undefined, s.hardening, s.retire, s.choice]);
  return classesOf([...new Set([...rules, ...marked.filter((r) => r !== undefined)])]);
};

export const SECTION_START =
  '<!-- rule-classes:start (generated from src/conform/ruleClass.ts) -->';
export const SECTION_END = '<!-- rule-classes:end -->';

/** A Markdown table with every column padded to its widest cell (as the formatter writes it). */
const markdownTable = (rows: readonly (readonly string[])[]): string[] => {
  const widths = (rows[0] ?? []).map((_, c) =>
    Math.max(3, ...rows.map((r) => (r[c] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  const [head = [], ...body] = rows;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
};

/** The generated part of spec/RULES.md's section "Rule classes". */
export const ruleClassSection = (): string => {
  const rows = Object.entries(RULE_CLASSES).map(([id, entry]) => {
    const [cls, why] = entry as readonly [RuleClass, string?];
    return [`\`${id}\``, cls, why ?? ''];
  });
  return [
    SECTION_START,
    '',
    ...markdownTable([['rule', 'class', 'Go fact'], ...rows]),
    '',
    SECTION_END,
  ].join('\n');
};

/** `text` (spec/RULES.md) with its generated section replaced by the current table. */
export const withRuleClassSection = (text: string): string | undefined => {
  const start = text.indexOf(SECTION_START);
  const end = text.indexOf(SECTION_END);
  if (start === -1 || end === -1 || end < start) return undefined;
  return text.slice(0, start) + ruleClassSection() + text.slice(end + SECTION_END.length);
};
