import type { ShellId } from './shells/index.js';

/**
 * envset's bookkeeping, `state.json` beside the env files (no values in it): what it created, so
 * that the last `unset` deletes exactly that, and which files hold its hook for which shell.
 */
export interface State {
  version: 1;
  /** Startup files envset created; deleted at the end if they hold nothing else. */
  created: string[];
  /** Folders envset created, parents first; removed at the end if empty. */
  createdDirs: string[];
  hooks: { path: string; shell: ShellId }[];
}

export const STATE_FILE = 'state.json';

export const emptyState = (): State => ({ version: 1, created: [], createdDirs: [], hooks: [] });

export function parseState(bytes: Buffer | null): State {
  if (!bytes) return emptyState();
  try {
    const raw = JSON.parse(bytes.toString('utf8')) as Partial<State>;
    return {
      version: 1,
      created: strings(raw.created),
      createdDirs: strings(raw.createdDirs),
      hooks: Array.isArray(raw.hooks) ? raw.hooks.filter((h) => typeof h?.path === 'string' && typeof h?.shell === 'string') : [],
    };
  } catch {
    return emptyState(); // a damaged state file loses only bookkeeping; hooks are still found by their markers
  }
}

export const renderState = (state: State) => `${JSON.stringify(state, null, 2)}\n`;

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string') : []);
