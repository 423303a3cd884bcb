import { describe, expect, it } from 'vitest';
import { envdCannotHold, parseGeneratorOutput, quoteEnvironmentD, renderEnvironmentD } from '../../src/edit/envd.js';

describe('quoteEnvironmentD', () => {
  it.each([
    ['plain', 'abc', '"abc"'],
    ['$ doubled (a backslash would not stop expansion)', '$HOME ${X} $', '"$$HOME $${X} $$"'],
    ['backslash and double quote escaped', 'a\\b"c', '"a\\\\b\\"c"'],
    ['single quotes and backticks as they are', "it's `x`", '"it\'s `x`"'],
    ['blanks kept inside the quotes', '  a  ', '"  a  "'],
    ['# and ; are text after =', '#x;y', '"#x;y"'],
    ['non-ASCII as it is', 'é🔑', '"é🔑"'],
  ])('%s', (_, value, expected) => expect(quoteEnvironmentD(value)).toBe(expected));
});

describe('envdCannotHold', () => {
  it.each([
    ['a key', 'AIzaSyD-test_key_0123456789abcdefghijklm'],
    ['$ and quotes', `$HOME "x" 'y' \\`],
    ['U+2028, NEL, BOM, U+FFFD', '\u2028\u0085\ufeff\ufffd'],
    ['astral characters that are no noncharacters', '\u{1f511}\u{10fffd}'],
  ])('holds %s', (_, value) => expect(envdCannotHold(value)).toBeUndefined());

  it.each([
    ['empty', '', /empty value/],
    ['a line break', 'a\nb', /contains a line break/],
    ['a carriage return', 'a\rb', /contains a carriage return/],
    ['a tab', 'a\tb', /contains a tab/],
    ['ESC', '\x1b[0m', /control character \(U\+001B\)/],
    ['DEL', '\x7f', /control character \(U\+007F\)/],
    ['U+FFFE', 'a\ufffe', /noncharacter U\+FFFE/],
    ['U+FDD0', '\ufdd0', /noncharacter U\+FDD0/],
    ['U+10FFFF', '\u{10ffff}', /noncharacter U\+10FFFF/],
    ['a lone surrogate', 'a\ud800', /lone surrogate/],
  ])('refuses %s in one sentence', (_, value, message) => {
    const why = envdCannotHold(value);
    expect(why).toMatch(message);
    expect(why!.split(/[.!?](\s|$)/).filter((s) => s.trim()).length).toBe(1);
  });
});

describe('renderEnvironmentD', () => {
  it('writes a header and one line per variable', () => {
    expect(
      renderEnvironmentD([
        { name: 'A', value: 'x$' },
        { name: 'B', value: 'y' },
      ]),
    ).toBe('# Written by envset; change with `envset set` and `envset unset`, not by hand.\nA="x$$"\nB="y"\n');
  });
  it('throws for a value it cannot hold', () => expect(() => renderEnvironmentD([{ name: 'A', value: '' }])).toThrow(/empty/));
});

describe('parseGeneratorOutput (systemd 252 generator output, as the user manager reads it)', () => {
  it.each([
    ['unquoted', 'A=plain\n', { A: 'plain' }],
    ['double-quoted with escapes', 'F="back\\\\slash"\nG="a\\$b"\nH="\\"q\\" \\`x\\`"\n', { F: 'back\\slash', G: 'a$b', H: '"q" `x`' }],
    ['a C escape stays a backslash and a letter', 'T="a\\tb"\nN="l1\\nl2"\n', { T: 'a\\tb', N: 'l1\\nl2' }],
    ['blanks around unquoted values dropped, kept in quotes', 'A=  x  \nB="  y  "\n', { A: 'x', B: '  y  ' }],
    ['single quotes take everything', 'A=\'a\\b "c"\'\n', { A: 'a\\b "c"' }],
    ['comments and blank lines', '# c\n; c\n\nA=1\n', { A: '1' }],
    ['# inside a value is text', 'A=a#b\n', { A: 'a#b' }],
    ['a later assignment wins', 'A=1\nA=2\n', { A: '2' }],
    ['no final newline', 'A="x"', { A: 'x' }],
    ['a backslash-newline continues', 'A=a\\\nb\n', { A: 'ab' }],
    ['quoted parts run together', 'A="a"\'b\'c\n', { A: 'abc' }],
    ['non-ASCII unquoted', 'O=café\n', { O: 'café' }],
  ])('%s', (_, text, expected) => expect(Object.fromEntries(parseGeneratorOutput(text))).toEqual(expected));
});
