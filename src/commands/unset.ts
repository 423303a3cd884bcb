// envset unset NAME...: remove the variables; with the last one gone, every hook and envset's files.
// It needs only the files envset touched (state.json names them); any other file where a hook could
// be is looked at only when it is a regular file that can be read.
import { readdirSync, realpathSync, rmdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Context, Locations } from '../context.js';
import { definitionOrder, winner } from '../edit/precedence.js';
import { toText } from '../edit/text.js';
import { EXIT } from '../errors.js';
import { attempt } from '../fsio/quietly.js';
import { readRecord, restoreGeminiCli } from '../gemini-cli.js';
import { checkName } from '../names.js';
import { ownFiles, type Plan, planUnset, type World } from '../plan.js';
import { location } from '../render.js';
import type { ChangeReport, StillDefined } from '../reports.js';
import { fishVariables } from '../shells/fish-universal.js';
import { allHookFiles, SHELL_IDS, SHELLS, type ShellId, sourceScope } from '../shells/index.js';
import { TARGETS } from '../targets/index.js';
import { updateRunningSession } from '../targets/session.js';
import { readUserEnvironment } from '../targets/windows.js';
import { shellReads } from './conflicts.js';
import {
  carryOut,
  fileEntries,
  type Home,
  openHome,
  type Planned,
  planChanged,
  planDiff,
  readOptional,
  readWorld,
  timestamp,
} from './flow.js';
import { confirmation } from './set.js';
import type { Input, Outcome } from './table.js';

export interface UnsetRequest {
  names: string[];
  backup: boolean;
}

export async function planUnsetHere(ctx: Context, home: Home, request: UnsetRequest, stamp: string): Promise<Planned & { world: World }> {
  const { world, hookFiles } = await readForRemoval(ctx, home);
  return { world, plan: planUnset(world, request.names, hookFiles, request.backup, stamp) };
}

/**
 * What taking things away needs to read: the files envset touched (state.json names them), any
 * other file where a hook may be (only when it is a regular file that can be read), and on Windows
 * the user environment when envset wrote to it. `hookFiles` are those other files that could be read.
 */
export async function readForRemoval(ctx: Context, home: Home): Promise<{ world: World; hookFiles: Map<string, ShellId[]> }> {
  const { loc } = home;
  const known = await readWorld(loc, ownFiles(loc));
  const { state } = known;
  const touched = [
    ...state.hooks.filter((h) => TARGETS[h.target]?.kind === 'shell' || TARGETS[h.target]?.kind === 'session').map((h) => h.path),
    ...state.created,
    ...state.adopted,
  ];
  const elsewhere = new Map([...allHookFiles(loc)].filter(([path]) => !touched.includes(path)));
  const optional = await readOptional([...elsewhere.keys(), ...shellReads(SHELL_IDS, loc)].filter((path) => !touched.includes(path)));
  // The windows target's values live in HKCU\Environment, which only Windows itself can read.
  const registryHooked = state.hooks.some((h) => TARGETS[h.target]?.kind === 'registry') || state.paths.some((e) => e.token);
  const registry = ctx.platform === 'win32' && registryHooked ? await readUserEnvironment(ctx.env) : undefined;
  const read = await readWorld(loc, [...ownFiles(loc), ...touched]);
  for (const [path, snap] of optional) read.files.set(path, snap);
  const world: World = { ...read, scanned: [...optional.keys(), ...state.adopted], ...(registry && { registry }) };
  const hookFiles = new Map<string, ShellId[]>([...elsewhere].filter(([path]) => optional.has(path)));
  return { world, hookFiles };
}

/**
 * Definitions of the names that shells will still meet once they are unset: hand-written lines,
 * those --adopt had commented out (back now) and those envset's hook used to override.
 */
export function stillDefined(world: World, plan: Plan, names: readonly string[]): StillDefined[] {
  const texts = new Map<string, string>();
  for (const [path, snap] of world.files) if (snap.bytes) texts.set(path, toText(snap.bytes));
  for (const change of plan.changes) {
    if (change.write.after) texts.set(change.path, toText(change.write.after));
    else texts.delete(change.path);
  }
  const managedAfter = new Set(plan.vars.map((v) => v.name));
  const found = new Map<string, StillDefined>();
  for (const name of names.filter((n) => !managedAfter.has(n))) {
    for (const shell of Object.values(SHELLS)) {
      for (const { mode, files } of shell.reads(world.loc, world.exists)) {
        const win = winner(definitionOrder(files, (path) => texts.get(path), name, false, sourceScope(world.loc, shell.id, mode)));
        if (!win) continue;
        const key = `${name}\0${win.path}:${win.line}`;
        const entry = found.get(key) ?? { name, path: win.path, line: win.line, shells: [] };
        entry.shells.push(`${shell.id} ${mode}`);
        found.set(key, entry);
      }
    }
  }
  return [...found.values()];
}

export async function unsetReport(
  home: Home,
  names: string[],
  planned: Planned & { world: World },
  options: { dryRun: boolean; diff: boolean; applyWarnings: string[] },
): Promise<ChangeReport> {
  const { plan } = planned;
  const still = stillDefined(planned.world, plan, names);
  const report: ChangeReport = {
    command: 'unset',
    home: home.loc.home,
    changed: planChanged(plan),
    dryRun: options.dryRun,
    files: fileEntries(plan),
    verify: [],
    warnings: [...plan.warnings, ...options.applyWarnings],
    notes: [
      ...plan.notes,
      ...still.map((d) =>
        d.path === fishVariables(home.loc)
          ? `fish still has a universal variable ${d.name} (${location(d.path, d.line, home.loc.home)}): new ${d.shells.join(', ')} shells get it; remove it in fish with: set -eU ${d.name}`
          : `${d.name} is still set by hand at ${location(d.path, d.line, home.loc.home)}: new ${d.shells.join(', ')} shells get that value.`,
      ),
    ],
    name: names,
    stillDefined: still,
  };
  if (options.diff || options.dryRun) report.diff = await planDiff(plan, home.loc.home);
  return report;
}

/** `envset unset NAME...`. */
export async function unsetCommand(ctx: Context, input: Input): Promise<Outcome> {
  const { flags } = input;
  const names = input.positionals;
  for (const name of names) checkName(name, { force: true });
  const home = await openHome(ctx, typeof flags.home === 'string' ? flags.home : undefined);
  const dryRun = flags['dry-run'] === true;
  const request = { names, backup: flags.backup === true };
  const stamp = flags.backup ? timestamp() : '';
  // Read first: the last unset deletes the record with envset's other files.
  const geminiCli = readRecord(home.loc);
  const { planned, warnings } = await carryOut({
    ctx,
    home,
    plan: () => planUnsetHere(ctx, home, request, stamp),
    inPlace: flags['in-place'] === true,
    confirm: flags.yes ? undefined : async (p, before) => input.confirm(confirmation(p, home.loc.home, before)),
    dryRun,
  });
  const report = await unsetReport(home, names, planned, { dryRun, diff: flags.diff === true, applyWarnings: warnings });
  if (!dryRun)
    for (const c of planned.plan.changes)
      if (c.action === 'deleted' && c.targets.includes('xonsh')) forgetXonshCache(c.path, home.loc, ctx.env);
  if (!dryRun && planned.plan.changes.some((c) => c.role === 'session' && c.action !== 'unchanged')) {
    const removed = names.filter((n) => !planned.plan.vars.some((v) => v.name === n));
    const session = await updateRunningSession({ set: [], unset: removed }, ctx, home.account !== undefined);
    if (session) report.notes = [...(report.notes ?? []), session];
  }
  // gemini-cli's settings.json goes back as it was once GEMINI_API_KEY is gone.
  if (geminiCli && !planned.plan.vars.some((v) => v.name === 'GEMINI_API_KEY')) {
    report.notes = [...(report.notes ?? []), await restoreGeminiCli(home.loc, geminiCli, home.owner, dryRun)];
  }
  return { report, exitCode: EXIT.ok };
}

/**
 * xonsh keeps a compiled copy of each rc file it ran in ${XDG_DATA_HOME:-~/.local/share}/xonsh/xonsh_script_cache,
 * under the file's real path with each capital letter as `_` and the lower one, `.` as `_.`, `_` as
 * `__`, and its Python's cache tag after the name (xonsh's codecache.py). When envset's rc.d file
 * goes, its copy goes too, with the folders that held only it; nothing else there is touched.
 */
function forgetXonshCache(file: string, loc: Locations, env: NodeJS.ProcessEnv): void {
  const dataHome = (!loc.explicitHome && env.XDG_DATA_HOME) || join(loc.home, '.local', 'share');
  const root = join(dataHome, 'xonsh', 'xonsh_script_cache');
  const real = join(attempt(() => realpathSync(dirname(file))) ?? dirname(file), basename(file));
  const mangle = (part: string) => part.replace(/[A-Z._]/g, (c) => (c === '.' ? '_.' : c === '_' ? '__' : `_${c.toLowerCase()}`));
  const parts = real.split('/').filter(Boolean).map(mangle);
  const dir = join(root, ...parts.slice(0, -1));
  const name = `${parts.at(-1)}.`;
  for (const entry of attempt(() => readdirSync(dir)) ?? [])
    if (entry.startsWith(name)) attempt(() => rmSync(join(dir, entry), { force: true }));
  for (let d = dir; d.startsWith(`${root}/`); d = dirname(d)) {
    // Only an empty folder goes; the first that is not ends the walk up.
    const gone = attempt(() => {
      rmdirSync(d);
      return true;
    });
    if (!gone) break;
  }
}
