// Which definition of a name a shell ends up with: walk the files it reads, in order, meeting
// envset's hook (which loads the managed value) and hand-written definitions; the last one wins.
import { basename } from 'node:path';
import { universalExport } from '../shells/fish-universal.js';
import { findBlock, findDefinitions } from './definitions.js';
import { definitionsAlong, readingOrder, type SourceScope } from './sources.js';

export interface Found {
  path: string;
  line: number;
  managed: boolean;
}

/**
 * Definitions of name in reading order. `read` gives the text of a file that exists (undefined
 * otherwise); `managed` says whether envset's env file defines name (then each hook counts as a
 * definition). With a scope, files that a startup file sources with a literal `source FILE` or
 * `. FILE` are followed, so a definition in ~/.bash_aliases counts where .bashrc sources it.
 */
export function definitionOrder(
  files: readonly string[],
  read: (path: string) => string | undefined,
  name: string,
  managed: boolean,
  scope?: SourceScope,
): (Found & { sourcedFrom?: { path: string; line: number } })[] {
  // fish loads its universal variables (fish_variables, listed first) before it runs any file.
  const universal = files[0] !== undefined && basename(files[0]) === 'fish_variables' ? files[0] : undefined;
  if (universal !== undefined) {
    const text = read(universal);
    const found = text === undefined ? undefined : universalExport(text, name);
    const rest = definitionOrder(files.slice(1), read, name, managed, scope);
    return found ? [{ path: universal, line: found.line, managed: false }, ...rest] : rest;
  }
  if (scope) return definitionsAlong(readingOrder(files, read, scope), read, name, managed);
  const found: Found[] = [];
  for (const path of files) {
    const text = read(path);
    if (text === undefined) continue;
    const here: Found[] = findDefinitions(text, name).map((d) => ({ path, line: d.line, managed: false }));
    const block = managed ? findBlock(text) : undefined;
    if (block !== undefined) here.push({ path, line: block, managed: true });
    found.push(...here.sort((a, b) => a.line - b.line));
  }
  return found;
}

/** The definition the shell sees, if any. */
export const winner = (order: readonly Found[]) => order.at(-1);

/**
 * Hand-written definitions met after envset's hook: each one overrides the managed value. After the
 * last hook met: a login file that sources .bashrc (which holds a line after its own hook) and then
 * reads its own hook gives envset's value again.
 */
export function overriding(order: readonly Found[]): Found[] {
  const hook = order.findLastIndex((f) => f.managed);
  return hook < 0 ? [] : order.slice(hook + 1).filter((f) => !f.managed);
}
