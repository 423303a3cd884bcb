import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Locations } from '../context.js';
import { POSIX_MARKERS, PWSH_MARKERS, type Markers } from '../edit/block.js';
import { quoteFish, quotePosix, quotePwsh } from './quote.js';

export type ShellId = 'bash' | 'zsh' | 'sh' | 'fish' | 'pwsh' | 'windows';
export const SHELL_IDS: readonly ShellId[] = ['bash', 'zsh', 'sh', 'fish', 'pwsh', 'windows'];

/**
 * How a family of shells loads envset's variables: the env file it sources, the line format in
 * it, and the hook placed in its startup files (a block between markers, or a whole file).
 */
export interface Family {
  id: 'posix' | 'fish' | 'pwsh';
  envFile: string;
  envLine: (name: string, value: string) => string;
  quote: (value: string) => string;
  hookTemplate: string;
  /** Markers of the block in shared startup files; undefined when the hook is a whole file of its own. */
  markers: Markers | undefined;
  /**
   * Files envset creates for this family start with a UTF-8 BOM: Windows PowerShell 5.1 reads a
   * .ps1 without one as the ANSI code page, which would garble any non-ASCII value or path.
   */
  bom: boolean;
  /**
   * Line ending of envset's own block lines whatever the file uses (undefined: the file's own).
   * POSIX shells read a CR as part of the command, so in a CRLF file a CRLF hook line would fail (`fi\r`).
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
    markers: undefined,
    bom: false,
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
}

export interface Shell {
  id: ShellId;
  /** Executables that provide the shell, in order of preference. */
  binaries: readonly string[];
  /** Undefined for `windows`, which keeps values in the registry rather than a file. */
  family: Family | undefined;
  /** Startup files to hook, given the files that exist now. */
  startupFiles: (loc: Locations, exists: (path: string) => boolean) => string[];
  /**
   * For each verify mode, the startup files the shell reads in that mode, in order: the last
   * definition of a name met along them is the one the shell sees (for conflicts and `status`).
   */
  reads: (loc: Locations, exists: (path: string) => boolean) => { mode: string; files: string[] }[];
  /** Files whose presence shows the person uses this shell (for `--shell auto`). */
  evidence: (loc: Locations) => string[];
  verify: readonly VerifyMode[];
  /**
   * Extra environment for a verification run. `scratch` is an empty private folder that is removed
   * afterwards, for state a shell would otherwise create in the home on its first start.
   */
  verifyEnv?: (loc: Locations, env: NodeJS.ProcessEnv, scratch: () => Promise<string>) => Promise<NodeJS.ProcessEnv>;
  /** Builds the verification script that prints NAME between sentinels. */
  probe?: (name: string, begin: string, end: string) => string;
  /** False while a target is still being built: asking for it is a usage error. */
  ready: boolean;
}

const home = (loc: Locations, ...parts: string[]) => join(loc.home, ...parts);

/** The login file bash really reads: the first of these that exists (bash stops looking there). */
export function bashLoginFile(loc: Locations, exists: (path: string) => boolean): string {
  const candidates = ['.bash_profile', '.bash_login', '.profile'].map((f) => home(loc, f));
  // With none there, macOS Terminal starts login shells (so .bash_profile); elsewhere .profile also serves sh.
  return candidates.find(exists) ?? home(loc, loc.platform === 'darwin' ? '.bash_profile' : '.profile');
}

const posixProbe = (name: string, begin: string, end: string) =>
  `printf '%s' '${begin}'; if [ -n "\${${name}+x}" ]; then printf 'set\\n%s' "\$${name}"; else printf 'unset\\n'; fi; printf '%s' '${end}'`;

export const SHELLS: Record<ShellId, Shell> = {
  bash: {
    id: 'bash',
    binaries: ['bash'],
    family: FAMILIES.posix,
    startupFiles: (loc, exists) => [home(loc, '.bashrc'), bashLoginFile(loc, exists)],
    reads: (loc, exists) => [
      { mode: 'interactive', files: [home(loc, '.bashrc')] },
      { mode: 'login', files: [bashLoginFile(loc, exists)] },
    ],
    evidence: (loc) => ['.bashrc', '.bash_profile', '.bash_login'].map((f) => home(loc, f)),
    verify: [
      { mode: 'interactive', args: (script) => ['-i', '-c', script] },
      { mode: 'login', args: (script) => ['-l', '-c', script] },
    ],
    probe: posixProbe,
    ready: true,
  },
  zsh: {
    id: 'zsh',
    binaries: ['zsh'],
    family: FAMILIES.posix,
    // .zshenv is read by every zsh, scripts included; .zshrc only by interactive ones.
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
    ready: true,
  },
  sh: {
    id: 'sh',
    binaries: ['sh'],
    family: FAMILIES.posix,
    startupFiles: (loc) => [home(loc, '.profile')],
    reads: (loc) => [{ mode: 'login', files: [home(loc, '.profile')] }],
    evidence: (loc) => [home(loc, '.profile')],
    verify: [{ mode: 'login', args: (script) => ['-l', '-c', script] }],
    probe: posixProbe,
    ready: true,
  },
  fish: {
    id: 'fish',
    binaries: ['fish'],
    family: FAMILIES.fish,
    // fish sources every file in conf.d at each start (scripts included), so the hook is a file of its own.
    startupFiles: (loc) => [join(loc.configDir, 'fish', 'conf.d', 'envset.fish')],
    reads: (loc) =>
      ['interactive', 'login'].map((mode) => ({
        mode,
        // conf.d first (envset.fish among them), then config.fish
        files: [join(loc.configDir, 'fish', 'conf.d', 'envset.fish'), join(loc.configDir, 'fish', 'config.fish')],
      })),
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
    probe: (name, begin, end) =>
      `printf '%s' '${begin}'; if set -q ${name}; printf 'set\\n%s' "$${name}"; else; printf 'unset\\n'; end; printf '%s' '${end}'`,
    ready: true,
  },
  pwsh: {
    id: 'pwsh',
    binaries: ['pwsh', 'powershell'],
    family: FAMILIES.pwsh,
    // The profiles the installed shells report (resolved before planning), else the documented defaults.
    startupFiles: (loc) => loc.pwshProfiles ?? defaultPwshProfiles(loc),
    reads: (loc) => [
      {
        mode: 'profile',
        // CurrentUserAllHosts, then CurrentUserCurrentHost beside it, which PowerShell runs later.
        files: (loc.pwshProfiles ?? defaultPwshProfiles(loc)).flatMap((p) => [p, join(dirname(p), 'Microsoft.PowerShell_profile.ps1')]),
      },
    ],
    evidence: (loc) => (loc.pwshProfiles ?? defaultPwshProfiles(loc)).flatMap((p) => [p, join(dirname(p), 'Microsoft.PowerShell_profile.ps1')]),
    verify: [{ mode: 'profile', args: (script) => ['-NoLogo', '-NonInteractive', ...encodedCommand(script)] }],
    probe: (name, begin, end) =>
      [
        '[Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false)',
        `$v = [Environment]::GetEnvironmentVariable('${name}')`,
        `[Console]::Out.Write('${begin}')`,
        'if ($null -ne $v) { [Console]::Out.Write("set`n" + $v) } else { [Console]::Out.Write("unset`n") }',
        `[Console]::Out.Write('${end}')`,
      ].join('; '),
    ready: true,
  },
  windows: {
    id: 'windows',
    binaries: [],
    family: undefined,
    // No startup file: each value goes to HKCU\Environment, from which Windows builds the
    // environment of every new process (src/registry.ts); verify.ts reads it back with reg.exe.
    startupFiles: () => [],
    reads: () => [],
    evidence: () => [],
    verify: [],
    ready: true,
  },
};

/** Every file where any shell's hook may live, for `unset` and `status`. */
export function allHookLocations(loc: Locations, exists: (path: string) => boolean): Map<string, ShellId[]> {
  const found = new Map<string, ShellId[]>();
  const add = (path: string, shell: ShellId) => found.set(path, [...(found.get(path) ?? []), shell]);
  for (const shell of Object.values(SHELLS)) {
    const files = shell.id === 'bash'
      ? [home(loc, '.bashrc'), ...['.bash_profile', '.bash_login', '.profile'].map((f) => home(loc, f))]
      : shell.startupFiles(loc, exists);
    for (const file of files) if (!found.get(file)?.includes(shell.id)) add(file, shell.id);
  }
  return found;
}

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
