// Literals for the shells beyond the POSIX family, fish and PowerShell: csh/tcsh, xonsh, Nushell
// and Elvish. Each `quote*` returns one word of the shell's own syntax that means exactly the
// value and never runs any of it; each `cannotHold*` names, in one sentence, why that shell could
// not read the value back exactly (the value is then refused for that shell, never mangled).
// What each shell does with each character was measured on the real shells; docs/shells.md has
// the versions and the experiments.

/** Lone UTF-16 surrogates have no UTF-8 form: written to a file they would become U+FFFD. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const common = (value: string): string | undefined => {
  if (value.includes('\0')) return 'it contains a NUL byte, which no shell can hold';
  if (LONE_SURROGATE.test(value)) return 'it contains a lone UTF-16 surrogate, which has no UTF-8 form';
  return undefined;
};

/**
 * csh and tcsh: `'...'`. Inside single quotes `$` and backquotes are literal, but history
 * substitution still acts on `!` (in sourced files and `-c` too, not only at the prompt), so each
 * `!` is written `\!`; a line break is written as backslash-newline, which both shells turn into a
 * newline inside quotes; a `'` closes the quote and is written `'\''`. Any other backslash is literal.
 */
export const quoteCsh = (value: string) => `'${value.replace(/['!\n]/g, (c) => (c === "'" ? `'\\''` : `\\${c}`))}'`;

/** The longest word (in bytes) Debian's bsd-csh 20110502 reads: longer ones fail with "Word too long". */
export const BSD_CSH_MAX_WORD = 8187;

/** tcsh (6.24) reads every value without NUL exactly. */
export const cannotHoldTcsh = (value: string): string | undefined => common(value);

/**
 * csh (Debian's bsd-csh): as tcsh, and a word is at most 8187 bytes as its lexer keeps it: the
 * quoted text, less the backslash of each `\!` (measured: 8185 `x` or 8185 `!` fit, 8186 do not;
 * the backslash of a backslash-newline and the whole `'\''` do count).
 */
export function cannotHoldCsh(value: string): string | undefined {
  const problem = common(value);
  if (problem) return problem;
  const bytes = Buffer.byteLength(quoteCsh(value), 'utf8') - (value.match(/!/g)?.length ?? 0);
  if (bytes > BSD_CSH_MAX_WORD)
    return `csh (bsd-csh) cannot read a word longer than ${BSD_CSH_MAX_WORD} bytes, and this value quoted is ${bytes}`;
  return undefined;
}

/**
 * xonsh: a plain Python string literal `'...'` (no prefix, so neither xonsh's `$VAR`/`@(...)`
 * expansion nor an f-string ever applies), written in ASCII only: every character outside
 * printable ASCII is an escape (`\n`, `\t`, `\xNN`, `\uNNNN`, `\UNNNNNNNN`). So the file means the
 * same whatever $XONSH_ENCODING is, and no Unicode line separator can end the line early.
 */
export function quoteXonsh(value: string): string {
  let out = "'";
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\' || ch === "'") out += `\\${ch}`;
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x100) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}'`;
}

/**
 * xonsh (0.13) holds every value without NUL, except that it takes a variable whose name ends in
 * PATH or DIRS for a list of folders and expands `~` and `$VARIABLES` in each entry before a
 * program gets it (measured: `a:~/b` became `a:/home/u/b`); such a value is refused for such a name.
 */
export function cannotHoldXonsh(value: string, name = ''): string | undefined {
  const problem = common(value);
  if (problem) return problem;
  if (/(PATH|DIRS)$/.test(name) && /[~$]/.test(value)) {
    return `xonsh takes a variable whose name ends in PATH or DIRS for a list of folders and expands ~ and $VARIABLES in it, so ${name} would not keep this value`;
  }
  return undefined;
}

/**
 * Nushell: a raw string `r#'...'#`, inside which nothing is special; it ends at the first `'`
 * followed by as many `#` as opened it. Nushell 0.115 starts that search at the opening quote
 * itself, so `r#'#x'#` ends right away: the `#`s that begin the value count as following a `'`.
 * So it opens with one `#` more than the longest run of `#` after a `'` in `'` + value.
 */
export function quoteNu(value: string): string {
  let longest = 0;
  for (const match of `'${value}`.matchAll(/'(#+)/g)) longest = Math.max(longest, match[1]!.length);
  const hashes = '#'.repeat(longest + 1);
  return `r${hashes}'${value}'${hashes}`;
}

/** Nushell (0.115) reads every value without NUL exactly, CR and CRLF included. */
export const cannotHoldNu = (value: string): string | undefined => common(value);

/** Elvish: `'...'`, inside which nothing is special except `'` itself, written `''`. */
export const quoteElvish = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** Elvish (0.19) holds every value without NUL. */
export const cannotHoldElvish = (value: string): string | undefined => common(value);
