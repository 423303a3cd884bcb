// PowerShell for real: PowerShell 7 (pwsh) started in temp homes. The profile is the one pwsh
// reports, a new pwsh sees the exact value, existing profiles of every encoding come back byte for
// byte, `envset env` loads into a running pwsh, PATH folders, hand-written definitions, --adopt,
// `auto` and `all`. pwsh starts slowly (about a second here), so values are read back in batches.
// test/e2e/pwsh.test.ts is the fast tier: the same files checked by a PowerShell grammar.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, printed, snapshotTree, type TempHome, tempHome, treeDiff } from '../support/home.js';
import { makeShims } from '../support/shims.js';
import { needPwsh, PWSH, withPwsh } from '../support/tools.js';

const homes: TempHome[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

/** A temp home whose PATH has pwsh (as a person's terminal has it) and an `envset` running this build. */
async function home(files: Record<string, string | Buffer> = {}, options: { pwsh?: boolean } = {}) {
  const h = await tempHome({ shell: '/bin/bash', files });
  homes.push(h);
  const bin = join(h.root, 'bin');
  await mkdir(bin);
  const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  await writeFile(join(bin, 'envset'), `#!/bin/sh\nexec ${q(process.execPath)} ${q(BIN)} "$@"\n`);
  await chmod(join(bin, 'envset'), 0o755);
  h.env.PATH = `${bin}:/usr/bin:/bin`;
  if (options.pwsh !== false) Object.assign(h.env, withPwsh(h.env));
  return h;
}

/** A generous guard for a loaded machine: pwsh may take seconds to start. */
const SLOW = ['--verify-timeout', '60000'];
const PROFILE = join('.config', 'powershell', 'profile.ps1');
const CURRENT_HOST = join('.config', 'powershell', 'Microsoft.PowerShell_profile.ps1');

/**
 * Run a script in a new pwsh that reads its profiles as a terminal's does (or none, `noProfile`:
 * a running session). The test's own starts keep pwsh's cache and module folder outside the home,
 * so the home holds only what envset did. Prints between markers; returns what is between them.
 */
async function pwsh(h: TempHome, script: string, options: { noProfile?: boolean } = {}): Promise<string> {
  const begin = '__pwsh_test_begin__';
  const end = '__pwsh_test_end__';
  const full = `[Console]::OutputEncoding = [Text.UTF8Encoding]::new($false)\n[Console]::Out.Write('${begin}')\n${script}\n[Console]::Out.Write('${end}')`;
  const r = await execa(
    PWSH!,
    [
      '-NoLogo',
      ...(options.noProfile ? ['-NoProfile'] : []),
      '-NonInteractive',
      '-EncodedCommand',
      Buffer.from(full, 'utf16le').toString('base64'),
    ],
    {
      env: {
        ...h.env,
        XDG_CACHE_HOME: join(h.root, 'pwsh-cache'),
        XDG_DATA_HOME: join(h.root, 'pwsh-data'),
        POWERSHELL_TELEMETRY_OPTOUT: '1',
        POWERSHELL_UPDATECHECK: 'Off',
      },
      extendEnv: false,
      cwd: h.home,
      stdin: 'ignore',
      reject: false,
      timeout: 180_000,
    },
  );
  const out = String(r.stdout);
  const from = out.indexOf(begin);
  const to = out.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`pwsh printed no answer (exit ${r.exitCode}): ${String(r.stderr).slice(0, 2000)}`);
  return out.slice(from + begin.length, to);
}

/** What a pwsh sees for each name: the value, or undefined when it is not set (UTF-8, base64 on the way). */
async function seen(h: TempHome, names: readonly string[], options: { noProfile?: boolean; before?: string } = {}) {
  const list = names.map((n) => `'${n}'`).join(', ');
  const script = `${options.before ?? ''}
$seen = foreach ($n in @(${list})) { $v = [Environment]::GetEnvironmentVariable($n); if ($null -eq $v) { '-' } else { 's' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($v)) } }
[Console]::Out.Write(($seen -join ','))`;
  const fields = (await pwsh(h, script, options)).split(',');
  return fields.map((f) => (f.startsWith('s') ? Buffer.from(f.slice(1), 'base64').toString('utf8') : undefined));
}

interface SetJson {
  files: { path: string; shell?: string; action: string }[];
  verify: { shell: string; mode: string; ok: boolean; status: string; detail: string }[];
}

/** Values a PowerShell literal could get wrong: its quotes (ASCII and typographic), `$`, backtick, lines, non-ASCII, long. */
const VALUES = [
  `it's`,
  `''`,
  'typographic \u2018single\u2019 \u201alow\u201b quotes, and \u201cdouble\u201d ones',
  '"double" and $env:HOME and $(Get-Date) and ${x} and @(1)',
  '`n backtick` and `$ and `',
  'C:\\trailing\\backslash\\',
  'semi; & | ^ < > % ! # {}',
  'line one\nline two\r\nline three\rfour\n',
  'é 日本 🔑 \u0085 \u2028 \ufeff \u00a0 \x1b \x7f',
  '#region envset\n#endregion envset',
  "@'\nhere-string\n'@",
  ` leading and trailing spaces\t`,
  '',
  "0123456789'\u2018$`é".repeat(6000), // 108 000 bytes: long, under Linux's 128 KiB for one variable
];

describe.skipIf(!needPwsh())('PowerShell 7, for real', () => {
  it('the profile is the one pwsh reports, created with the hook; a new pwsh sees the value; the check leaves the home as it found it; unset removes what envset created', async () => {
    const h = await home();
    // $PROFILE.CurrentUserAllHosts as pwsh itself says for this home.
    const reported = await pwsh(h, '[Console]::Out.Write($PROFILE.CurrentUserAllHosts)', { noProfile: true });
    expect(reported).toBe(h.path(PROFILE));
    const before = await snapshotTree(h.home);
    const r = await h.envset(['set', 'PS_KEY', '--value-stdin', '--shell', 'pwsh', '--yes', '--json', ...SLOW], {
      input: 'ps-value-123456',
    });
    expect(r.exitCode, printed(r)).toBe(0);
    const json = JSON.parse(String(r.stdout)) as SetJson;
    expect(json.files).toContainEqual(expect.objectContaining({ path: reported, action: 'created' }));
    expect(json.verify).toEqual([expect.objectContaining({ shell: 'pwsh', mode: 'profile', ok: true, status: 'ok' })]);
    // Only envset's own files and the profile: no cache, module folder or telemetry id of pwsh's.
    const after = [...(await snapshotTree(h.home)).keys()].filter((rel) => !rel.startsWith('.config'));
    expect(after).toEqual([]);
    expect(await seen(h, ['PS_KEY'])).toEqual(['ps-value-123456']);
    const u = await h.envset(['unset', 'PS_KEY', '--yes']);
    expect(u.exitCode, printed(u)).toBe(0);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
  });

  it('--home: the profile pwsh reports for that home, not the caller XDG_CONFIG_HOME', async () => {
    const h = await home();
    const elsewhere = join(h.root, 'callers-config');
    const other = join(h.root, 'other-home');
    await mkdir(other);
    const r = await h.envset(['set', 'PS_KEY', '--value-stdin', '--shell', 'pwsh', '--home', other, '--yes', '--json', ...SLOW], {
      input: 'ps-value-123456',
      env: { XDG_CONFIG_HOME: elsewhere },
    });
    expect(r.exitCode, printed(r)).toBe(0);
    const json = JSON.parse(String(r.stdout)) as SetJson;
    expect(json.files).toContainEqual(expect.objectContaining({ path: join(other, PROFILE), action: 'created' }));
    expect(json.files.map((f) => f.path).filter((p) => p.startsWith(elsewhere))).toEqual([]);
    expect(json.verify).toEqual([expect.objectContaining({ shell: 'pwsh', ok: true })]);
  });

  it('a new pwsh sees every value exactly; `envset env | Out-String | Invoke-Expression` loads the same into a running one', async () => {
    // Set without pwsh on PATH (each set would ask pwsh for its profile); read with it.
    const h = await home({}, { pwsh: false });
    const names = VALUES.map((_, i) => `PS_V${i}`);
    for (const [i, value] of VALUES.entries()) {
      const r = await h.envset(['set', names[i]!, '--from-env', 'THE_VALUE', '--shell', 'pwsh', '--allow-empty', '--yes', '--no-verify'], {
        env: { THE_VALUE: value },
      });
      expect(r.exitCode, `${JSON.stringify(value).slice(0, 80)}: ${printed(r)}`).toBe(0);
    }
    Object.assign(h.env, withPwsh(h.env));
    expect(await seen(h, names)).toEqual(VALUES);
    // A running pwsh (no profile read): the values only from envset env.
    const loaded = await seen(h, names, { noProfile: true, before: 'envset env --shell pwsh | Out-String | Invoke-Expression' });
    expect(loaded).toEqual(VALUES);
    // envset's own check agrees, for the longest one.
    const v = await h.envset(['verify', names.at(-1)!, ...SLOW]);
    expect(v.exitCode, printed(v)).toBe(0);
  });

  it('what PowerShell cannot be given is refused, exit 2, nothing changed', async () => {
    const h = await home();
    await h.write(PROFILE, 'Set-Alias ll Get-ChildItem\n');
    const before = await snapshotTree(h.home);
    for (const input of [Buffer.from('a\0b'), `${'x'.repeat(131_072)}`]) {
      const r = await h.envset(['set', 'PS_KEY', '--value-stdin', '--shell', 'pwsh', '--yes', ...SLOW], { input });
      expect(r.exitCode, printed(r)).toBe(2);
    }
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
  });

  const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const utf8bom = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  const OWN = '$global:OWN = "日本 é"';
  it('existing profiles (CRLF, UTF-8 with BOM, UTF-16 LE as Windows PowerShell 5.1 writes, no final newline) keep working, and come back byte for byte', async () => {
    const originals = [
      Buffer.from(`Set-Alias ll Get-ChildItem\r\n${OWN}\r\n`, 'utf8'),
      utf8bom(`Set-Alias ll Get-ChildItem\r\n${OWN}\r\n`),
      utf16(`Set-Alias ll Get-ChildItem\r\n${OWN}\r\n`),
      utf16(`Set-Alias ll Get-ChildItem\r\n${OWN}`),
      Buffer.from(`Set-Alias ll Get-ChildItem\n${OWN}`, 'utf8'),
    ];
    await Promise.all(
      originals.map(async (original) => {
        const h = await home({ [PROFILE]: original });
        const before = await snapshotTree(h.home);
        const r = await h.envset(['set', 'PS_KEY', '--value-stdin', '--shell', 'pwsh', '--yes', '--json', ...SLOW], {
          input: 'ps-value-é-123456',
        });
        expect(r.exitCode, printed(r)).toBe(0);
        expect((JSON.parse(String(r.stdout)) as SetJson).verify).toEqual([expect.objectContaining({ shell: 'pwsh', ok: true })]);
        // The profile's own lines still mean what they did: its non-ASCII text read in its encoding.
        const got = await pwsh(h, "[Console]::Out.Write($global:OWN + '|' + $env:PS_KEY + '|' + (Get-Alias ll).Definition)");
        expect(got).toBe('日本 é|ps-value-é-123456|Get-ChildItem');
        const u = await h.envset(['unset', 'PS_KEY', '--yes']);
        expect(u.exitCode, printed(u)).toBe(0);
        expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
      }),
    );
  });

  it('path add: each folder once, in the asked place, in every start, nested ones too; path remove gives the files back byte for byte', async () => {
    // A strict profile: envset's lines must not trip over Set-StrictMode or stop on a warning.
    const h = await home({ [PROFILE]: utf8bom("Set-StrictMode -Version Latest\r\n$ErrorActionPreference = 'Stop'\r\n") });
    const before = await snapshotTree(h.home);
    const first = join(h.root, "it's $x `n");
    const last = join(h.root, 'é 日本 🔑');
    for (const args of [
      [first, '--prepend'],
      [last, '--append'],
    ]) {
      const r = await h.envset(['path', 'add', ...args, '--shell', 'pwsh', '--yes', ...SLOW]);
      expect(r.exitCode, printed(r)).toBe(0);
    }
    const sep = ':';
    // One start, and a pwsh started from it (its profile runs again, with the folders already on PATH).
    const script = `$outer = $env:PATH
$inner = & pwsh -NoLogo -NonInteractive -Command '[Console]::Out.Write($env:PATH)'
[Console]::Out.Write($outer + [char]0 + ($inner -join ''))`;
    const [outer, inner] = (await pwsh(h, script)).split('\0');
    for (const path of [outer!, inner!]) {
      const parts = path.split(sep);
      expect(parts.filter((p) => p === first)).toHaveLength(1);
      expect(parts.filter((p) => p === last)).toHaveLength(1);
      expect(parts[0]).toBe(first);
      expect(parts.at(-1)).toBe(last);
    }
    const u = await h.envset(['path', 'remove', first, last, '--yes']);
    expect(u.exitCode, printed(u)).toBe(0);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
  });

  it('a hand-written $env:GEMINI_API_KEY in the profile: status names file:line, --adopt comments it out, unset restores it', async () => {
    const hand = "# my keys\r\n$env:GEMINI_API_KEY = 'AIzaSyHandWritten-0123456789abcdefghij'\r\nSet-Alias ll Get-ChildItem\r\n";
    const h = await home({ [PROFILE]: utf8bom(hand) });
    const before = await snapshotTree(h.home);
    const s = await h.envset(['status', '--json']);
    expect(s.exitCode, printed(s)).toBe(0);
    const status = JSON.parse(String(s.stdout)) as {
      variables: { name: string; definitions: { path: string; line: number; managed: boolean }[] }[];
    };
    expect(status.variables).toContainEqual(
      expect.objectContaining({ name: 'GEMINI_API_KEY', definitions: [{ path: h.path(PROFILE), line: 2, managed: false }] }),
    );
    const key = 'AQ.Ab8RN6Ksomething-new-0123456789';
    const r = await h.envset(['set', 'GEMINI_API_KEY', '--value-stdin', '--shell', 'pwsh', '--adopt', '--yes', '--json', ...SLOW], {
      input: key,
    });
    expect(r.exitCode, printed(r)).toBe(0);
    expect((JSON.parse(String(r.stdout)) as SetJson).verify).toEqual([expect.objectContaining({ shell: 'pwsh', ok: true })]);
    const adopted = (await h.read(PROFILE)).toString('utf8');
    expect(adopted).not.toMatch(/^\$env:GEMINI_API_KEY/m);
    expect(adopted).toMatch(/^#.*\$env:GEMINI_API_KEY = 'AIzaSyHandWritten/m);
    expect(await seen(h, ['GEMINI_API_KEY'])).toEqual([key]);
    const u = await h.envset(['unset', 'GEMINI_API_KEY', '--yes']);
    expect(u.exitCode, printed(u)).toBe(0);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
    expect(await seen(h, ['GEMINI_API_KEY'])).toEqual(['AIzaSyHandWritten-0123456789abcdefghij']);
  });

  it('the check reads the profiles as a terminal start does: a later definition in the current-host profile is a mismatch, exit 3, with its file:line', async () => {
    const h = await home({ [CURRENT_HOST]: "Set-Alias ll Get-ChildItem\n$env:PS_KEY = 'from the host profile'\n" });
    const r = await h.envset(['set', 'PS_KEY', '--value-stdin', '--shell', 'pwsh', '--yes', '--json', ...SLOW], {
      input: 'ps-value-123456',
    });
    expect(r.exitCode, printed(r)).toBe(3);
    const [check] = (JSON.parse(String(r.stdout)) as SetJson).verify;
    expect(check).toEqual(expect.objectContaining({ shell: 'pwsh', ok: false, status: 'mismatch' }));
    expect(check!.detail).toContain(`${h.path(CURRENT_HOST)}:2`);
    // And a profile that takes the variable away after the hook: the check sees it gone.
    await h.write(CURRENT_HOST, 'Remove-Item Env:PS_KEY\n');
    const v = await h.envset(['verify', 'PS_KEY', ...SLOW]);
    expect(v.exitCode, printed(v)).toBe(3);
    expect(String(v.stdout)).toContain('does not see PS_KEY');
  });

  it("every pwsh envset starts: the check reads the profiles (no -NoProfile), and no value in any pwsh's argv or environment", async () => {
    const h = await home();
    const shims = await makeShims(join(h.root, 'shims'), ['pwsh'], h.env.PATH);
    expect(shims.tools).toEqual(['pwsh']);
    h.env.PATH = `${shims.dir}:${h.env.PATH}`;
    const secret = 'ps-leak-\u2019canary-0123456789';
    const r = await h.envset(['set', 'PS_KEY', '--value-stdin', '--shell', 'pwsh', '--yes', ...SLOW], { input: secret });
    expect(r.exitCode, printed(r)).toBe(0);
    const v = await h.envset(['verify', 'PS_KEY', ...SLOW]);
    expect(v.exitCode, printed(v)).toBe(0);
    const calls = await shims.calls();
    // set: the profile question (-NoProfile) and the check; verify: the check.
    expect(calls.filter((c) => c.argv.includes('-NoProfile'))).toHaveLength(1);
    const checks = calls.filter((c) => !c.argv.includes('-NoProfile'));
    expect(checks).toHaveLength(2);
    for (const check of checks) expect(check.env.filter((e) => e.startsWith('PS_KEY='))).toEqual([]);
    for (const call of calls) {
      expect(call.argv.join('\0')).not.toContain(secret);
      expect(call.env.join('\0')).not.toContain(secret);
      // The script is base64 UTF-16: its text, decoded, holds no value either.
      const script = Buffer.from(call.argv[call.argv.indexOf('-EncodedCommand') + 1]!, 'base64').toString('utf16le');
      expect(script).not.toContain(secret);
    }
    expect(printed(r) + printed(v)).not.toContain(secret);
  });

  it('--shell auto picks pwsh where it is installed and its profile exists; all picks it where it is installed', async () => {
    const picked = async (h: TempHome, spec: string) => {
      const r = await h.envset(['set', 'PS_KEY', '--value-stdin', '--shell', spec, '--dry-run', '--json'], { input: 'ps-value-123456' });
      expect(r.exitCode, printed(r)).toBe(0);
      return new Set((JSON.parse(String(r.stdout)) as SetJson).files.map((f) => f.shell).filter(Boolean));
    };
    const withProfile = await home({ [PROFILE]: 'Set-Alias ll Get-ChildItem\n' });
    expect(await picked(withProfile, 'auto')).toContain('pwsh');
    const noProfile = await home();
    expect(await picked(noProfile, 'auto')).not.toContain('pwsh');
    expect(await picked(noProfile, 'all')).toContain('pwsh');
    const notInstalled = await home({ [PROFILE]: 'Set-Alias ll Get-ChildItem\n' }, { pwsh: false });
    expect(await picked(notInstalled, 'auto')).not.toContain('pwsh');
    expect(await picked(notInstalled, 'all')).not.toContain('pwsh');
  });
});
