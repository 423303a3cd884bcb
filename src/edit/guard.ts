// Debian's and Ubuntu's ~/.bashrc, like Arch's and Gentoo's, stop early when the shell is not
// interactive. bash started by sshd for `ssh host cmd` is such a shell, and it does read ~/.bashrc
// (Debian builds bash with SSH_SOURCE_BASHRC), so a hook appended at the end is never reached.
// This module finds that guard, so envset's block can go just above it.
//
// It reads the file as bash would only as far as needed: quotes, comments, heredocs, line
// continuations and compound-command nesting, so a `return` in a function, a heredoc or a
// string is not taken for the guard. Only a guard at the top level of the file counts, and only
// in the shapes people actually write (see the tables in test/support/bashrc-guards.ts); anything else
// means "no guard": envset then appends, as before.

/** The guard's place in the file: lines are 0-based, `end` is the index after its last line. */
export interface InteractiveGuard {
  /** Where envset's block goes: the guard's first line, or the comment lines directly above it. */
  insertAt: number;
  start: number;
  end: number;
  shape: 'test' | 'if' | 'case';
}

/** The 0-based line above which envset's block goes, or undefined (then append). */
export function blockLineAboveGuard(lines: readonly string[]): number | undefined {
  return findInteractiveGuard(lines)?.insertAt;
}

/**
 * The first top-level early return for non-interactive shells in a .bashrc's lines (each without
 * its line terminator; a trailing CR is ignored). Call it on the file without envset's own block.
 */
export function findInteractiveGuard(lines: readonly string[]): InteractiveGuard | undefined {
  const scanned = scan(lines);
  for (let i = 0; i < scanned.length; i++) {
    const first = scanned[i]!;
    if (first.text || first.depthBefore !== 0 || (i > 0 && scanned[i - 1]!.continues)) continue;
    let j = i;
    while (scanned[j]!.continues && j + 1 < scanned.length) j++;
    // Every guard holds a `return`, or starts with `if` or `case`: the other lines of a long
    // .bashrc are passed over without normalizing them (`set --no-verify` with a 1 MiB .bashrc:
    // 0.95 -> 0.84 s by itself; see sources.ts scanOnce for the bench figures of both).
    const raw = scanned
      .slice(i, j + 1)
      .map((s) => s.code)
      .join(' ');
    if (!raw.includes('return') && !/\b(?:if|case)\b/.test(raw)) {
      i = j;
      continue;
    }
    const command = normalize(
      scanned
        .slice(i, j + 1)
        .map((s) => s.code)
        .join(' '),
    );
    let found: { end: number; shape: InteractiveGuard['shape'] } | undefined;
    if (ONE_LINER.test(command)) found = { end: j + 1, shape: 'test' };
    else if (/^(if|case)\b/.test(command)) {
      let k = j;
      while (scanned[k]!.depthAfter > 0 && k + 1 < scanned.length) k++;
      if (scanned[k]!.depthAfter === 0) {
        const construct = normalize(
          scanned
            .slice(i, k + 1)
            .map((s) => s.code)
            .join('\n'),
        );
        const returns = scanned.slice(i, k + 1).some((s) => s.returns);
        if (returns && IF_HEAD.test(construct)) found = { end: k + 1, shape: 'if' };
        else if (returns && CASE_HEAD.test(construct)) found = { end: k + 1, shape: 'case' };
      }
    }
    if (found) return { insertAt: commentsAbove(lines, scanned, i), start: i, end: found.end, shape: found.shape };
    i = j;
  }
  return undefined;
}

// ---- the shapes of a guard, matched on normalized code (see normalize) ----

const PS1 = String.raw`\$(?:PS1|\{PS1(?::?-)?\})`;
const DASH = String.raw`\$(?:-|\{-\})`;
const NON_INTERACTIVE_TESTS = [
  String.raw`\[ -z ${PS1} \]`,
  String.raw`\[\[ -z ${PS1} \]\]`,
  `test -z ${PS1}`,
  String.raw`\[\[ ${DASH} != \*i\* \]\]`,
  String.raw`\[\[ ! ${DASH} ==? \*i\* \]\]`,
  String.raw`\[\[ ! ${DASH} =~ i \]\]`,
];
const INTERACTIVE_TESTS = [
  String.raw`\[ -n ${PS1} \]`,
  String.raw`\[\[ -n ${PS1} \]\]`,
  `test -n ${PS1}`,
  String.raw`\[ ${PS1} \]`,
  String.raw`\[\[ ${DASH} ==? \*i\* \]\]`,
  String.raw`\[\[ ${DASH} =~ i \]\]`,
];
const NON_INTERACTIVE = `(?:${[...NON_INTERACTIVE_TESTS, ...INTERACTIVE_TESTS.map((t) => `! ${t}`)].join('|')})`;
const INTERACTIVE = `(?:${[...INTERACTIVE_TESTS, ...NON_INTERACTIVE_TESTS.map((t) => `! ${t}`)].join('|')})`;
const RETURN = 'return(?: [0-9]+)?';
const SEP = String.raw`(?: ?; ?|\n)`;

/** `[ -z "$PS1" ] && return`, `[[ $- == *i* ]] || return`, ... */
const ONE_LINER = new RegExp(String.raw`^(?:${NON_INTERACTIVE} ?&& ?${RETURN}|${INTERACTIVE} ?\|\| ?${RETURN}) ?;?$`);
/**
 * `if [[ $- != *i* ]]; then return; fi` and every other top-level `if` on interactivity whose body
 * returns (Gentoo's has a comment in it; others print something first): above it is above the return.
 */
const IF_HEAD = new RegExp(String.raw`^if (?:${NON_INTERACTIVE}|${INTERACTIVE})${SEP}then\b`);
/** Debian's `case $- in *i*) ;; *) return;; esac`, and any top-level `case $-` with a return in it. */
const CASE_HEAD = new RegExp(String.raw`^case ${DASH} in\b`);

/** Double quotes dropped (a guard quotes `$PS1` or not), blanks collapsed, empty lines dropped. */
function normalize(code: string): string {
  return code
    .replaceAll('"', '')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

/** The guard's first line, moved up over the comment lines directly above it ("# If not running interactively..."). */
function commentsAbove(lines: readonly string[], scanned: readonly Scanned[], start: number): number {
  let at = start;
  while (at > 0) {
    const above = scanned[at - 1]!;
    if (above.text || above.depthBefore !== 0 || above.continues || !/^\s*#/.test(lines[at - 1]!)) break;
    at--;
  }
  return at;
}

// ---- a small bash lexer: just enough to know what is code, and how deeply nested ----

interface Scanned {
  /** The line's code with its comment removed ('' for a comment or blank line). */
  code: string;
  /** Nesting of compound commands (if, case, do, { }) before and after the line. */
  depthBefore: number;
  depthAfter: number;
  /** The line is heredoc body, or starts inside a string begun on an earlier line. */
  text: boolean;
  /** The command goes on: an open quote or a trailing backslash. */
  continues: boolean;
  /** A `return` command starts on this line. */
  returns: boolean;
}

const OPENERS = new Set(['if', 'case', 'do', '{']);
const CLOSERS = new Set(['fi', 'esac', 'done', '}']);
/** Words after which the next word is again a command (so `if`, `{` ... there are keywords). */
const PREFIXES = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time']);

function scan(lines: readonly string[]): Scanned[] {
  const out: Scanned[] = [];
  let depth = 0;
  let quote: "'" | '"' | "$'" | undefined;
  let heredocs: { tag: string; dash: boolean }[] = [];
  let inHeredoc: { tag: string; dash: boolean }[] = [];
  let continued = false;
  let commandPosition = true;
  let functionName = false;

  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (inHeredoc.length > 0) {
      const body = inHeredoc[0]!.dash ? line.replace(/^\t+/, '') : line;
      if (body === inHeredoc[0]!.tag) inHeredoc.shift();
      out.push({ code: '', depthBefore: depth, depthAfter: depth, text: true, continues: false, returns: false });
      continue;
    }
    const depthBefore = depth;
    const text = quote !== undefined;
    if (!text && !continued) commandPosition = true;
    let code = '';
    let word = '';
    let returns = false;
    continued = false;

    const endWord = () => {
      if (word === '') return;
      if (commandPosition && word === 'return') returns = true;
      if (commandPosition && OPENERS.has(word)) depth++;
      else if (commandPosition && CLOSERS.has(word)) depth--;
      if (functionName) {
        functionName = false;
        commandPosition = true;
      } else if (commandPosition && word === 'function') {
        functionName = true;
        commandPosition = false;
      } else commandPosition = commandPosition && PREFIXES.has(word);
      word = '';
    };

    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quote === "'") {
        code += c;
        word += c;
        if (c === "'") quote = undefined;
        continue;
      }
      if (quote === '"' || quote === "$'") {
        code += c;
        word += c;
        if (c === '\\' && i + 1 < line.length) {
          code += line[++i]!;
          word += line[i]!;
        } else if (c === (quote === '"' ? '"' : "'")) quote = undefined;
        continue;
      }
      if (c === '\\') {
        if (i + 1 === line.length) {
          continued = true;
          break;
        }
        code += c + line[i + 1]!;
        word += c + line[++i]!;
        continue;
      }
      if (c === '#' && word === '') break; // a comment: `#` only starts one at the start of a word
      if (c === "'" || c === '"') {
        quote = c;
      } else if (c === '$' && line[i + 1] === "'") {
        quote = "$'";
        code += c;
        word += c;
        i++;
        code += "'";
        word += "'";
        continue;
      } else if (c === ' ' || c === '\t') {
        endWord();
        code += c;
        continue;
      } else if (c === '<' && line.startsWith('<<<', i)) {
        endWord(); // a here-string, not a heredoc
        code += '<<<';
        i += 2;
        continue;
      } else if (c === '<' && line[i + 1] === '<') {
        const opener = /^<<(-?)[ \t]*(['"]?)([^\s'"<>;&|()]+)\2/.exec(line.slice(i));
        if (opener) {
          endWord();
          heredocs.push({ tag: opener[3]!, dash: opener[1] === '-' });
          code += opener[0];
          i += opener[0].length - 1;
          continue;
        }
      } else if (';&|()<>'.includes(c)) {
        endWord();
        code += c;
        // Redirections take a file name next; every other operator starts a new command.
        if (c !== '<' && c !== '>') commandPosition = true;
        continue;
      }
      code += c;
      word += c;
    }
    if (quote === undefined) endWord();
    if (quote !== undefined) {
      code += '\n';
      word += '\n';
    }
    if (!continued && quote === undefined) {
      inHeredoc = heredocs;
      heredocs = [];
    }
    out.push({ code, depthBefore, depthAfter: depth, text, continues: continued || quote !== undefined, returns });
  }
  return out;
}
