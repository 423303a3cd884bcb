// PowerShell without PowerShell: every .ps1 envset writes must parse in a PowerShell grammar,
// each value's literal must mean exactly the value, and profile encodings survive set + unset.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Context, locate } from '../../src/context.js';
import { renderTemplate } from '../../src/edit/template.js';
import { hookVars } from '../../src/plan.js';
import { FAMILIES } from '../../src/shells/index.js';
import { printed, snapshotTree, type TempHome, tempHome, treeDiff } from '../support/home.js';
import { checkPs1, verbatimValue } from '../support/ps1.js';

const homes: TempHome[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});
// PATH without pwsh: these tests are about the files, and must not depend on PowerShell being absent.
async function home(files: Record<string, string | Buffer> = {}) {
  const h = await tempHome({ shell: '/usr/bin/pwsh', files });
  h.env.PATH = '/usr/bin:/bin';
  homes.push(h);
  return h;
}

const NASTY = [
  `it's`,
  `''`,
  'typographic \u2018single\u2019 \u201alow\u201b quotes',
  '"double" and $env:HOME and $(Get-Date) and `n backtick',
  'C:\\trailing\\backslash\\',
  'semi; & | ^ < > % !',
  'line one\nline two\r\nline three',
  'é 日本 🔑',
  '#region envset\n#endregion envset',
  "@' here-string '@",
];
const PROFILE = join('.config', 'powershell', 'profile.ps1');

describe('PowerShell files', () => {
  it.each(NASTY)('env.ps1 for %j parses, and its literal means exactly the value', async (value) => {
    const h = await home();
    const r = await h.envset(['set', 'PS_VALUE', '--value-stdin', '--shell', 'pwsh', '--yes', '--no-verify'], { input: value });
    expect(r.exitCode, printed(r)).toBe(0);
    const bytes = await readFile(join(h.config, 'envset', 'env.ps1'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a BOM, so Windows PowerShell 5.1 reads UTF-8
    const check = await checkPs1(bytes.subarray(3).toString('utf8'));
    expect(check.errors).toEqual([]);
    expect(check.verbatimStrings.map(verbatimValue)).toEqual([value]);
  });

  it('envset env --shell pwsh: one line a variable, printable ASCII only (it goes through a pipe, as lines in the console code page), that parses', async () => {
    const h = await home();
    for (const [i, value] of NASTY.entries()) {
      const r = await h.envset(['set', `PS_V${i}`, '--value-stdin', '--shell', 'pwsh', '--yes', '--no-verify'], { input: value });
      expect(r.exitCode, printed(r)).toBe(0);
    }
    const r = await h.envset(['env', '--shell', 'pwsh']);
    expect(r.exitCode, printed(r)).toBe(0);
    const lines = String(r.stdout).trimEnd().split('\n');
    expect(lines.map((l) => /^\$env:(PS_V\d+) = /.exec(l)?.[1])).toEqual(NASTY.map((_, i) => `PS_V${i}`));
    expect(lines.filter((l) => !/^[\x20-\x7e]*$/.test(l))).toEqual([]);
    expect((await checkPs1(String(r.stdout))).errors).toEqual([]);
  });

  it("path add: env.ps1's PATH section parses, each folder's literal is exactly the folder; remove restores every file", async () => {
    const h = await home();
    const before = await snapshotTree(h.home);
    const folders = ["/opt/it's $x `n", '/opt/é 日本 🔑'];
    const r = await h.envset(['path', 'add', ...folders, "~/o'b x", '--shell', 'pwsh', '--yes', '--no-verify']);
    expect(r.exitCode, printed(r)).toBe(0);
    const bytes = await readFile(join(h.config, 'envset', 'env.ps1'));
    const check = await checkPs1(bytes.subarray(3).toString('utf8'));
    expect(check.errors).toEqual([]);
    expect(check.types.has('function_statement')).toBe(true);
    // Applied last to first: the home one is written as $HOME + '/o''b x'.
    expect(check.verbatimStrings.map(verbatimValue).filter((s) => s.startsWith('/'))).toEqual(["/o'b x", ...folders.toReversed()]);
    const u = await h.envset(['path', 'remove', ...folders, "~/o'b x", '--yes']);
    expect(u.exitCode, printed(u)).toBe(0);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
  });

  it('the profile hook block parses, for a home path with quotes and spaces too', async () => {
    for (const homePath of ['/home/me', "/home/o'brien x", 'C:\\Users\\Zoë']) {
      for (const platform of ['linux', 'win32'] as const) {
        const loc = locate({ env: {}, platform } as unknown as Context, homePath, true);
        const block = renderTemplate(FAMILIES.pwsh.hookTemplate, hookVars(loc, FAMILIES.pwsh)).join('\n');
        const check = await checkPs1(`${block}\n`);
        expect(check.errors, block).toEqual([]);
      }
    }
  });

  it('a new profile gets the block with a BOM and parses; unset removes what envset created', async () => {
    const h = await home();
    const r = await h.envset(['set', 'PS_KEY', '--value-stdin', '--shell', 'pwsh', '--yes', '--json'], { input: 'ps-value-123456' });
    expect(r.exitCode, printed(r)).toBe(0);
    const json = JSON.parse(String(r.stdout)) as { verify: { shell: string; status: string }[]; files: { path: string; action: string }[] };
    expect(json.files).toContainEqual(expect.objectContaining({ path: h.path(PROFILE), action: 'created' }));
    expect(json.verify).toEqual([expect.objectContaining({ shell: 'pwsh', status: 'not-installed' })]);
    const profile = await h.read(PROFILE);
    expect([...profile.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect((await checkPs1(profile.subarray(3).toString('utf8'))).errors).toEqual([]);
    expect(profile.toString('utf8')).toContain('#region envset');
    const u = await h.envset(['unset', 'PS_KEY', '--yes']);
    expect(u.exitCode, printed(u)).toBe(0);
    expect([...(await snapshotTree(h.home)).keys()]).toEqual([]);
  });

  const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const utf8bom = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  it.each([
    ['UTF-8 without BOM, LF', Buffer.from('Set-Alias ll Get-ChildItem\n$x = "é"\n', 'utf8')],
    ['UTF-8 with BOM, CRLF', utf8bom('Set-Alias ll Get-ChildItem\r\n$x = "é"\r\n')],
    ['UTF-16LE with BOM, CRLF (Windows PowerShell 5.1)', utf16('Set-Alias ll Get-ChildItem\r\n$x = "日本"\r\n')],
    ['UTF-16LE with BOM, no final newline', utf16('Set-Alias ll Get-ChildItem\r\n$x = 1')],
  ])('a profile in %s keeps its encoding with the block, and comes back byte for byte', async (_, original) => {
    const h = await home({ [PROFILE]: original });
    const before = await snapshotTree(h.home);
    const r = await h.envset(['set', 'PS_KEY', '--value-stdin', '--shell', 'pwsh', '--yes', '--no-verify'], { input: 'ps-value-123456' });
    expect(r.exitCode, printed(r)).toBe(0);
    const withBlock = await h.read(PROFILE);
    const utf16le = original[0] === 0xff;
    expect(withBlock.subarray(0, 3).equals(original.subarray(0, 3))).toBe(true);
    const text = utf16le ? withBlock.subarray(2).toString('utf16le') : withBlock.toString('utf8').replace(/^\ufeff/, '');
    expect(text).toContain('#region envset');
    expect(text.includes('\r\n')).toBe(original.includes(Buffer.from('\r\n', utf16le ? 'utf16le' : 'utf8')));
    expect((await checkPs1(text)).errors).toEqual([]);
    const u = await h.envset(['unset', 'PS_KEY', '--yes']);
    expect(u.exitCode, printed(u)).toBe(0);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
  });
});
