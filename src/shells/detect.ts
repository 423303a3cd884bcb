import { existsSync } from 'node:fs';
import type { Context, Locations } from '../context.js';
import { usageError } from '../errors.js';
import { isAbsolute } from 'node:path';
import { SHELLS, SHELL_IDS, defaultPwshProfiles, encodedCommand, shellFromPath, type ShellId } from './index.js';

/**
 * First executable named `binary` on the context's PATH, without starting anything. `which` is
 * loaded here, on first use, so a run that names its shells (`--shell bash`) never loads it.
 */
export async function findExecutable(binary: string, ctx: Pick<Context, 'env'>): Promise<string | undefined> {
  const { default: which } = await import('which');
  return which.sync(binary, { path: ctx.env.PATH ?? '', pathExt: ctx.env.PATHEXT, nothrow: true }) ?? undefined;
}

/** The binary that runs shell `id`, or undefined when it is not installed. */
export async function shellBinary(id: ShellId, ctx: Pick<Context, 'env' | 'platform'>): Promise<string | undefined> {
  if (id === 'windows') return ctx.platform === 'win32' ? 'reg.exe' : undefined;
  for (const binary of SHELLS[id].binaries) {
    const found = await findExecutable(binary, ctx);
    if (found) return found;
  }
  return undefined;
}

/** The shells of `ids` that are installed, in their order. */
export async function installedShells(ids: readonly ShellId[], ctx: Pick<Context, 'env' | 'platform'>): Promise<ShellId[]> {
  const binaries = await Promise.all(ids.map((id) => shellBinary(id, ctx)));
  return ids.filter((_, i) => binaries[i] !== undefined);
}

/**
 * Turn `--shell` into the target shells. `auto`: on Windows the user environment (plus pwsh where a
 * profile exists); elsewhere the login shell plus every installed shell whose startup files exist.
 * `all`: every installed shell. Otherwise a comma list, checked.
 */
export async function resolveShells(spec: string, ctx: Context, loc: Locations, loginShell: string | undefined = ctx.env.SHELL): Promise<ShellId[]> {
  const ready = SHELL_IDS.filter((id) => SHELLS[id].ready);
  const installed = async () => new Set(await installedShells(ready, ctx));
  const used = (id: ShellId) => SHELLS[id].evidence(loc).some((path) => existsSync(path));
  if (spec === 'auto') {
    if (ctx.platform === 'win32' && !ctx.env.MSYSTEM) {
      return ready.filter((id) => id === 'windows' || (id === 'pwsh' && used(id)));
    }
    const login = shellFromPath(loginShell);
    const present = await installed();
    const picked = ready.filter((id) => id !== 'windows' && (id === login || (present.has(id) && used(id))));
    if (picked.length === 0) {
      throw usageError(
        `Could not tell which shells are used (the login shell is ${loginShell ? `"${loginShell}"` : 'not known'} and no startup file was found); pass --shell, for example --shell bash.`,
      );
    }
    return picked;
  }
  if (spec === 'all') {
    const present = await installed();
    const picked = ready.filter((id) => (id === 'windows' ? ctx.platform === 'win32' : present.has(id)));
    if (picked.length === 0) throw usageError('None of the supported shells is installed; pass --shell to choose one anyway.');
    return picked;
  }
  const picked: ShellId[] = [];
  for (const raw of spec.split(',')) {
    const name = raw.trim().toLowerCase();
    if (!name) continue;
    const id = (SHELL_IDS as readonly string[]).includes(name) ? (name as ShellId) : undefined;
    if (!id) throw usageError(`Unknown shell "${raw.trim()}": use a comma list of ${SHELL_IDS.join(', ')}, or auto, or all.`);
    if (!SHELLS[id].ready) throw usageError(`The ${id} target is not available in this version of envset yet.`);
    if (id === 'windows' && ctx.platform !== 'win32') throw usageError('The windows target (the registry) exists only on Windows.');
    if (!picked.includes(id)) picked.push(id);
  }
  if (picked.length === 0) throw usageError('--shell needs at least one shell.');
  return picked;
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
  const answers = await Promise.all(
    binaries.map(async (binary, i) => {
      const path = await findExecutable(binary, ctx);
      if (!path) return binary === 'powershell' ? defaults[i] : undefined; // 5.1 ships with Windows
      const script = '[Console]::Out.Write($PROFILE.CurrentUserAllHosts)';
      const result = await runCaptured(path, ['-NoLogo', '-NoProfile', '-NonInteractive', ...encodedCommand(script)], {
        env: { ...ctx.env, HOME: loc.home, ...(loc.platform === 'win32' && { USERPROFILE: loc.home }) },
        timeoutMs: 10_000,
        ...(runAs && { uid: runAs.uid, gid: runAs.gid }),
      });
      const answer = result.stdout.toString('utf8').trim();
      return isAbsolute(answer) || /^[A-Za-z]:\\/.test(answer) ? answer : defaults[i];
    }),
  );
  const found = answers.filter((p): p is string => p !== undefined);
  return found.length ? [...new Set(found)] : [defaults[0]!];
}
