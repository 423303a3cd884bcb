// One record per shell: the files it reads in each way it starts, where envset's hook goes, the
// env file it sources and how that file quotes, and how a fresh one is started to prove it.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Locations } from '../context.js';
import { POSIX_MARKERS, PWSH_MARKERS, type Markers } from '../edit/block.js';
import { blockLineAboveGuard } from '../edit/guard.js';
import type { SourceScope } from '../edit/sources.js';
import { bashSshCommand, SSH_COMMAND_MODE } from './ssh-command.js';
import { quoteFish, quotePosix, quotePwsh } from './quote.js';

export type ShellId = 'bash' | 'zsh' | 'sh' | 'fish' | 'pwsh';
export const SHELL_IDS: readonly ShellId[] = ['bash', 'zsh', 'sh', 'fish', 'pwsh'];

/**
 * How a family of shells loads envset's variables: the env file it sources, the line format in
 * it, and the hook (a block between markers) placed in its startup files.
 */
export interface Family {
  id: 'posix' | 'fish' | 'pwsh';
  envFile: string;
  envLine: (name: string, value: string) => string;
  quote: (value: string) => string;
  hookTemplate: string;
  markers: Markers;
  /**
   * Files envset creates for this family start with a UTF-8 BOM: Windows PowerShell 5.1 reads a
   * .ps1 without one as the ANSI code page, which would garble any non-ASCII value or path.
   */
  bom: boolean;
  /**
   * Line ending of envset's own block lines whatever the file uses (undefined: the file's own).
   * POSIX shells and fish read a CR as part of the command, so in a CRLF file a CRLF hook line would fail (`fi\r`).
   */
  blockEol?: '\n';
}

export const FAMILIES = {
  posix: {
    id: 'posix',
    envFile: 'env.sh',
    envLine: (name, value) => `export ${name}=${quotePosix(value)}`,
    quote: quotePosix,
    hookTemplate: 'hook.sh',
    markers: POSIX_MARKERS,
    bom: false,
    blockEol: '\n',
  },
  fish: {
    id: 'fish',
    envFile: 'env.fish',
    envLine: (name, value) => `set -gx ${name} ${quoteFish(value)}`,
    quote: quoteFish,
    hookTemplate: 'hook.fish',
    markers: POSIX_MARKERS,
    bom: false,
    blockEol: '\n',
  },
  pwsh: {
    id: 'pwsh',
    envFile: 'env.ps1',
    envLine: (name, value) => `$env:${name} = ${quotePwsh(value)}`,
    quote: quotePwsh,
    hookTemplate: 'hook.ps1',
    markers: PWSH_MARKERS,
    bom: true,
  },
} as const satisfies Record<string, Family>;

/** One way of starting a shell for verification: as a terminal would, or as a script would. */
export interface VerifyMode {
  mode: string;
  /** argv after the binary; `script` prints the variable between sentinels and never holds the value. */
  args: (script: string) => string[];
  /** The environment this start gets, from the one verification prepared (sshd's, for bash ssh-command). */
  env?: (env: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;
}

export type Exists = (path: string) => boolean;

export interface Shell {
  kind: 'shell';
  id: ShellId;
  /** Executables that provide the shell, in order of preference. */
  binaries: readonly string[];
  family: Family;
  /** Every file where this shell's hook may live, whichever exists: what unset and status look at. */
  hookFiles: (loc: Locations) => string[];
  /** Startup files to hook, given the files that exist now (a subset of hookFiles). */
  startupFiles: (loc: Locations, exists: Exists) => string[];
  /**
   * Where the block goes in a hook file, when not at its end: given the file's lines (without
   * envset's block), the 0-based line to put it above, or undefined to append.
   */
  placeHook?: (path: string, loc: Locations) => ((lines: readonly string[]) => number | undefined) | undefined;
  /**
   * For each verify mode, the startup files the shell reads in that mode, in order: the last
   * definition of a name met along them is the one the shell sees (for conflicts and `status`).
   */
  reads: (loc: Locations, exists: Exists) => { mode: string; files: string[] }[];
  /** Files whose presence shows the person uses this shell (for `--shell auto`). */
  evidence: (loc: Locations) => string[];
  verify: readonly VerifyMode[];
  /**
   * Extra environment for a verification run. `scratch` is an empty private folder that is removed
   * afterwards, for state a shell would otherwise create in the home on its first start.
   */
  verifyEnv?: (loc: Locations, env: NodeJS.ProcessEnv, scratch: () => Promise<string>) => Promise<NodeJS.ProcessEnv>;
  /** The verification script that prints NAME between sentinels. */
  probe: (name: string, begin: string, end: string) => string;
}

const home = (loc: Locations, ...parts: string[]) => join(loc.home, ...parts);

/** bash's login files, in the order it looks for them: it reads the first that exists, only that one. */
const BASH_LOGIN_FILES = ['.bash_profile', '.bash_login', '.profile'];

/** The login file bash really reads: the first of BASH_LOGIN_FILES that exists. */
export function bashLoginFile(loc: Locations, exists: Exists): string {
  const candidates = BASH_LOGIN_FILES.map((f) => home(loc, f));
  // With none there, macOS Terminal starts login shells (so .bash_profile); elsewhere .profile also serves sh.
  return candidates.find(exists) ?? home(loc, loc.platform === 'darwin' ? '.bash_profile' : '.profile');
}

// Probes print, between the sentinels, what an external program (printenv) gets for NAME, then a
// newline and printenv's exit status (0 set, 1 not set, anything else: it could not run). See verify.ts readProbe.
const posixProbe = (name: string, begin: string, end: string) => `printf '%s' '${begin}'; command printenv ${name}; printf '\\n%s%s' "$?" '${end}'`;

const fishConfD = (loc: Locations) => join(loc.configDir, 'fish', 'conf.d', 'envset.fish');

/** $PROFILE.CurrentUserAllHosts and the CurrentUserCurrentHost profile beside it, which PowerShell runs later. */
const pwshProfiles = (loc: Locations) =>
  (loc.pwshProfiles ?? defaultPwshProfiles(loc)).flatMap((p) => [p, join(dirname(p), 'Microsoft.PowerShell_profile.ps1')]);

export const SHELLS: Record<ShellId, Shell> = {
  bash: {
    kind: 'shell',
    id: 'bash',
    binaries: ['bash'],
    family: FAMILIES.posix,
    hookFiles: (loc) => [home(loc, '.bashrc'), ...BASH_LOGIN_FILES.map((f) => home(loc, f))],
    startupFiles: (loc, exists) => [home(loc, '.bashrc'), bashLoginFile(loc, exists)],
    // bash started by sshd for `ssh host cmd` reads ~/.bashrc without being interactive: above the
    // early return for such shells (Debian's `case $- in *i*)...`) the hook is read by it too.
    placeHook: (path, loc) => (path === home(loc, '.bashrc') ? blockLineAboveGuard : undefined),
    reads: (loc, exists) => [
      { mode: 'interactive', files: [home(loc, '.bashrc')] },
      { mode: 'login', files: [bashLoginFile(loc, exists)] },
      { mode: SSH_COMMAND_MODE, files: [home(loc, '.bashrc')] },
    ],
    evidence: (loc) => ['.bashrc', '.bash_profile', '.bash_login'].map((f) => home(loc, f)),
    verify: [
      { mode: 'interactive', args: (script) => ['-i', '-c', script] },
      { mode: 'login', args: (script) => ['-l', '-c', script] },
      { mode: SSH_COMMAND_MODE, args: (script) => bashSshCommand(script, {}).args, env: (env) => bashSshCommand('', env).env },
    ],
    probe: posixProbe,
  },
  zsh: {
    kind: 'shell',
    id: 'zsh',
    binaries: ['zsh'],
    family: FAMILIES.posix,
    // .zshenv is read by every zsh, scripts included; .zshrc only by interactive ones.
    hookFiles: (loc) => [join(loc.zdotdir, '.zshenv')],
    startupFiles: (loc) => [join(loc.zdotdir, '.zshenv')],
    reads: (loc) => [
      { mode: 'interactive', files: ['.zshenv', '.zshrc'].map((f) => join(loc.zdotdir, f)) },
      { mode: 'script', files: [join(loc.zdotdir, '.zshenv')] },
    ],
    evidence: (loc) => ['.zshenv', '.zshrc', '.zprofile', '.zlogin'].map((f) => join(loc.zdotdir, f)),
    verify: [
      { mode: 'interactive', args: (script) => ['-i', '-c', script] },
      { mode: 'script', args: (script) => ['-c', script] },
    ],
    probe: posixProbe,
  },
  sh: {
    kind: 'shell',
    id: 'sh',
    binaries: ['sh'],
    family: FAMILIES.posix,
    hookFiles: (loc) => [home(loc, '.profile')],
    startupFiles: (loc) => [home(loc, '.profile')],
    reads: (loc) => [{ mode: 'login', files: [home(loc, '.profile')] }],
    evidence: (loc) => [home(loc, '.profile')],
    verify: [{ mode: 'login', args: (script) => ['-l', '-c', script] }],
    probe: posixProbe,
  },
  fish: {
    kind: 'shell',
    id: 'fish',
    binaries: ['fish'],
    family: FAMILIES.fish,
    // fish sources every file in conf.d at each start (scripts included), so the hook is a file of its own.
    hookFiles: (loc) => [fishConfD(loc)],
    startupFiles: (loc) => [fishConfD(loc)],
    reads: (loc) =>
      // conf.d first (envset.fish among them), then config.fish
      ['interactive', 'login'].map((mode) => ({ mode, files: [fishConfD(loc), join(loc.configDir, 'fish', 'config.fish')] })),
    evidence: (loc) => [join(loc.configDir, 'fish')],
    verify: [
      { mode: 'interactive', args: (script) => ['-i', '-c', script] },
      { mode: 'login', args: (script) => ['-l', '-c', script] },
    ],
    // fish creates ~/.local/share/fish on its first start; a verification must not leave that behind.
    verifyEnv: async (loc, env, scratch) => {
      const dataHome = env.XDG_DATA_HOME || join(loc.home, '.local', 'share');
      return existsSync(join(dataHome, 'fish')) ? {} : { XDG_DATA_HOME: await scratch() };
    },
    probe: (name, begin, end) => `printf '%s' '${begin}'; command printenv ${name}; printf '\\n%s%s' $status '${end}'`,
  },
  pwsh: {
    kind: 'shell',
    id: 'pwsh',
    binaries: ['pwsh', 'powershell'],
    family: FAMILIES.pwsh,
    // The profiles the installed shells report (resolved before planning), else the documented defaults.
    hookFiles: (loc) => loc.pwshProfiles ?? defaultPwshProfiles(loc),
    startupFiles: (loc) => loc.pwshProfiles ?? defaultPwshProfiles(loc),
    reads: (loc) => [{ mode: 'profile', files: pwshProfiles(loc) }],
    evidence: pwshProfiles,
    verify: [{ mode: 'profile', args: (script) => ['-NoLogo', '-NonInteractive', ...encodedCommand(script)] }],
    probe: (name, begin, end) =>
      [
        '[Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false)',
        `$v = [Environment]::GetEnvironmentVariable('${name}')`,
        `[Console]::Out.Write('${begin}')`,
        'if ($null -ne $v) { [Console]::Out.Write($v + "`n`n0") } else { [Console]::Out.Write("`n1") }',
        `[Console]::Out.Write('${end}')`,
      ].join('; '),
  },
};

/** What the static model knows when it follows `source` lines of a shell's files in one mode. */
export function sourceScope(loc: Locations, shell: ShellId, mode: string): SourceScope | undefined {
  if (shell === 'pwsh') return undefined; // PowerShell's dot-sourcing is not followed
  return { home: loc.home, vars: { ZDOTDIR: loc.zdotdir === loc.home ? null : loc.zdotdir }, shell, interactive: mode === 'interactive' };
}

/** Every file where any shell's hook may live, with the shells that read it: for `unset` and `status`. */
export function allHookFiles(loc: Locations): Map<string, ShellId[]> {
  const found = new Map<string, ShellId[]>();
  for (const shell of Object.values(SHELLS)) {
    for (const file of shell.hookFiles(loc)) found.set(file, [...new Set([...(found.get(file) ?? []), shell.id])]);
  }
  return found;
}

/** The family of shells whose env file is at `file` (a base name such as env.sh), if any. */
export const familyOfEnvFile = (file: string) => Object.values(FAMILIES).find((f) => file.endsWith(f.envFile));

/** Map a login shell path ($SHELL) to the shell envset treats it as. */
export function shellFromPath(path: string | undefined): ShellId | undefined {
  const base = path?.split(/[\\/]/).pop()?.replace(/\.exe$/i, '').toLowerCase();
  switch (base) {
    case 'bash':
    case 'zsh':
    case 'fish':
    case 'pwsh':
      return base;
    case 'powershell':
      return 'pwsh';
    case 'sh':
    case 'dash':
    case 'ksh':
    case 'mksh':
    case 'ash':
      return 'sh';
    default:
      return undefined;
  }
}

/**
 * $PROFILE.CurrentUserAllHosts as documented, for when no PowerShell can be asked: PowerShell 7
 * uses Documents\PowerShell on Windows and ~/.config/powershell elsewhere; Windows PowerShell 5.1
 * (always present on Windows) uses Documents\WindowsPowerShell.
 */
export function defaultPwshProfiles(loc: Locations): string[] {
  if (loc.platform !== 'win32') return [join(loc.configDir, 'powershell', 'profile.ps1')];
  const documents = join(loc.home, 'Documents');
  return [join(documents, 'PowerShell', 'profile.ps1'), join(documents, 'WindowsPowerShell', 'profile.ps1')];
}

/** PowerShell's `-EncodedCommand` (base64 of UTF-16LE): no quoting of the script reaches the command line. */
export const encodedCommand = (script: string) => ['-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')];
