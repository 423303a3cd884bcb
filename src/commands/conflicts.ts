// Definitions of a name that envset did not write, and whether each beats envset's hook in the
// shells that read it. Computed on the files as they will be after the change.
import { existsSync } from 'node:fs';
import type { Locations } from '../context.js';
import { definitionOrder, overriding } from '../edit/precedence.js';
import { toText } from '../edit/text.js';
import type { Plan, World } from '../plan.js';
import { SHELLS, type ShellId } from '../shells/index.js';

export interface Conflict {
  path: string;
  line: number;
  /** Shell modes that see this definition instead of envset's value. */
  overrides: string[];
}

/** Every startup file the shells read, in any mode. */
export function shellReads(shells: readonly ShellId[], loc: Locations): string[] {
  return [...new Set(shells.flatMap((id) => SHELLS[id].reads(loc, existsSync).flatMap((r) => r.files)))];
}

export function findConflicts(world: World, plan: Plan, shells: readonly ShellId[], name: string): Conflict[] {
  // Each file once, as it will be: a planned startup change replaces the snapshot without reading it.
  const texts = new Map<string, string>();
  const changed = new Set<string>();
  for (const change of plan.changes) {
    if (change.role !== 'startup') continue;
    changed.add(change.path);
    if (change.write.after) texts.set(change.path, toText(change.write.after));
    else texts.delete(change.path);
  }
  for (const [path, snap] of world.files) if (snap.bytes && !changed.has(path)) texts.set(path, toText(snap.bytes));
  const found = new Map<string, Conflict>();
  for (const id of shells) {
    for (const { mode, files } of SHELLS[id].reads(world.loc, world.exists)) {
      const order = definitionOrder(files, texts, name, true, { hookLines: false }); // only hand-written lines are reported
      const beating = new Set(overriding(order).map((f) => `${f.path}:${f.line}`));
      for (const f of order.filter((x) => !x.managed)) {
        const key = `${f.path}:${f.line}`;
        const conflict = found.get(key) ?? { path: f.path, line: f.line, overrides: [] };
        if (beating.has(key)) conflict.overrides.push(`${id} ${mode}`);
        found.set(key, conflict);
      }
    }
  }
  return [...found.values()];
}

export function conflictWarnings(conflicts: readonly Conflict[], name: string, adopted: boolean): string[] {
  if (adopted) return [];
  return conflicts.map((c) =>
    c.overrides.length
      ? `${name} is also set by hand at ${c.path}:${c.line}, after envset's hook, so ${c.overrides.join(', ')} will see that value instead; run again with --adopt to comment it out (envset unset puts it back).`
      : `${name} is also set by hand at ${c.path}:${c.line} (envset's hook comes later and wins); --adopt comments it out.`,
  );
}
