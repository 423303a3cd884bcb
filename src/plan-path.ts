// Pure planning of `envset path add|remove`: the entries in state.json, the PATH section of every
// env file, the hooks of the shells asked for, and the Windows user Path. Like planSet/planUnset:
// snapshots in, the exact bytes and registry values out; when neither a variable nor a folder is
// left, every trace goes, as with the last `unset`.

import { renderEnvFile } from './edit/envfile.js';
import { findRegValue, type RegEdit } from './edit/regfile.js';
import { addToPath, pathElements, removeFromPath, sameFolder } from './edit/winpath.js';
import { folderOf, homeRelative, type Position, sameEntry, withAdded, withRemoved } from './paths.js';
import {
  copyState,
  currentVars,
  envFilePath,
  hookLocations,
  hookStartupFile,
  type Plan,
  PlanBuilder,
  SECRET_DIR_MODE,
  SECRET_MODE,
  statePath,
  takeEverythingAway,
  WINDOWS_HOOK,
  type World,
} from './plan.js';
import { alreadyNote } from './reports.js';
import { FAMILIES, SHELLS, type ShellId } from './shells/index.js';
import { type PathEntry, renderState, type State } from './state.js';
import { TARGETS, type TargetId } from './targets/index.js';
import { WINDOWS } from './targets/windows.js';

export interface PathRequest {
  /** Entries to add (stored form), each with where it goes. */
  add: readonly { dir: string; position: Position }[];
  /** Entries to take away (stored form). */
  remove: readonly string[];
  /** Startup files to hook (add), each with the shells that read it. */
  hooks: ReadonlyMap<string, ShellId[]>;
  /** Files where a hook may be besides those state.json names (for taking every trace away). */
  hookFiles: ReadonlyMap<string, ShellId[]>;
  /** The windows target was asked for: the folders go into HKCU\Environment\Path too. */
  registry: boolean;
  /** For comparing Path entries as Windows expands them (%USERPROFILE%). */
  env: NodeJS.ProcessEnv;
  backup: boolean;
  stamp: string;
}

/** The value of the user environment that holds the user's own folders. */
export const PATH_VALUE = 'Path';

const registryHooked = (state: State) => state.hooks.some((h) => TARGETS[h.target]?.kind === 'registry');

export function planPath(world: World, request: PathRequest): { plan: Plan; entries: PathEntry[] } {
  const { loc, state: before } = world;
  const { platform } = loc;
  const vars = currentVars(world);
  const state = copyState(before);
  const notes: string[] = [];
  for (const a of request.add) {
    if (before.paths.some((e) => sameEntry(e.dir, a.dir, platform) && e.position === a.position)) notes.push(alreadyNote(a));
  }
  for (const dir of request.remove) {
    if (!before.paths.some((e) => sameEntry(e.dir, dir, platform)))
      notes.push(`${dir} is not a folder envset put on PATH here; nothing to remove.`);
  }
  let entries = withRemoved(withAdded(before.paths, request.add, platform), request.remove, platform);
  // An entry that moved to the other end is a new one: its old Path token goes, a new one comes.
  entries = entries.map((e) => {
    const old = before.paths.find((b) => sameEntry(b.dir, e.dir, platform));
    return old && old.position !== e.position ? { dir: e.dir, position: e.position } : e;
  });

  const registryWarnings: string[] = [];
  let registry: { before: ReturnType<typeof findRegValue>; edit: RegEdit } | undefined;
  if (world.registry && (request.registry || registryHooked(before) || before.paths.some((e) => e.token))) {
    const planned = planRegistryPath(world, before, entries, request, notes, registryWarnings);
    entries = planned.entries;
    registry = planned.change;
    if (planned.registryPath) state.registryPath = planned.registryPath;
    else delete state.registryPath;
  }
  state.paths = entries;

  const builder = new PlanBuilder(world, vars, entries);
  builder.notes.push(...notes);
  builder.warnings.push(...registryWarnings);
  if (registry) builder.registryChange(registry.edit.name, registry.before, registry.edit, true);
  if (registry && entries.some((e) => e.token) && !registryHooked(state)) state.hooks.push({ path: WINDOWS_HOOK, target: WINDOWS.id });

  if (entries.length === 0 && vars.length === 0) {
    takeEverythingAway(builder, world, hookLocations(world, request.hookFiles), new Map(), request.backup, request.stamp);
    return { plan: builder.finish(), entries };
  }

  const hooked = new Set<ShellId>([
    ...before.hooks.flatMap((h) => (TARGETS[h.target]?.kind === 'shell' ? [h.target as ShellId] : [])),
    ...[...request.hooks.values()].flat(),
  ]);
  builder.ensureDir(loc.envDir, SECRET_DIR_MODE);
  for (const family of Object.values(FAMILIES)) {
    const readers: TargetId[] = [...hooked].filter((s) => SHELLS[s].family === family);
    if (family !== FAMILIES.posix && readers.length === 0) continue;
    builder.put(envFilePath(loc, family), 'env', readers, renderEnvFile(family, vars, { entries, platform }), SECRET_MODE);
  }
  for (const [path, shells] of request.hooks)
    hookStartupFile(builder, world, state, { path, shells, doc: undefined, backup: request.backup, stamp: request.stamp });
  state.createdDirs.push(...builder.newDirs.filter((d) => !state.createdDirs.includes(d)));
  builder.put(statePath(loc), 'state', [], renderState(state), SECRET_MODE);
  return { plan: builder.finish(), entries };
}

/**
 * HKCU\Environment\Path after the change: the tokens of entries that went (or moved) come out, each
 * entry without a token gets one unless the Path names its folder already (that element is the
 * person's, left where it is and never taken away). Every other element stays byte for byte.
 */
function planRegistryPath(world: World, before: State, entries: PathEntry[], request: PathRequest, notes: string[], warnings: string[]) {
  const found = findRegValue(world.registry ?? [], PATH_VALUE);
  const unchanged = { entries, change: undefined, registryPath: before.registryPath };
  if (found?.type === 'other') {
    warnings.push(
      `HKCU\\Environment\\${found.name} is not a text value; envset left it alone, so new Windows programs do not get these folders from it.`,
    );
    return unchanged;
  }
  const current = found?.value ?? '';
  const gone = before.paths.filter((b) => b.token && !entries.some((e) => e.token === b.token && e.dir === b.dir)).map((b) => b.token!);
  let value = removeFromPath(current, gone);
  const expand = found?.type !== 'REG_SZ'; // a REG_SZ Path would keep %USERPROFILE% as those letters
  const wanted = request.registry || registryHooked(before) || before.paths.some((e) => e.token);
  const added: { token: string; position: Position }[] = [];
  const next = entries.map((e): PathEntry => {
    if (e.token || !wanted) return e;
    const rel = homeRelative(e.dir);
    const token =
      rel === undefined
        ? e.dir
        : expand
          ? ['%USERPROFILE%', ...(rel ? rel.split('/') : [])].join('\\')
          : folderOf(e.dir, world.loc.home, 'win32');
    const there = pathElements(value).find((element) => sameFolder(element, token, request.env));
    if (there !== undefined) {
      notes.push(`HKCU\\Environment\\${found?.name ?? PATH_VALUE} has ${e.dir} already (as ${there}); envset leaves it where it is.`);
      return e;
    }
    added.push({ token, position: e.position });
    return { ...e, token };
  });
  // Prepend tokens in the order of the entries (the first ends first), append ones likewise.
  value = addToPath(value, added);
  const holds = next.some((e) => e.token);
  const created = before.registryPath?.created ?? found === undefined;
  if (value === current && (found !== undefined || !holds))
    return { entries: next, change: undefined, registryPath: holds ? { created } : undefined };
  const name = found?.name ?? PATH_VALUE;
  // Back to nothing in a value envset created: the value goes, as it was not there before.
  const edit: RegEdit =
    !holds && created && value === ''
      ? { name, delete: true }
      : { name, type: found?.type === 'REG_SZ' ? 'REG_SZ' : 'REG_EXPAND_SZ', value };
  return { entries: next, change: { before: found, edit }, registryPath: holds ? { created } : undefined };
}
