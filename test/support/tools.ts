// Real tools (zsh, fish, tmux, wine, ansible) are required in CI and optional locally: a missing
// one skips its suite with a loud message, except in strict mode (CI=true or ENVSET_STRICT=1),
// where the suite fails instead, so a green CI run means every real-tool test ran.

import { accessSync, constants } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { it } from 'vitest';
import which from 'which';

export const STRICT = process.env.CI === 'true' || process.env.ENVSET_STRICT === '1';

export const hasTool = (name: string) => which.sync(name, { nothrow: true }) !== null;

/**
 * True when every tool is there. Otherwise: in strict mode registers a failing test naming the
 * missing tools; locally prints a warning. Use as `describe.skipIf(!needTools('zsh'))(...)`.
 */
export function needTools(...names: string[]): boolean {
  return reportMissing(
    names,
    names.filter((name) => !hasTool(name)),
  );
}

function reportMissing(names: readonly string[], missing: readonly string[]): boolean {
  if (missing.length === 0) return true;
  return need(
    false,
    `has the tools these tests need (${names.join(', ')})`,
    `missing ${missing.join(', ')}: install ${missing.length > 1 ? 'them' : 'it'} (see .ci/run) to run these tests`,
  );
}

/**
 * The same for any other condition (root, a file of a package): `ok`, or, in strict mode, a
 * failing test called `title` that says `message`, or locally a warning. Use with `skipIf`.
 */
export function need(ok: boolean, title: string, message: string): boolean {
  if (ok) return true;
  if (STRICT) {
    it(title, () => {
      throw new Error(`strict mode: ${message}`);
    });
  } else {
    process.stderr.write(`\n\x1b[33m!!! SKIPPING: ${message}\x1b[0m\n`);
  }
  return false;
}

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * PowerShell 7: `pwsh` on PATH, else where `dotnet tool install --global PowerShell` puts it,
 * ~/.dotnet/tools of the user running the tests (the real home from the password database, not
 * HOME), which is on PATH only where a profile puts it there.
 */
export const PWSH: string | undefined =
  which.sync('pwsh', { nothrow: true }) ?? [join(userInfo().homedir, '.dotnet', 'tools', 'pwsh')].find(executable);

/** Like needTools('pwsh'), for the PWSH above: fails in strict mode, skips loudly otherwise. */
export const needPwsh = (): boolean => reportMissing(['pwsh'], PWSH ? [] : ['pwsh']);

/**
 * A home's environment with pwsh on PATH, as a person's terminal has it after installing it (the
 * tests put pwsh's own folder first, which holds nothing else), and `dotnet` on it too: the
 * PowerShell .NET tool is a shim that starts `dotnet pwsh.dll`, found on PATH (DOTNET_ROOT does
 * not replace it; measured with 7.6.10).
 */
export function withPwsh(env: Record<string, string>): Record<string, string> {
  if (!PWSH) throw new Error('pwsh is not installed');
  const path = env.PATH ?? '';
  const dotnet = which.sync('dotnet', { nothrow: true });
  const needsDotnet = dotnet && !which.sync('dotnet', { path, nothrow: true });
  return { ...env, PATH: [dirname(PWSH), path, ...(needsDotnet ? [dirname(dotnet)] : [])].filter(Boolean).join(':') };
}
