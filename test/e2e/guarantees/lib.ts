// Checks shared by the guarantee suites: read many variables back with one shell start, count
// envset's blocks, and list what a home holds that envset should never leave behind.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { TempHome } from '../../support/home.js';

export type Syntax = 'posix' | 'fish' | 'pwsh';

/** Start `shell args script` once; it prints each variable as 's' + value or 'u', each ended by NUL. */
export async function readBack(
  h: TempHome,
  shell: string,
  args: readonly string[],
  syntax: Syntax,
  names: readonly string[],
): Promise<(string | undefined)[]> {
  const begin = '__envset_guarantee_begin__';
  const end = '__envset_guarantee_end__';
  const body = names
    .map((name) =>
      syntax === 'posix'
        ? `if [ -n "\${${name}+x}" ]; then printf 's%s\\000' "$${name}"; else printf 'u\\000'; fi`
        : syntax === 'fish'
          ? `if set -q ${name}; printf 's%s\\000' "$${name}"; else; printf 'u\\000'; end`
          : `$v = [Environment]::GetEnvironmentVariable('${name}'); if ($null -eq $v) { [Console]::Out.Write("u\`0") } else { [Console]::Out.Write('s' + $v + "\`0") }`,
    )
    .join('\n');
  const script =
    syntax === 'pwsh'
      ? `[Console]::OutputEncoding = [Text.UTF8Encoding]::new($false)\n[Console]::Out.Write('${begin}')\n${body}\n[Console]::Out.Write('${end}')`
      : `printf '%s' '${begin}'\n${body}\nprintf '%s' '${end}'`;
  // fish keeps history under XDG_DATA_HOME, pwsh its cache and module folder under XDG_CACHE_HOME
  // and XDG_DATA_HOME: outside the home, so reading changes nothing in it.
  const outside = {
    fish: { XDG_DATA_HOME: join(h.root, 'fish-data') },
    pwsh: { XDG_DATA_HOME: join(h.root, 'pwsh-data'), XDG_CACHE_HOME: join(h.root, 'pwsh-cache'), POWERSHELL_TELEMETRY_OPTOUT: '1' },
    posix: {},
  }[syntax];
  const r = await execa(shell, [...args, script], {
    env: { ...h.env, ...outside },
    extendEnv: false,
    cwd: h.home,
    stdin: 'ignore',
    encoding: 'buffer',
    reject: false,
    timeout: 60_000,
  });
  const out = Buffer.from(r.stdout);
  const from = out.indexOf(begin);
  const to = out.indexOf(end, from);
  if (from < 0 || to < 0)
    throw new Error(`${shell} ${args.join(' ')} printed no answer: ${Buffer.from(r.stderr).toString('utf8').slice(0, 2000)}`);
  const fields = out
    .subarray(from + begin.length, to)
    .toString('utf8')
    .split('\0');
  fields.pop();
  return fields.map((f) => (f.startsWith('s') ? f.slice(1) : undefined));
}

/** The shells that read each kind of startup file, as [label, binary, args, syntax]. */
export const READERS: [string, string, string[], Syntax][] = [
  ['bash (interactive)', 'bash', ['-i', '-c'], 'posix'],
  ['bash (login)', 'bash', ['-l', '-c'], 'posix'],
  ['zsh', 'zsh', ['-c'], 'posix'],
  ['dash (login)', 'dash', ['-l', '-c'], 'posix'],
  ['fish', 'fish', ['-c'], 'fish'],
];

export const BEGIN = '# >>> envset >>>';
export const END = '# <<< envset <<<';

/** How many begin and end markers a text holds. */
export function markerCount(text: string): { begin: number; end: number } {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  return { begin: lines.filter((l) => l === BEGIN).length, end: lines.filter((l) => l === END).length };
}

/** Every path under dir (relative), recursively; what `ls -R` would show. */
export async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String).sort();
}

/**
 * Leftovers no finished run may leave: a lock folder, write-file-atomic's temp files
 * (`name.<digits>` beside the file), envset's own temp names.
 */
export async function litter(dir: string): Promise<string[]> {
  return (await listTree(dir)).filter((rel) => /(^|\/)\.envset\.lock(\/|\.|$)|\.\d{3,}$|envset-tmp/.test(rel));
}

export const joinHome = (h: TempHome, ...parts: string[]) => join(h.home, ...parts);

/** Root is needed to create users, run as them and mount a small tmpfs. */
export const IS_ROOT = process.getuid?.() === 0;

export interface TestUser {
  name: string;
  uid: number;
  gid: number;
  remove: () => Promise<void>;
}

/** A throwaway system user (useradd -M), removed again by `remove`. */
export async function createUser(prefix: string, home: string): Promise<TestUser> {
  const name = `${prefix}-${Math.random().toString(16).slice(2, 8)}`;
  await execa('useradd', ['-M', '-d', home, '-s', '/bin/sh', name]);
  const uid = Number((await execa('id', ['-u', name])).stdout);
  const gid = Number((await execa('id', ['-g', name])).stdout);
  return { name, uid, gid, remove: async () => void (await execa('userdel', [name], { reject: false })) };
}

/** argv prefix that runs a command as the user: real and effective ids, no supplementary groups. */
export const asUser = (user: TestUser) => ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--'];
