/**
 * The switch table of the single-rule mutants: one row per rule id of
 * spec/RULES.md that a protocol exchange can observe, saying how the mutant
 * serving that id departs from the reference. Everything else in a mutant
 * is the reference behaviour (copied in this directory with the switch
 * points marked `off('<id>')`). Ids no exchange can tell apart are argued in
 * spec/RULES.md, "Rules no protocol exchange can observe".
 */
export const MUTANTS = {
  // Validate
  'R-VALIDATE-ORDER': 'the changed-pending check runs before the relation-broken check',
  'R-VALIDATE-RELATION': 'a hook for another relation is not refused',
  'R-VALIDATE-BROKEN': 'null members read as empty instead of refusing every hook',
  'R-VALIDATE-BROKEN-HOOK': 'relation-broken is valid while units are still present',
  'R-VALIDATE-PENDING': 'the changed-pending unit is not enforced',
  'R-VALIDATE-JOINED': 'relation-joined for a member is accepted',
  'R-VALIDATE-NOT-JOINED': 'relation-changed or relation-departed for a non-member is accepted',
  'R-VALIDATE-ACCEPT': 'a valid relation-departed is refused ("unit has not joined")',
  'R-VALIDATE-PREFIX': 'the unit in the prefix is quoted with single quotes',
  'R-VALIDATE-NO-VERSIONS': 'relation-changed repeating the member version is refused',
  // Sources in common
  'R-SOURCE-EMPTY-MISUSE': 'pop on an empty source succeeds silently',
  // Live source
  'R-LIVE-INITIAL-MEMBERS': 'initial members start with version 0, not their stored version',
  'R-LIVE-INITIAL-NULL': 'an initial state with null members is refused',
  'R-LIVE-INITIAL-PENDING-NOT-MEMBER': 'a changed-pending unit that is not a member is accepted',
  'R-LIVE-EMPTY-BEFORE-FIRST': 'the initial changed-pending shows before the first change',
  'R-LIVE-FIRST-NO-DEPARTURES': 'a first change with departures is applied, not refused',
  'R-LIVE-FIRST-ABSENT-DEPART': 'units absent from the first change do not depart',
  'R-LIVE-SORTED': 'changed units are processed in wire order, not name order',
  'R-LIVE-NEW-UNIT-JOINS': 'a new unit is queued for relation-changed, not relation-joined',
  'R-LIVE-JOINED-PENDING-VERSION-ONLY':
    'a new version of a unit owed its join moves it to the tail',
  'R-LIVE-CHANGED-QUEUE': 'a new version of an unqueued unit queues nothing',
  'R-LIVE-QUEUE-KEEPS-PLACE': 'a queued unit whose pending kind is replaced moves to the tail',
  'R-LIVE-REQUEUE-TAIL': 'a unit queued again gets its old place back',
  'R-LIVE-EQUAL-VERSION': 'an equal version is treated as a new one (relation-changed)',
  'R-LIVE-VERSION-LATEST': 'a lower version is not taken (the latest seen is the highest)',
  'R-LIVE-DEPART-ORDER': 'departures are processed in reverse order',
  'R-LIVE-DEPART-QUEUED-JOINED': 'a unit owed its join that departs is queued relation-departed',
  'R-LIVE-DEPART': 'a departure of an unqueued unit is ignored',
  'R-LIVE-UNKNOWN-DEPARTURE': 'a departure of an unknown unit is ignored, not an error',
  'R-LIVE-EMPTY': 'empty ignores the changed-pending unit',
  'R-LIVE-NEXT-PENDING-FIRST': 'the queue head comes before the owed relation-changed',
  'R-LIVE-NEXT-HEAD': 'next shows the tail of the queue',
  'R-LIVE-NEXT-LATEST-VERSION':
    'the owed relation-changed carries the version the unit joined with',
  'R-LIVE-POP-PENDING-CHANGED': 'popping the owed relation-changed leaves a queued one',
  'R-LIVE-POP-HEAD': 'pop removes the tail of the queue',
  'R-LIVE-POP-JOINED': 'popping relation-joined owes no relation-changed',
  'R-LIVE-POP-DEPARTED-FORGETS': 'popping relation-departed keeps the unit known',
  // Dying and list sources
  'R-DYING-ORDER': 'the members depart in reverse name order',
  'R-DYING-PENDING-NOT-MEMBER': 'a changed-pending unit that is not a member gets no hook',
  'R-DYING-NULL-MEMBERS': 'null members give no hook at all',
  'R-DYING-NO-UPDATES': 'the dying source accepts (and ignores) updates',
  'R-LIST-ORDER': 'the list source yields its hooks in reverse',
  'R-LIST-NO-UPDATES': 'the list source accepts (and ignores) updates',
  // Quirks
  'Q-UNKNOWN-DEPARTURE-ERROR': 'a departure of an unknown unit crashes the process, as Go did',
  'Q-DEPART-BEFORE-JOIN-REAPPEAR':
    'an unjoined known unit with a new version queues relation-joined',
  'Q-DEPART-BEFORE-JOIN-REAPPEAR-SAME':
    'an unjoined known unit with its same version queues relation-joined',
  'Q-EQUAL-VERSION-DROPS-CHANGED': 'an equal version keeps a pending relation-changed',
  'Q-EQUAL-VERSION-DROPS-DEPARTED': 'an equal version keeps a pending relation-departed',
  // State directory
  'R-DIR-PATH': 'relation directories live in <base>/r/<id>',
  'R-DIR-FILE-NAME': 'member files are named with "_" instead of "-"',
  'R-DIR-FORMAT': 'a file without the pending mark says "changed-pending: false"',
  'R-READ-MISSING': 'reading a missing relation directory creates it',
  'R-READ-ORDER': 'entries are visited in reverse name order',
  'R-READ-IGNORED': 'every name with a "-" is a unit file, Atoi or not',
  'R-READ-UNIT': 'the changed-pending mark is not read back',
  'R-READ-INVALID-NAME': 'entries that are not valid unit names are ignored',
  'R-READ-UNREADABLE': 'an unreadable unit entry is ignored',
  'R-READ-STAT-ERROR': 'a stat error reads as a missing directory',
  'R-READ-BAD-YAML': 'a file that is not YAML is ignored',
  'R-READ-NO-VERSION': 'a file without a version reads as version 0',
  'R-READ-VERSION-TYPE': 'a version that is not an integer reads as 0',
  'R-READ-VERSION-RANGE': 'a version outside int64 wraps around',
  'R-READ-YAML-DIALECT': 'files are read as YAML 1.2',
  'R-READ-BOTH-PENDING': 'a second pending file wins, no error',
  'R-READ-PREFIX': 'the relation directory in the read prefix is not quoted',
  'R-READ-ALL-MISSING': 'a missing base is an error',
  'R-READ-ALL-ENTRIES': 'negative relation ids are ignored',
  'R-READ-ALL-ATOI-QUIRK': 'only canonical decimal names are relations',
  'R-READ-ALL-ID-RANGE': 'ids beyond the safe integers are ignored',
  'R-READ-ALL-PREFIX': 'read-all errors come without their prefix',
  'R-DIR-ENSURE': 'ensure creates nothing',
  'R-DIR-REMOVE': 'remove deletes a non-empty directory with its files',
  'R-WRITE-PREFIX': 'write errors come without their prefix',
  'R-WRITE-NO-VALIDATE': 'write refuses a hook Validate refuses',
  'R-WRITE-NO-ENSURE': 'write creates a missing relation directory',
  'R-WRITE-BROKEN': 'relation-broken leaves the directory in place',
  'R-WRITE-DEPARTED': 'relation-departed keeps the unit file',
  'R-WRITE-DEPARTED-MISSING': 'relation-departed of a unit without a file is an error',
  'R-WRITE-JOINED': 'relation-joined writes no changed-pending mark',
  'R-WRITE-CHANGED': 'relation-changed leaves changed-pending set in memory',
  'R-WRITE-ERRORS': 'a failed open is reported as "create"',
  'R-WRITE-MEMORY-AFTER-DISK': 'memory changes even when the disk operation failed',
  'R-WRITE-AFTER-BROKEN': 'a unit write after broken leaves the members null',
  'R-WRITE-IDEMPOTENT': 'writing the same hook twice in a row is an error',
  'R-WRITE-ROUND-TRIP': 'relation-changed of a member writes its old version to disk',
  'R-DIR-CONFINED': 'every write also leaves <base>/last-hook',
  'R-DIR-PROTOCOL': 'a failed statedir.open still creates the handle',
  'R-PROTOCOL-HYGIENE': 'a source.live state without members reads as no members',
} as const satisfies Readonly<Record<string, string>>;

export type MutantRule = keyof typeof MUTANTS;

export const MUTANT_RULES = Object.keys(MUTANTS) as MutantRule[];

export const isMutantRule = (s: string): s is MutantRule => Object.hasOwn(MUTANTS, s);

/** Whether the mutant serving `rule` has `id` switched off (or altered). */
export type Off = (id: MutantRule) => boolean;

export const offFor =
  (rule: MutantRule | null): Off =>
  (id) =>
    id === rule;
