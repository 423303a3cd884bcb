// Definitions of a name that envset did not write, and whether each beats envset's hook in the
// shells that read it. Computed on the files as they will be after the change.
import { existsSync } from 'node:fs';
import type { Locations } from '../context.js';
import { findDefinitions } from '../edit/definitions.js';
import { definitionOrder, overriding } from '../edit/precedence.js';
import { readingOrder } from '../edit/sources.js';
import { toText } from '../edit/text.js';
import { textReader } from '../fsio/read.js';
import { currentVars, type Plan, type World } from '../plan.js';
import type { Conflict } from '../reports.js';
import { sourceScope } from '../shells/index.js';
import { shellsOf, type TargetId } from '../targets/index.js';

/**
 * Every startup file the shells among targets read, in any mode, and the files those source with a
 * literal `source FILE` / `. FILE` (followed as each shell would; only regular files are read).
 */
export function shellReads(targets: readonly TargetId[], loc: Locations): string[] {
  const files = new Set<string>();
  const read = textReader();
  for (const shell of shellsOf(targets)) {
    for (const { mode, files: startup } of shell.reads(loc, existsSync)) {
      for (const file of startup) files.add(file);
      const scope = sourceScope(loc, shell.id, mode);
      if (scope) for (const segment of readingOrder(startup, read, scope)) files.add(segment.path);
    }
  }
  return [...files];
}

export function findConflicts(world: World, plan: Plan, targets: readonly TargetId[], name: string): Conflict[] {
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
  const read = (path: string) => texts.get(path);
  for (const shell of shellsOf(targets)) {
    for (const { mode, files } of shell.reads(world.loc, world.exists)) {
      const order = definitionOrder(files, read, name, true, sourceScope(world.loc, shell.id, mode));
      const beating = new Set(overriding(order).map((f) => `${f.path}:${f.line}`));
      for (const f of order.filter((x) => !x.managed)) {
        const key = `${f.path}:${f.line}`;
        const conflict = found.get(key) ?? { path: f.path, line: f.line, overrides: [] };
        if (beating.has(key)) conflict.overrides.push(`${shell.id} ${mode}`);
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

/** The other of GEMINI_API_KEY and GOOGLE_API_KEY, for the one being set or checked. */
export const otherGoogleKey = (name: string) =>
  name === 'GEMINI_API_KEY' ? 'GOOGLE_API_KEY' : name === 'GOOGLE_API_KEY' ? 'GEMINI_API_KEY' : undefined;

/**
 * Where the other Google key name is defined in the files the target shells read (as they will be
 * after the plan) or in envset's own store: a program started from those shells gets both.
 */
export function otherKeyPlaces(
  world: World,
  plan: Plan | undefined,
  targets: readonly TargetId[],
  name: string,
): { path: string; line: number; managed: boolean }[] {
  const other = otherGoogleKey(name);
  if (!other) return [];
  const texts = new Map<string, string>();
  for (const [path, snap] of world.files) if (snap.bytes) texts.set(path, toText(snap.bytes));
  for (const change of plan?.changes ?? []) {
    if (change.role === 'startup' && change.write.after) texts.set(change.path, toText(change.write.after));
  }
  const places: { path: string; line: number; managed: boolean }[] = [];
  for (const path of shellReads(targets, world.loc)) {
    const text = texts.get(path);
    if (text !== undefined) for (const d of findDefinitions(text, other)) places.push({ path, line: d.line, managed: false });
  }
  const store = plan?.vars ?? currentVars(world);
  if (store.some((v) => v.name === other)) places.push({ path: '', line: 0, managed: true });
  return places;
}
