import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findRegValue, parseRegExport, type RegEdit, renderRegImport } from '../../src/edit/regfile.js';

const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const HEAD = 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Environment]\r\n';

// The values the Wine lab imported and read back byte for byte (see the Wine suite for the real run).
const NASTY: [string, string][] = [
  ['quotes', 'he said "hi" ""'],
  ['trailing backslash', 'C:\\path\\'],
  ['runs of backslashes', 'a\\\\b\\\\\\c\\\\'],
  ['cmd metacharacters', 'a&b|c^d<e>f%PATH%g!x!'],
  ['brackets, equals, escaped quote', '[x]=y;z @ # = \\"'],
  ['non-ASCII and emoji', 'é 日本 😀 Ω'],
  ['empty', ''],
  ['leading and trailing spaces', '  lead and trail  '],
  ['backslash letters are not escapes', 'lit\\n\\0\\t not escapes'],
  ['raw TAB', 'tab\there'],
  ['Gemini-shaped key', 'AIzaSyD-test_key_0123456789abcdefghijklm'],
];

describe('renderRegImport', () => {
  it('writes UTF-16LE with a BOM, the 5.00 header, the key, CRLF line ends', () => {
    const bytes = renderRegImport([{ name: 'K', type: 'REG_SZ', value: 'v' }]);
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(bytes.subarray(2).toString('utf16le')).toBe(`${HEAD}"K"="v"\r\n\r\n`);
  });

  it.each([
    ['plain', { name: 'A', type: 'REG_SZ', value: 'abc' }, '"A"="abc"'],
    [
      'backslash and quote escaped, nothing else',
      { name: 'A', type: 'REG_SZ', value: 'C:\\x\\ "q" %P% ^&' },
      '"A"="C:\\\\x\\\\ \\"q\\" %P% ^&"',
    ],
    ['expand string as hex(2) with its NUL', { name: 'A', type: 'REG_EXPAND_SZ', value: '%U%' }, '"A"=hex(2):25,00,55,00,25,00,00,00'],
    ['empty expand string is just the NUL', { name: 'A', type: 'REG_EXPAND_SZ', value: '' }, '"A"=hex(2):00,00'],
    ['surrogate pair in hex(2)', { name: 'A', type: 'REG_EXPAND_SZ', value: '😀' }, '"A"=hex(2):3d,d8,00,de,00,00'],
    ['deletion', { name: 'A', delete: true }, '"A"=-'],
  ] satisfies [string, RegEdit, string][])('%s', (_, edit, line) => {
    expect(renderRegImport([edit]).subarray(2).toString('utf16le')).toBe(`${HEAD}${line}\r\n\r\n`);
  });

  it('puts several edits in one file, in order', () => {
    const text = renderRegImport([
      { name: 'A', delete: true },
      { name: 'B', type: 'REG_SZ', value: 'b' },
    ])
      .subarray(2)
      .toString('utf16le');
    expect(text).toBe(`${HEAD}"A"=-\r\n"B"="b"\r\n\r\n`);
  });

  it.each([
    ['LF', 'a\nb'],
    ['CR', 'a\rb'],
    ['NUL', 'a\0b'],
  ])('refuses a value with a %s (reg import would drop or cut it)', (_, value) => {
    expect(() => renderRegImport([{ name: 'A', type: 'REG_SZ', value }])).toThrow(/NUL or line break/);
  });
});

describe('parseRegExport', () => {
  it.each(NASTY)('REG_SZ round trip: %s', (_, value) => {
    const file = renderRegImport([{ name: 'N', type: 'REG_SZ', value }]);
    expect(parseRegExport(file)).toEqual([{ name: 'N', type: 'REG_SZ', value }]);
  });

  it.each(NASTY)('REG_EXPAND_SZ round trip: %s', (_, value) => {
    const file = renderRegImport([{ name: 'N', type: 'REG_EXPAND_SZ', value }]);
    expect(parseRegExport(file)).toEqual([{ name: 'N', type: 'REG_EXPAND_SZ', value }]);
  });

  it('reads a real Wine 8 export: quoted values and hex(2) wrapped over lines', () => {
    const values = parseRegExport(readFileSync(new URL('../fixtures/wine8-hkcu-environment.reg', import.meta.url)));
    const byName = Object.fromEntries(values.map((v) => [v.name, v]));
    // What the lab imported (lab4.js), not what this parser printed.
    expect(byName).toMatchObject({
      ENVSET_T_QUOTE: { type: 'REG_SZ', value: 'he said "hi" ""' },
      ENVSET_T_TRAILBS: { type: 'REG_SZ', value: 'C:\\path\\' },
      ENVSET_T_DOUBLEBS: { type: 'REG_SZ', value: 'a\\\\b\\\\\\c\\\\' },
      ENVSET_T_META: { type: 'REG_SZ', value: 'a&b|c^d<e>f%PATH%g!x!' },
      ENVSET_T_BRACKETS: { type: 'REG_SZ', value: '[x]=y;z @ # = \\"' },
      ENVSET_T_UNICODE: { type: 'REG_SZ', value: 'é 日本 😀 Ω' },
      ENVSET_T_EMPTY: { type: 'REG_SZ', value: '' },
      ENVSET_T_SPACES: { type: 'REG_SZ', value: '  lead and trail  ' },
      ENVSET_T_BSN: { type: 'REG_SZ', value: 'lit\\n\\0\\t not escapes' },
      ENVSET_T_TAB: { type: 'REG_SZ', value: 'tab\there' },
      ENVSET_X_EXPAND: { type: 'REG_EXPAND_SZ', value: '%USERPROFILE%\\bin;%NOPE%\\x\\' },
      ENVSET_X_UNICODE: { type: 'REG_EXPAND_SZ', value: '%APPDATA%\\日本\\😀 "q" é' },
      TEMP: { type: 'REG_SZ', value: 'C:\\users\\root\\Temp' },
    });
    expect(values).toHaveLength(14);
  });

  it.each([
    ['Wine escapes a line feed as \\n', '"A"="x\\ny"', { type: 'REG_SZ', value: 'x\ny' }],
    ['and a carriage return as \\r', '"A"="x\\ry"', { type: 'REG_SZ', value: 'x\ry' }],
    ['a raw line break inside quotes is part of the value', '"A"="x\r\ny"', { type: 'REG_SZ', value: 'x\r\ny' }],
    ['REG_SZ written as hex(1)', '"A"=hex(1):61,00,62,00,00,00', { type: 'REG_SZ', value: 'ab' }],
    ['hex(2) wrapped with spaces and CRLF', '"A"=hex(2):25,00,\\\r\n  55,00,\\\r\n  25,00,00,00', { type: 'REG_EXPAND_SZ', value: '%U%' }],
    ['upper-case hex digits', '"A"=hex(2):4A,00,00,00', { type: 'REG_EXPAND_SZ', value: 'J' }],
    ['hex(2) without its NUL', '"A"=hex(2):61,00', { type: 'REG_EXPAND_SZ', value: 'a' }],
    ['empty hex(2)', '"A"=hex(2):', { type: 'REG_EXPAND_SZ', value: '' }],
    ['a DWORD is another type', '"A"=dword:00000001', { type: 'other', value: 'dword:00000001' }],
    ['binary is another type', '"A"=hex:01,02', { type: 'other', value: 'hex:01,02' }],
    ['multi-string is another type', '"A"=hex(7):61,00,00,00,00,00', { type: 'other', value: 'hex(7):61,00,00,00,00,00' }],
  ])('%s', (_, line, expected) => {
    expect(parseRegExport(utf16(`${HEAD}${line}\r\n"B"="after"\r\n\r\n`))).toEqual([
      { name: 'A', ...expected },
      { name: 'B', type: 'REG_SZ', value: 'after' },
    ]);
  });

  it('reads only HKEY_CURRENT_USER\\Environment, not its subkeys or other keys', () => {
    const text =
      'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\X]\r\n"A"="no"\r\n\r\n' +
      '[hkey_current_user\\environment]\r\n"A"="yes"\r\n@="default"\r\n\r\n[HKEY_CURRENT_USER\\Environment\\Sub]\r\n"A"="no"\r\n';
    expect(parseRegExport(utf16(text))).toEqual([{ name: 'A', type: 'REG_SZ', value: 'yes' }]);
  });

  it('skips lines it does not understand and keeps reading', () => {
    const text = `${HEAD}garbage\r\n"A"=-\r\n"B"=weird:1\r\n; comment\r\n"C"="c"\r\n`;
    expect(parseRegExport(utf16(text))).toEqual([{ name: 'C', type: 'REG_SZ', value: 'c' }]);
  });

  it('reads an escaped name', () => {
    expect(parseRegExport(utf16(`${HEAD}"N\\"Q\\\\é日"="v"\r\n`))).toEqual([{ name: 'N"Q\\é日', type: 'REG_SZ', value: 'v' }]);
  });

  it('gives nothing for an empty or truncated file', () => {
    expect(parseRegExport(Buffer.alloc(0))).toEqual([]);
    expect(parseRegExport(utf16(`${HEAD}"A"="never closed`))).toEqual([]);
  });
});

describe('findRegValue', () => {
  it('matches names without regard to case, as Windows does', () => {
    const values = parseRegExport(utf16(`${HEAD}"Gemini_Api_Key"="k"\r\n`));
    expect(findRegValue(values, 'GEMINI_API_KEY')?.value).toBe('k');
    expect(findRegValue(values, 'GOOGLE_API_KEY')).toBeUndefined();
  });
});
