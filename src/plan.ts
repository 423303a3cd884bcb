// Pure planning: from what exists now (snapshots read under the lock) and what was asked, the
// exact bytes every file should hold afterwards. Nothing here reads or writes; --dry-run prints
// a plan, apply hands its writes to fsio.
import { dirname, join, relative, sep } from 'node:path';
import type { Locations } from './context.js';
import { adoptDefinitions, restoreAdopted } from './edit/adopt.js';
import { hasBlock, placeBlock, removeBlocks, upsertBlock, upsertBlockInBytes } from './edit/block.js';
import { parseEnvSh, renderEnvFile, type Variable, withVariable } from './edit/envfile.js';
import { envValuePath, findRegValue, type RegEdit, type RegValue } from './edit/regfile.js';
import { renderTemplate } from './edit/template.js';
import { decode, emptyDoc, encode, type TextDoc, toLinesText } from './edit/text.js';
import type { Snapshot, Write } from './fsio/index.js';
import { mask, maskAssignments, redact } from './mask.js';
import { FAMILIES, type Family, familyOfEnvFile, SHELLS, type ShellId } from './shells/index.js';
import { type PathEntry, renderState, STATE_FILE, type State } from './state.js';
import { TARGETS, type TargetId } from './targets/index.js';
import { renderSessionFile, SESSION, sessionFile } from './targets/session.js';
import { WINDOWS } from './targets/windows.js';

export type Action = 'created' | 'updated' | 'unchanged' | 'removed' | 'deleted';
export type Role = 'env' | 'startup' | 'state' | 'backup' | 'session';

export interface FileChange {
  path: string;
  /** The targets that read this file (none for envset's own bookkeeping). */
  targets: TargetId[];
  role: Role;
  action: Action;
  write: Write;
  /** Text for diffs, with every value masked. */
  shownBefore: string;
  shownAfter: string;
}

/** A value of the Windows user environment (HKCU\Environment) to write or delete. */
export interface RegistryChange {
  name: string;
  /** HKCU\Environment\NAME, as reports and JSON name it. */
  path: string;
  targets: TargetId[];
  action: Action;
  edit: RegEdit;
  /** The value before the change, to put back if the transaction fails. */
  before: RegValue | undefined;
  shownBefore: string;
  shownAfter: string;
}

export interface Plan {
  changes: FileChange[];
  /** Applied after every file write, and rolled back with them. */
  registry: RegistryChange[];
  dirs: { path: string; mode: number }[];
  removeDirs: string[];
  vars: Variable[];
  warnings: string[];
  /** Plain information for the person (not a problem): shown in the human report and in JSON. */
  notes: string[];
  /** envset's own folder and files that others could read, made private before anything is written. */
  tighten?: { path: string; mode: number }[];
}

/** What planning needs to know about the home right now. */
export interface World {
  loc: Locations;
  state: State;
  /** Snapshots of every file the plan may touch, by path. */
  files: ReadonlyMap<string, Snapshot>;
  /** Whether a path exists (for folders to create and the bash login file rule). */
  exists: (path: string) => boolean;
  /** Further startup files that were read (where adopted lines may be), beyond the hook locations. */
  scanned?: readonly string[];
  /** HKCU\Environment as read; only when the windows target is involved. */
  registry?: readonly RegValue[];
}

/** Where state.json records the windows target's "hook": the user environment, not a file. */
export const WINDOWS_HOOK = WINDOWS.label;

/** Whether state.json records a hook in the registry (the windows target was set). */
const registryHooked = (state: State) => state.hooks.some((h) => TARGETS[h.target]?.kind === 'registry');

export const FILE_MODE = 0o644;
export const SECRET_MODE = 0o600;
export const SECRET_DIR_MODE = 0o700;
const DIR_MODE = 0o755;

export const envFilePath = (loc: Locations, family: Family) => join(loc.envDir, family.envFile);
export const statePath = (loc: Locations) => join(loc.envDir, STATE_FILE);

export function currentVars(world: World): Variable[] {
  const bytes = world.files.get(envFilePath(world.loc, FAMILIES.posix))?.bytes;
  return bytes ? parseEnvSh(bytes.toString('utf8')) : [];
}

/** Paths `set` needs snapshots of, besides the startup files of the targets. */
export const ownFiles = (loc: Locations) => [
  ...Object.values(FAMILIES).map((family) => envFilePath(loc, family)),
  statePath(loc),
  // The record of set --gemini-cli's edit (gemini-cli.ts): goes with the rest at the last unset.
  join(loc.envDir, 'gemini-cli.json'),
];

export interface SetRequest {
  name: string;
  value: string;
  /** Startup files to hook, each with the shells that read it. */
  hooks: ReadonlyMap<string, ShellId[]>;
  backup: boolean;
  stamp: string;
  /** Comment out hand-written definitions of name in these files (the files the target shells read). */
  adopt: readonly string[];
  /** Also write name to the Windows user environment (the windows target). */
  registry?: boolean;
  /** Also keep the variables in envset's environment.d file (the session target). */
  session?: boolean;
  /** The mode of envset's folder when it exists (it is made private first if others can read it). */
  envDirMode?: number | undefined;
}

/** Whether state.json records the session target. */
const sessionHooked = (state: State) => state.hooks.some((h) => TARGETS[h.target]?.kind === 'session');

export function planSet(world: World, request: SetRequest): Plan {
  const { loc } = world;
  const vars = withVariable(currentVars(world), request.name, request.value);
  const builder = new PlanBuilder(world, vars);

  const hooked = new Set<ShellId>([
    ...world.state.hooks.flatMap((h) => (TARGETS[h.target]?.kind === 'shell' ? [h.target as ShellId] : [])),
    ...[...request.hooks.values()].flat(),
  ]);
  const families = new Set(Object.values(FAMILIES).filter((f) => f === FAMILIES.posix || [...hooked].some((s) => SHELLS[s].family === f)));
  builder.ensureDir(loc.envDir, SECRET_DIR_MODE);
  if (request.envDirMode !== undefined) builder.tighten(loc.envDir, request.envDirMode, SECRET_DIR_MODE);
  for (const family of families) {
    const path = envFilePath(loc, family);
    const mode = world.files.get(path)?.mode;
    if (mode !== undefined && world.files.get(path)?.bytes) builder.tighten(path, mode, SECRET_MODE);
    builder.put(path, 'env', shellsOf(family, hooked), renderEnvFile(family, vars, pathsOf(world)), SECRET_MODE);
  }

  const state = copyState(world.state);
  const adopted = new Map<string, TextDoc>();
  for (const path of request.adopt) {
    const bytes = world.files.get(path)?.bytes;
    if (!bytes) continue;
    const edit = adoptDefinitions(decode(bytes), request.name);
    for (const line of edit.skipped) {
      builder.warnings.push(`${path}:${line} defines ${request.name} over several lines; comment it out by hand.`);
    }
    if (edit.adopted.length && !request.hooks.has(path)) {
      // A file whose own lines --adopt rewrites (~/.bash_aliases) is backed up as a hooked one is.
      if (request.backup) builder.backup(path, [], bytes, request.stamp);
      builder.putBytes(path, 'startup', [], encode(edit.doc), FILE_MODE);
    }
    if (edit.adopted.length && !state.adopted.includes(path)) state.adopted.push(path);
    adopted.set(path, edit.doc);
  }

  for (const [path, shells] of onePathPerFile(world, request.hooks))
    hookStartupFile(builder, world, state, { path, shells, doc: adopted.get(path), backup: request.backup, stamp: request.stamp });
  if (request.registry) {
    const before = findRegValue(world.registry ?? [], request.name);
    const previous = currentVars(world).find((v) => v.name === request.name)?.value;
    if (before && before.value !== request.value && (before.value !== previous || !registryHooked(world.state))) {
      builder.warnings.push(
        `${envValuePath(request.name)} held a value envset did not write; it is replaced, and envset unset deletes it rather than bringing that value back.`,
      );
    }
    // REG_EXPAND_SZ stays so: the person (or an installer) chose to have %VARIABLES% expanded.
    builder.registryChange(request.name, before, {
      name: before?.name ?? request.name,
      type: before?.type === 'REG_EXPAND_SZ' ? 'REG_EXPAND_SZ' : 'REG_SZ',
      value: request.value,
    });
    if (!registryHooked(state)) state.hooks.push({ path: WINDOWS_HOOK, target: WINDOWS.id });
  }
  if (request.session || sessionHooked(world.state)) {
    // Like env.fish, the file holds every managed variable once the session is hooked.
    const path = sessionFile(loc);
    builder.ensureDir(dirname(path), DIR_MODE);
    if (!world.files.get(path)?.bytes && !state.created.includes(path)) state.created.push(path);
    builder.put(path, 'session', [SESSION.id], renderSessionFile(loc, vars), SECRET_MODE);
    if (!sessionHooked(state)) state.hooks.push({ path, target: SESSION.id });
  }
  state.createdDirs.push(...builder.newDirs.filter((d) => !state.createdDirs.includes(d)));
  builder.put(statePath(loc), 'state', [], renderState(state), SECRET_MODE);
  return builder.finish();
}

/** The PATH entries the env files hold now, for rendering them. */
const pathsOf = (world: World) => ({ entries: world.state.paths, platform: world.loc.platform });

/** A copy of the state that planning may change. */
export const copyState = (state: State): State => ({
  ...state,
  created: [...state.created],
  createdDirs: [...state.createdDirs],
  hooks: [...state.hooks],
  adopted: [...state.adopted],
  paths: [...state.paths],
});

/**
 * Put the family's hook into a startup file (once: an existing block is brought up to date), above
 * the place the shell's record names, and record it in `state`. `doc` is the file as --adopt left it.
 */
export function hookStartupFile(
  builder: PlanBuilder,
  world: World,
  state: State,
  hook: { path: string; shells: ShellId[]; doc: TextDoc | undefined; backup: boolean; stamp: string },
): void {
  const { loc } = world;
  const { path, shells, doc } = hook;
  const family = SHELLS[shells[0]!].family;
  const snap = world.files.get(path);
  const block = renderTemplate(family.hookTemplate, hookVars(loc, family));
  const at = SHELLS[shells[0]!].placeHook?.(path, loc);
  let after: Buffer;
  if (!doc && !at && snap?.bytes) after = upsertBlockInBytes(snap.bytes, family.markers, block, family.blockEol);
  else {
    const base = doc ?? (snap?.bytes ? decode(snap.bytes) : emptyDoc({ bom: family.bom, eol: loc.platform === 'win32' ? '\r\n' : '\n' }));
    const ready = family.blockEol ? { ...base, eol: family.blockEol } : base;
    after = encode((at ? placeBlock(ready, family.markers, block, at) : upsertBlock(ready, family.markers, block)).doc);
  }
  if (snap?.bytes && hook.backup && !after.equals(snap.bytes)) builder.backup(path, shells, snap.bytes, hook.stamp);
  builder.ensureDir(dirname(path), DIR_MODE);
  builder.putBytes(path, 'startup', shells, after, FILE_MODE);
  if (!snap?.bytes && !state.created.includes(path)) state.created.push(path);
  for (const shell of shells) {
    if (!state.hooks.some((h) => h.path === path && h.target === shell)) state.hooks.push({ path, target: shell });
  }
}

/**
 * Take names away. `hookFiles` are the files where a hook may be besides those state.json names
 * (each with the shells that read it), as far as they could be read: found there only by envset's markers.
 */
export function planUnset(
  world: World,
  names: readonly string[],
  hookFiles: ReadonlyMap<string, ShellId[]>,
  backup: boolean,
  stamp: string,
): Plan {
  const { loc, state } = world;
  const before = currentVars(world);
  const vars = before.filter((v) => !names.includes(v.name));
  const builder = new PlanBuilder(world, vars);
  for (const name of names) {
    // Removing what is not there is the idempotent no-op provisioning repeats: a note, not a warning.
    if (!before.some((v) => v.name === name)) builder.notes.push(`${name} is not managed by envset here; nothing to remove.`);
  }
  // The windows target mirrors each variable it was set for into HKCU\Environment: take those out.
  if (registryHooked(state)) {
    for (const name of names) {
      const found = findRegValue(world.registry ?? [], name);
      if (found && before.some((v) => v.name === name)) builder.registryChange(name, found, { name: found.name, delete: true });
    }
  }
  const locations = hookLocations(world, hookFiles);
  // Lines that `set --adopt` commented out come back when their variable goes.
  const restored = new Map<string, TextDoc>();
  const seen = new Set<string>();
  for (const [path, snap] of world.files) {
    if (!snap.bytes || (!locations.has(path) && !world.scanned?.includes(path))) continue;
    // A file under two names (a link) is restored once, under the name envset plans it by.
    if (
      seen.has(snap.realPath) ||
      (!locations.has(path) && [...locations.keys()].some((l) => world.files.get(l)?.realPath === snap.realPath))
    )
      continue;
    seen.add(snap.realPath);
    let doc = decode(snap.bytes);
    let count = 0;
    for (const name of names) {
      const edit = restoreAdopted(doc, name);
      doc = edit.doc;
      count += edit.restored;
    }
    if (count) restored.set(path, doc);
  }
  // Folders on PATH keep the hooks and the env files, as a variable does.
  if (vars.length > 0 || state.paths.length > 0) {
    for (const family of Object.values(FAMILIES)) {
      const path = envFilePath(loc, family);
      if (world.files.get(path)?.bytes) builder.put(path, 'env', [], renderEnvFile(family, vars, pathsOf(world)), SECRET_MODE);
    }
    if (world.files.get(sessionFile(loc))?.bytes)
      builder.put(sessionFile(loc), 'session', [SESSION.id], renderSessionFile(loc, vars), SECRET_MODE);
    for (const [path, doc] of restored) builder.putBytes(path, 'startup', locations.get(path) ?? [], encode(doc), FILE_MODE, 'removed');
    return builder.finish();
  }
  // The last variable is gone: take every trace away.
  for (const [path, doc] of restored) if (!locations.has(path)) builder.putBytes(path, 'startup', [], encode(doc), FILE_MODE, 'removed');
  takeEverythingAway(builder, world, locations, restored, backup, stamp);
  return builder.finish();
}

/** Where hooks are: the files state.json names for each shell, and `hookFiles` (found there only by their markers). */
export function hookLocations(world: World, hookFiles: ReadonlyMap<string, ShellId[]>): Map<string, TargetId[]> {
  const locations = new Map<string, TargetId[]>(hookFiles);
  for (const hook of world.state.hooks) {
    if (TARGETS[hook.target]?.kind === 'shell') locations.set(hook.path, [...new Set([...(locations.get(hook.path) ?? []), hook.target])]);
  }
  return onePathPerFile(world, locations);
}

/**
 * One entry per file: names that are links to the same file (`ln -s .bashrc .bash_profile`) are
 * one file, planned once under the first name (whose place for the hook is then used: above
 * .bashrc's early return, which every mode that reads the file reaches), with the targets of all.
 */
export function onePathPerFile<T>(world: World, paths: ReadonlyMap<string, T[]>): Map<string, T[]> {
  const byReal = new Map<string, string>();
  const merged = new Map<string, T[]>();
  for (const [path, targets] of paths) {
    const snap = world.files.get(path);
    const real = snap?.bytes ? snap.realPath : path;
    const first = byReal.get(real);
    if (first === undefined) {
      byReal.set(real, path);
      merged.set(path, [...targets]);
    } else merged.set(first, [...new Set([...merged.get(first)!, ...targets])]);
  }
  return merged;
}

/**
 * Nothing is left to manage: every hook comes out (files envset created and that hold nothing else
 * are deleted), and envset's own files and folders go. `restored` are files whose adopted lines came back.
 */
export function takeEverythingAway(
  builder: PlanBuilder,
  world: World,
  locations: ReadonlyMap<string, TargetId[]>,
  restored: ReadonlyMap<string, TextDoc>,
  backup: boolean,
  stamp: string,
): void {
  const { loc, state } = world;
  for (const [path, targets] of locations) {
    const snap = world.files.get(path);
    if (!snap?.bytes) continue;
    const shell = targets.map((id) => TARGETS[id]).find((t) => t?.kind === 'shell');
    if (shell?.kind !== 'shell') continue;
    const { markers } = shell.family;
    const doc = restored.get(path) ?? decode(snap.bytes);
    if (!hasBlock(doc, markers)) {
      if (restored.has(path)) builder.putBytes(path, 'startup', targets, encode(doc), FILE_MODE, 'removed');
      continue;
    }
    const edited = removeBlocks(doc, markers).doc;
    const after = state.created.includes(path) && edited.lines.length === 0 ? null : encode(edited);
    if (backup && after !== null) builder.backup(path, targets, snap.bytes, stamp);
    builder.putBytes(path, 'startup', targets, after, FILE_MODE, 'removed');
  }
  for (const path of ownFiles(loc)) builder.putBytes(path, path === statePath(loc) ? 'state' : 'env', [], null, SECRET_MODE);
  builder.putBytes(sessionFile(loc), 'session', [SESSION.id], null, SECRET_MODE);
  // Children before parents: createdDirs is recorded parents first.
  builder.removeDirs.push(loc.envDir, ...[...state.createdDirs].reverse().filter((p) => p !== loc.envDir));
}

/** Values for the hook template of a family: the env file as the shell should name it. */
export function hookVars(loc: Locations, family: Family): Record<string, string> {
  const path = envFilePath(loc, family);
  const rel = underHome(loc, path);
  let envFile: string;
  if (family.envPath) {
    envFile = rel === undefined ? family.envPath.absolute(path) : family.envPath.home(rel);
  } else if (family.id === 'pwsh') {
    envFile = rel === undefined ? family.quote(path) : `(Join-Path $HOME ${family.quote(rel)})`;
  } else if (rel === undefined) {
    envFile = family.quote(path);
  } else {
    // "$HOME/..." keeps the hook valid if the home moves or the dotfiles are shared between machines.
    const special = family.id === 'fish' ? /["$\\]/g : /["$`\\]/g;
    envFile = `"$HOME/${rel.replace(special, (c) => `\\${c}`)}"`;
  }
  return { envFile, envFileShown: rel === undefined ? path : `~/${rel.split(sep).join('/')}` };
}

function underHome(loc: Locations, path: string): string | undefined {
  const rel = relative(loc.home, path);
  return rel && !rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel) ? rel.split(sep).join('/') : undefined;
}

function shellsOf(family: Family, hooked: ReadonlySet<ShellId>): TargetId[] {
  return [...hooked].filter((s) => SHELLS[s].family === family);
}

export class PlanBuilder {
  readonly changes: FileChange[] = [];
  readonly registry: RegistryChange[] = [];
  readonly dirs: { path: string; mode: number }[] = [];
  readonly removeDirs: string[] = [];
  readonly warnings: string[] = [];
  readonly notes: string[] = [];
  private readonly tightened: { path: string; mode: number }[] = [];
  readonly newDirs: string[] = [];
  private readonly secrets: string[];
  /** Every name envset manages before or after: their hand-written values are masked in diffs too. */
  private readonly names: string[];

  constructor(
    private readonly world: World,
    private readonly vars: Variable[],
    /** The PATH entries the env files will hold (by default those they hold now). */
    private readonly paths: readonly PathEntry[] = world.state.paths,
  ) {
    const all = [...currentVars(world), ...vars];
    this.secrets = all.map((v) => v.value);
    this.names = [...new Set(all.map((v) => v.name))];
  }

  /** Create `dir` (and missing parents) if it does not exist. */
  ensureDir(dir: string, mode: number): void {
    const missing: string[] = [];
    for (let d = dir; !this.world.exists(d) && dirname(d) !== d; d = dirname(d)) missing.unshift(d);
    for (const path of missing) {
      if (this.dirs.some((x) => x.path === path)) continue;
      this.dirs.push({ path, mode: path === dir ? mode : DIR_MODE });
      this.newDirs.push(path);
    }
  }

  put(path: string, role: Role, targets: TargetId[], text: string, mode: number): void {
    this.putBytes(path, role, targets, Buffer.from(text, 'utf8'), mode);
  }

  /** Make envset's own folder or file private (`mode`) before the secret goes in, when others can read it now. */
  tighten(path: string, now: number, mode: number): void {
    if (this.world.loc.platform === 'win32' || (now & 0o077) === 0) return;
    this.tightened.push({ path, mode });
    this.notes.push(
      `${path} was readable by others (mode ${(now & 0o777).toString(8)}); made ${mode.toString(8)} before the secret went in.`,
    );
  }

  /**
   * A copy of a startup file as it was, beside it, with its mode and owner (a 0600 file gets a
   * 0600 copy: no more people may read it than read the file); a value that appears in it is masked there.
   */
  backup(path: string, targets: TargetId[], bytes: Buffer, stamp: string): void {
    const text = bytes.toString('utf8');
    const safe = this.secrets.some((s) => s.length >= 4 && text.includes(s)) ? Buffer.from(redact(text, this.secrets), 'utf8') : bytes;
    const snap = this.world.files.get(path);
    this.putBytes(`${path}.envset-${stamp}.bak`, 'backup', targets, safe, snap?.mode === undefined ? FILE_MODE : snap.mode & 0o777);
    const copy = this.changes.at(-1);
    if (copy && snap?.uid !== undefined && snap.gid !== undefined) copy.write.owner = { uid: snap.uid, gid: snap.gid };
  }

  /** `edit` says what a changed file that is kept means: the block went in (updated) or came out (removed). */
  putBytes(
    path: string,
    role: Role,
    targets: TargetId[],
    after: Buffer | null,
    mode: number,
    edit: 'updated' | 'removed' = 'updated',
  ): void {
    const snap = this.world.files.get(path) ?? { path, realPath: path, isSymlink: false, bytes: null };
    const before = snap.bytes;
    if (after === null && before === null) return;
    const action: Action = after === null ? 'deleted' : before === null ? 'created' : before.equals(after) ? 'unchanged' : edit;
    if (role === 'startup' && action !== 'unchanged' && (snap.links ?? 1) > 1) {
      // Atomic replace (never a half-written startup file) cannot keep a hard link: say so rather than surprise.
      this.warnings.push(
        `${path} has ${snap.links} hard links; envset replaces it with a new file, so its other names keep the old text (a symbolic link would be followed).`,
      );
    }
    const show = (bytes: Buffer | null, when: 'before' | 'after') => this.show(path, role, bytes, when);
    const shown: { before?: string; after?: string } = {};
    this.changes.push({
      path,
      targets,
      role,
      action,
      write: { snapshot: snap, after, mode },
      // Rendered when read (only for a diff): masking a 1 MiB startup file is work a plain set never shows.
      get shownBefore() {
        shown.before ??= show(before, 'before');
        return shown.before;
      },
      get shownAfter() {
        shown.after ??= show(after, 'after');
        return shown.after;
      },
    });
  }

  /** Write or delete a value of HKCU\Environment; shown as its type and masked value (`plain`: as it is, for Path). */
  registryChange(name: string, before: RegValue | undefined, edit: RegEdit, plain = false): void {
    const after = 'delete' in edit ? undefined : edit;
    const same = before !== undefined && after !== undefined && before.type === after.type && before.value === after.value;
    const action: Action = after === undefined ? 'deleted' : before === undefined ? 'created' : same ? 'unchanged' : 'updated';
    const show = (v: { type: string; value: string } | undefined) =>
      v ? `${name} (${v.type}) = ${v.type === 'other' ? '(not text)' : plain ? v.value : mask(v.value)}\n` : '';
    this.registry.push({
      name,
      path: envValuePath(name),
      targets: [WINDOWS.id],
      action,
      edit,
      before,
      shownBefore: show(before),
      shownAfter: show(after),
    });
  }

  private show(path: string, role: Role, bytes: Buffer | null, when: 'before' | 'after'): string {
    if (!bytes) return '';
    if (role === 'env') {
      // Every env file holds the same variables as env.sh; render it again with masked values.
      const family = familyOfEnvFile(path)!;
      const vars = when === 'before' ? currentVars(this.world) : this.vars;
      const entries = when === 'before' ? this.world.state.paths : this.paths;
      return renderEnvFile(
        family,
        vars.map((v) => ({ name: v.name, value: mask(v.value) })),
        { entries, platform: this.world.loc.platform },
      );
    }
    if (role === 'session') {
      const vars = when === 'before' ? currentVars(this.world) : this.vars;
      return renderSessionFile(
        this.world.loc,
        vars.map((v) => ({ name: v.name, value: mask(v.value) })),
      );
    }
    if (role === 'startup' || role === 'backup') {
      // A backup is a copy of a startup file: shown in a diff, it is masked the same way.
      return maskAssignments(redact(toLinesText(bytes), this.secrets), this.names, { secretNames: true });
    }
    return redact(bytes.toString('utf8'), this.secrets);
  }

  finish(): Plan {
    // The state first when it is written, last when it is deleted: whatever a crash interrupts,
    // it already names every file and folder the run creates, so unset can still take them away.
    // Backups and env files before hooks: a hook never points at an env file that is not there yet.
    const order = (c: FileChange) =>
      c.role === 'state' ? (c.write.after === null ? 4 : -1) : { backup: 0, env: 1, session: 1, startup: 2 }[c.role];
    const changes = [...this.changes].sort((a, b) => order(a) - order(b));
    return {
      changes,
      registry: this.registry,
      dirs: this.dirs,
      removeDirs: this.removeDirs,
      vars: this.vars,
      warnings: this.warnings,
      notes: this.notes,
      ...(this.tightened.length && { tighten: this.tightened }),
    };
  }
}
