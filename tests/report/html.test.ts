import { existsSync } from 'node:fs';
import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Locator } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalText } from '../../src/fixtures/canonical.ts';
import { stringifyJsonPretty } from '../../src/model/json.ts';
import { runReport } from '../../src/report/command.ts';
import { runDocument } from '../../src/report/document.ts';
import { idTexts } from '../../src/report/ruleText.ts';
import { mutantRun } from './shared.ts';

// The HTML timeline of a real failure, opened in headless Chromium with
// scripts off and the network offline: the failing step, the clause and
// rule ids and both answers must be on screen, and the page must need
// nothing but itself. Chromium is Debian's package (.ci/run installs it).

const CHROMIUM = process.env.RELSPEC_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The text as rendered on screen (what a person sees), not the DOM's raw text. */
// biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point
const shown = (l: Locator): Promise<string> => l.innerText();

const dir = await mkdtemp(join(tmpdir(), 'relspec-report-html-'));

test('chromium is installed (apt-get install chromium), so the timeline can be checked', () => {
  assert.ok(
    existsSync(CHROMIUM),
    `chromium not found at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) or set RELSPEC_CHROMIUM; the HTML report is NOT checked`,
  );
});

const response = (r: { ok: boolean; result?: unknown; error?: unknown } | null | undefined) =>
  r === null || r === undefined
    ? ''
    : r.ok
      ? canonicalText(r.result)
      : `protocol error ${JSON.stringify(r.error)}`;

for (const fixtures of [false, true]) {
  const which = fixtures ? 'a golden fixture' : 'the generated phases';
  test(`the timeline of a failure found by ${which} shows the failing step, the clause and both answers`, async () => {
    if (!existsSync(CHROMIUM)) assert.unreachable(`chromium missing at ${CHROMIUM}`);
    const run = await mutantRun(fixtures);
    const doc = runDocument(run.options, run.result);
    const runPath = join(dir, `run-${fixtures}.json`);
    await writeFile(runPath, stringifyJsonPretty(doc));
    const htmlPath = join(dir, `timeline-${fixtures}.html`);
    const out: string[] = [];
    const code = await runReport(
      runPath,
      { html: htmlPath, failure: '1' },
      (l) => out.push(l),
      (l) => out.push(l),
    );
    assert.is(code, 0, out.join('\n'));
    const failure = doc.failures[0];
    const c = failure?.counterexample;
    assert.ok(failure !== undefined && c !== null && c !== undefined);
    if (failure === undefined || c === null || c === undefined) return;
    const step = c.mismatch.step as number;
    const expected = response(c.fixture.steps[step - 1]?.response);
    const got = response(c.got[step - 1]);

    const profile = await mkdtemp(join(dir, 'profile-'));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      javaScriptEnabled: false,
      offline: true,
      viewport: { width: 1280, height: 800 },
    });
    try {
      const page = await browser.newPage();
      const requested: string[] = [];
      page.on('request', (r) => requested.push(r.url()));
      await page.goto(pathToFileURL(htmlPath).href);
      const shot = join(dir, `timeline-${fixtures}.png`);
      await page.screenshot({ path: shot });
      console.log(`  timeline ${htmlPath}, screenshot ${shot}`);
      assert.ok((await stat(shot)).size > 10_000, 'the screenshot shows something');
      assert.equal(
        requested.filter((u) => !u.startsWith('file:')),
        [],
        'the page loads nothing from the network',
      );

      // At the top, in the first screen: where it fails, the ids, both answers.
      const viewport = { width: 1280, height: 800 };
      for (const selector of ['#failing-step', '#ids', '#expected', '#got']) {
        const box = await page.locator(selector).boundingBox();
        assert.ok(
          box !== null && box.y + box.height <= viewport.height,
          `${selector} on the first screen`,
        );
      }
      assert.match(await shown(page.locator('#failing-step')), `step ${step}`);
      assert.is(await shown(page.locator('#expected')), expected);
      assert.is(await shown(page.locator('#got')), got);
      assert.ok(expected !== got);
      const ids = await page.locator('#ids a.id').allInnerTexts();
      for (const id of failure.ids) assert.ok(ids.includes(id), `${id} in ${ids.join(' ')}`);
      assert.ok(ids.includes('R-DYING-ORDER'));

      // Each id links to its text on the page.
      const texts = idTexts();
      for (const id of ids) {
        const target = page.locator(`dt[id="id-${id}"] + dd`);
        assert.is(await shown(target), texts.get(id) ?? '(no text)', id);
      }

      // The timeline row of the failing step, highlighted, with both answers.
      const row = page.locator('tr.failing');
      assert.is(await row.count(), 1);
      assert.is(await row.getAttribute('id'), `step-${step}`);
      assert.is(await shown(row.locator('[data-role="expected"]')), expected);
      assert.is(await shown(row.locator('[data-role="got"]')), got);
      assert.is(
        await page.locator('tbody tr').count(),
        step,
        'one row per step up to the failing one',
      );
      // The dying source's queue is drawn, with the unit the reference offers next.
      const want = c.fixture.steps[step - 1]?.response as {
        result?: { hook?: { remoteUnit?: string } };
      };
      const unit = want.result?.hook?.remoteUnit ?? '?';
      assert.ok((await shown(row.locator('ol.q'))).includes(`relation-departed ${unit}`), unit);
    } finally {
      await browser.close();
    }
  });
}

test.run();
