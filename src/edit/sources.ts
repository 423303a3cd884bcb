// Which files a startup file pulls in with a literal `source FILE` or `. FILE`, so the static model
// (status without --verify) meets a definition in ~/.bash_aliases, ~/.localrc or ~/.zshrc.local at
// the point where the startup file sources it. Pure: texts in, reading order out. Only what can be
// known without running anything is followed: a path made of literal text, `~`, $HOME, and the
// variables the caller or an earlier literal assignment make known; a glob, a command substitution
// or an unknown variable leaves the line out (the trace in src/trace.ts asks the shell itself).
import { POSIX_MARKERS } from './block.js';
import { findBlock, findDefinitions } from './definitions.js';
import type { Found } from './precedence.js';

export interface SourceScope {
  home: string;
  /**
   * Variables whose values are known before the first file is read. A string is a value; null says
   * the variable is known to be unset (so `${ZDOTDIR:-$HOME}` is $HOME). Others are unknown, and a
   * path that uses one is not followed. HOME is always known.
   */
  vars?: Readonly<Record<string, string | null>>;
  /** The shell that reads the files: a `$BASH_VERSION` / `$ZSH_VERSION` guard is followed for it only. */
  shell?: 'bash' | 'zsh' | 'sh' | 'fish';
  /**
   * False for a non-interactive start (`bash -l -c`): then the usual guard that returns early
   * (`case $- in *i*) ;; *) return;; esac`, `[[ $- != *i* ]] && return`) ends the file there.
   */
  interactive?: boolean;
  /**
   * The files an absolute glob pattern names, sorted as the shell sorts them (none: no match). With
   * it, `for f in ~/.bashrc.d/*.sh ~/.{exports,aliases}; do . "$f"; done` is followed; without, not.
   */
  glob?: (pattern: string) => string[];
}

/** A literal `source FILE` / `. FILE` command: its 1-based line and the absolute path it names. */
export interface SourceLine {
  line: number;
  path: string;
}

/** A run of consecutive lines of one file, read in this order. */
export interface Segment {
  path: string;
  /** 1-based first and last line read in this segment. */
  from: number;
  to: number;
  /** The line that sourced this file; undefined for the files the shell itself reads. */
  sourcedFrom?: { path: string; line: number };
}

/** A definition met along the reading order, with the line that sourced its file. */
export interface FollowedDefinition extends Found {
  sourcedFrom?: { path: string; line: number };
}

const MAX_DEPTH = 8;

/**
 * The files the shell reads, in order, each split where it sources another file, which comes in
 * between (recursively). A file being read is not entered again (a cycle), nor is one deeper than
 * `maxDepth`; `read` gives a file's text, or undefined when it is missing or not a regular file
 * (it must not open a FIFO or a device: that read would block).
 */
export function readingOrder(
  files: readonly string[],
  read: (path: string) => string | undefined,
  scope: SourceScope,
  options: { maxDepth?: number; skip?: (path: string) => boolean } = {},
): Segment[] {
  const maxDepth = options.maxDepth ?? MAX_DEPTH;
  const segments: Segment[] = [];
  const vars = new Map<string, string | null>(Object.entries(scope.vars ?? {}));
  vars.set('HOME', scope.home);
  const walk = (path: string, stack: readonly string[], sourcedFrom: Segment['sourcedFrom']) => {
    const text = read(path);
    if (text === undefined) return;
    const { sources, end } = scanOnce(text, scope, vars);
    let from = 1;
    for (const source of sources) {
      if (source.line > end) break;
      const enter = !stack.includes(source.path) && stack.length < maxDepth && !options.skip?.(source.path);
      if (!enter) continue;
      // A loop sources several files from one line: the line's own segment comes once.
      if (from <= source.line) segments.push({ path, from, to: source.line, ...(sourcedFrom && { sourcedFrom }) });
      walk(source.path, [...stack, source.path], { path, line: source.line });
      from = source.line + 1;
    }
    if (from <= end) segments.push({ path, from, to: end, ...(sourcedFrom && { sourcedFrom }) });
  };
  for (const file of files) walk(file, [file], undefined);
  return segments;
}

/** The literal source lines of one text, in order (for tests and for callers that follow by hand). */
export function sourceLines(text: string, scope: SourceScope): SourceLine[] {
  const vars = new Map<string, string | null>(Object.entries(scope.vars ?? {}));
  vars.set('HOME', scope.home);
  return scan(text, scope, vars).sources;
}

/**
 * Definitions of name along the reading order, as precedence.ts's `definitionOrder` finds them in
 * whole files: hand-written ones, and envset's hook as the managed one when `managed`.
 */
export function definitionsAlong(
  segments: readonly Segment[],
  read: (path: string) => string | undefined,
  name: string,
  managed: boolean,
): FollowedDefinition[] {
  const found: FollowedDefinition[] = [];
  for (const segment of segments) {
    const text = read(segment.path);
    if (text === undefined) continue;
    const inRange = (line: number) => line >= segment.from && line <= segment.to;
    const via = segment.sourcedFrom && { sourcedFrom: segment.sourcedFrom };
    const here: FollowedDefinition[] = findDefinitions(text, name)
      .filter((d) => inRange(d.line))
      .map((d) => ({ path: segment.path, line: d.line, managed: false, ...via }));
    if (managed) {
      const line = findBlock(text);
      if (line !== undefined && inRange(line)) here.push({ path: segment.path, line, managed: true, ...via });
    }
    found.push(...here.sort((a, b) => a.line - b.line));
  }
  return found;
}

// ---- the scanner ----------------------------------------------------------------------------

interface Word {
  raw: string;
  /** The word after expansion, or undefined when it is not literal (a glob, $(...), unknown $VAR). */
  value: string | undefined;
  line: number;
}

interface Command {
  words: Word[];
  /** The operator before this command in its list. */
  after: ';' | '&&' | '||' | '|' | '&' | '(' | ')' | undefined;
}

interface Frame {
  kind: 'if' | 'function' | 'block';
  /** undefined: the branch taken is not known, so it counts as taken. */
  cond?: boolean;
  taken: boolean;
  /** A `for NAME in WORDS` loop whose words are files: `. "$NAME"` in it sources each in turn. */
  loop?: { name: string; paths: string[] };
}

const GUARD = /^(?:\[\[?|test)\s+(-n|-z)\s+"?\$\{?(BASH|ZSH)_VERSION(?:[-:+][^}"]*)?\}?"?\s*(?:\]\]?)?$/;

/** A guard on the shell's version variable, evaluated for scope.shell; undefined when it is not one. */
function guardValue(words: readonly Word[], scope: SourceScope): boolean | undefined {
  if (!scope.shell) return undefined;
  const match = GUARD.exec(words.map((w) => w.raw).join(' '));
  if (!match) return undefined;
  const set = (match[2] === 'BASH' && scope.shell === 'bash') || (match[2] === 'ZSH' && scope.shell === 'zsh');
  return match[1] === '-n' ? set : !set;
}

// The usual ways a startup file stops early when the shell is not interactive.
const EARLY_RETURNS = [
  /case\s+"?\$-"?\s+in\s+\*i\*\)\s*;;\s*\*\)\s*return\s*;;\s*esac/,
  /^[ \t]*\[\[?\s+"?\$-"?\s+!?=+\s+\*i\*\s*\]\]?\s*(?:&&|\|\|)\s*return\b.*$/m,
  /^[ \t]*\[\[?\s+-z\s+"?\$\{?PS1\}?"?\s*\]\]?\s*&&\s*return\b.*$/m,
];

/** 1-based line at which a non-interactive shell stops reading text (its last line when it reads all). */
function readEnd(text: string, lineCount: number, scope: SourceScope): number {
  if (scope.interactive !== false || scope.shell === 'fish') return lineCount;
  let end = lineCount;
  for (const re of EARLY_RETURNS) {
    const match = re.exec(text);
    if (match) end = Math.min(end, lineOf(text, match.index + match[0].length));
  }
  return end;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/**
 * scan, remembered for this process: one `set` follows the same startup files for each start mode
 * of each shell, for the plan and for the conflict check, and again under the lock (up to 12 scans
 * of one .bashrc). The answer depends only on the text, the shell, the start mode and the variables
 * known before it; the variables the text sets are replayed on a hit. Measured side by side with
 * `npm run bench` (Node 20, with the guard.ts pre-check below): `status` with 50 managed variables
 * 140.8 -> 108.7 ms, `set --no-verify` with a 1 MiB .bashrc 940.9 -> 767.6 ms (the cache alone: about
 * 60 ms of that), the other rows unchanged.
 */
const scanned = new Map<string, Map<string, { sources: SourceLine[]; end: number; varsAfter: [string, string | null][] }>>();
const SCANS_KEPT = 32;

function scanOnce(text: string, scope: SourceScope, vars: Map<string, string | null>): { sources: SourceLine[]; end: number } {
  const key = JSON.stringify([scope.shell, scope.interactive, scope.glob !== undefined, [...vars]]);
  const known = scanned.get(text)?.get(key);
  if (known) {
    vars.clear();
    for (const [name, value] of known.varsAfter) vars.set(name, value);
    return { sources: known.sources, end: known.end };
  }
  const result = scan(text, scope, vars);
  if (!scanned.has(text)) {
    if (scanned.size >= SCANS_KEPT) scanned.delete(scanned.keys().next().value!);
    scanned.set(text, new Map());
  }
  scanned.get(text)!.set(key, { ...result, varsAfter: [...vars] });
  return result;
}

/** The source lines of text that the shell would take, and the line where it stops reading. */
function scan(text: string, scope: SourceScope, vars: Map<string, string | null>): { sources: SourceLine[]; end: number } {
  const lineCount = text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  const end = readEnd(text, lineCount, scope);
  const fish = scope.shell === 'fish';
  const sources: SourceLine[] = [];
  const frames: Frame[] = [];
  let pendingFunction = false;
  let previousGuard: boolean | undefined;
  const active = () => frames.every((f) => f.taken);
  for (const command of lex(text, vars, fish)) {
    let words = command.words;
    if (words.length === 0) continue;
    if (words[0]!.line > end) break;
    const skipByList = (command.after === '&&' && previousGuard === false) || (command.after === '||' && previousGuard === true);
    previousGuard = undefined;
    // Keywords that open, flip or close a block, then the command after them on the same line.
    for (;;) {
      const head = words[0]?.raw;
      if (head === undefined) break;
      if (
        head === 'then' ||
        head === 'do' ||
        head === '!' ||
        head === 'and' ||
        head === 'or' ||
        head === 'not' ||
        head === 'builtin' ||
        head === 'command'
      ) {
        words = words.slice(1);
      } else if (head === 'else') {
        const frame = frames.at(-1);
        if (frame?.kind === 'if') frame.taken = frame.cond === undefined ? true : !frame.cond;
        words = words.slice(1);
      } else if (head === 'elif') {
        const frame = frames.at(-1);
        if (frame?.kind === 'if') frame.taken = frame.cond !== true;
        if (frame) frame.cond = undefined;
        words = words.slice(1);
      } else if (head === 'fi' || head === 'done' || head === 'esac' || (fish && head === 'end')) {
        frames.pop();
        words = words.slice(1);
      } else if (head === '}') {
        if (frames.at(-1)?.kind !== 'if') frames.pop();
        words = words.slice(1);
      } else if (head === '{') {
        frames.push({ kind: pendingFunction ? 'function' : 'block', taken: !pendingFunction });
        pendingFunction = false;
        words = words.slice(1);
      } else if (head === 'if') {
        const cond = guardValue(words.slice(1), scope);
        frames.push({ kind: 'if', taken: cond ?? true, ...(cond !== undefined && { cond }) });
        words = words.slice(1);
        break;
      } else if (fish && (head === 'for' || head === 'while' || head === 'begin' || head === 'switch')) {
        frames.push({ kind: 'block', taken: true });
        words = words.slice(1);
        break;
      } else if (head === 'for' && !fish && scope.glob && /^[A-Za-z_]\w*$/.test(words[1]?.raw ?? '') && words[2]?.raw === 'in') {
        const name = words[1]!.raw;
        vars.delete(name);
        const paths = words.slice(3).flatMap((w) => loopWordFiles(w.raw, vars, scope));
        frames.push({ kind: 'block', taken: true, loop: { name, paths } });
        words = [];
        break;
      } else if (head === 'while' || head === 'until' || head === 'for' || head === 'case' || head === 'select') {
        frames.push({ kind: 'block', taken: true });
        break;
      } else if (head === 'function') {
        if (fish) {
          frames.push({ kind: 'function', taken: false });
          words = [];
          break;
        }
        // `function name {` or `name() {` (lex turns the latter into `function name`): the body
        // opens at the next `{`, maybe on this line.
        pendingFunction = true;
        words = words.slice(2);
      } else break;
    }
    if (words.length === 0) continue;
    if (skipByList) {
      // `[ guard ] && a && b`: b is skipped along with a.
      previousGuard = command.after !== '&&';
      continue;
    }
    const guard = guardValue(words, scope);
    if (guard !== undefined) {
      previousGuard = guard;
      continue;
    }
    if (!active()) continue;
    const head = words[0]!.raw;
    if ((head === '.' || head === 'source') && words[1]) {
      // `. "$f"` inside `for f in FILES`: each file, in the loop's order, at this line.
      const loop = [...frames].reverse().find((f) => f.loop)?.loop;
      if (loop && new RegExp(`^"?\\$(?:${loop.name}|\\{${loop.name}\\})"?$`).test(words[1].raw)) {
        for (const path of loop.paths) sources.push({ line: words[0]!.line, path: normalize(path) });
        continue;
      }
      const target = words[1].value;
      if (target?.startsWith('/')) sources.push({ line: words[0]!.line, path: normalize(target) });
      continue;
    }
    // NAME=literal, export NAME=literal: later lines may use it (`export ZSH=$HOME/.dotfiles`).
    const assignments =
      head === 'export' || head === 'typeset' || head === 'declare'
        ? words.slice(1)
        : words.every((w) => /^[A-Za-z_]\w*=/.test(w.raw))
          ? words
          : [];
    for (const word of assignments) {
      const match = /^([A-Za-z_]\w*)=/.exec(word.raw);
      if (!match || frames.length > 0) continue;
      const value = word.value?.slice(match[0].length);
      if (value === undefined) vars.delete(match[1]!);
      else vars.set(match[1]!, value);
    }
  }
  return { sources, end };
}

/**
 * The files one word of a `for` loop's list names: `~`, $HOME and known variables expanded, then
 * bash's and zsh's braces (`~/.{exports,aliases}`), then globs (zsh's `(N)` qualifier dropped). A
 * word with anything else unknown names none. A literal path stays, existing or not, as the shell's does.
 */
function loopWordFiles(raw: string, vars: ReadonlyMap<string, string | null>, scope: SourceScope): string[] {
  let word = raw.replace(/^~(?=\/|$)/, scope.home);
  let known = true;
  word = word.replace(/\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g, (_, a: string | undefined, b: string | undefined) => {
    const v = vars.get((a ?? b)!);
    if (v === undefined || v === null) known = false;
    return v ?? '';
  });
  if (scope.shell === 'zsh') word = word.replace(/\([.N]+\)$/, '');
  // Quotes only around parts without glob characters are followed; `$(...)`, backquotes are not.
  word = word.replace(/"([^"*?[]*)"|'([^'*?[]*)'/g, (_, a: string | undefined, b: string | undefined) => a ?? b ?? '');
  if (!known || /[$`"'\\]/.test(word) || !word.startsWith('/')) return [];
  const words = scope.shell === 'sh' ? [word] : braces(word);
  return words.flatMap((w) => (/[*?[]/.test(w) ? scope.glob!(w) : [w]));
}

/** Brace expansion of `a{b,c}d` (nested braces and ranges are not followed: the word stays as it is). */
function braces(word: string): string[] {
  const match = /\{([^{}]*,[^{}]*)\}/.exec(word);
  if (!match) return [word];
  return match[1]!.split(',').flatMap((part) => braces(word.slice(0, match.index) + part + word.slice(match.index + match[0].length)));
}

/** `/a/./b//c/../d` -> `/a/b/d`, as the kernel resolves it (symlinks aside). */
function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/**
 * Split text into simple commands with their words, as a POSIX shell (or fish) reads it: quotes,
 * comments, heredoc bodies and line continuations are honoured; a function definition `f()` marks
 * its body. Words carry their literal value when they have one.
 */
function* lex(text: string, vars: ReadonlyMap<string, string | null>, fish: boolean): Generator<Command> {
  // Yielded as they end, so an assignment the caller learns from one command expands in the next.
  const commands: Command[] = [];
  let words: Word[] = [];
  let after: Command['after'];
  let raw = '';
  let value: string | undefined = '';
  let started = false;
  let wordLine = 1;
  let line = 1;
  let redirect = false;
  let heredocs: { tag: string; dash: boolean }[] = [];
  let inBlock = false;
  const lines = text.split('\n');
  // envset's own block sources its env file: that is the managed definition, never a hand-written one.
  const blockLines = new Set<number>();
  lines.forEach((l, i) => {
    const t = l.replace(/\r$/, '').trim();
    if (t === POSIX_MARKERS.begin) inBlock = true;
    if (inBlock) blockLines.add(i + 1);
    if (t === POSIX_MARKERS.end) inBlock = false;
  });

  const endWord = () => {
    if (!started) return;
    if (redirect) {
      redirect = false;
    } else if (pendingHeredoc !== undefined) {
      heredocs.push({ tag: raw.replace(/["']/g, ''), dash: pendingHeredoc === '-' });
      pendingHeredoc = undefined;
    } else {
      words.push({ raw, value, line: wordLine });
    }
    raw = '';
    value = '';
    started = false;
  };
  const endCommand = (op: Command['after']) => {
    endWord();
    if (words.length > 0 && !blockLines.has(words[0]!.line)) commands.push({ words, after });
    words = [];
    after = op;
  };
  const addLiteral = (s: string) => {
    if (!started) wordLine = line;
    started = true;
    raw += s;
    if (value !== undefined) value += s;
  };
  let pendingHeredoc: '' | '-' | undefined;

  /** Expand `$NAME`, `${NAME}`, `${NAME:-word}` at text[i] ('$'); returns the index after it. */
  const dollar = (i: number): number => {
    const rest = text.slice(i + 1);
    const simple = /^([A-Za-z_]\w*)/.exec(rest);
    const braced = /^\{([A-Za-z_]\w*)(?:(:?[-=])([^}]*))?\}/.exec(rest);
    const expand = (name: string, op: string | undefined, word: string | undefined): string | undefined => {
      const known = vars.has(name);
      const v = vars.get(name);
      if (op !== undefined) {
        const useDefault = known ? v === null || (op.startsWith(':') && v === '') : undefined;
        if (useDefault === undefined) return undefined;
        if (!useDefault) return v!;
        return literalDefault(word ?? '', vars);
      }
      return known && v !== null ? v : undefined;
    };
    if (braced) {
      const expanded = expand(braced[1]!, braced[2], braced[3]);
      raw += text.slice(i, i + 1 + braced[0].length);
      value = value === undefined || expanded === undefined ? undefined : value + expanded;
      return i + 1 + braced[0].length;
    }
    if (simple) {
      const expanded = expand(simple[1]!, undefined, undefined);
      raw += `$${simple[1]}`;
      value = value === undefined || expanded === undefined ? undefined : value + expanded;
      return i + 1 + simple[1]!.length;
    }
    if (rest.startsWith('(')) {
      // $( ... ) or $(( ... )): not literal; skip to the matching parenthesis.
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === '(') depth++;
        else if (text[j] === ')' && --depth === 0) break;
        else if (text[j] === '\n') line++;
      }
      raw += text.slice(i, j + 1);
      value = undefined;
      return j + 1;
    }
    raw += '$';
    value = undefined;
    return i + 1;
  };

  let i = 0;
  while (i < text.length) {
    yield* commands.splice(0);
    const c = text[i]!;
    if (c === '\n') {
      endCommand(undefined);
      line++;
      i++;
      // Heredoc bodies follow the line that opened them.
      for (const doc of heredocs) {
        while (i < text.length) {
          const nl = text.indexOf('\n', i);
          const bodyLine = text.slice(i, nl < 0 ? text.length : nl).replace(/\r$/, '');
          i = nl < 0 ? text.length : nl + 1;
          line++;
          if ((doc.dash ? bodyLine.replace(/^\t+/, '') : bodyLine) === doc.tag) break;
        }
      }
      heredocs = [];
      continue;
    }
    if (c === '\r' && text[i + 1] === '\n') {
      i++;
      continue;
    }
    if (c === ' ' || c === '\t') {
      endWord();
      i++;
      continue;
    }
    if (c === '#' && !started) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '\\') {
      if (text[i + 1] === '\n') {
        line++;
        i += 2;
        continue;
      }
      addLiteral(text[i + 1] ?? '');
      raw = raw.slice(0, -1) + text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const body = text.slice(i + 1, close < 0 ? text.length : close);
      if (!started) wordLine = line;
      started = true;
      raw += `'${body}'`;
      if (value !== undefined) value += body;
      line += body.split('\n').length - 1;
      i = close < 0 ? text.length : close + 1;
      continue;
    }
    if (c === '"') {
      if (!started) wordLine = line;
      started = true;
      raw += '"';
      i++;
      while (i < text.length && text[i] !== '"') {
        const d = text[i]!;
        if (d === '\\' && i + 1 < text.length) {
          const next = text[i + 1]!;
          raw += d + next;
          if (next === '\n') line++;
          else if (value !== undefined) value += '$`"\\'.includes(next) ? next : d + next;
          i += 2;
        } else if (d === '$') {
          i = dollar(i);
        } else if (d === '`') {
          const close = text.indexOf('`', i + 1);
          raw += text.slice(i, close < 0 ? text.length : close + 1);
          value = undefined;
          i = close < 0 ? text.length : close + 1;
        } else {
          if (d === '\n') line++;
          raw += d;
          if (value !== undefined) value += d;
          i++;
        }
      }
      raw += '"';
      i++;
      continue;
    }
    if (c === '$') {
      if (!started) wordLine = line;
      started = true;
      i = dollar(i);
      continue;
    }
    if (c === '`') {
      if (!started) wordLine = line;
      started = true;
      const close = text.indexOf('`', i + 1);
      raw += text.slice(i, close < 0 ? text.length : close + 1);
      value = undefined;
      i = close < 0 ? text.length : close + 1;
      continue;
    }
    if (c === '~' && !started) {
      const next = text[i + 1];
      addLiteral('~');
      if (next === undefined || next === '/' || next === ' ' || next === '\t' || next === '\n' || next === ';') {
        value = vars.get('HOME') ?? undefined;
      } else value = undefined;
      i++;
      continue;
    }
    if (c === '(' && /^\(\s*\)/.test(text.slice(i, i + 16))) {
      // `name()`: a function definition; its body (the next `{`) runs only when called.
      endWord();
      if (words[0]?.raw !== 'function') words.unshift({ raw: 'function', value: 'function', line });
      endCommand(undefined);
      i = text.indexOf(')', i) + 1;
      continue;
    }
    if (c === ';' || c === '&' || c === '|' || c === '(' || c === ')') {
      const two = text.slice(i, i + 2);
      if (two === '&&' || two === '||') {
        endCommand(two);
        i += 2;
      } else if (two === ';;') {
        endCommand(';');
        i += 2;
      } else if (c === '&' && text[i + 1] === '>') {
        endWord();
        redirect = true;
        i += 2;
      } else {
        endCommand(c as Command['after']);
        i++;
      }
      continue;
    }
    if (c === '<' || c === '>') {
      // An IO number right before (`2>`) belongs to the redirection, not to the command.
      if (started && /^\d+$/.test(raw)) {
        raw = '';
        value = '';
        started = false;
      }
      endWord();
      if (text.startsWith('<<<', i)) {
        redirect = true;
        i += 3;
      } else if (text.startsWith('<<', i)) {
        pendingHeredoc = text[i + 2] === '-' ? '-' : '';
        i += pendingHeredoc === '-' ? 3 : 2;
      } else {
        redirect = true;
        i += text[i + 1] === '>' || text[i + 1] === '&' || text[i + 1] === '|' ? 2 : 1;
        if (text[i - 1] === '&' && /[\d-]/.test(text[i] ?? '')) {
          // `2>&1`, `>&-`: a descriptor, not a file word.
          while (/[\d-]/.test(text[i] ?? '')) i++;
          redirect = false;
        }
      }
      continue;
    }
    if (!fish && (c === '*' || c === '?' || c === '[') && !(c === '[' && !started)) {
      addLiteral(c);
      value = undefined;
      i++;
      continue;
    }
    if (fish && (c === '*' || c === '?' || c === '{')) {
      addLiteral(c);
      value = undefined;
      i++;
      continue;
    }
    addLiteral(c);
    i++;
  }
  endCommand(undefined);
  yield* commands.splice(0);
}

/** The word of `${NAME:-word}`, when it is literal: text, `~`, $HOME and known variables. */
function literalDefault(word: string, vars: ReadonlyMap<string, string | null>): string | undefined {
  let out = word.replace(/^~(?=\/|$)/, vars.get('HOME') ?? '~');
  let ok = true;
  out = out.replace(/\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g, (_, a: string | undefined, b: string | undefined) => {
    const v = vars.get((a ?? b)!);
    if (v === undefined || v === null) ok = false;
    return v ?? '';
  });
  return ok && !/[$`~*?]/.test(out) ? out.replace(/^["']|["']$/g, '') : undefined;
}
