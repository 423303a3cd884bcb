// Random values for property tests of targets that are not shells (environment.d, ...): the same
// mix as test/e2e/guarantees/property.test.ts uses for the shells, plus pieces of environment.d's
// own syntax. The shells' property tests import SPECIAL and wellFormed from here.
import fc from 'fast-check';

/** Lone surrogates become U+FFFD, as any UTF-8 encoder would do (ES2024 toWellFormed). */
export const wellFormed = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

/** Characters shells, quoting and envset's own parsers care about. */
export const SPECIAL = [
  "'",
  '"',
  '\\',
  '$',
  '`',
  '\n',
  '\r',
  '\r\n',
  '\t',
  ' ',
  '!',
  '%',
  '#',
  ';',
  '&',
  '|',
  '(',
  ')',
  '{',
  '}',
  '*',
  '?',
  '~',
  '^',
  '<',
  '>',
  '=',
  '\x01',
  '\x1b',
  '\x7f',
  '\x85',
  '\u2018',
  '\u2019',
  '\u201a',
  '\u201b',
  '\u2028',
  '\ufeff',
  '\uf600',
  '\u{1f511}',
  '\u{10ffff}',
  'é',
  '日',
];

/** Pieces of environment.d syntax: expansions, escapes, quotes, comments. */
export const ENVD_PIECES = [
  '$HOME',
  '${HOME}',
  '$$',
  '${X:-d}',
  '${X:+a}',
  '${',
  '$X',
  '\\$',
  '\\\\',
  '\\"',
  "'$X'",
  '"$X"',
  '#',
  ';',
  ' #c',
  '=',
  '$1',
  '$-',
];

/** A value: up to six pieces of binary, special, grapheme or syntax text; now and then empty. NUL never. */
export function valueArbitrary(extra: readonly string[] = ENVD_PIECES): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }).map(wellFormed) },
    { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...SPECIAL), maxLength: 8 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
    { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...extra), maxLength: 4 }) },
  );
  const text = fc.array(piece, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('').replaceAll('\0', ''));
  return fc.oneof({ weight: 1, arbitrary: fc.constant('') }, { weight: 40, arbitrary: text });
}
