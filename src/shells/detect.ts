import { isAbsolute } from 'node:path';
import type { Context, Locations } from '../context.js';
import { defaultPwshProfiles, encodedCommand, pwshQuietEnv, SHELLS, type ShellId } from './index.js';

/**
 * First executable named `binary` on the context's PATH, without starting anything. `which` is
 * loaded here, on first use, so a run that names its shells (`--shell bash`) never loads it.
 */
export async function findExecutable(binary: string, ctx: Pick<Context, 'env'>): Promise<string | undefined> {
  const { default: which } = await import('which');
  return which.sync(binary, { path: ctx.env.PATH ?? '', pathExt: ctx.env.PATHEXT, nothrow: true }) ?? undefined;
}

/** The binary that runs shell `id`, or undefined when it is not installed. */
export async function shellBinary(id: ShellId, ctx: Pick<Context, 'env'>): Promise<string | undefined> {
  for (const binary of SHELLS[id].binaries) {
    const found = await findExecutable(binary, ctx);
    if (found) return found;
  }
  return undefined;
}

/**
 * $PROFILE.CurrentUserAllHosts as each installed PowerShell reports it for this home (it knows
 * about redirected Documents folders); the documented default for one that is not installed or
 * does not answer (Wine's powershell is a stub that prints nothing).
 */
export async function resolvePwshProfiles(ctx: Context, loc: Locations, runAs?: { uid: number; gid: number }): Promise<string[]> {
  const defaults = defaultPwshProfiles(loc);
  // Windows: [PowerShell 7, Windows PowerShell 5.1]; elsewhere: [PowerShell 7].
  const binaries = loc.platform === 'win32' ? ['pwsh', 'powershell'] : ['pwsh'];
  const { runCaptured } = await import('../spawn/index.js');
  const { withScratchDir } = await import('../fsio/index.js');
  const answers = await Promise.all(
    binaries.map(async (binary, i) => {
      const path = await findExecutable(binary, ctx);
      if (!path) return binary === 'powershell' ? defaults[i] : undefined; // 5.1 ships with Windows
      const script = '[Console]::Out.Write($PROFILE.CurrentUserAllHosts)';
      const env: NodeJS.ProcessEnv = { ...ctx.env, HOME: loc.home, ...(loc.platform === 'win32' && { USERPROFILE: loc.home }) };
      // As verification does: the caller's XDG_CONFIG_HOME is not that of a home named by --home
      // (pwsh would report a profile under it, outside the home).
      if (loc.explicitHome) delete env.XDG_CONFIG_HOME;
      const result = await withScratchDir(async (scratch) => {
        Object.assign(env, await pwshQuietEnv(loc, env, scratch));
        return runCaptured(path, ['-NoLogo', '-NoProfile', '-NonInteractive', ...encodedCommand(script)], {
          env,
          timeoutMs: 10_000,
          ...(runAs && { uid: runAs.uid, gid: runAs.gid }),
        });
      }, runAs);
      const answer = result.stdout.toString('utf8').trim();
      return isAbsolute(answer) || /^[A-Za-z]:\\/.test(answer) ? answer : defaults[i];
    }),
  );
  const found = answers.filter((p): p is string => p !== undefined);
  return found.length ? [...new Set(found)] : [defaults[0]!];
}
