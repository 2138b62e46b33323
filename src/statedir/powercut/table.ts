import * as E from 'fp-ts/lib/Either.js';
import { changeVersion } from '../../model/changeVersion.ts';
import { brokenHook, type HookInfo, unitHook } from '../../model/hook.ts';
import type { HookKind } from '../../model/hookKind.ts';
import { relationId } from '../../model/relationId.ts';
import type { State } from '../../model/state.ts';
import { stateEquals } from '../../model/state.ts';
import { unitName } from '../../model/unitName.ts';
import type { FsCall } from '../fsPort.ts';
import { readAllStateDirs } from '../read.ts';
import { withRecorder } from '../recorder.ts';
import { writeHook } from '../write.ts';
import { cloneImage, type Image, imageFiles, imageFromFiles, imageFs } from './image.ts';
import { crashImages } from './model.ts';

// For one write of each hook kind: every disk a power cut allows, what
// recovery (ReadAllStateDirs) reads from it, and whether that is the state
// before or after the write.

const BASE = '/r';
const ID = relationId(7);
const DIR = `${BASE}/7`;
const UNIT = unitName('wordpress/0');
const FILE = 'wordpress-0';

export interface Scenario {
  readonly name: string;
  readonly kind: HookKind;
  readonly files: Readonly<Record<string, string | null>>;
  readonly before: State;
  readonly hook: HookInfo;
}

const st = (members: Record<string, bigint> | null, pending = ''): State => ({
  relationId: ID,
  members:
    members === null
      ? null
      : new Map(Object.entries(members).map(([u, v]) => [unitName(u), changeVersion(v)])),
  changedPending: pending === '' ? '' : unitName(pending),
});

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'relation-joined',
    kind: 'relation-joined',
    files: { [DIR]: null },
    before: st({}),
    hook: unitHook('relation-joined', ID, UNIT, changeVersion(5)),
  },
  {
    name: 'relation-joined over a stray temp file',
    kind: 'relation-joined',
    files: { [`${DIR}/${FILE}.preparing`]: 'change-version: 123456789\nchanged-pending: true\n' },
    before: st({}),
    hook: unitHook('relation-joined', ID, UNIT, changeVersion(5)),
  },
  {
    name: 'relation-changed',
    kind: 'relation-changed',
    files: { [`${DIR}/${FILE}`]: 'change-version: 5\nchanged-pending: true\n' },
    before: st({ [UNIT]: 5n }, UNIT),
    hook: unitHook('relation-changed', ID, UNIT, changeVersion(6)),
  },
  {
    name: 'relation-departed',
    kind: 'relation-departed',
    files: { [`${DIR}/${FILE}`]: 'change-version: 6\n' },
    before: st({ [UNIT]: 6n }),
    hook: unitHook('relation-departed', ID, UNIT, changeVersion(6)),
  },
  {
    name: 'relation-broken',
    kind: 'relation-broken',
    files: { [DIR]: null },
    before: st({}),
    hook: brokenHook(ID),
  },
];

export type Verdict = 'before' | 'after' | 'other' | 'error';

export interface CrashRow {
  readonly scenario: string;
  /** The files under the relation directory (or that it is missing). */
  readonly disk: string;
  /** The first cut point (calls completed) that leaves this disk, and its lost changes. */
  readonly firstCompleted: number;
  readonly lost: readonly string[];
  /** Whether this disk is also possible after the write returned success. */
  readonly afterReturn: boolean;
  readonly verdict: Verdict;
  readonly recovered: string;
  readonly survives: boolean;
}

export interface CrashTableOptions {
  /** Leave these calls out of the write (to show why they are there). */
  readonly drop?: readonly FsCall[];
}

const describeFile = (text: string): string => {
  if (text === '') return 'empty';
  const m = /^change-version: (-?\d+)\n(changed-pending: true\n)?$/.exec(text);
  if (m !== null) return `v${m[1]}${m[2] === undefined ? '' : ' pending'}`;
  return JSON.stringify(text);
};

const describeDisk = (image: Image): string => {
  if (!image.dirs.has(DIR)) return '(no directory)';
  const entries = Object.entries(imageFiles(image))
    .filter(([p]) => p.startsWith(`${DIR}/`))
    .map(
      ([p, text]) => `${p.slice(DIR.length + 1)}: ${text === null ? 'dir' : describeFile(text)}`,
    );
  return entries.length === 0 ? '(empty directory)' : entries.join(', ');
};

/** The relation as recovery sees it: its state, or absent when the directory is gone. */
const view = (s: State | undefined): string => {
  if (s === undefined || s.members === null) return 'absent';
  const members = [...s.members].map(([u, v]) => `${u}=${v}`).join(' ');
  return `{${members}}${s.changedPending === '' ? '' : ` pending ${s.changedPending}`}`;
};

const sameView = (a: State | undefined, b: State | undefined): boolean =>
  a === undefined || b === undefined || a.members === null || b.members === null
    ? view(a) === view(b)
    : stateEquals(a, b);

/** Runs one scenario's write on its initial disk and records the calls. */
const traceOf = (scenario: Scenario, drop: ReadonlySet<FsCall>) => {
  const initial = imageFromFiles(scenario.files);
  const rec = withRecorder(imageFs(cloneImage(initial)));
  const result = writeHook(rec.port, DIR, scenario.before, scenario.hook);
  if (E.isLeft(result)) throw new Error(`scenario ${scenario.name}: ${result.left.error.message}`);
  return { initial, calls: rec.calls().filter((c) => !drop.has(c.call)), after: result.right };
};

export const crashTable = (options: CrashTableOptions = {}): CrashRow[] => {
  const drop = new Set(options.drop ?? []);
  const rows: CrashRow[] = [];
  for (const scenario of SCENARIOS) {
    const { initial, calls, after } = traceOf(scenario, drop);
    const seen = new Map<string, CrashRow>();
    for (const crash of crashImages(initial, calls)) {
      const disk = describeDisk(crash.image);
      const afterReturn = crash.completed === calls.length;
      const existing = seen.get(disk);
      if (existing !== undefined) {
        if (afterReturn && !existing.afterReturn) seen.set(disk, { ...existing, afterReturn });
        continue;
      }
      const read = readAllStateDirs(imageFs(cloneImage(crash.image)), BASE);
      let verdict: Verdict;
      let recovered: string;
      if (E.isLeft(read)) {
        verdict = 'error';
        recovered = read.left.message;
      } else {
        const got = read.right.get(ID)?.state;
        recovered = view(got);
        verdict = sameView(got, after)
          ? 'after'
          : sameView(got, scenario.before)
            ? 'before'
            : 'other';
      }
      seen.set(disk, {
        scenario: scenario.name,
        disk,
        firstCompleted: crash.completed,
        lost: crash.lost,
        afterReturn,
        verdict,
        recovered,
        survives: verdict === 'before' || verdict === 'after',
      });
    }
    rows.push(...seen.values());
  }
  return rows;
};

const cell = (s: string) => s.replaceAll('|', '\\|');

/** The table as Markdown, one row per distinct crash state. */
export const crashTableMarkdown = (rows: readonly CrashRow[]): string => {
  const lines = [
    '| hook | crash state (files in `7/`) | first reachable (calls done; lost) | recovery reads | survives? |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const when = `${r.firstCompleted}${r.lost.length === 0 ? '' : `; lost ${r.lost.join(', ')}`}`;
    const outcome =
      r.verdict === 'error'
        ? `error: ${r.recovered}`
        : `${r.verdict}: ${r.recovered}${r.verdict === 'before' && r.afterReturn ? ' (also after the write returned: the hook runs again)' : ''}`;
    lines.push(
      `| ${cell(r.scenario)} | ${cell(r.disk)} | ${cell(when)} | ${cell(outcome)} | ${r.survives ? 'yes' : '**no**'} |`,
    );
  }
  return `${lines.join('\n')}\n`;
};
