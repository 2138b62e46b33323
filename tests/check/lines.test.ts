import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { check } from '../../properties/config.ts';
import { checkTraceChunks, checkTraceText } from '../../src/check/checker.ts';
import { byteLines } from '../../src/check/lines.ts';
import { fileChunks } from '../../src/check/read.ts';
import { syntheticTrace, traceLine } from '../../src/check/synthetic.ts';

// Reading a trace as bytes: lines split at LF wherever the chunks are cut
// (inside a line, inside a CRLF, inside a multi-byte character), a last
// line without LF, lines far longer than a chunk or the gathering buffer,
// and the verdicts and messages the text path gives.

const tmp = mkdtempSync(join(tmpdir(), 'relspec-check-lines-'));

/** The lines byteLines hands over for `bytes` cut at `cuts`, as text. */
const split = (bytes: Buffer, cuts: readonly number[], initial?: number): string[] => {
  const out: string[] = [];
  const lines = byteLines((b, start, end) => {
    out.push(b.toString('utf8', start, end));
    return true;
  }, initial);
  let from = 0;
  for (const at of [...cuts, bytes.length]) {
    // A copy in a buffer of its own that is then spoilt: the splitter must not keep chunks.
    const chunk = Buffer.from(bytes.subarray(from, at));
    lines.push(chunk);
    chunk.fill(0x78);
    from = at;
  }
  lines.end();
  return out;
};

/** What the lines of `text` are: every LF ends one, and a last line without LF is one too. */
const expected = (text: string): string[] => {
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
};

/** `bytes` in chunks cut at `cuts`, as an async source of Uint8Array. */
async function* cut(bytes: Uint8Array, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let from = 0;
  for (const at of [...cuts, bytes.length]) {
    yield new Uint8Array(bytes.subarray(from, at));
    from = at;
  }
}

const piece = fc.constantFrom('a', '{"x":1}', '\r', '\n', '\r\n', 'é', '😀', '\u3000', ' ', '');

test('lines are the same wherever the chunks are cut', () => {
  const seen = { insideCharacter: 0, gathered: 0 };
  check(
    fc.property(
      fc.array(piece, { maxLength: 30 }).map((ps) => ps.join('')),
      fc.array(fc.nat(), { maxLength: 6 }),
      fc.constantFrom(1, 4, 1 << 16),
      (text, raw, initial) => {
        const bytes = Buffer.from(text, 'utf8');
        const cuts = [...new Set(raw.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        for (const c of cuts) {
          const byte = bytes[c];
          if (byte !== undefined && byte >= 0x80 && byte < 0xc0) seen.insideCharacter++;
        }
        const lines = split(bytes, cuts, initial);
        if (lines.some((l) => l.length > initial)) seen.gathered++;
        assert.equal(lines, expected(text));
      },
    ),
    1000,
  );
  assert.ok(seen.insideCharacter > 50, `cuts inside a character: ${seen.insideCharacter}`);
  assert.ok(seen.gathered > 50, `lines longer than the buffer: ${seen.gathered}`);
});

test('every cut of a CRLF trace with a last line without LF gives the text verdict', async () => {
  const lines: string[] = [];
  for (const e of syntheticTrace(40, 3)) lines.push(traceLine(e));
  const text = lines.join('\r\n');
  const whole = checkTraceText(text);
  assert.is(whole._tag, 'Conforms');
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at <= bytes.length; at++) {
    assert.equal(await checkTraceChunks(cut(bytes, [at])), whole, `cut at ${at}`);
  }
});

test('a malformed line with multi-byte characters: the same message at every cut', async () => {
  const start = '{"type":"start","state":{"relationId":7,"members":{},"changedPending":""}}';
  const text = `${start}\n\u00a0\u3000\n{"type":"hook","hook":{"kind":"relation-joined","relationId":7,"remoteUnit":"é😀/0","changeVersion":1}}\n{"type":"idle"}\n`;
  const whole = checkTraceText(text);
  assert.is(whole._tag, 'Malformed');
  assert.match(whole._tag === 'Malformed' ? whole.message : '', /^line 3: .*é😀\/0/);
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at <= bytes.length; at++) {
    for (const second of [at + 1, at + 3]) {
      const cuts = second <= bytes.length ? [at, second] : [at];
      assert.equal(await checkTraceChunks(cut(bytes, cuts)), whole, `cuts at ${cuts}`);
    }
  }
});

test('a line far longer than a chunk, read from a file in small chunks', async () => {
  const members = Array.from({ length: 5000 }, (_, i) => `"u-x/${i}":${i}`).join(',');
  const start = `{"type":"start","state":{"relationId":7,"members":{${members}},"changedPending":""}}`;
  const file = join(tmp, 'long.jsonl');
  writeFileSync(file, `${start}\n{"type":"change","change":{"departed":"a/0"}}\n`);
  const text = checkTraceText(`${start}\n{"type":"change","change":{"departed":"a/0"}}\n`);
  assert.is(text._tag, 'Malformed');
  for (const size of [7, 4096, 1 << 20]) {
    assert.equal(await checkTraceChunks(fileChunks(file, size)), text, `chunks of ${size}`);
  }
});

test('a line that decides the trace stops the reading', async () => {
  let handed = 0;
  const lines = byteLines(() => ++handed < 2);
  assert.ok(lines.push(Buffer.from('a\nb\nc\n')) === false);
  assert.ok(lines.push(Buffer.from('d\n')) === false);
  assert.ok(lines.end() === false);
  assert.is(handed, 2);
});

test('relspec check on a file of several chunks names the line, counting from 1', () => {
  const lines: string[] = [];
  for (const e of syntheticTrace(30_000, 2)) lines.push(traceLine(e));
  const at = lines.length - 5;
  lines[at] = '{"type":"idle"';
  const file = join(tmp, 'big.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const r = spawnSync(process.execPath, ['bin/relspec.js', 'check', file], { encoding: 'utf8' });
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stdout, `${file}: malformed trace: line ${at + 1}: not JSON`);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));

test.run();
