// Pure pieces of the records of csh/tcsh, xonsh, Nushell and Elvish (src/shells/index.ts): the
// env file line, how a hook names the env file, the probe that prints what printenv gets for NAME
// between sentinels, and how a hand-written definition of NAME looks. Measured on the shells named
// in docs/shells.md; nothing here starts a process or touches a file.
import { quoteCsh, quoteElvish, quoteNu, quoteXonsh } from './quote-csh-xonsh-nu-elvish.js';

/**
 * A sentinel written as two adjacent literals, so that an echo of the probe's own text (a
 * terminal echoing typed input, csh's `set echo`/`verbose`) never contains the sentinel itself.
 */
const split = (sentinel: string, join: (a: string, b: string) => string) => {
  const middle = Math.floor(sentinel.length / 2);
  return join(sentinel.slice(0, middle), sentinel.slice(middle));
};

/**
 * The probes print, between the sentinels, what the external program `printenv NAME` wrote (the
 * value and a newline, or nothing), a newline, and its exit status, as the POSIX probes do (see
 * readProbe in src/verify.ts): a value that reached the shell but that no program can be started
 * with is not a success. Where the shell knows the program could not be run (it could not start,
 * or the shell has NAME and printenv says it has not), the status is 126, "could not run".
 */

/**
 * csh and tcsh, one line (a terminal prints a prompt between typed lines, which would land
 * between the sentinels). `\env` (quoted: no alias applies) runs printenv from PATH: csh's and
 * tcsh's own `printenv` are builtins, which see the shell's environment, not a program's.
 * `unset NAME` drops a shell variable of that name, so `$?NAME` asks about the environment; an
 * exec failure in csh is status 1, like "not set", hence the check. `echo_style=bsd` makes tcsh's
 * echo take `-n` whatever a startup file chose. `unset savehist` keeps an interactive or login
 * start from writing ~/.history as it exits.
 */
export function probeCsh(name: string, begin: string, end: string): string {
  const literal = (s: string) => split(s, (a, b) => `'${a}''${b}'`);
  return (
    [
      'set echo_style=bsd',
      'unset savehist',
      `unset ${name}`,
      `echo -n ${literal(begin)}`,
      `\\env printenv ${name}`,
      'set _envset_s=$status',
      `if ($_envset_s == 1 && $?${name}) set _envset_s=126`,
      'echo ""',
      `echo -n $_envset_s${literal(end)}`,
    ].join('; ') + '\n'
  );
}

/**
 * xonsh: printenv started with the environment xonsh gives programs (`detype()`), writing straight
 * to the same stdout, after the text layer is flushed so nothing a startup file printed lands in
 * between. Every statement is an assignment: xonsh would print the value of a bare expression.
 */
export function probeXonsh(name: string, begin: string, end: string): string {
  const literal = (s: string) => split(s, (a, b) => `b'${a}' b'${b}'`);
  return [
    'import sys as _envset_sys, subprocess as _envset_sp',
    `_envset_w = _envset_sys.stdout.flush(); _envset_w = _envset_sys.stdout.buffer.write(${literal(begin)}); _envset_w = _envset_sys.stdout.buffer.flush()`,
    'try:',
    `    _envset_s = _envset_sp.run(['printenv', '${name}'], env=\${...}.detype()).returncode`,
    'except OSError:',
    '    _envset_s = 126',
    `_envset_w = _envset_sys.stdout.buffer.write(b'\\n' + str(_envset_s).encode() + ${literal(end)}); _envset_w = _envset_sys.stdout.buffer.flush()`,
  ].join('\n');
}

/**
 * Nushell: `^printenv` (the external program, never a custom command) into `complete`, which
 * takes its output and status without failing on a non-zero one; one `print`, since each costs
 * about 30 ms on a pipe (0.115). Run with `-e 'PROBE; exit'`: without `exit` an `-e` start would
 * go on to its REPL and wait for a terminal.
 */
export function probeNu(name: string, begin: string, end: string): string {
  const literal = (s: string) => split(s, (a, b) => `'${a}' + '${b}'`);
  return [
    `let envset_r = (try { ^printenv '${name}' | complete } catch { {stdout: '', exit_code: 126} })`,
    `print -n (${literal(begin)} + $envset_r.stdout + "\\n" + ($envset_r.exit_code | into string) + ${literal(end)})`,
  ].join('; ');
}

/**
 * Elvish, one line, since the interactive reader runs it as typed input. `e:printenv` is the
 * external program; a non-zero exit is an exception that carries the status, any other failure
 * (it could not start) is 126.
 */
export function probeElvish(name: string, begin: string, end: string): string {
  const literal = (s: string) => split(s, (a, b) => `'${a}'"${b}"`);
  return (
    [
      `print ${literal(begin)}`,
      'var envset-s = 0',
      `try { e:printenv ${name} } catch envset-e { set envset-s = (if (has-key $envset-e[reason] exit-status) { put $envset-e[reason][exit-status] } else { put 126 }) }`,
      `print "\\n"$envset-s${literal(end)}`,
    ].join('; ') + '\n'
  );
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
