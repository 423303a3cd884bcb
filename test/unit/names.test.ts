// Names that make programs run code need --force, like LD_PRELOAD and BASH_ENV; docs/names.md
// says why each is on the list, and lists exactly the names of the table.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkName, isProtectedName, RUNS_CODE } from '../../src/names.js';

const REQUIRED = [
  'PERL5OPT',
  'PERL5LIB',
  'RUBYOPT',
  'JAVA_TOOL_OPTIONS',
  '_JAVA_OPTIONS',
  'PYTHONSTARTUP',
  'GIT_SSH_COMMAND',
  'GCONV_PATH',
  'NODE_OPTIONS',
  'PYTHONPATH',
];

describe('names that make programs run code', () => {
  it.each([...REQUIRED, 'LUA_INIT_5_4', 'perl5opt', 'DOTNET_STARTUP_HOOKS'])('%s needs --force (exit 2 without)', (name) => {
    expect(isProtectedName(name)).toBe(true);
    expect(() => checkName(name, { force: false })).toThrow(
      expect.objectContaining({ exitCode: 2, message: expect.stringContaining('--force') }),
    );
    expect(() => checkName(name, { force: true })).not.toThrow();
  });

  it.each(['EDITOR', 'PAGER', 'GIT_AUTHOR_NAME', 'JAVA_HOME', 'NODE_ENV', 'PYTHONUNBUFFERED', 'GEMINI_API_KEY'])(
    '%s is not protected',
    (name) => {
      expect(isProtectedName(name)).toBe(false);
    },
  );

  it('the refusal says the name makes programs run code, not only "special"', () => {
    expect(() => checkName('PERL5OPT', { force: false })).toThrow(/run code/);
  });

  it('docs/names.md has one row per name of the table, each with its reason', () => {
    const doc = readFileSync(new URL('../../docs/names.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| `([A-Z0-9_]+)` \| (.+) \|$/gm)].map((m) => m[1]);
    expect(rows).toEqual(RUNS_CODE.map((entry) => entry.name));
    for (const entry of RUNS_CODE) expect(doc).toContain(`| \`${entry.name}\` | ${entry.why} |`);
    for (const name of REQUIRED) expect(rows).toContain(name);
  });
});
