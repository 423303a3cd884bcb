// A fidelity zoo of startup files people really have (test/fixtures/zoo): envset adds its hook,
// the shell sees the value, and unset gives each file back byte for byte. Where that cannot be the
// promise (a block an older envset left, two blocks), the exact promise is stated and tested:
// everything outside envset's blocks is kept byte for byte, and unset removes the blocks.
import { readFileSync } from 'node:fs';
import { link, lstat, readlink, stat, symlink } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { printed, snapshotTree, type TempHome, tempHome, treeDiff } from '../../support/home.js';
import { checkPs1 } from '../../support/ps1.js';
import { needTools } from '../../support/tools.js';
import { BEGIN, END, readBack } from './lib.js';

const zoo = (name: string) => readFileSync(new URL(`../../fixtures/zoo/${name}`, import.meta.url));
const PROFILE = '# ~/.profile\nexport PAGER=less\n';
const VALUE = `zoo value with 'quotes' and $dollar`;

const homes: TempHome[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});
async function home(files: Record<string, string | Buffer>) {
  const h = await tempHome({ files: { '.profile': PROFILE, ...files } });
  homes.push(h);
  return h;
}

const set = (h: TempHome, extra: string[] = []) =>
  h.envset(['set', 'ZOO_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--json', ...extra], { input: VALUE });
const unset = (h: TempHome) => h.envset(['unset', 'ZOO_KEY', '--yes']);

/** What a fresh interactive and a login bash see, proving the hook works in that file. */
async function bashSees(h: TempHome): Promise<(string | undefined)[]> {
  return [
    ...(await readBack(h, 'bash', ['-i', '-c'], 'posix', ['ZOO_KEY'])),
    ...(await readBack(h, 'bash', ['-l', '-c'], 'posix', ['ZOO_KEY'])),
  ];
}

/** Envset blocks (begin to end marker, whole lines) counted and cut out, by plain text search, not envset's code. */
function withoutBlocks(bytes: Buffer): { text: string; blocks: number } {
  const lines = bytes.toString('latin1').split(/(?<=\n)/);
  const kept: string[] = [];
  let inside = false;
  let blocks = 0;
  let heredoc: string | undefined;
  for (const line of lines) {
    const bare = line.replace(/\r?\n$/, '');
    if (heredoc !== undefined) {
      if (bare.replace(/^\t+/, '') === heredoc) heredoc = undefined;
      kept.push(line);
      continue;
    }
    if (!inside && bare.trim() === BEGIN) {
      inside = true;
      blocks++;
      continue;
    }
    if (inside) {
      if (bare.trim() === END) inside = false;
      continue;
    }
    heredoc = /<<-?\s*'?(\w+)'?/.exec(bare)?.[1];
    kept.push(line);
  }
  return { text: kept.join(''), blocks };
}

const results: string[] = [];

describe.skipIf(!needTools('bash'))('fidelity zoo: set then unset', () => {
  it('the fixtures are the bytes they claim to be (no checkout converted them)', () => {
    expect(zoo('crlf.bashrc').includes('\r\n')).toBe(true);
    expect(zoo('crlf.bashrc').toString('latin1').replaceAll('\r\n', '').includes('\n')).toBe(false);
    expect([...zoo('utf8-bom.bashrc').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect([...zoo('utf16le-bom-crlf.profile.ps1').subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(zoo('no-final-newline.bashrc').at(-1)).not.toBe(0x0a);
    expect(zoo('invalid-utf8.bashrc').includes(0xe9)).toBe(true);
    expect(zoo('empty.bashrc').length).toBe(0);
  });

  it.each([
    ['crlf.bashrc', 'CRLF line endings'],
    ['crlf-no-final-newline.bashrc', 'CRLF and no final newline'],
    ['mixed-eol.bashrc', 'mixed CRLF and LF'],
    ['utf8-bom.bashrc', 'a UTF-8 byte order mark'],
    ['no-final-newline.bashrc', 'no final newline'],
    ['invalid-utf8.bashrc', 'bytes that are not UTF-8 (Latin-1)'],
    ['empty.bashrc', 'an empty file'],
    ['heredoc-markers.bashrc', "envset's markers inside heredocs (text, not a block)"],
  ])('%s (%s): bash sees the value; everything before the hook is untouched; unset returns it byte for byte', async (name, what) => {
    const original = zoo(name);
    const h = await home({ '.bashrc': original });
    const before = await snapshotTree(h.home);
    const r = await set(h);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(await bashSees(h)).toEqual([VALUE, VALUE]);
    const hooked = await h.read('.bashrc');
    // The original bytes, then (for a last line without one) a line ending, then the block.
    const eol =
      original.length && !original.toString('latin1').endsWith('\n') ? [Buffer.from('\n'), Buffer.from('\r\n')] : [Buffer.alloc(0)];
    expect(
      eol.some((e) => hooked.subarray(0, original.length + e.length).equals(Buffer.concat([original, e]))),
      'prefix kept',
    ).toBe(true);
    const { text, blocks } = withoutBlocks(hooked);
    expect(blocks).toBe(1);
    expect(text.replace(/\r?\n$/, '')).toBe(original.toString('latin1').replace(/\r?\n$/, ''));
    const u = await unset(h);
    expect(u.exitCode, printed(u)).toBe(0);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
    results.push(`${what}: byte for byte`);
  });

  it.each([
    ['older-envset-block.bashrc', 'a block an older envset wrote (different body)'],
    ['two-blocks.bashrc', 'two blocks'],
  ])('%s (%s): one current block where the first was, the rest byte for byte; unset removes the blocks', async (name, what) => {
    const original = zoo(name);
    const outside = withoutBlocks(original);
    expect(outside.blocks).toBeGreaterThan(0);
    const h = await home({ '.bashrc': original });
    const r = await set(h);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(await bashSees(h)).toEqual([VALUE, VALUE]);
    const hooked = await h.read('.bashrc');
    const after = withoutBlocks(hooked);
    expect(after.blocks).toBe(1);
    expect(after.text).toBe(outside.text);
    // In place of the first block: the lines before it are unchanged and the current block follows them.
    const firstAt = original.toString('latin1').indexOf(BEGIN);
    expect(hooked.toString('latin1').indexOf(BEGIN)).toBe(firstAt);
    expect(hooked.toString('latin1')).not.toContain('older envset');
    const u = await unset(h);
    expect(u.exitCode, printed(u)).toBe(0);
    expect((await h.read('.bashrc')).toString('latin1')).toBe(outside.text);
    results.push(`${what}: replaced by one current block, rest byte for byte; unset removes it (the file loses the stale block)`);
  });

  it('an edit made between set and unset is kept; only the block goes', async () => {
    const original = zoo('crlf.bashrc');
    const h = await home({ '.bashrc': original });
    expect((await set(h)).exitCode).toBe(0);
    const edited = Buffer.concat([await h.read('.bashrc'), Buffer.from('export LATER=1\r\n')]);
    await h.write('.bashrc', edited);
    expect((await unset(h)).exitCode).toBe(0);
    expect((await h.read('.bashrc')).equals(Buffer.concat([original, Buffer.from('export LATER=1\r\n')]))).toBe(true);
    results.push('an edit made after set: kept, only the block removed');
  });

  it('a symlink chain (.bashrc -> link -> dotfiles/bashrc): both links stay links, the file at the end is edited and restored', async () => {
    const h = await home({ 'dotfiles/bashrc': zoo('symlink-target.bashrc') });
    await symlink('dotfiles/bashrc', h.path('.bashrc-link'));
    await symlink('.bashrc-link', h.path('.bashrc'));
    const before = await snapshotTree(h.home);
    const r = await set(h);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(await bashSees(h)).toEqual([VALUE, VALUE]);
    expect(await readlink(h.path('.bashrc'))).toBe('.bashrc-link');
    expect(await readlink(h.path('.bashrc-link'))).toBe('dotfiles/bashrc');
    expect(withoutBlocks(await h.read('dotfiles/bashrc')).blocks).toBe(1);
    expect((await unset(h)).exitCode).toBe(0);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
    results.push('a symlink chain: links kept, target byte for byte');
  });

  it('a hard link: the atomic replace gives .bashrc a new inode; the other name keeps the old text (documented trade-off)', async () => {
    const original = zoo('hardlinked.bashrc');
    const h = await home({ 'dotfiles/bashrc': original });
    await link(h.path('dotfiles/bashrc'), h.path('.bashrc'));
    const inode = (await stat(h.path('.bashrc'))).ino;
    const r = await set(h);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(await bashSees(h)).toEqual([VALUE, VALUE]);
    const json = JSON.parse(String(r.stdout)) as { warnings: string[] };
    expect(json.warnings.join('\n')).toMatch(/hard link/);
    expect((await stat(h.path('.bashrc'))).ino).not.toBe(inode);
    expect((await lstat(h.path('.bashrc'))).nlink).toBe(1);
    expect((await h.read('dotfiles/bashrc')).equals(original)).toBe(true); // never half-written, never touched
    expect((await unset(h)).exitCode).toBe(0);
    expect((await h.read('.bashrc')).equals(original)).toBe(true);
    expect((await stat(h.path('dotfiles/bashrc'))).nlink).toBe(1);
    results.push('a hard link: bytes restored, but the link is split (the other name never sees the hook; envset warns)');
  });

  it('a UTF-16LE PowerShell 5.1 profile with BOM and CRLF stays UTF-16LE, parses, and comes back byte for byte', async () => {
    const original = zoo('utf16le-bom-crlf.profile.ps1');
    const h = await home({ '.config/powershell/profile.ps1': original });
    h.env.PATH = '/usr/bin:/bin'; // the file is the subject here, whether or not PowerShell is installed
    const before = await snapshotTree(h.home);
    const r = await h.envset(['set', 'ZOO_KEY', '--value-stdin', '--shell', 'pwsh', '--yes', '--no-verify'], { input: VALUE });
    expect(r.exitCode, printed(r)).toBe(0);
    const hooked = await h.read('.config/powershell/profile.ps1');
    expect([...hooked.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(hooked.subarray(0, original.length).equals(original)).toBe(true);
    const text = hooked.subarray(2).toString('utf16le');
    expect(text).toContain('#region envset\r\n');
    expect(text.replaceAll('\r\n', '').includes('\n')).toBe(false);
    expect((await checkPs1(text)).errors).toEqual([]);
    expect((await unset(h)).exitCode).toBe(0);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
    results.push('UTF-16LE PowerShell profile (BOM, CRLF): byte for byte');
  });

  it('reports what it proved', () => {
    expect(results.length).toBeGreaterThanOrEqual(13);
    process.stdout.write(`[guarantees/zoo] ${results.length} startup files:\n${results.map((r) => `  - ${r}`).join('\n')}\n`);
  });
});
