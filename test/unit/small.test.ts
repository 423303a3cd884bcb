import { describe, expect, it } from 'vitest';
import { findDefinitions } from '../../src/edit/definitions.js';
import { parseEnvSh, renderEnvFile } from '../../src/edit/envfile.js';
import { mask, maskAssignments, redact } from '../../src/mask.js';
import { checkName, isProtectedName } from '../../src/names.js';
import { FAMILIES } from '../../src/shells/index.js';

describe('mask', () => {
  it.each([
    ['AIzaSyD-0123456789abcdefghijklmnopq4f2Q', 'AIza…4f2Q'],
    ['exactly12chr', '****'],
    ['short', '****'],
    ['11character', '****'],
    ['', '****'],
    ['line\nbreak-and-more-long\ttext', 'line…text'],
    ['ab\ncd-long-enough-value-x', 'ab?c…ue-x'],
  ])('%j -> %s', (value, expected) => expect(mask(value)).toBe(expected));

  it('redact replaces every occurrence', () => {
    expect(redact('x=secret-value-0123456789-ab y=secret-value-0123456789-ab', ['secret-value-0123456789-ab'])).toBe(
      'x=secr…9-ab y=secr…9-ab',
    );
  });
});

describe('names', () => {
  it.each(['GEMINI_API_KEY', '_x', 'a1'])('accepts %s', (name) => expect(() => checkName(name, { force: false })).not.toThrow());
  it.each(['1ABC', 'A-B', '', 'A B', 'é'])('refuses %j with exit 2', (name) => {
    expect(() => checkName(name, { force: false })).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
  it.each(['PATH', 'HOME', 'SHELL', 'IFS', 'PS1', 'PS4', 'ENV', 'BASH_ENV', 'ZDOTDIR', 'LD_PRELOAD', 'DYLD_INSERT_LIBRARIES', 'path'])(
    'protects %s unless --force',
    (name) => {
      expect(isProtectedName(name)).toBe(true);
      expect(() => checkName(name, { force: false })).toThrow(expect.objectContaining({ exitCode: 2 }));
      expect(() => checkName(name, { force: true })).not.toThrow();
    },
  );
});

describe('env.sh round trip', () => {
  it.each([`plain`, `it's`, `'`, `''\\''`, 'multi\nline\n', '', '$(x) `y`', 'é 🔑', "export X='y'"])('%j', (value) => {
    const text = renderEnvFile(FAMILIES.posix, [
      { name: 'A', value },
      { name: 'B', value: 'b' },
    ]);
    expect(parseEnvSh(text)).toEqual([
      { name: 'A', value },
      { name: 'B', value: 'b' },
    ]);
  });
});

describe('findDefinitions', () => {
  it.each([
    ['export', 'export GEMINI_API_KEY=abc', [1]],
    ['export with others', 'export A=1 GEMINI_API_KEY="x"', [1]],
    ['declare -x', 'declare -x GEMINI_API_KEY=abc', [1]],
    ['typeset -gx', 'typeset -gx GEMINI_API_KEY=abc', [1]],
    ['bare then export', 'GEMINI_API_KEY=abc\nexport GEMINI_API_KEY', [1]],
    ['bare without export is a shell variable', 'GEMINI_API_KEY=abc', []],
    ['fish', 'set -gx GEMINI_API_KEY abc', [1]],
    ['fish --export', 'set --global --export GEMINI_API_KEY abc', [1]],
    ['pwsh', '$env:GEMINI_API_KEY = "abc"', [1]],
    ['pwsh, any case (PowerShell ignores it)', '$Env:gemini_api_key = "abc"', [1]],
    ['pwsh SetEnvironmentVariable, any case', "[Environment]::SetEnvironmentVariable('Gemini_Api_Key', 'abc', 'User')", [1]],
    ['a name in a long file, after a non-ASCII line', `${'# é İ K\n'.repeat(500)}export GEMINI_API_KEY=abc`, [501]],
    ['csh', 'setenv GEMINI_API_KEY abc', [1]],
    ['comment', '# export GEMINI_API_KEY=abc', []],
    ['other name', 'export GEMINI_API_KEY_2=abc', []],
    ['inside envset block', '# >>> envset >>>\nexport GEMINI_API_KEY=x\n# <<< envset <<<', []],
    ['after the block', '# >>> envset >>>\n. x\n# <<< envset <<<\nexport GEMINI_API_KEY=x', [4]],
  ])('%s', (_, text, lines) => {
    expect(findDefinitions(text, 'GEMINI_API_KEY').map((d) => d.line)).toEqual(lines);
  });
});

describe('maskAssignments', () => {
  it.each([
    ['export', 'export GEMINI_API_KEY=AIzaSyOLDHANDWRITTENKEY0123456789abcd', 'export GEMINI_API_KEY=AIza…abcd'],
    ['quoted', `export GEMINI_API_KEY="AIzaSyOLDHANDWRITTENKEY0123456789abcd"  `, 'export GEMINI_API_KEY=AIza…abcd  '],
    [
      'adopted comment',
      '# envset adopted GEMINI_API_KEY: export GEMINI_API_KEY=AIzaSyOLD0123456789abcdefg',
      '# envset adopted GEMINI_API_KEY: export GEMINI_API_KEY=AIza…defg',
    ],
    ['fish', 'set -gx GEMINI_API_KEY AIzaSyOLD0123456789abcdefg', 'set -gx GEMINI_API_KEY AIza…defg'],
    ['pwsh', "$env:GEMINI_API_KEY = 'AIzaSyOLD0123456789abcdefg'", '$env:GEMINI_API_KEY = AIza…defg'],
    ['csh', 'setenv GEMINI_API_KEY AIzaSyOLD0123456789abcdefg', 'setenv GEMINI_API_KEY AIza…defg'],
    ['other names untouched', 'export OTHER=AIzaSyOLD0123456789abcdefg', 'export OTHER=AIzaSyOLD0123456789abcdefg'],
    ['longer name untouched', 'export GEMINI_API_KEY_2=AIzaSyOLD0123456789abcdefg', 'export GEMINI_API_KEY_2=AIzaSyOLD0123456789abcdefg'],
  ])('%s', (_, input, expected) => expect(maskAssignments(input, ['GEMINI_API_KEY'])).toBe(expected));
});
