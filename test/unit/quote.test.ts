import { describe, expect, it } from 'vitest';
import { quoteFish, quotePosix, quotePwsh } from '../../src/shells/quote.js';

describe('quotePosix', () => {
  it.each([
    ['plain', 'abc', `'abc'`],
    ['empty', '', `''`],
    ['single quote', `it's`, `'it'\\''s'`],
    ['only quotes', `''`, `''\\'''\\'''`],
    ['dollar and backticks stay literal', '$(x) `y` ${z}', `'$(x) \`y\` \${z}'`],
    ['backslash stays literal', 'a\\b\\', `'a\\b\\'`],
    ['newline stays inside', 'a\nb', `'a\nb'`],
  ])('%s', (_, input, expected) => expect(quotePosix(input)).toBe(expected));
});

describe('quoteFish', () => {
  it.each([
    ['plain', 'abc', `'abc'`],
    ['single quote', `it's`, `'it\\'s'`],
    ['backslash', 'a\\b', `'a\\\\b'`],
    ['trailing backslash', 'a\\', `'a\\\\'`],
    ['dollar stays literal', '$HOME (x)', `'$HOME (x)'`],
  ])('%s', (_, input, expected) => expect(quoteFish(input)).toBe(expected));
});

describe('quotePwsh', () => {
  it.each([
    ['plain', 'abc', `'abc'`],
    ['single quote doubled', `it's`, `'it''s'`],
    ['typographic quotes doubled', 'a\u2018b\u2019c\u201ad\u201be', `'a\u2018\u2018b\u2019\u2019c\u201a\u201ad\u201b\u201be'`],
    ['double quotes and $ stay', '"$env:X" `n', `'"$env:X" \`n'`],
    ['backslash stays', 'C:\\x\\', `'C:\\x\\'`],
  ])('%s', (_, input, expected) => expect(quotePwsh(input)).toBe(expected));
});
