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
}

export interface Hook {
  path: string;
  target: TargetId;
}

export const STATE_FILE = 'state.json';

export const emptyState = (): State => ({ version: 1, created: [], createdDirs: [], hooks: [], adopted: [] });

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
    return { version: 1, created: strings(raw.created), createdDirs: strings(raw.createdDirs), hooks, adopted: strings(raw.adopted) };
  } catch {
    return emptyState(); // a damaged state file loses only bookkeeping; hooks are still found by their markers
  }
}

export const renderState = (state: State) => `${JSON.stringify(state, null, 2)}\n`;

/** The targets hooked in this home, each once, in the order they were first hooked. */
export const hookedTargets = (state: State): TargetId[] => [...new Set(state.hooks.map((h) => h.target))];

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string') : []);
