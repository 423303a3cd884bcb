// What envset can make a variable permanent for: shells (a hook in their startup files) and
// targets of other kinds (the Windows user environment), each one record.
import { existsSync } from 'node:fs';
import { nearest } from '../commands/parse.js';
import type { Context, Locations } from '../context.js';
import { usageError } from '../errors.js';
import { shellBinary } from '../shells/detect.js';
import { SHELL_IDS, SHELLS, type Shell, type ShellId, shellFromPath } from '../shells/index.js';
import { shownArgument } from '../shown.js';
import { SESSION, type SessionTarget } from './session.js';
import { type RegistryTarget, WINDOWS } from './windows.js';

export type TargetId = ShellId | 'windows' | 'session';
export type Target = Shell | RegistryTarget | SessionTarget;

export const TARGETS: Record<TargetId, Target> = { ...SHELLS, windows: WINDOWS, session: SESSION };
export const TARGET_IDS = Object.keys(TARGETS) as TargetId[];

export const isTargetId = (name: string): name is TargetId => Object.hasOwn(TARGETS, name);

/** The shells among targets, as their records. */
export const shellsOf = (ids: readonly TargetId[]): Shell[] =>
  ids.flatMap((id) => {
    const target = TARGETS[id];
    return target?.kind === 'shell' ? [target] : [];
  });

/** The target of kind `registry` among ids, if any. */
export const registryOf = (ids: readonly TargetId[]): RegistryTarget | undefined =>
  ids.map((id) => TARGETS[id]).find((t): t is RegistryTarget => t?.kind === 'registry');

/** The session target among ids, if any. */
export const sessionOf = (ids: readonly TargetId[]): SessionTarget | undefined =>
  ids.map((id) => TARGETS[id]).find((t): t is SessionTarget => t?.kind === 'session');

/** Whether a target can exist on this machine at all (the registry only on Windows, the session on Linux and macOS). */
const possible = (target: Target, ctx: Pick<Context, 'platform'>) =>
  target.kind === 'registry'
    ? ctx.platform === 'win32'
    : target.kind === 'session'
      ? ctx.platform === 'linux' || ctx.platform === 'darwin'
      : !(target.unixOnly && ctx.platform === 'win32');

/** Whether the target is usable here: an installed shell, the registry on Windows, the session on Linux and macOS. */
export async function isAvailable(target: Target, ctx: Pick<Context, 'env' | 'platform'>): Promise<boolean> {
  if (target.kind !== 'shell') return possible(target, ctx);
  return (await shellBinary(target.id, ctx)) !== undefined;
}

/** The targets of `ids` that are usable here, in their order. */
export async function availableTargets(ids: readonly TargetId[], ctx: Pick<Context, 'env' | 'platform'>): Promise<TargetId[]> {
  const usable = await Promise.all(ids.map((id) => isAvailable(TARGETS[id], ctx)));
  return ids.filter((_, i) => usable[i]);
}

/** Targets `all` takes on this platform: every shell, the registry on Windows; never the session (asked for by name only). */
export const possibleTargets = (ctx: Pick<Context, 'platform'>) =>
  TARGET_IDS.filter((id) => TARGETS[id].kind !== 'session' && possible(TARGETS[id], ctx));

/**
 * Turn `--shell` into the targets. `auto`: on Windows the user environment (plus pwsh where a
 * profile exists); elsewhere the login shell plus every installed shell whose startup files exist
 * (`createdByEnvset`, state.json's files envset created, do not count).
 * `all`: every usable target but the session. Otherwise a comma list, checked (the session target
 * checks its platform itself, with its own reason).
 */
export async function resolveTargets(
  spec: string,
  ctx: Context,
  loc: Locations,
  loginShell: string | undefined = ctx.env.SHELL,
  createdByEnvset: readonly string[] = [],
): Promise<TargetId[]> {
  // A file envset created (the ~/.profile a first `set` made for bash's logins) shows no use of a shell.
  const used = (shell: Shell) => shell.evidence(loc).some((path) => !createdByEnvset.includes(path) && existsSync(path));
  if (spec === 'auto') {
    if (ctx.platform === 'win32' && !ctx.env.MSYSTEM) {
      return TARGET_IDS.filter((id) => TARGETS[id].kind === 'registry' || (id === 'pwsh' && used(SHELLS.pwsh)));
    }
    const login = shellFromPath(loginShell);
    const candidates = SHELL_IDS.filter((id) => possible(SHELLS[id], ctx));
    const installed = new Set(await availableTargets(candidates, ctx));
    const picked = candidates.filter((id) => id === login || (installed.has(id) && used(SHELLS[id])));
    if (picked.length === 0) {
      throw usageError(
        `Could not tell which shells are used (the login shell is ${loginShell ? `"${loginShell}"` : 'not known'} and no startup file was found); pass --shell, for example --shell bash.`,
      );
    }
    return picked;
  }
  if (spec === 'all') {
    const picked = await availableTargets(possibleTargets(ctx), ctx);
    if (picked.length === 0) throw usageError('None of the supported shells is installed; pass --shell to choose one anyway.');
    return picked;
  }
  const picked: TargetId[] = [];
  for (const raw of spec.split(',')) {
    const name = raw.trim().toLowerCase();
    if (!name) continue;
    if (!isTargetId(name))
      throw usageError(
        `Unknown shell ${shownArgument(raw.trim(), nearest(name, [...TARGET_IDS, 'auto', 'all']) !== undefined)}: use a comma list of ${TARGET_IDS.join(', ')}, or auto, or all.`,
      );
    const target = TARGETS[name];
    if (target.kind === 'registry' && !possible(target, ctx))
      throw usageError(`The ${name} target (${target.label}) exists only on Windows.`);
    if (target.kind === 'shell' && !possible(target, ctx)) throw usageError(`envset supports ${name} on Linux and macOS, not on Windows.`);
    if (!picked.includes(name)) picked.push(name);
  }
  if (picked.length === 0) throw usageError('--shell needs at least one shell.');
  return picked;
}

/**
 * Refuse (exit 2, nothing changed) a value that one of these shells cannot read back exactly, never
 * write it mangled. `vars` are every variable the env files will hold; `hooked` says which shells
 * envset hooks already (they read the new env files too) as opposed to the ones asked for now.
 */
export function refuseUnholdable(shells: readonly Shell[], vars: readonly { name: string; value: string }[], hooked = false): void {
  for (const shell of shells) {
    for (const { name, value } of vars) {
      const why = shell.cannotHold?.(value, name);
      if (why)
        throw usageError(
          `${shell.id}${hooked ? ', which envset hooks here,' : ''} cannot hold the value for ${name} exactly (${why}); nothing was changed.`,
        );
    }
  }
}
