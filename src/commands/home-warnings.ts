// Warnings about a home that hold whatever the command: envset's files readable by others, and
// envset's files or hooked startup files inside a git work tree (louder when git tracks them).
import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Context, Locations } from '../context.js';
import { attempt } from '../fsio/quietly.js';
import { envFilePath } from '../plan.js';
import { FAMILIES } from '../shells/index.js';

export async function modeWarnings(loc: Locations): Promise<string[]> {
  if (loc.platform === 'win32') return [];
  const warnings: string[] = [];
  const dir = attempt(() => statSync(loc.envDir));
  if (dir && (dir.mode & 0o077) !== 0) {
    warnings.push(`${loc.envDir} can be opened by other users (mode ${(dir.mode & 0o777).toString(8)}); run: chmod 700 '${loc.envDir}'`);
  }
  for (const family of Object.values(FAMILIES)) {
    const path = envFilePath(loc, family);
    const info = attempt(() => lstatSync(path));
    if (info && (info.mode & 0o077) !== 0) {
      warnings.push(`${path} can be read by other users (mode ${(info.mode & 0o777).toString(8)}); run: chmod 600 '${path}'`);
    }
  }
  return warnings;
}

/** Hooked files and env files inside a git work tree; louder when git tracks them. */
export async function gitWarnings(loc: Locations, hooks: readonly string[], ctx: Context): Promise<string[]> {
  const warnings: string[] = [];
  const envFiles = Object.values(FAMILIES)
    .map((f) => envFilePath(loc, f))
    .filter((p) => existsSync(p));
  for (const path of [...envFiles, ...hooks]) {
    const real = attempt(() => realpathSync(path)) ?? path;
    const top = workTree(dirname(real));
    if (!top) continue;
    const secret = envFiles.includes(path);
    const tracked = await isTracked(top, real, ctx);
    const shown = real === path ? path : `${path} (-> ${real})`;
    if (tracked) {
      warnings.push(
        secret
          ? `${shown} HOLDS YOUR SECRETS AND IS TRACKED BY GIT in ${top}: remove it from the repository (git rm --cached) and rotate the keys if it was ever pushed.`
          : `${shown} is tracked by git in ${top}; the hook holds no secret, but keep ${loc.envDir} out of that repository.`,
      );
    } else {
      warnings.push(
        secret
          ? `${shown} holds your secrets and is inside the git work tree ${top}; add it to .gitignore so it is never committed.`
          : `${shown} is inside the git work tree ${top}; the hook holds no secret, so committing it is safe.`,
      );
    }
  }
  return warnings;
}

function workTree(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

async function isTracked(top: string, path: string, ctx: Context): Promise<boolean> {
  const { runCaptured } = await import('../spawn/index.js');
  const { findExecutable } = await import('../shells/detect.js');
  const git = await findExecutable('git', ctx);
  if (!git) return false;
  const result = await runCaptured(git, ['-C', top, 'ls-files', '--error-unmatch', '--', path], { env: ctx.env, timeoutMs: 5000 });
  return result.exitCode === 0;
}
