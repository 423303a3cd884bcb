// envset unset NAME...: remove the variables; with the last one gone, every hook and envset's files.
import { existsSync } from 'node:fs';
import type { Context } from '../context.js';
import { EXIT } from '../errors.js';
import { regularFiles } from '../fsio/index.js';
import { checkName } from '../names.js';
import { ownFiles, planUnset } from '../plan.js';
import { readUserEnvironment } from '../registry.js';
import { SHELL_IDS, allHookLocations } from '../shells/index.js';
import { shellReads } from './conflicts.js';
import { applyPlan, fileEntries, openHome, planChanged, planDiff, planSummary, readWorld, timestamp, withLock, type ChangeReport } from './common.js';

export interface UnsetOptions {
  names: string[];
  home: string | undefined;
  yes: boolean;
  dryRun: boolean;
  diff: boolean;
  backup: boolean;
  /** Write files that cannot be renamed over (a bind-mounted file) in place, after a backup copy. */
  inPlace?: boolean;
  confirm: (summary: string) => Promise<boolean>;
}

export async function runUnset(ctx: Context, options: UnsetOptions): Promise<{ report: ChangeReport; exitCode: number }> {
  for (const name of options.names) checkName(name, { force: true });
  const home = await openHome(ctx, options.home);
  const { loc } = home;
  let applied: string[] = [];
  const plan = await withLock(loc, options.dryRun, async (lock) => {
    const locations = allHookLocations(loc, existsSync);
    const first = await readWorld(loc, ownFiles(loc));
    const scanned = shellReads(SHELL_IDS, loc);
    const hookFiles = first.state.hooks.filter((h) => h.shell !== 'windows').map((h) => h.path);
    // The windows target's values live in HKCU\Environment, which only Windows itself can read.
    const registry = ctx.platform === 'win32' && first.state.hooks.some((h) => h.shell === 'windows') ? await readUserEnvironment(ctx.env) : undefined;
    // Only the files envset wrote must be read (a FIFO or a link to /dev/null there stops unset);
    // every other place a hook or an adopted line could be is read only when it is a regular file.
    const known = [...ownFiles(loc), ...hookFiles, ...first.state.created];
    const others = regularFiles([...locations.keys(), ...scanned].filter((path) => !known.includes(path)));
    const world = { ...(await readWorld(loc, [...known, ...others])), scanned, ...(registry && { registry }) };
    const plan = planUnset(world, options.names, locations, options.backup, options.backup ? timestamp() : '');
    if (!options.dryRun && planChanged(plan) && !options.yes && !(await options.confirm(planSummary(plan, loc.home)))) return undefined;
    if (!options.dryRun) applied = await applyPlan(plan, home, ctx, lock, { inPlace: options.inPlace === true });
    return plan;
  });
  if (!plan) {
    return {
      report: { command: 'unset', changed: false, dryRun: false, files: [], verify: [], warnings: ['Nothing was changed.'], name: options.names },
      exitCode: EXIT.cancelled,
    };
  }
  const report: ChangeReport = {
    command: 'unset',
    changed: planChanged(plan),
    dryRun: options.dryRun,
    files: fileEntries(plan),
    verify: [],
    warnings: [...plan.warnings, ...applied],
    notes: plan.notes,
    name: options.names,
  };
  if (options.diff || options.dryRun) report.diff = await planDiff(plan);
  return { report, exitCode: EXIT.ok };
}
