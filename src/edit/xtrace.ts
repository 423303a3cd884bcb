// Reads a shell's own trace of its startup (src/trace.ts runs the shells): which file and line
// assigned or unset a name, in order, and whether a startup file handed the terminal over to another
// shell with `exec`. Pure: trace text in, events out. A trace holds values; nothing here keeps or
// returns the text of a command, only paths, line numbers and names.

/** One command a shell traced, and where it ran. */
export interface TraceStep {
  /** Absolute path of the file that holds the command; '' for the `-c` string. */
  path: string;
  /** 1-based line in path; 0 when the shell does not say and it could not be found. */
  line: number;
  /** Whether the shell itself gave the line (false: inferred from the file's text). */
  exact: boolean;
  /** The command as the shell printed it, expansions done: it may hold a value. */
  text: string;
  /** The process that ran it, where the shell can say (bash: BASHPID); subshells differ. */
  pid?: string;
  /** Inside a function body: there typeset/declare/local make a local variable. */
  inFunction: boolean;
  /** The line that sourced path, where the shell can say. */
  parent?: Place;
  /** dash: the lines read since the previous command, the block this command is one of. */
  block?: { from: number; to: number };
}

export interface Place {
  path: string;
  line: number;
}

/** An assignment or unset of the name during startup, in the order the shell ran them. */
export interface TraceEvent extends Place {
  kind: 'assign' | 'unset';
  exact: boolean;
  /** Read from one of envset's env files: envset's own definition. */
  managed: boolean;
  /** The source lines that led to path, outermost first (for the env file: envset's hook line). */
  via: Place[];
}

/**
 * A startup file that starts another interactive shell: with `exec` (`exec zsh`, `exec fish -l`) it
 * replaces this one; without, the person works in it and comes back here when it exits.
 */
export interface Handover extends Place {
  /** The program's name, without its directory (`zsh`, `fish`). */
  shell: string;
  /** Whether it was asked to be a login shell (`exec -l zsh`, `exec zsh -l`, `--login`). */
  login: boolean;
  /** True when it replaced this shell (exec): nothing after it ran. */
  replaces: boolean;
  /** Not a shell (`exec tmux`): `shell` is the program's name. */
  program?: true;
}

export interface TraceReading {
  events: TraceEvent[];
  handover?: Handover;
  /** The trace ran to the end of startup (its end mark was seen) or to a hand-over. */
  complete: boolean;
}

// ---- parsing the shells' trace formats ----

// A record starts with `+` (repeated per level of nesting), then START; its fields are separated by
// SEP. The mark is random per run, so no startup file can print either by accident.
const start = (mark: string) => `${mark}s`;
const sep = (mark: string) => `${mark}f`;

/**
 * bash's PS4: BASHPID, BASH_SOURCE, LINENO, FUNCNAME, BASH_SOURCE[1], BASH_LINENO[0], then the
 * command, which may run over several lines (a quoted value with newlines).
 */
export const bashPs4 = (mark: string) =>
  `+${start(mark)}${['${BASHPID}', '${BASH_SOURCE-}', '${LINENO}', '${FUNCNAME-}', '${BASH_SOURCE[1]-}', '${BASH_LINENO[0]-}'].join(sep(mark))}${sep(mark)} `;

export function parseBashTrace(trace: string, mark: string): TraceStep[] {
  const steps: TraceStep[] = [];
  for (const record of records(trace, mark)) {
    const fields = record.split(sep(mark));
    if (fields.length < 7) continue;
    const [pid, path, line, func, parentPath, parentLine] = fields;
    const text = fields.slice(6).join(sep(mark)).replace(/^ /, '').replace(/\n$/, '');
    // In a sourced file FUNCNAME is empty (startup) or `source` (within a function's call); a
    // function names itself, and then BASH_SOURCE[1] is its caller's file, no source line.
    const inFunction = func !== '' && func !== 'source';
    steps.push({
      path: path!,
      line: Number(line) || 0,
      exact: true,
      text,
      pid: pid!,
      inFunction,
      ...(!inFunction && parentPath && { parent: { path: parentPath, line: Number(parentLine) || 0 } }),
    });
  }
  return steps;
}

/** zsh PS4 (prompt escapes): %x the file, %I its line, %N the function or file name. */
export const zshPs4 = (mark: string) => `+${start(mark)}${['%x', '%I', '%N'].join(sep(mark))}${sep(mark)} `;

export function parseZshTrace(trace: string, mark: string): TraceStep[] {
  const steps: TraceStep[] = [];
  // zsh prints a record on one line (it quotes a newline as $'\n'), but on stderr, where the startup
  // files' own output also goes: a record may start in the middle of a line.
  for (const record of records(trace, mark)) {
    const fields = record.split(sep(mark));
    if (fields.length < 4) continue;
    const [path, line, name] = fields;
    const text = fields.slice(3).join(sep(mark)).replace(/^ /, '').split('\n')[0]!;
    const inFunction = name !== path && !name!.startsWith('(eval') && name !== 'zsh';
    steps.push({ path: path === 'zsh' ? '' : path!, line: Number(line) || 0, exact: true, text, inFunction });
  }
  return steps;
}

/** The text of each record: from after its START to the next record's `+` run. */
function records(trace: string, mark: string): string[] {
  const token = start(mark);
  const out: string[] = [];
  const starts: number[] = [];
  for (let at = trace.indexOf(token); at >= 0; at = trace.indexOf(token, at + token.length)) starts.push(at);
  starts.forEach((at, i) => {
    let end = i + 1 < starts.length ? starts[i + 1]! : trace.length;
    while (end > at && trace[end - 1] === '+') end--;
    out.push(trace.slice(at + token.length, end));
  });
  return out;
}

/**
 * dash has neither a file nor a line in its trace, so it runs with -v as well as -x: -v echoes each
 * line as the shell reads it, and following that echo along the files' texts tells which file and
 * line a traced command came from. `files` are the files the shell reads itself, in order.
 */
/** The PS4 for a shell that expands nothing useful in it (dash): the record start alone. */
export const plainPs4 = (mark: string) => `+${start(mark)} `;

export function parseVerboseTrace(
  trace: string,
  mark: string,
  files: readonly string[],
  read: (path: string) => string | undefined,
): TraceStep[] {
  interface Frame {
    path: string;
    lines: string[];
    next: number;
    parent?: Place;
    /** Lines read since the last traced command of this frame: the block a command came from. */
    chunk: { from: number };
  }
  const linesOf = (path: string): string[] | undefined => {
    const text = read(path);
    if (text === undefined) return undefined;
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines;
  };
  const pending = files.slice();
  const stack: Frame[] = [];
  const steps: TraceStep[] = [];
  let lastWasRecord = true;
  const prefix = `+${start(mark)} `;
  for (const raw of trace.split('\n')) {
    if (raw.startsWith(prefix)) {
      const text = raw.slice(prefix.length);
      const frame = stack.at(-1);
      lastWasRecord = true;
      if (!frame) {
        steps.push({ path: '', line: 0, exact: false, text, inFunction: false });
        continue;
      }
      // The command came from the lines read since the last command: one line, or a block.
      const from = frame.chunk.from;
      const to = frame.next; // 1-based last line read
      const step: TraceStep = {
        path: frame.path,
        line: to,
        exact: from === to,
        text,
        inFunction: false,
        block: { from, to },
        ...(frame.parent && { parent: frame.parent }),
      };
      steps.push(step);
      const sourced = sourceTarget(words(text));
      if (sourced) {
        const lines = linesOf(sourced);
        if (lines) stack.push({ path: sourced, lines, next: 0, parent: { path: frame.path, line: to }, chunk: { from: 1 } });
      }
      continue;
    }
    // A line the shell read (or the startup files' own output, which matches no expected line).
    if (lastWasRecord) {
      const frame = stack.at(-1);
      if (frame) frame.chunk = { from: frame.next + 1 };
    }
    for (;;) {
      const frame = stack.at(-1);
      if (frame && frame.next < frame.lines.length) {
        if (frame.lines[frame.next] === raw) {
          frame.next++;
          lastWasRecord = false;
        }
        break;
      }
      if (frame) {
        stack.pop();
        const outer = stack.at(-1);
        if (outer) outer.chunk = { from: outer.next + 1 };
        continue;
      }
      // Between the shell's own files: the next one whose first line this is (files before it were
      // missing or empty); a line that starts none is the startup files' own output.
      const k = pending.findIndex((path) => linesOf(path)?.[0] === raw);
      if (k >= 0) {
        const path = pending.splice(0, k + 1).at(-1)!;
        stack.push({ path, lines: linesOf(path)!, next: 1, chunk: { from: 1 } });
        lastWasRecord = false;
      }
      break;
    }
  }
  return steps;
}

/**
 * fish prints each command as `-…> command`, one dash per level: a `source FILE` at level d runs
 * FILE's commands deeper than d, so the level tells the file. fish gives no line: readTrace
 * finds it in the file's text where that is unambiguous.
 */
export function parseFishTrace(trace: string): TraceStep[] {
  const steps: TraceStep[] = [];
  const stack: { depth: number; path: string; parent: Place }[] = [];
  const fnDepths: number[] = [];
  for (const raw of trace.split('\n')) {
    const match = /^(-*)> (.*)$/.exec(raw);
    if (!match) continue;
    const depth = match[1]!.length;
    const text = match[2]!;
    while (stack.length > 0 && stack.at(-1)!.depth >= depth) stack.pop();
    while (fnDepths.length > 0 && fnDepths.at(-1)! >= depth) fnDepths.pop();
    const top = stack.at(-1);
    const step: TraceStep = {
      path: top?.path ?? '',
      line: 0,
      exact: false,
      text,
      inFunction: fnDepths.length > 0,
      ...(top && { parent: top.parent }),
    };
    steps.push(step);
    const w = words(text, true);
    const sourced = sourceTarget(w);
    if (sourced) stack.push({ depth, path: sourced, parent: { path: step.path, line: 0 } });
    else if (w.length > 0 && isFunctionCall(w[0]!)) fnDepths.push(depth);
  }
  return steps;
}

// fish runs a function body one level deeper than the call, like a sourced file. The commands of
// fish's own that take a block (if, for, while, begin, switch) also go deeper, but they are no
// function: their bodies are the file's.
const FISH_BLOCKS = new Set([
  'if',
  'else',
  'for',
  'while',
  'begin',
  'switch',
  'case',
  'function',
  'end',
  'and',
  'or',
  'not',
  'set',
  'test',
  'source',
  '.',
  'string',
  'contains',
  'status',
  'echo',
  'printf',
  'true',
  'false',
  'return',
  'exec',
  'command',
  'builtin',
  'eval',
  'math',
  'type',
  'functions',
  'path',
  'read',
  'count',
  'argparse',
  'emit',
  'cd',
  'abbr',
  'alias',
  'bind',
  'complete',
]);
const isFunctionCall = (word: string) => !FISH_BLOCKS.has(word) && !word.includes('/');

// ---- finding the name's events ----

export interface ReadOptions {
  name: string;
  /** envset's env files: what is assigned there is envset's definition. */
  managedFiles: readonly string[];
  /** The text that marks the end of startup (the `-c` command's trace). */
  endMark: string;
  syntax: 'posix' | 'fish';
  /** For a line the shell did not give: the file's text, to find the name's line in. */
  read?: (path: string) => string | undefined;
}

/** The name's assignments and unsets during startup, and a hand-over, from a shell's trace steps. */
export function readTrace(steps: readonly TraceStep[], options: ReadOptions): TraceReading {
  const { name } = options;
  const events: TraceEvent[] = [];
  const mainPid = mainProcess(steps, options.endMark);
  const parents = new Map<string, Place>();
  const pendingSources = new Map<string, Place>();
  const complete = steps.some((s) => s.text.includes(options.endMark));
  let handover: Handover | undefined;
  let previousPath: string | undefined;
  const blocks = new Map<TraceEvent, { from: number; to: number }>();
  for (const step of steps) {
    if (step.text.includes(options.endMark)) break;
    // Subshells and child shells (they inherit the trace settings) change nothing here.
    if (mainPid !== undefined && step.pid !== mainPid) continue;
    // A file the shell reads by itself has no parent (fish: it `source`s them from its top level).
    if (step.parent?.path) parents.set(step.path, step.parent);
    else if (step.path !== previousPath && pendingSources.get(step.path)?.path) parents.set(step.path, pendingSources.get(step.path)!);
    previousPath = step.path;
    const w = words(step.text, options.syntax === 'fish');
    const sourced = sourceTarget(w);
    if (sourced) pendingSources.set(sourced, { path: step.path, line: step.line });
    const found = options.syntax === 'fish' ? fishEvent(w, name) : posixEvent(w, name, step.inFunction);
    if (found === 'exec') {
      // An exec that failed leaves the shell running to its end mark: no hand-over then.
      const operands = execOperands(w);
      const target = complete ? undefined : launchOf(operands);
      if (target) handover = { ...target, replaces: true, path: step.path, line: step.line };
      // Another program in its place (`exec tmux`): the terminal ends up with that program.
      else if (!complete && operands[0] && !ASSIGNMENT.test(operands[0]))
        handover = { shell: operands[0].split('/').pop()!, login: false, replaces: true, program: true, path: step.path, line: step.line };
      continue;
    }
    if (found === 'launch') {
      // zsh traces `exec fish` as `fish`: a shell started last, after which nothing ran, replaced it.
      const target = launchOf(w.slice(leadingAssignments(w)));
      if (target) handover = { ...target, replaces: !complete, path: step.path, line: step.line };
      continue;
    }
    if (!found) continue;
    const via = chain(step.path, parents);
    const event: TraceEvent = {
      kind: found,
      path: step.path,
      line: step.line,
      exact: step.exact,
      managed: options.managedFiles.includes(step.path),
      via,
    };
    const last = events.at(-1);
    // bash traces `export K=v` and then `K=v` for the same line: one event.
    if (last && last.kind === event.kind && last.path === event.path && last.line === event.line && event.exact) continue;
    events.push(event);
    if (step.block) blocks.set(event, step.block);
  }
  if (options.read) placeLines(events, blocks, options);
  return { events, ...(handover && { handover }), complete: complete || handover !== undefined };
}

/**
 * The shell's own process: the one that ran the end mark, else the one that ran most commands (the
 * first record may be a command substitution's, which bash traces before the command using it).
 */
function mainProcess(steps: readonly TraceStep[], endMark: string): string | undefined {
  const end = steps.find((s) => s.text.includes(endMark));
  if (end) return end.pid;
  const counts = new Map<string, number>();
  for (const s of steps) if (s.pid !== undefined) counts.set(s.pid, (counts.get(s.pid) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** The last event: what the shell ends startup with (undefined: startup never touched the name). */
export const lastEvent = (reading: TraceReading) => reading.events.at(-1);

/** Events after the last one from envset's env file that are not envset's: they override it. */
export function overridesOfManaged(reading: TraceReading): TraceEvent[] {
  let last = -1;
  reading.events.forEach((e, i) => {
    if (e.managed) last = i;
  });
  return last < 0 ? [] : reading.events.slice(last + 1).filter((e) => !e.managed);
}

/** What a trace says about the name, for a verification failure, `status --verify` or `--adopt`. */
export type TraceVerdict =
  /** A startup file starts another shell: what the person works in is that shell. */
  | { kind: 'handover'; handover: Handover }
  /** Hand-written definitions run after envset's: the last one is what the shell has. */
  | { kind: 'overridden'; by: TraceEvent[] }
  /** The last word is an unset (after envset's definition or not). */
  | { kind: 'unset'; at: TraceEvent }
  /** envset's definition is the last. */
  | { kind: 'managed'; at: TraceEvent }
  /** No envset definition ran; a hand-written one is the last. */
  | { kind: 'hand-written'; at: TraceEvent }
  /** Nothing in startup assigned the name (envset's hook is not read in this mode, say). */
  | { kind: 'not-assigned' }
  /** The trace did not reach the end of startup: it cannot say. */
  | { kind: 'unknown' };

export function verdictOf(reading: TraceReading): TraceVerdict {
  if (reading.handover?.replaces) return { kind: 'handover', handover: reading.handover };
  if (!reading.complete) return { kind: 'unknown' };
  const last = reading.events.at(-1);
  if (reading.handover) return { kind: 'handover', handover: reading.handover };
  if (!last) return { kind: 'not-assigned' };
  if (last.kind === 'unset') return { kind: 'unset', at: last };
  if (last.managed) return { kind: 'managed', at: last };
  const by = overridesOfManaged(reading);
  return by.length > 0 ? { kind: 'overridden', by } : { kind: 'hand-written', at: last };
}

/** Hand-written assignments with a known line, each once: what `--adopt` would comment out. */
export function handWritten(reading: TraceReading): TraceEvent[] {
  const seen = new Set<string>();
  return reading.events.filter((e) => {
    const key = `${e.path}\0${e.line}`;
    if (e.managed || e.kind !== 'assign' || e.line === 0 || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `path:line`, or the path alone when the line is not known. */
export const where = (place: Place) => (place.line > 0 ? `${place.path}:${place.line}` : place.path);

function chain(path: string, parents: ReadonlyMap<string, Place>): Place[] {
  const via: Place[] = [];
  const seen = new Set<string>([path]);
  for (let p = parents.get(path); p && via.length < 16; p = parents.get(p.path)) {
    via.unshift(p);
    if (seen.has(p.path)) break;
    seen.add(p.path);
  }
  return via;
}

const SHELL_NAMES = new Set([
  'bash',
  'zsh',
  'fish',
  'sh',
  'dash',
  'ksh',
  'mksh',
  'ksh93',
  'tcsh',
  'csh',
  'nu',
  'xonsh',
  'elvish',
  'pwsh',
  'oil',
  'osh',
  'ysh',
  'ion',
  'yash',
  'posh',
]);

/** The operands of `exec [-cl] [-a name] [--] program args...`: the program and its arguments. */
function execOperands(w: readonly string[]): string[] {
  let i = 1;
  let login = false;
  for (; i < w.length && w[i]!.startsWith('-'); i++) {
    if (w[i] === '--') {
      i++;
      break;
    }
    if (w[i]!.includes('l')) login = true;
    if (w[i] === '-a') i++;
  }
  // `exec -l zsh` asks for a login shell as `zsh -l` does.
  return login ? [...w.slice(i), '-l'] : w.slice(i);
}

/**
 * The shell that `program args...` starts as an interactive shell: `zsh`, `/usr/bin/fish -l`,
 * `env LANG=C fish`. Not with -c or a script to run: that shell runs a command and ends.
 */
function launchOf(w: readonly string[]): { shell: string; login: boolean } | undefined {
  let i = 0;
  if (w[0]?.split('/').pop() === 'env') {
    for (i = 1; i < w.length && (w[i]!.startsWith('-') || ASSIGNMENT.test(w[i]!)); i++);
  }
  const program = w[i];
  if (!program) return undefined;
  const shell = program.split('/').pop()!.replace(/^-/, '');
  if (!SHELL_NAMES.has(shell)) return undefined;
  const args = w.slice(i + 1);
  // Only the options of an interactive start: not -c, a script, --version or --help.
  if (
    args.some(
      (a) => !/^(-[a-zA-Z]+|--login|--interactive|--norc|--noprofile|--no-config|--private)$/.test(a) || /^-[a-zA-Z]*[cvVh]/.test(a),
    )
  )
    return undefined;
  const login = args.some((a) => a === '--login' || /^-[a-z]*l[a-z]*$/.test(a));
  return { shell, login };
}

function leadingAssignments(w: readonly string[]): number {
  let i = 0;
  while (i < w.length && ASSIGNMENT.test(w[i]!)) i++;
  return i;
}

function sourceTarget(w: readonly string[]): string | undefined {
  if ((w[0] === '.' || w[0] === 'source') && w[1]?.startsWith('/')) return w[1];
  return undefined;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?\+?=/;

type Found = TraceEvent['kind'] | 'exec' | 'launch' | undefined;

function posixEvent(w: readonly string[], name: string, inFunction: boolean): Found {
  let i = 0;
  let assigned = false;
  while (i < w.length && ASSIGNMENT.test(w[i]!)) {
    const match = ASSIGNMENT.exec(w[i]!)!;
    if (match[1] === name) assigned = true;
    // An array `K=(a b)` spans words up to the one that closes it.
    if (w[i]!.slice(match[0].length).startsWith('(')) while (i < w.length - 1 && !w[i]!.endsWith(')')) i++;
    i++;
  }
  // Assignments alone persist; before a command they are for that command only.
  if (i === w.length) return assigned ? 'assign' : undefined;
  const command = w[i]!;
  const args = w.slice(i + 1);
  const options = args.filter((a) => /^[-+]/.test(a));
  const operands = args.filter((a) => !/^[-+]/.test(a));
  const names = operands.map((a) => ASSIGNMENT.exec(a)?.[1] ?? a);
  switch (command) {
    case 'export':
    case 'readonly':
      return operands.some((a) => ASSIGNMENT.exec(a)?.[1] === name) ? 'assign' : undefined;
    case 'declare':
    case 'typeset':
    case 'local':
    case 'integer':
    case 'float': {
      const global = options.some((o) => /^-\w*g/.test(o));
      if (command === 'local' || (inFunction && !global)) return undefined;
      return operands.some((a) => ASSIGNMENT.exec(a)?.[1] === name) ? 'assign' : undefined;
    }
    case 'unset':
      if (options.some((o) => /^-\w*f/.test(o))) return undefined;
      return names.includes(name) ? 'unset' : undefined;
    case 'read':
      return operands.at(-1) === name || (options.includes('-A') && names.includes(name)) ? 'assign' : undefined;
    case 'printf':
      return args[0] === '-v' && args[1] === name ? 'assign' : undefined;
    case 'for':
      return args[0] === name ? 'assign' : undefined;
    case 'exec':
      return 'exec';
    default:
      return SHELL_NAMES.has(command.split('/').pop()!) || command.split('/').pop() === 'env' ? 'launch' : undefined;
  }
}

function fishEvent(w: readonly string[], name: string): Found {
  if (w[0] === 'exec') return 'exec';
  if (w[0] && SHELL_NAMES.has(w[0].split('/').pop()!)) return 'launch';
  if (w[0] !== 'set') return undefined;
  let local = false;
  let global = false;
  let erase = false;
  let i = 1;
  for (; i < w.length && w[i]!.startsWith('-'); i++) {
    const o = w[i]!;
    if (o === '--') {
      i++;
      break;
    }
    if (o === '--query' || o === '--names' || o === '--show' || (!o.startsWith('--') && /[qnS]/.test(o))) return undefined;
    if (o === '--erase' || (!o.startsWith('--') && o.includes('e'))) erase = true;
    if (o === '--local' || o === '--function' || (!o.startsWith('--') && /[lf]/.test(o))) local = true;
    if (o === '--global' || o === '--universal' || (!o.startsWith('--') && /[gU]/.test(o))) global = true;
  }
  const target = w[i]?.replace(/\[.*$/, '');
  if (target !== name) return undefined;
  // `set -l` makes a local (in a function or a file's block); without a scope fish changes the
  // variable that exists, which for an exported name is the global one.
  if (local && !global) return undefined;
  return erase ? 'unset' : 'assign';
}

/**
 * For events whose line the shell did not give: the line in the file's text that mentions the name,
 * within the block the command came from (dash), or in the whole file (fish) when that is clear.
 */
function placeLines(
  events: readonly TraceEvent[],
  blocks: ReadonlyMap<TraceEvent, { from: number; to: number }>,
  options: ReadOptions,
): void {
  const mentions = new RegExp(`(^|[^A-Za-z0-9_])${options.name}([^A-Za-z0-9_]|$)`);
  const candidatesIn = (path: string): number[] | undefined => {
    const text = options.read!(path);
    if (text === undefined) return undefined;
    return text.split('\n').flatMap((l, i) => (mentions.test(l) && !/^\s*#/.test(l) ? [i + 1] : []));
  };
  const used = new Map<string, number>();
  const wholeFile = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.exact || !e.path) continue;
    const block = blocks.get(e);
    if (!block) {
      wholeFile.set(e.path, [...(wholeFile.get(e.path) ?? []), e]);
      continue;
    }
    const candidates = (candidatesIn(e.path) ?? []).filter((c) => c >= block.from && c <= block.to);
    const key = `${e.path}\0${block.from}`;
    const k = used.get(key) ?? 0;
    used.set(key, k + 1);
    const line = candidates[Math.min(k, candidates.length - 1)];
    if (line !== undefined) {
      e.line = line;
      e.exact = candidates.length === 1;
    }
  }
  for (const [path, list] of wholeFile) {
    const candidates = candidatesIn(path) ?? [];
    if (candidates.length === list.length) for (const [i, e] of list.entries()) e.line = candidates[i]!;
    else if (candidates.length === 1) for (const e of list) e.line = candidates[0]!;
  }
}

/**
 * Split a traced command into words, undoing the quoting the shells use in traces: 'single',
 * $'ansi' and "double" quotes and backslashes (fish: backslash escapes and quotes alike).
 */
export function words(text: string, fish = false): string[] {
  const out: string[] = [];
  let word = '';
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (started) out.push(word);
      word = '';
      started = false;
      continue;
    }
    started = true;
    if (c === '\\') {
      word += text[++i] ?? '';
    } else if (c === "'" && !fish && text[i - 1] === '$' && word.endsWith('$')) {
      word = word.slice(0, -1);
      for (i++; i < text.length && text[i] !== "'"; i++) word += text[i] === '\\' ? ansi(text[++i]) : text[i];
    } else if (c === "'") {
      for (i++; i < text.length && text[i] !== "'"; i++) word += fish && text[i] === '\\' ? (text[++i] ?? '') : text[i];
    } else if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) word += text[i] === '\\' ? (text[++i] ?? '') : text[i];
    } else word += c;
  }
  if (started) out.push(word);
  return out;
}

const ANSI: Record<string, string> = { n: '\n', t: '\t', r: '\r', e: '\x1b', a: '\x07', b: '\b', f: '\f', v: '\v' };
const ansi = (c: string | undefined) => (c === undefined ? '' : (ANSI[c] ?? c));
