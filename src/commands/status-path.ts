// The PATH part of `envset status`: each folder envset keeps on PATH, the shells that have it (every
// hooked shell reads envset's env file; the windows target has it in the user Path), where each
// puts it, and with --verify where fresh shells really have it.
import { statSync } from 'node:fs';
import type { Context, Locations } from '../context.js';
import { findRegValue, type RegValue } from '../edit/regfile.js';
import { pathElements, sameFolder } from '../edit/winpath.js';
import { attempt } from '../fsio/quietly.js';
import { folderOf } from '../paths.js';
import type { Progress } from '../progress.js';
import type { StatusPath, VerifyResult } from '../reports.js';
import type { State } from '../state.js';
import { TARGETS, type TargetId } from '../targets/index.js';
import type { Placement } from '../verify-path.js';

export async function pathStatus(
  ctx: Context,
  loc: Locations,
  state: State,
  registry: readonly RegValue[],
  verify: { timeoutMs: number; runAs: { uid: number; gid: number } | undefined; progress?: Progress } | undefined,
): Promise<StatusPath[]> {
  const hooked = [...new Set(state.hooks.map((h) => h.target))].filter((id) => TARGETS[id]?.kind === 'shell');
  const userPath = findRegValue(registry, 'Path');
  const elements = userPath && userPath.type !== 'other' ? pathElements(userPath.value) : [];
  const entries: StatusPath[] = state.paths.map((e) => {
    const folder = folderOf(e.dir, loc.home, loc.platform);
    const inRegistry = elements.some((element) => sameFolder(element, e.token ?? folder, ctx.env));
    return {
      dir: e.dir,
      folder,
      position: e.position,
      exists: attempt(() => statSync(folder))?.isDirectory() === true,
      shells: [...hooked, ...(inRegistry ? ['windows' as TargetId] : [])],
      where: e.position === 'prepend' ? 'before the system folders' : 'after every other folder',
      ...(e.token && { registry: e.token }),
    };
  });
  if (verify && entries.length) {
    const { verifyPath } = await import('../verify-path.js');
    const { checkLabels } = await import('../verify.js');
    const targets = [...hooked, ...(state.paths.some((e) => e.token) ? ['windows' as TargetId] : [])];
    const progress = verify.progress?.checks(checkLabels(targets), { about: 'checking PATH in fresh shells', transient: true });
    const results = (await verifyPath(targets, state.paths, {
      ctx,
      loc,
      timeoutMs: verify.timeoutMs,
      runAs: verify.runAs,
      progress,
    })) as (VerifyResult & { path?: Placement[] })[];
    entries.forEach((entry, i) => {
      entry.verify = results.map((r) => {
        const placed = r.path?.[i];
        return placed
          ? {
              shell: r.shell,
              mode: r.mode,
              ok: placed.ok,
              status: placed.ok ? 'ok' : placed.at.length ? 'mismatch' : 'missing',
              detail: placed.at.length ? `at ${placed.at.join(', ')} of ${placed.of}` : 'not there',
              at: placed.at,
            }
          : { ...r, at: [] };
      });
    });
  }
  return entries;
}
