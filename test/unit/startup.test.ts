import { describe, expect, it } from 'vitest';
import { type Context, locate } from '../../src/context.js';
import { bashLoginFile, SHELLS, shellFromPath } from '../../src/shells/index.js';

function loc(platform: NodeJS.Platform, env: Record<string, string> = {}) {
  const ctx = { env, platform } as unknown as Context;
  return locate(ctx, '/h', false);
}
const existing =
  (...names: string[]) =>
  (path: string) =>
    names.map((n) => `/h/${n}`).includes(path);

describe('bash login file: the first that exists, else per platform', () => {
  it.each([
    ['linux, none', 'linux', [], '/h/.profile'],
    ['macOS, none', 'darwin', [], '/h/.bash_profile'],
    ['linux, .profile', 'linux', ['.profile'], '/h/.profile'],
    ['macOS, .profile only: never add .bash_profile beside it', 'darwin', ['.profile'], '/h/.profile'],
    ['.bash_login before .profile', 'linux', ['.bash_login', '.profile'], '/h/.bash_login'],
    ['.bash_profile first', 'linux', ['.bash_profile', '.bash_login', '.profile'], '/h/.bash_profile'],
  ] as const)('%s', (_, platform, files, expected) => {
    expect(bashLoginFile(loc(platform), existing(...files))).toBe(expected);
  });
});

describe('startup files per shell', () => {
  it('bash: .bashrc plus the login file', () => {
    expect(SHELLS.bash.startupFiles(loc('linux'), existing('.bash_profile'))).toEqual(['/h/.bashrc', '/h/.bash_profile']);
  });
  it('zsh: .zshenv in ZDOTDIR when set, else in the home', () => {
    expect(SHELLS.zsh.startupFiles(loc('linux'), existing())).toEqual(['/h/.zshenv']);
    expect(SHELLS.zsh.startupFiles(loc('linux', { ZDOTDIR: '/z' }), existing())).toEqual(['/z/.zshenv']);
  });
  it('sh: .profile', () => {
    expect(SHELLS.sh.startupFiles(loc('darwin'), existing())).toEqual(['/h/.profile']);
  });
  it('envset folder follows XDG_CONFIG_HOME when absolute, else ~/.config', () => {
    expect(loc('linux', { XDG_CONFIG_HOME: '/x' }).envDir).toBe('/x/envset');
    expect(loc('linux', { XDG_CONFIG_HOME: 'relative' }).envDir).toBe('/h/.config/envset');
    expect(loc('linux').envDir).toBe('/h/.config/envset');
  });
  it("--home ignores the caller's ZDOTDIR and XDG_CONFIG_HOME", () => {
    const ctx = { env: { ZDOTDIR: '/z', XDG_CONFIG_HOME: '/x' }, platform: 'linux' } as unknown as Context;
    const l = locate(ctx, '/other', true);
    expect([l.zdotdir, l.envDir]).toEqual(['/other', '/other/.config/envset']);
  });
});

describe('shellFromPath', () => {
  it.each([
    ['/bin/bash', 'bash'],
    ['/usr/local/bin/zsh', 'zsh'],
    ['/bin/dash', 'sh'],
    ['/usr/bin/fish', 'fish'],
    ['C:\\Program Files\\PowerShell\\7\\pwsh.exe', 'pwsh'],
    ['/bin/tcsh', 'tcsh'],
    ['/bin/bsd-csh', 'csh'],
    ['/usr/local/bin/nu', 'nu'],
    ['/usr/bin/rc', undefined],
    [undefined, undefined],
  ])('%s -> %s', (path, expected) => expect(shellFromPath(path)).toBe(expected));
});
