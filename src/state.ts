import type { TargetId } from './targets/index.js';

/**
 * envset's bookkeeping, `state.json` beside the env files (no values in it): what it created, so
 * that the last `unset` deletes exactly that, and which files hold its hook for which target.
 */
export interface State {
  version: 1;
  /** Startup files envset created; deleted at the end if they hold nothing else. */
  created: string[];
  /** Folders envset created, parents first; removed at the end if empty. */
  createdDirs: string[];
  /** Where each target is hooked: a startup file for a shell, the registry key for the windows target. */
  hooks: Hook[];
  /** Files where `set --adopt` commented out a hand-written definition: unset puts those lines back. */
  adopted: string[];
  /** Folders envset puts on PATH (`envset path add`), in the order they end up in it. */
  paths: PathEntry[];
  /** The Windows user Path (HKCU\Environment\Path), while envset has folders in it. */
  registryPath?: RegistryPath;
}

/** A folder on PATH, as `envset path add` stored it. */
export interface PathEntry {
  /** `~` or `~/rel` (`/`-separated) for a folder in the home, so the entry follows the home; else absolute. */
  dir: string;
  position: 'prepend' | 'append';
  /** The text envset put into the Windows user Path for it; absent when it was there already (then it is the person's). */
  token?: string;
}

export interface RegistryPath {
  /** envset created the value: when its last folder goes and nothing else is in it, the value goes too. */
  created: boolean;
}

export interface Hook {
  path: string;
  target: TargetId;
}

export const STATE_FILE = 'state.json';

export const emptyState = (): State => ({ version: 1, created: [], createdDirs: [], hooks: [], adopted: [], paths: [] });

export function parseState(bytes: Buffer | null): State {
  if (!bytes) return emptyState();
  try {
    const raw = JSON.parse(bytes.toString('utf8')) as Partial<State> & { hooks?: { path?: unknown; target?: unknown; shell?: unknown }[] };
    const hooks: Hook[] = [];
    for (const h of Array.isArray(raw.hooks) ? raw.hooks : []) {
      // `shell` is what envset 0.1 called the target.
      const target = typeof h?.target === 'string' ? h.target : h?.shell;
      if (typeof h?.path === 'string' && typeof target === 'string') hooks.push({ path: h.path, target: target as TargetId });
    }
    const registryPath =
      raw.registryPath && typeof raw.registryPath === 'object' ? { created: raw.registryPath.created === true } : undefined;
    return {
      version: 1,
      created: strings(raw.created),
      createdDirs: strings(raw.createdDirs),
      hooks,
      adopted: strings(raw.adopted),
      paths: pathEntries(raw.paths),
      ...(registryPath && { registryPath }),
    };
  } catch {
    return emptyState(); // a damaged state file loses only bookkeeping; hooks are still found by their markers
  }
}

// `paths` only when there are some: a home without PATH entries keeps the state.json it had.
export const renderState = (state: State) =>
  `${JSON.stringify({ ...state, paths: state.paths.length ? state.paths : undefined }, null, 2)}\n`;

/** The targets hooked in this home, each once, in the order they were first hooked. */
export const hookedTargets = (state: State): TargetId[] => [...new Set(state.hooks.map((h) => h.target))];

function pathEntries(value: unknown): PathEntry[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((e: Partial<PathEntry> | null): PathEntry[] =>
    typeof e?.dir === 'string' && (e.position === 'prepend' || e.position === 'append')
      ? [{ dir: e.dir, position: e.position, ...(typeof e.token === 'string' && { token: e.token }) }]
      : [],
  );
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string') : []);
