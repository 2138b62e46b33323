/**
 * One system call as `strace -f -xx -y -o <file>` wrote it. With `-xx`
 * every string and every `-y` path annotation is hex (`\x2f\x74`), so
 * arguments split on `, ` without ambiguity.
 */
export interface Syscall {
  /** Position in the log (entry order). */
  readonly seq: number;
  readonly tid: number;
  readonly name: string;
  /** Raw argument texts. */
  readonly args: readonly string[];
  /** Raw return text: `0`, `18<\x2f...>`, `-1 EIO (...)`, or `?` (never returned). */
  readonly ret: string;
  /** strace changed the outcome (`(INJECTED)`). */
  readonly injected: boolean;
}

const LINE = /^(\d+)\s+(.*)$/;
const CALL = /^([a-z_0-9]+)\((.*)$/;
const RESUMED = /^<\.\.\. ([a-z_0-9]+) resumed>(.*)$/;

/** Splits `args) = ret` into the argument text and the return text. */
const splitTail = (tail: string): { args: string; ret: string } | undefined => {
  const m = /\)\s+=\s+(.*)$/.exec(tail);
  if (m === null || m.index === undefined) return undefined;
  // The last `) = ` is the end of the arguments (hex strings hold no `)`).
  const at = tail.lastIndexOf(') = ');
  const cut = at === -1 ? m.index : at;
  return { args: tail.slice(0, cut), ret: tail.slice(cut).replace(/^\)\s+=\s+/, '') };
};

/** Top-level comma split (brackets and braces nest; strings are hex). */
const splitArgs = (text: string): string[] => {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"') inString = !inString;
    if (inString) continue;
    if (c === '[' || c === '{' || c === '(' || c === '<') depth += 1;
    else if (c === ']' || c === '}' || c === ')' || c === '>') depth -= 1;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== '' || out.length > 0) out.push(last);
  return out;
};

/**
 * Every call of the log, in entry order. Unfinished calls are joined with
 * their resumption; signal and exit lines are skipped.
 */
export const parseStraceLog = (text: string): Syscall[] => {
  const calls: Syscall[] = [];
  const open = new Map<number, { index: number; name: string; head: string }>();
  let seq = 0;
  const finish = (tid: number, name: string, argsText: string, retText: string, at?: number) => {
    const injected = retText.includes('(INJECTED)');
    const call: Syscall = {
      seq: 0,
      tid,
      name,
      args: splitArgs(argsText),
      ret: retText.replace(/\s*\(INJECTED\)\s*$/, '').trim(),
      injected,
    };
    if (at === undefined) calls.push({ ...call, seq: seq++ });
    else calls[at] = { ...call, seq: (calls[at] as Syscall).seq };
  };
  for (const raw of text.split('\n')) {
    const line = LINE.exec(raw);
    if (line === null) continue;
    const tid = Number(line[1]);
    const body = line[2] as string;
    const resumed = RESUMED.exec(body);
    if (resumed !== null) {
      const pending = open.get(tid);
      if (pending === undefined) continue;
      open.delete(tid);
      const tail = splitTail(pending.head + (resumed[2] as string));
      finish(tid, pending.name, tail?.args ?? pending.head, tail?.ret ?? '?', pending.index);
      continue;
    }
    const call = CALL.exec(body);
    if (call === null) continue;
    const name = call[1] as string;
    const rest = call[2] as string;
    if (rest.endsWith('<unfinished ...>')) {
      const head = rest.slice(0, -'<unfinished ...>'.length).trimEnd();
      // A placeholder keeps the entry order; the resumption fills it in.
      calls.push({ seq: seq++, tid, name, args: splitArgs(head), ret: '?', injected: false });
      open.set(tid, { index: calls.length - 1, name, head });
      continue;
    }
    const tail = splitTail(rest);
    if (tail === undefined) {
      // Killed inside the call: `name(args) = ?` has a tail; a bare line has none.
      finish(tid, name, rest.replace(/\)\s*$/, ''), '?');
      continue;
    }
    finish(tid, name, tail.args, tail.ret);
  }
  return calls;
};

/** Decodes strace's `\xHH` escapes (and plain characters) into bytes. */
export const unhex = (text: string): Uint8Array => {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '\\' && text[i + 1] === 'x') {
      bytes.push(Number.parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (text[i] === '\\' && i + 1 < text.length) {
      const c = text[i + 1] as string;
      const map: Record<string, number> = { n: 10, t: 9, r: 13, '\\': 92, '"': 34 };
      bytes.push(map[c] ?? c.charCodeAt(0));
      i += 1;
    } else bytes.push(text.charCodeAt(i));
  }
  return Uint8Array.from(bytes);
};

const utf8 = new TextDecoder();

/** The bytes of a quoted string argument (`"\x2f..."`), or undefined. */
export const stringArg = (arg: string | undefined): Uint8Array | undefined => {
  if (arg === undefined) return undefined;
  const m = /^"(.*)"(\.\.\.)?$/.exec(arg);
  return m === null ? undefined : unhex(m[1] as string);
};

/** A quoted path argument as text. */
export const pathArg = (arg: string | undefined): string | undefined => {
  const bytes = stringArg(arg);
  return bytes === undefined ? undefined : utf8.decode(bytes);
};

/** The `-y` annotation of an fd argument or return (`18<\x2f...>`, `AT_FDCWD<...>`). */
export const fdPath = (text: string | undefined): string | undefined => {
  if (text === undefined) return undefined;
  const m = /^[^<]*<(.*)>$/.exec(text.trim());
  return m === null ? undefined : utf8.decode(unhex(m[1] as string));
};

/** The numeric part of an fd argument or return value. */
export const fdNumber = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const m = /^(-?\d+)/.exec(text.trim());
  return m === null ? undefined : Number(m[1]);
};

/** Whether the call returned successfully (not `-1 E...`, not `?`). */
export const succeeded = (call: Syscall): boolean =>
  call.ret !== '?' && !/^-1\s/.test(call.ret) && call.ret !== '-1';

/** The errno name of a failed call (`EIO`), if any. */
export const errnoOf = (call: Syscall): string | undefined =>
  /^-1\s+([A-Z0-9]+)/.exec(call.ret)?.[1];
