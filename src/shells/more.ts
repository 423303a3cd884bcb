// Pure pieces for csh/tcsh, xonsh, Nushell and Elvish, ready to become shell records: the env
// file line, how a hook names a file under the home, the probe that prints NAME between
// sentinels, and how a hand-written definition of NAME looks. Measured on the shells named in
// docs/shells.md; nothing here starts a process or touches a file.
import { quoteCsh, quoteElvish, quoteNu, quoteXonsh } from './quote-more.js';

export type MoreShellId = 'tcsh' | 'csh' | 'xonsh' | 'nu' | 'elvish';

/**
 * A sentinel written as two adjacent literals, so that an echo of the probe's own text (a
 * terminal echoing typed input, csh's `set echo`/`verbose`) never contains the sentinel itself.
 */
const split = (sentinel: string, join: (a: string, b: string) => string) => {
  const middle = Math.floor(sentinel.length / 2);
  return join(sentinel.slice(0, middle), sentinel.slice(middle));
};

/**
 * csh and tcsh, one line (a terminal prints a prompt between typed lines, which would land
 * between the sentinels). `unset NAME` first: `$NAME` means a shell variable before the
 * environment, and only the environment reaches programs. `echo_style=bsd` makes tcsh's echo
 * take `-n` and no backslash escapes whatever a startup file chose (bsd-csh's echo always does).
 * csh substitutes variables on the whole line before `if` decides, so the value is read inside
 * `eval '...'`, substituted only when that runs; `:q` keeps it one word, never globbed or re-read.
 * `unset savehist` keeps an interactive or login start from writing ~/.history as it exits.
 */
export function probeCsh(name: string, begin: string, end: string): string {
  const literal = (s: string) => split(s, (a, b) => `'${a}''${b}'`);
  return [
    'set echo_style=bsd',
    'unset savehist',
    `unset ${name}`,
    `echo -n ${literal(begin)}`,
    `if ($?${name}) echo set`,
    `if ($?${name} == 0) echo unset`,
    `if ($?${name}) eval 'echo -n $${name}:q'`,
    `echo -n ${literal(end)}`,
  ].join('; ') + '\n';
}

/**
 * xonsh: what a child would get (`detype()` is the environment xonsh gives programs), written as
 * bytes, with the text layer flushed first so nothing a startup file printed lands in between.
 */
export function probeXonsh(name: string, begin: string, end: string): string {
  const literal = (s: string) => split(s, (a, b) => `b'${a}' b'${b}'`);
  return [
    'import sys as _envset_sys',
    `_envset_v = \${...}.detype().get('${name}')`,
    '_envset_sys.stdout.flush()',
    `_envset_sys.stdout.buffer.write(${literal(begin)} + (b'unset\\n' if _envset_v is None else b'set\\n' + _envset_v.encode('utf-8', 'surrogateescape')) + ${literal(end)})`,
    '_envset_sys.stdout.buffer.flush()',
  ].join('; ');
}

/** Nushell: the text the probe prints, as one expression (see probeNu). */
export function probeNuText(name: string, begin: string, end: string): string {
  const literal = (s: string) => split(s, (a, b) => `'${a}' + '${b}'`);
  return `(${literal(begin)} + (if ('${name}' in $env) { "set\n" + ($env | get ${name}) } else { "unset\n" }) + ${literal(end)})`;
}

/**
 * Nushell; one `print`, since each costs about 30 ms on a pipe (0.115). With `exit`, an `-e`
 * start ends before its REPL would wait for a terminal.
 */
export const probeNu = (name: string, begin: string, end: string, options: { exit?: boolean } = {}) =>
  `print -n ${probeNuText(name, begin, end)}${options.exit ? '; exit' : ''}`;

/** Elvish; one line, since the interactive reader runs it as typed input. */
export function probeElvish(name: string, begin: string, end: string): string {
  const literal = (s: string) => split(s, (a, b) => `'${a}'"${b}"`);
  return `print ${literal(begin)}; if (has-env ${name}) { print "set\\n"(get-env ${name}) } else { print "unset\\n" }; print ${literal(end)}\n`;
}

/** One line of an env file that envset writes. */
export const envLines = {
  csh: (name: string, value: string) => `setenv ${name} ${quoteCsh(value)}`,
  xonsh: (name: string, value: string) => `$${name} = ${quoteXonsh(value)}`,
  nu: (name: string, value: string) => `$env.${name} = ${quoteNu(value)}`,
  elvish: (name: string, value: string) => `set-env ${name} ${quoteElvish(value)}`,
} as const;

/**
 * How a hook names `rel` (a path relative to the home, `/`-separated) so the hook stays right if
 * the home moves; `absolute` is for an env file outside the home.
 */
export const homePaths = {
  csh: (rel: string) => `"$HOME"${quoteCsh(`/${rel}`)}`,
  xonsh: (rel: string) => `$HOME + ${quoteXonsh(`/${rel}`)}`,
  // $nu.home-dir is a constant at parse time, as `source` needs.
  nu: (rel: string) => `($nu.home-dir | path join ${quoteNu(rel)})`,
  elvish: (rel: string) => `$E:HOME${quoteElvish(`/${rel}`)}`,
} as const;

export const absolutePaths = {
  csh: quoteCsh,
  xonsh: quoteXonsh,
  nu: quoteNu,
  elvish: quoteElvish,
} as const;

const escapeRe = (name: string) => name.replace(/[^A-Za-z0-9_]/g, (c) => `\\${c}`);

/**
 * Hand-written definitions of NAME, one regex per line form (for `status` and conflicts). They
 * match at the start of a line after blanks; a commented line never matches.
 */
export const definitionPatterns: Record<'csh' | 'xonsh' | 'nu' | 'elvish', (name: string) => RegExp[]> = {
  // `setenv NAME value` (and `setenv NAME` alone, which sets it empty); `set NAME=` is a shell
  // variable that programs never see, so it is not a definition of the environment variable.
  csh: (name) => [new RegExp(`^\\s*setenv\\s+${escapeRe(name)}(\\s|$)`)],
  xonsh: (name) => [
    new RegExp(`^\\s*\\$${escapeRe(name)}\\s*=(?!=)`),
    new RegExp(`^\\s*\\$\\{\\s*\\.\\.\\.\\s*\\}\\s*\\[\\s*(['"])${escapeRe(name)}\\1\\s*\\]\\s*=(?!=)`),
    new RegExp(`^\\s*(?:os\\.)?environ\\s*\\[\\s*(['"])${escapeRe(name)}\\1\\s*\\]\\s*=(?!=)`),
  ],
  nu: (name) => [
    new RegExp(`^\\s*\\$env\\.(?:${escapeRe(name)}|"${escapeRe(name)}"|'${escapeRe(name)}'|\`${escapeRe(name)}\`)\\s*=(?!=)`),
    new RegExp(`^\\s*load-env\\b.*[{,\\s](?:${escapeRe(name)}|"${escapeRe(name)}"|'${escapeRe(name)}')\\s*:`),
  ],
  elvish: (name) => [
    new RegExp(`^\\s*set-env\\s+(?:${escapeRe(name)}|'${escapeRe(name)}'|"${escapeRe(name)}")(\\s|$)`),
    new RegExp(`^\\s*(?:set|var)\\s+(?:[^=]*\\s)?E:${escapeRe(name)}(\\s|=)`),
  ],
};
