// environment.d(5): the files systemd's user manager reads at login, through its generator
// (/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator), and passes to
// user services and to the apps of desktop sessions started through it.
//
// The format is not a shell's. Measured against systemd 252's generator (test/e2e/envd-lab.test.ts):
// - A value is read like a shell word (quotes, backslashes), then `$NAME`, `${NAME}`, `${A:-B}` and
//   `${A:+B}` are expanded in the result, so `$` expands even inside single quotes, and `\$` does
//   not help (the backslash is gone before expansion). `$$` is the one way to write a literal `$`.
// - Inside double quotes only `"`, `\`, `` ` `` and `$` may be backslash-escaped; any other `\x`
//   stays as it is. Leading and trailing blanks survive only inside quotes. `#` after `=` is text.
// - An empty value (`NAME=` or `NAME=""`) is dropped as "invalid syntax".
// - The generator prints what it read for the manager as `NAME=value`, double-quoted where needed,
//   but writes control characters (tab, line break, CR, ESC, DEL ...) as C escapes (`\t`, `\n`,
//   `\033`) that the manager's reader (the same parser, without expansion) keeps as a backslash and
//   a letter: a value with a control character cannot reach a program intact.
// - Values must be UTF-8 as systemd defines it: no Unicode noncharacters (U+FDD0..U+FDEF and the
//   last two code points of every plane, U+FFFE, U+FFFF, U+1FFFE ... U+10FFFF). systemd 252's
//   generator logs "invalid UTF-8" for such a value and then aborts (double free), so that one
//   value would take every environment.d variable of the session with it.
// So envset writes every value in double quotes with `\` `"` escaped and `$` doubled, and refuses
// an empty value and control characters.

/** envset's file in `${XDG_CONFIG_HOME:-~/.config}/environment.d/`. */
export const ENVD_FILE_NAME = '60-envset.conf';

const HEADER = '# Written by envset; change with `envset set` and `envset unset`, not by hand.';

const CONTROL_NAMES: Record<string, string> = { '\n': 'a line break', '\r': 'a carriage return', '\t': 'a tab' };

// A value from --from-env can hold one; it has no UTF-8 form, and systemd skips invalid UTF-8.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why an environment.d file cannot carry this value to programs, in one sentence; undefined if it can. */
export function envdCannotHold(value: string): string | undefined {
  if (value === '') return 'environment.d cannot hold an empty value: systemd ignores an empty assignment as invalid syntax.';
  const control = /[\x00-\x1f\x7f]/.exec(value)?.[0];
  if (control !== undefined) {
    const what = CONTROL_NAMES[control] ?? `a control character (U+${control.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`;
    return `The value contains ${what}, which environment.d cannot pass on: systemd hands control characters to programs as backslash escapes.`;
  }
  const nonchar = noncharacter(value);
  if (nonchar !== undefined)
    return `The value contains the Unicode noncharacter U+${nonchar.toString(16).toUpperCase().padStart(4, '0')}, which systemd rejects in environment.d (and its generator crashes on).`;
  if (LONE_SURROGATE.test(value)) return 'The value is not valid Unicode text (a lone surrogate), which environment.d cannot hold.';
  return undefined;
}

/** The first noncharacter's code point: U+FDD0..U+FDEF, or U+xFFFE/U+xFFFF in any plane. */
function noncharacter(value: string): number | undefined {
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe) return cp;
  }
  return undefined;
}

/** The right-hand side of `NAME=...` in an environment.d file that systemd reads back as exactly `value`. */
export function quoteEnvironmentD(value: string): string {
  return `"${value.replace(/[\\"$]/g, (c) => (c === '$' ? '$$' : `\\${c}`))}"`;
}

/** The whole text of envset's environment.d file. Throws for a value envdCannotHold refuses: check first. */
export function renderEnvironmentD(vars: readonly { name: string; value: string }[]): string {
  const lines = vars.map(({ name, value }) => {
    const why = envdCannotHold(value);
    if (why) throw new Error(`renderEnvironmentD: ${name}: ${why}`);
    return `${name}=${quoteEnvironmentD(value)}`;
  });
  return [HEADER, ...lines].join('\n') + '\n';
}

const WHITESPACE = ' \t\n\r';
const NEWLINE = '\n\r';
const COMMENTS = '#;';
const SHELL_NEED_ESCAPE = '"\\`$';

type State = 'preKey' | 'key' | 'preValue' | 'value' | 'valueEscape' | 'single' | 'double' | 'doubleEscape' | 'comment' | 'commentEscape';

/**
 * The assignments in env-file text as systemd's reader takes them, without expansion: what the
 * user manager makes of the generator's output (systemd's parse_env_file_internal, followed state
 * by state; a later assignment of a name replaces an earlier one). For verification: run the real
 * generator, read its stdout with this, compare with the stored value.
 */
export function parseGeneratorOutput(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let state: State = 'preKey';
  let key = '';
  let value: string | undefined;
  let lastKeyWhitespace = -1;
  let lastValueWhitespace = -1;
  const append = (s: string) => (value = (value ?? '') + s);
  const push = (chompValue: boolean) => {
    let v = value ?? '';
    if (chompValue && lastValueWhitespace >= 0) v = v.slice(0, lastValueWhitespace);
    out.set(lastKeyWhitespace >= 0 ? key.slice(0, lastKeyWhitespace) : key, v);
    key = '';
    value = undefined;
  };

  for (const c of text) {
    switch (state) {
      case 'preKey':
        if (COMMENTS.includes(c)) state = 'comment';
        else if (!WHITESPACE.includes(c)) {
          state = 'key';
          lastKeyWhitespace = -1;
          key += c;
        }
        break;
      case 'key':
        if (NEWLINE.includes(c)) {
          state = 'preKey';
          key = '';
        } else if (c === '=') {
          state = 'preValue';
          lastValueWhitespace = -1;
        } else {
          if (!WHITESPACE.includes(c)) lastKeyWhitespace = -1;
          else if (lastKeyWhitespace < 0) lastKeyWhitespace = key.length;
          key += c;
        }
        break;
      case 'preValue':
        if (NEWLINE.includes(c)) {
          state = 'preKey';
          push(false);
        } else if (c === "'") state = 'single';
        else if (c === '"') state = 'double';
        else if (c === '\\') state = 'valueEscape';
        else if (!WHITESPACE.includes(c)) {
          state = 'value';
          append(c);
        }
        break;
      case 'value':
        if (NEWLINE.includes(c)) {
          state = 'preKey';
          push(true);
        } else if (c === '\\') {
          state = 'valueEscape';
          lastValueWhitespace = -1;
        } else {
          if (!WHITESPACE.includes(c)) lastValueWhitespace = -1;
          else if (lastValueWhitespace < 0) lastValueWhitespace = (value ?? '').length;
          append(c);
        }
        break;
      case 'valueEscape':
        state = 'value';
        if (!NEWLINE.includes(c)) append(c);
        break;
      case 'single':
        if (c === "'") state = 'preValue';
        else append(c);
        break;
      case 'double':
        if (c === '"') state = 'preValue';
        else if (c === '\\') state = 'doubleEscape';
        else append(c);
        break;
      case 'doubleEscape':
        state = 'double';
        if (SHELL_NEED_ESCAPE.includes(c)) append(c);
        else if (c !== '\n') append(`\\${c}`);
        break;
      case 'comment':
        if (c === '\\') state = 'commentEscape';
        else if (NEWLINE.includes(c)) state = 'preKey';
        break;
      case 'commentEscape':
        state = NEWLINE.includes(c) ? 'preKey' : 'comment';
        break;
    }
  }
  if (state !== 'preKey' && state !== 'key' && state !== 'comment' && state !== 'commentEscape') push(state === 'value');
  return out;
}
