// Folders on PATH (`envset path add|remove`), pure: a DIR as a person typed it -> the entry envset
// stores (absolute, or `~/rel` when it is in the home so the entry follows the home), the folder a
// shell of that home ends up with, and the order the entries take in PATH. Nothing here reads or
// writes anything.
import { posix, win32 } from 'node:path';
import type { Locations } from './context.js';
import { usageError } from './errors.js';
import type { Shell } from './shells/index.js';
import { shownArgument } from './shown.js';
import type { PathEntry } from './state.js';

export type Position = PathEntry['position'];

/** The list separator of PATH: a folder holding it would be two folders to every program. */
export const listSeparator = (platform: NodeJS.Platform) => (platform === 'win32' ? ';' : ':');

const pathsOf = (platform: NodeJS.Platform) => (platform === 'win32' ? win32 : posix);

/** Whether two stored entries name the same folder (Windows names folders without regard to case). */
export const sameEntry = (a: string, b: string, platform: NodeJS.Platform) =>
  platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b;

/**
 * DIR as given -> the stored entry: `~`, `~/x` (also `~\x` on Windows) is the home; a relative DIR
 * is taken from `cwd`; `..` and a trailing separator go; a folder in the home is stored as `~/rel`.
 * A line break or the list separator anywhere in the folder is refused (exit 2, nothing changed).
 */
export function storedDir(raw: string, where: { cwd: string; home: string; platform: NodeJS.Platform }): { dir: string; absolute: string } {
  const { platform } = where;
  const paths = pathsOf(platform);
  const separator = listSeparator(platform);
  // A bare word may be a key typed where a folder goes: shown masked, never in full; when only the
  // current folder it would be in holds the character, that folder is named instead.
  const bare = !looksLikePath(raw, platform);
  const refuse = (folder: string, named: (shown: string) => string) => {
    if (/[\r\n]/.test(folder))
      throw usageError(`${named(JSON.stringify(raw))} contains a line break, which no PATH can hold; nothing was changed.`);
    if (folder.includes(separator)) {
      throw usageError(
        `${named(JSON.stringify(folder))} contains "${separator}", which separates the folders in PATH, so programs would see it as two folders; nothing was changed.`,
      );
    }
  };
  if (raw === '') throw usageError('An empty folder name cannot go on PATH (it would mean the current folder).');
  refuse(raw, (shown) => `The folder ${bare ? shownArgument(raw, false) : shown}`);
  const tilde = raw === '~' || raw.startsWith('~/') || (platform === 'win32' && raw.startsWith('~\\'));
  const absolute = paths.resolve(where.cwd, tilde ? paths.join(where.home, raw.slice(1)) : raw);
  refuse(absolute, (shown) => (bare ? `The current folder ${JSON.stringify(where.cwd)}` : `The folder ${shown}`));
  const rel = paths.relative(where.home, absolute);
  const inHome = rel !== '..' && !rel.startsWith(`..${paths.sep}`) && !paths.isAbsolute(rel);
  return { dir: !inHome ? absolute : rel === '' ? '~' : `~/${rel.split(paths.sep).join('/')}`, absolute };
}

/**
 * Whether DIR as typed is written like a path: with a folder separator in it, or starting with
 * `~` or `.` (on Windows also a drive, `C:`). A bare word that names nothing may be a key.
 */
export function looksLikePath(raw: string, platform: NodeJS.Platform): boolean {
  if (raw.includes('/') || raw.startsWith('~') || raw.startsWith('.')) return true;
  return platform === 'win32' && (raw.includes('\\') || /^[A-Za-z]:/.test(raw));
}

/** The part of an entry below the home (`/`-separated), or undefined when the entry is absolute. */
export function homeRelative(dir: string): string | undefined {
  if (dir === '~') return '';
  return dir.startsWith('~/') ? dir.slice(2) : undefined;
}

/**
 * The folder a shell of this home ends up with for the entry: what `"$HOME"/rel` gives there, the
 * home's own text followed by the separator and rel (so `HOME=/h/` gives `/h//rel`, as in a shell).
 */
export function folderOf(dir: string, home: string, platform: NodeJS.Platform): string {
  const rel = homeRelative(dir);
  if (rel === undefined) return dir;
  const sep = platform === 'win32' ? '\\' : '/';
  return rel === '' ? home : `${home}${sep}${rel.split('/').join(sep)}`;
}

/**
 * The entries once `added` are in, in the order they take in PATH: new prepend entries first, in
 * the order given (so `add A B` gives A:B:...), new append entries last. An entry that is there
 * already with the same position stays as it is; with the other position it moves.
 */
export function withAdded(
  entries: readonly PathEntry[],
  added: readonly { dir: string; position: Position }[],
  platform: NodeJS.Platform,
): PathEntry[] {
  const fresh = added.filter((a) => !entries.some((e) => sameEntry(e.dir, a.dir, platform) && e.position === a.position));
  const kept = entries.filter((e) => !fresh.some((a) => sameEntry(e.dir, a.dir, platform)));
  const made = (position: Position) => fresh.filter((a) => a.position === position).map((a) => ({ dir: a.dir, position }));
  return [...made('prepend'), ...kept, ...made('append')];
}

/** The entries without `removed`. */
export const withRemoved = (entries: readonly PathEntry[], removed: readonly string[], platform: NodeJS.Platform): PathEntry[] =>
  entries.filter((e) => !removed.some((dir) => sameEntry(e.dir, dir, platform)));

/**
 * The order in which a startup file applies the entries, each taking its folder out of PATH and
 * putting it at its end: prepend entries last to first (so the first ends first), then append
 * entries first to last.
 */
export const applyOrder = (entries: readonly PathEntry[]): PathEntry[] => [
  ...entries.filter((e) => e.position === 'prepend').reverse(),
  ...entries.filter((e) => e.position === 'append'),
];

/**
 * A folder one of these shells could not keep exactly (xonsh expands `$` in PATH) is refused, exit
 * 2, never written mangled: for `path add`, and for `set` when it hooks such a shell while the folder is kept.
 */
export function refuseUnholdableFolders(shells: readonly Shell[], dirs: readonly string[], loc: Locations): void {
  for (const shell of shells) {
    for (const dir of dirs) {
      const why = shell.cannotHold?.(folderOf(dir, loc.home, loc.platform), 'PATH');
      if (why) throw usageError(`${shell.id} cannot keep the folder ${dir} on PATH exactly (${why}); nothing was changed.`);
    }
  }
}
