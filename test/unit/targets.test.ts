// --shell auto, all and lists, as a table: a temp home with some startup files and a PATH of
// stand-in executables, so "installed" and "in use" are exactly what each row says.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Context, locate } from '../../src/context.js';
import { EnvsetError } from '../../src/errors.js';
import { resolveTargets } from '../../src/targets/index.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function setup(installed: string[], files: string[], platform: NodeJS.Platform = 'linux', env: Record<string, string> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'envset-targets-'));
  roots.push(root);
  const home = join(root, 'home');
  const bin = join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  mkdirSync(home);
  for (const name of installed) {
    writeFileSync(join(bin, name), '#!/bin/sh\n');
    chmodSync(join(bin, name), 0o755);
  }
  for (const file of files) {
    if (file.endsWith('/')) mkdirSync(join(home, file), { recursive: true });
    else {
      mkdirSync(dirname(join(home, file)), { recursive: true });
      writeFileSync(join(home, file), '');
    }
  }
  const ctx = { env: { PATH: bin, ...env }, platform, cwd: root, uid: 1000 } as unknown as Context;
  return { ctx, loc: locate(ctx, home, true) };
}

describe('resolveTargets', () => {
  it.each([
    ['the login shell even with no startup file', ['bash'], [], '/bin/bash', ['bash']],
    [
      'the login shell plus installed shells whose files exist',
      ['bash', 'zsh', 'fish'],
      ['.zshrc', '.config/fish/'],
      '/bin/bash',
      ['bash', 'zsh', 'fish'],
    ],
    ['a shell whose files exist but is not installed is left out', ['bash'], ['.zshrc'], '/bin/bash', ['bash']],
    ['dash as login shell means sh', ['sh'], [], '/bin/dash', ['sh']],
    ['an unknown login shell with bash in use', ['bash'], ['.bashrc'], '/usr/bin/rc', ['bash']],
    ['tcsh as login shell, csh by its .cshrc', ['tcsh', 'csh'], ['.cshrc'], '/bin/tcsh', ['tcsh', 'csh']],
    [
      'xonsh, Nushell and Elvish by their folders',
      ['bash', 'xonsh', 'nu', 'elvish'],
      ['.config/xonsh/', '.config/nushell/', '.config/elvish/'],
      '/bin/bash',
      ['bash', 'xonsh', 'nu', 'elvish'],
    ],
  ])('auto: %s', async (_, installed, files, login, expected) => {
    const { ctx, loc } = setup(installed, files);
    expect(await resolveTargets('auto', ctx, loc, login)).toEqual(expected);
  });

  it('auto with nothing to go by is a usage error naming the login shell', async () => {
    const { ctx, loc } = setup([], []);
    await expect(resolveTargets('auto', ctx, loc, '/opt/odd')).rejects.toThrow(/login shell is "\/opt\/odd"/);
  });

  it('auto on Windows: the registry, plus pwsh where a profile exists', async () => {
    const { ctx, loc } = setup([], ['Documents/PowerShell/profile.ps1'], 'win32');
    expect(await resolveTargets('auto', ctx, loc, undefined)).toEqual(['pwsh', 'windows']);
  });

  it('all: every installed shell, never the registry off Windows', async () => {
    const { ctx, loc } = setup(['bash', 'fish'], []);
    expect(await resolveTargets('all', ctx, loc)).toEqual(['bash', 'fish']);
  });

  it.each([
    ['bash, zsh ,bash', ['bash', 'zsh']],
    ['FISH', ['fish']],
  ])('a list %j', async (spec, expected) => {
    const { ctx, loc } = setup([], []);
    expect(await resolveTargets(spec, ctx, loc)).toEqual(expected);
  });

  it.each([
    ['tcshh', /Unknown shell "tcshh"/],
    ['windows', /exists only on Windows/],
    [',', /needs at least one shell/],
  ])('a list %j is a usage error', async (spec, message) => {
    const { ctx, loc } = setup([], []);
    const error = await resolveTargets(spec, ctx, loc).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvsetError);
    expect((error as EnvsetError).message).toMatch(message);
  });
});
