import { describe, expect, it } from 'vitest';
import {
  cannotHoldCsh,
  cannotHoldElvish,
  cannotHoldNu,
  cannotHoldTcsh,
  cannotHoldXonsh,
  quoteCsh,
  quoteElvish,
  quoteNu,
  quoteXonsh,
} from '../../src/shells/quote-csh-xonsh-nu-elvish.js';
import {
  definitionPatterns,
  envLines,
  homePaths,
  probeCsh,
  probeElvish,
  probeNu,
  probeXonsh,
} from '../../src/shells/syntax-csh-xonsh-nu-elvish.js';

describe('quoteCsh', () => {
  it.each([
    ['plain', 'abc', `'abc'`],
    ['empty', '', `''`],
    ['single quote', `it's`, `'it'\\''s'`],
    ['bang escaped even inside quotes', 'a!b', `'a\\!b'`],
    ['history forms', '!! !$ !-1', `'\\!\\! \\!$ \\!-1'`],
    ['newline as backslash-newline', 'a\nb', `'a\\\nb'`],
    ['dollar and backquotes stay literal', '$HOME `id` $x:q', `'$HOME \`id\` $x:q'`],
    ['backslash stays literal', 'a\\b\\', `'a\\b\\'`],
    ['backslash before a bang: literal backslash, escaped bang', 'a\\!', `'a\\\\!'`],
    ['backslash before a newline', 'a\\\nb', `'a\\\\\nb'`],
    ['tab, CR and non-ASCII stay', 'a\tb\rc é 🔑', `'a\tb\rc é 🔑'`],
    ['caret and tilde stay', '^a^b ~root', `'^a^b ~root'`],
  ])('%s', (_, input, expected) => expect(quoteCsh(input)).toBe(expected));
});

describe('quoteXonsh', () => {
  it.each([
    ['plain', 'abc', `'abc'`],
    ['empty', '', `''`],
    ['single quote', `it's`, `'it\\'s'`],
    ['backslash', 'a\\b', `'a\\\\b'`],
    ['xonsh expansions stay literal', '$HOME @(x) $(ls) !(ls) ${...}', `'$HOME @(x) $(ls) !(ls) \${...}'`],
    ['line breaks as escapes', 'a\nb\rc\td', `'a\\nb\\rc\\td'`],
    ['control characters', '\x01\x1b\x7f', `'\\x01\\x1b\\x7f'`],
    ['Latin-1 and C1 as \\x', 'é\x85', `'\\xe9\\x85'`],
    ['BMP as \\u', '日\u2028\ufeff', `'\\u65e5\\u2028\\ufeff'`],
    ['astral as \\U', '🔑', `'\\U0001f511'`],
    ['double quote stays', 'say "hi"', `'say "hi"'`],
  ])('%s', (_, input, expected) => expect(quoteXonsh(input)).toBe(expected));

  it('is pure ASCII whatever the value', () => {
    expect(quoteXonsh('naïve 日本 🔑 \u2029')).toMatch(/^[\x20-\x7e]*$/);
  });
});

describe('quoteNu', () => {
  it.each([
    ['plain', 'abc', `r#'abc'#`],
    ['empty', '', `r#''#`],
    ['single quote', `it's`, `r#'it's'#`],
    ['quote then hash needs two', `a'#b`, `r##'a'#b'##`],
    ['longest run decides', `'#'###x'##`, `r####''#'###x'##'####`],
    ['a leading hash counts as after the opening quote', '#x', `r##'#x'##`],
    ['leading hashes', '###', `r####'###'####`],
    ['hash not after a quote needs nothing', 'a#b#', `r#'a#b#'#`],
    ['trailing quote', `a'`, `r#'a''#`],
    ['nothing else is special', '$env.HOME (ls) "x" \\n\n\r\n', `r#'$env.HOME (ls) "x" \\n\n\r\n'#`],
  ])('%s', (_, input, expected) => expect(quoteNu(input)).toBe(expected));
});

describe('quoteElvish', () => {
  it.each([
    ['plain', 'abc', `'abc'`],
    ['empty', '', `''`],
    ['single quote doubled', `it's`, `'it''s'`],
    ['only quotes', `''`, `''''''`],
    ['nothing else is special', '$E:HOME (echo) "x" \\ \n\r\t', `'$E:HOME (echo) "x" \\ \n\r\t'`],
  ])('%s', (_, input, expected) => expect(quoteElvish(input)).toBe(expected));
});

describe('cannotHold', () => {
  const all = { tcsh: cannotHoldTcsh, csh: cannotHoldCsh, xonsh: cannotHoldXonsh, nu: cannotHoldNu, elvish: cannotHoldElvish };
  it.each(Object.entries(all))('%s holds nasty but valid text', (_, cannotHold) => {
    for (const value of ['', '\'"`$!\\\n\r\t', '!!', 'é日🔑', '\x01\x7f\x85', `r#'x'#`, '#', '-n'])
      expect(cannotHold(value)).toBeUndefined();
  });
  it.each(Object.entries(all))('%s refuses NUL and lone surrogates with one sentence', (_, cannotHold) => {
    expect(cannotHold('a\0b')).toMatch(/NUL/);
    expect(cannotHold('a\ud800b')).toMatch(/surrogate/);
  });
  it.each([
    ['8185 x fit (8187 quoted)', 'x'.repeat(8185), undefined],
    ['8186 x do not', 'x'.repeat(8186), /bsd-csh.*8187 bytes.*8188/],
    ['bytes, not characters', 'é'.repeat(4093), /8188/],
    ['the backslash of \\! does not count', '!'.repeat(8185), undefined],
    ['8186 bangs do not fit', '!'.repeat(8186), /8188/],
    ['backslash-newline counts', 'a\n'.repeat(2729), /8189/],
    ["'\\'' counts", "'".repeat(2047), /8190/],
  ])('csh word limit: %s', (_, value, expected) => {
    if (expected === undefined) expect(cannotHoldCsh(value)).toBeUndefined();
    else expect(cannotHoldCsh(value)).toMatch(expected);
    expect(cannotHoldTcsh(value)).toBeUndefined();
  });
});

describe('env lines', () => {
  it.each([
    ['csh', envLines.csh('K', `a'b!`), `setenv K 'a'\\''b\\!'`],
    ['xonsh', envLines.xonsh('K', `a'b`), `$K = 'a\\'b'`],
    ['nu', envLines.nu('K', `a'b`), `$env.K = r#'a'b'#`],
    ['elvish', envLines.elvish('K', `a'b`), `set-env K 'a''b'`],
  ])('%s', (_, line, expected) => expect(line).toBe(expected));
});

describe('home paths in hooks', () => {
  it.each([
    ['csh', homePaths.csh(".config/envset/it's!/env.csh"), `"$HOME"'/.config/envset/it'\\''s\\!/env.csh'`],
    ['xonsh', homePaths.xonsh('.config/envset/env.xsh'), `$HOME + '/.config/envset/env.xsh'`],
    ['nu', homePaths.nu('.config/envset/env.nu'), `($nu.home-dir | path join r#'.config/envset/env.nu'#)`],
    ['elvish', homePaths.elvish('.config/envset/env.elv'), `$E:HOME'/.config/envset/env.elv'`],
  ])('%s', (_, path, expected) => expect(path).toBe(expected));
});

describe('probes', () => {
  const begin = '__envset_0123456789abcdef_begin__';
  const end = '__envset_0123456789abcdef_end__';
  it.each([
    ['csh', probeCsh('K', begin, end)],
    ['xonsh', probeXonsh('K', begin, end)],
    ['nu', probeNu('K', begin, end)],
    ['elvish', probeElvish('K', begin, end)],
  ])('%s never spells a sentinel out whole (an echo of the probe must not look like its output)', (_, probe) => {
    expect(probe).not.toContain(begin);
    expect(probe).not.toContain(end);
    expect(probe).toContain('K');
  });
  it('csh probe is one line: a terminal prompts between lines', () => {
    expect(probeCsh('K', begin, end).trimEnd()).not.toContain('\n');
  });
});

describe('definitions found by hand', () => {
  const matches = (shell: keyof typeof definitionPatterns, line: string) =>
    definitionPatterns[shell]('GEMINI_API_KEY').some((re) => re.test(line));
  it.each([
    ['csh', 'setenv GEMINI_API_KEY AIza123', true],
    ['csh', '  setenv GEMINI_API_KEY', true],
    ['csh', 'setenv GEMINI_API_KEY_OLD x', false],
    ['csh', '# setenv GEMINI_API_KEY x', false],
    ['csh', 'set GEMINI_API_KEY=x', false],
    ['xonsh', '$GEMINI_API_KEY = "x"', true],
    ['xonsh', "${...}['GEMINI_API_KEY'] = 'x'", true],
    ['xonsh', 'os.environ["GEMINI_API_KEY"] = "x"', true],
    ['xonsh', 'if $GEMINI_API_KEY == "x":', false],
    ['xonsh', '# $GEMINI_API_KEY = "x"', false],
    ['nu', "$env.GEMINI_API_KEY = 'x'", true],
    ['nu', '$env."GEMINI_API_KEY" = "x"', true],
    ['nu', "load-env { GEMINI_API_KEY: 'x' }", true],
    ['nu', "load-env {OTHER: 1, GEMINI_API_KEY: 'x'}", true],
    ['nu', '$env.GEMINI_API_KEY == "x"', false],
    ['elvish', "set-env GEMINI_API_KEY 'x'", true],
    ['elvish', "set E:GEMINI_API_KEY = 'x'", true],
    ['elvish', "set-env GEMINI_API_KEY_2 'x'", false],
    ['elvish', "# set-env GEMINI_API_KEY 'x'", false],
  ] as const)('%s: %s -> %s', (shell, line, expected) => expect(matches(shell, line)).toBe(expected));
});
