import { canonicalText } from '../fixtures/canonical.ts';
import type { Files, Response } from '../fixtures/fixture.ts';
import type { FailureRecord } from './document.ts';
import type { SourceView, Timeline, TimelineStep } from './timeline.ts';

/**
 * A failing scenario as one self-contained HTML page: no script, no
 * network, every style inline. The failing step, what was expected and
 * what came instead are at the top and again, highlighted, in the
 * timeline; every clause and rule id links to its text at the bottom.
 */

export interface PageInput {
  readonly implementation: string;
  readonly level: string;
  readonly seed: number;
  readonly failure: FailureRecord;
  readonly timeline: Timeline;
  /** id -> text, for the ids the page names. */
  readonly texts: ReadonlyMap<string, string>;
}

const html = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const anchor = (id: string) => `id-${id.replace(/[^A-Za-z0-9-]/g, '_')}`;

const idLink = (id: string) => `<a class="id" href="#${anchor(id)}">${html(id)}</a>`;

const showResponse = (r: Response | null | undefined): string =>
  r === undefined
    ? '(not recorded)'
    : r === null
      ? '(no answer)'
      : r.ok
        ? canonicalText(r.result)
        : `protocol error ${JSON.stringify(r.error)}`;

const showRequest = (request: TimelineStep['request']): string => {
  const { op: _op, ...rest } = request;
  return canonicalText(rest);
};

const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#111;background:#fff}
h1{font-size:1.4em;margin:0 0 .3em}h2{font-size:1.15em;margin:1.2em 0 .4em}
code,pre,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
pre{white-space:pre-wrap;word-break:break-all;margin:0}
.meta{color:#444}
.failure{border:2px solid #c00;background:#fff4f4;padding:.6em 1em;border-radius:6px}
.answers{display:grid;grid-template-columns:1fr 1fr;gap:1em;margin-top:.6em}
.answers>div{padding:.4em .6em;border-radius:4px}
.expected{background:#e9f7ec;border:1px solid #3a3}.got{background:#fde8e8;border:1px solid #c33}
a.id{font-family:ui-monospace,monospace;background:#eef;border:1px solid #99c;border-radius:3px;padding:0 .25em;text-decoration:none;color:#115}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccc;padding:.25em .4em;vertical-align:top;text-align:left}
th{background:#f2f2f2;position:sticky;top:0}
tr.failing td{background:#fde8e8;border-top:2px solid #c00;border-bottom:2px solid #c00}
.ev{display:inline-block;border-radius:3px;padding:0 .3em;margin:.1em 0}
.ev.change{background:#e6f0ff}.ev.offered{background:#fff3cd}.ev.verdict{background:#efe6ff}.ev.committed{background:#e2f5e2}
.note{color:#666;font-size:12px}
td.ans{min-width:18em}td.expected,td.got{min-width:12em}
.q{margin:0;padding-left:1.1em}.unchanged{color:#999}
dl.ids dt{font-family:ui-monospace,monospace;font-weight:bold;margin-top:.4em}dl.ids dd{margin:0 0 0 1.5em}
dl.ids dt:target+dd,dl.ids dt:target{background:#fff3cd}
`;

const watcherCell = (w: TimelineStep['watcher']): string => {
  const entries = Object.entries(w);
  if (entries.length === 0) return '<span class="unchanged">(no live source)</span>';
  return entries
    .map(([source, view]) => {
      const units = Object.entries(view).map(([u, v]) => `${u}=${v}`);
      return `<div class="mono">${html(source)}: {${html(units.join(', '))}}</div>`;
    })
    .join('');
};

const sourceCell = (sources: readonly SourceView[]): string => {
  if (sources.length === 0) return '<span class="unchanged">(none)</span>';
  return sources
    .map((s) => {
      const head =
        s.kind === 'live'
          ? `${s.name} (live${s.started ? '' : ', before its first change'})`
          : `${s.name} (${s.kind})`;
      const queue =
        s.queue.length === 0
          ? '<div class="unchanged">queue empty</div>'
          : `<ol class="q">${s.queue.map((h) => `<li class="mono">${html(h.kind)} ${html(h.unit)}</li>`).join('')}</ol>`;
      const pending =
        s.kind === 'live'
          ? `<div class="mono">changedPending: ${html(s.changedPending === '' ? '""' : s.changedPending)}</div>`
          : '';
      return `<div><b>${html(head)}</b>${pending}${queue}</div>`;
    })
    .join('');
};

const filesText = (files: Files): string => {
  const entries = Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return '(nothing)';
  return entries
    .map(([path, content]) =>
      content === null ? `${path}/` : `${path}: ${content.trim().replace(/\n/g, '; ')}`,
    )
    .join('\n');
};

const row = (step: TimelineStep, previousFiles: Files): string => {
  const files = filesText(step.files);
  const same = files === filesText(previousFiles);
  const event =
    step.event === undefined
      ? ''
      : `<span class="ev ${step.event.what}">${html(step.event.what)}: ${html(step.event.text)}</span>`;
  const answers = step.failing
    ? `<td class="expected"><pre data-role="expected">${html(showResponse(step.expected))}</pre></td><td class="got"><pre data-role="got">${html(showResponse(step.got))}</pre></td>`
    : `<td colspan="2" class="ans"><pre>${html(showResponse(step.expected))}</pre></td>`;
  return `<tr id="step-${step.n}"${step.failing ? ' class="failing"' : ''}>
<td>${step.failing ? '&#10007; ' : ''}${step.n}</td>
<td><code>${html(step.request.op)}</code> <span class="mono">${html(showRequest(step.request))}</span><div class="note">${html(step.note)}</div></td>
<td>${event}</td>
${answers}
<td>${watcherCell(step.watcher)}</td>
<td>${sourceCell(step.sources)}</td>
<td>${same ? '<span class="unchanged">unchanged</span>' : `<pre>${html(files)}</pre>`}</td>
</tr>`;
};

export const renderPage = (p: PageInput): string => {
  const f = p.failure;
  const c = f.counterexample;
  const failing = p.timeline.steps.find((s) => s.failing);
  const ids = [...new Set([...(c?.clause !== undefined ? [c.clause.id] : []), ...f.ids])];
  const message = c?.mismatch.message ?? f.lines[0] ?? '';
  const kind = c?.mismatch.kind;
  // Guarantees level: the implementation's own run breaks a clause; there is no one step to set beside.
  const expected =
    failing !== undefined
      ? showResponse(failing.expected)
      : kind === 'files'
        ? filesText(c?.fixture.expectedFiles ?? {})
        : ids.map((id) => `${id}: ${p.texts.get(id) ?? ''}`).join('\n') || '(see the ids)';
  const got =
    failing !== undefined
      ? kind === 'runner'
        ? message
        : showResponse(failing.got)
      : (c?.mismatch.message ?? '');
  const where =
    failing !== undefined
      ? `at <a href="#step-${failing.n}">step ${failing.n}</a> (<code>${html(failing.request.op)}</code>)`
      : kind === 'files'
        ? 'in the files on disk after the last step'
        : 'in the run as a whole';
  let previous: Files = p.timeline.initialFiles;
  const rows: string[] = [];
  for (const step of p.timeline.steps) {
    rows.push(row(step, previous));
    previous = step.files;
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>relspec counterexample: ${html(f.phase)}, ${html(ids.join(' '))}</title>
<style>${CSS}</style></head>
<body>
<h1>Counterexample (${html(f.phase)}): ${f.steps ?? p.timeline.steps.length} protocol steps</h1>
<p class="meta">implementation <code>${html(p.implementation)}</code> &middot; level ${html(p.level)} &middot; seed ${p.seed}${f.stepsBefore !== null ? ` &middot; first failing scenario: ${f.stepsBefore} steps` : ''}</p>
<section class="failure" id="failure">
<p id="failing-step"><b>Fails ${where}</b>: <span id="mismatch">${html((message.split('\n')[0] ?? '').replace(/^step \d+: /, ''))}</span></p>
${c?.clause !== undefined ? `<p id="clause">Clause ${idLink(c.clause.id)} broken: ${html(c.clause.explanation)}</p>` : ''}
<p id="ids">Broken ids: ${ids.map(idLink).join(' ')}</p>
<div class="answers">
<div class="expected"><b>expected (reference)</b><pre id="expected">${html(expected)}</pre></div>
<div class="got"><b>got (implementation)</b><pre id="got">${html(got)}</pre></div>
</div>
</section>
<h2>Timeline</h2>
<p class="meta">Each row is one protocol request and what it leaves behind on the reference: the watcher's view (the changes sent so far), each source's queue and changedPending, the files on disk. Initial files: ${html(filesText(p.timeline.initialFiles))}</p>
<table>
<thead><tr><th>#</th><th>request</th><th>event</th><th colspan="2">answer (expected / got)</th><th>watcher view</th><th>sources: queue, changedPending</th><th>files on disk</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
<h2>Ids</h2>
<dl class="ids">
${ids.map((id) => `<dt id="${anchor(id)}">${html(id)}</dt><dd>${html(p.texts.get(id) ?? '(no text)')}</dd>`).join('\n')}
</dl>
</body></html>
`;
};
