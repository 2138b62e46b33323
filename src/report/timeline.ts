import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Counterexample } from '../conform/counterexample.ts';
import { snapshotFilesSync } from '../conform/files.ts';
import { referenceExtraOps } from '../conform/reference.ts';
import { abstractBase, substitute } from '../fixtures/base.ts';
import { createFiles } from '../fixtures/files.ts';
import type { Files, Request, Response } from '../fixtures/fixture.ts';
import { parseJson, stringifyJson } from '../model/json.ts';
import { createReferenceSession, handleLine, isPromise, type Session } from '../protocol/index.ts';
import type { HookSource } from '../schedule/source.ts';

/**
 * A counterexample step by step, as the reference lives it: after each
 * request, the watcher's view (what the changes sent to each live source
 * add up to), each source's queue and changedPending, the files on disk,
 * and the hook offered, Validate's verdict or the hook committed. The
 * reference is replayed in-process on a temporary base; only what the
 * implementation answered comes from the counterexample.
 */

export interface QueuedHook {
  readonly unit: string;
  readonly kind: string;
}

export interface SourceView {
  readonly name: string;
  readonly kind: 'live' | 'dying' | 'list';
  /** Live: whether the first change has been applied. */
  readonly started: boolean;
  /** Hooks in the order they will be offered (live: the queue; list: what is left). */
  readonly queue: readonly QueuedHook[];
  readonly changedPending: string;
}

export interface TimelineStep {
  readonly n: number;
  readonly request: Request;
  readonly note: string;
  readonly expected: Response;
  /** What the implementation answered; null: nothing (it died or hung); undefined: not recorded. */
  readonly got: Response | null | undefined;
  readonly failing: boolean;
  /** Units the watcher reported present, per live source: unit -> version. */
  readonly watcher: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly sources: readonly SourceView[];
  readonly files: Files;
  readonly event?: {
    readonly what: 'change' | 'offered' | 'verdict' | 'committed';
    readonly text: string;
  };
}

export interface Timeline {
  readonly initialFiles: Files;
  readonly steps: readonly TimelineStep[];
}

const hookText = (hook: unknown): string => {
  const h = hook as { kind?: string; remoteUnit?: string; changeVersion?: unknown };
  const unit = h.remoteUnit === '' || h.remoteUnit === undefined ? '' : ` ${h.remoteUnit}`;
  return `${h.kind ?? '?'}${unit}${h.kind === 'relation-broken' ? '' : ` v${String(h.changeVersion)}`}`;
};

const viewOf = (name: string, s: HookSource, dying: boolean): SourceView => {
  if (s._tag === 'ListSource') {
    return {
      name,
      kind: dying ? 'dying' : 'list',
      started: true,
      queue: s.hooks.slice(s.position).map((h) => ({ unit: h.remoteUnit, kind: h.kind })),
      changedPending: '',
    };
  }
  const queue: QueuedHook[] = [];
  for (const [, unit] of s.queue.entries()) {
    const entry = s.units.get(unit);
    queue.push({ unit, kind: entry?.pending ?? '?' });
  }
  return { name, kind: 'live', started: s.started, queue, changedPending: s.changedPending };
};

const eventOf = (request: Request, response: Response): TimelineStep['event'] => {
  if (!response.ok) return undefined;
  const r = response.result;
  switch (request.op) {
    case 'source.update': {
      const change = request.change as { changed?: object; departed?: unknown[] } | undefined;
      const changed = Object.keys(change?.changed ?? {}).join(', ');
      const departed = (change?.departed ?? []).join(', ');
      return {
        what: 'change',
        text: `changed [${changed}] departed [${departed}]${typeof r.error === 'string' ? ' refused' : ''}`,
      };
    }
    case 'source.next':
      return r.hook === undefined ? undefined : { what: 'offered', text: hookText(r.hook) };
    case 'validate':
      return {
        what: 'verdict',
        text: r.valid === true ? `valid: ${hookText(request.hook)}` : `refused: ${String(r.error)}`,
      };
    case 'statedir.write':
      return typeof r.error === 'string'
        ? { what: 'committed', text: `write failed: ${r.error}` }
        : { what: 'committed', text: hookText(request.hook) };
    default:
      return undefined;
  }
};

/** The watcher's view after a request: a new live source starts empty; a change moves it. */
const nextWatcher = (
  watcher: Record<string, Record<string, string>>,
  request: Request,
  response: Response,
): Record<string, Record<string, string>> => {
  const source = request.source;
  if (typeof source !== 'string') return watcher;
  if (request.op === 'source.live') return { ...watcher, [source]: {} };
  if (request.op === 'source.stop') {
    const { [source]: _gone, ...rest } = watcher;
    return rest;
  }
  if (request.op !== 'source.update' || !response.ok || typeof response.result.error === 'string') {
    return watcher;
  }
  const change = request.change as
    | { changed?: Record<string, { version?: unknown }>; departed?: string[] }
    | undefined;
  const view = { ...(watcher[source] ?? {}) };
  for (const unit of change?.departed ?? []) delete view[unit];
  for (const [unit, v] of Object.entries(change?.changed ?? {})) view[unit] = String(v.version);
  return { ...watcher, [source]: view };
};

/** Replay the counterexample's requests on the reference and keep what each step leaves. */
export const buildTimeline = async (c: Counterexample): Promise<Timeline> => {
  const base = await realpath(await mkdtemp(join(tmpdir(), 'relspec-report-')));
  try {
    const initialFiles = c.fixture.initialFiles ?? {};
    await createFiles(base, initialFiles);
    let session: Session = createReferenceSession(referenceExtraOps());
    let watcher: Record<string, Record<string, string>> = {};
    // The dying source is a list source inside: which names were made by source.dying.
    const dying = new Set<string>();
    const last = c.mismatch.step ?? c.fixture.steps.length;
    const steps: TimelineStep[] = [];
    for (const [i, step] of c.fixture.steps.slice(0, last).entries()) {
      const line = stringifyJson({ id: i + 1, ...(substitute(step.request, base) as object) });
      const pending = handleLine(session, line);
      const answered = isPromise(pending) ? await pending : pending;
      session = answered.session;
      const name = step.request.source;
      if (typeof name === 'string' && step.request.op.startsWith('source.')) {
        if (step.request.op === 'source.dying') dying.add(name);
        if (step.request.op === 'source.live' || step.request.op === 'source.list')
          dying.delete(name);
      }
      const parsed = parseJson(answered.line);
      const raw = parsed._tag === 'Right' ? (parsed.right as Record<string, unknown>) : {};
      const { id: _id, ...response } = abstractBase(raw, base) as Record<string, unknown>;
      const live = response as Response;
      watcher = nextWatcher(watcher, step.request, live);
      const event = eventOf(step.request, step.response);
      steps.push({
        n: i + 1,
        request: step.request,
        note: step.note ?? '',
        expected: step.response,
        got: c.got[i],
        failing: i + 1 === c.mismatch.step,
        watcher,
        // The session runs the pure engine (no engine given): its sources are HookSources.
        sources: [...session.sources.entries()].map(([n, s]) =>
          viewOf(n, s as HookSource, dying.has(n)),
        ),
        files: abstractBase(snapshotFilesSync(base), base) as Files,
        ...(event === undefined ? {} : { event }),
      });
    }
    return { initialFiles, steps };
  } finally {
    await rm(base, { recursive: true, force: true });
  }
};
