// Proof that fresh shells have the folders on PATH: each target shell, started in every mode as
// verify.ts starts it (PATH inherited, as from a terminal), prints the PATH a program gets between
// sentinels; envset checks that each folder is there exactly once and on the asked side of the
// system folders (/usr/bin). The Windows user Path is read back from the registry, as a new
// process gets it.
import { findRegValue } from './edit/regfile.js';
import { sameFolder } from './edit/winpath.js';
import { leaveAsFound } from './fsio/leftovers.js';
import { folderOf, listSeparator } from './paths.js';
import type { VerifyResult } from './reports.js';
import { shellBinary } from './shells/detect.js';
import type { PathEntry } from './state.js';
import { TARGETS, type TargetId } from './targets/index.js';
import { readUserEnvironment } from './targets/windows.js';
import { checkedPlaces, notInstalled, readFresh, reporting, type VerifyOptions } from './verify.js';

/** Where a folder is in one shell's PATH. */
export interface Placement {
  dir: string;
  /** 1-based places where the folder is (empty: not there). */
  at: number[];
  /** How many folders PATH has. */
  of: number;
  /** 1-based place of the system folder (/usr/bin), if PATH has it. */
  system?: number;
  ok: boolean;
}

/** The folder that marks "the system's": a user's folder goes before it (prepend) or after it (append). */
export const systemFolder = (platform: NodeJS.Platform) => (platform === 'win32' ? 'C:\\Windows\\system32' : '/usr/bin');

/** Where each entry's folder is in `path` (the PATH a program got), and whether that is once and on its side of the system folder. */
export function placements(path: string, entries: readonly PathEntry[], home: string, platform: NodeJS.Platform): Placement[] {
  const folders = path.split(listSeparator(platform));
  const same = (a: string, b: string) =>
    platform === 'win32' ? a.replace(/\\+$/, '').toLowerCase() === b.replace(/\\+$/, '').toLowerCase() : a === b;
  const system = folders.findIndex((f) => same(f, systemFolder(platform)));
  return entries.map((e) => {
    const folder = folderOf(e.dir, home, platform);
    const at = folders.flatMap((f, i) => (same(f, folder) ? [i + 1] : []));
    const side = system < 0 || (e.position === 'prepend' ? at[0]! - 1 < system : at[0]! - 1 > system);
    return { dir: e.dir, at, of: folders.length, ...(system >= 0 && { system: system + 1 }), ok: at.length === 1 && side };
  });
}

/** One shell mode's result from its placements. */
export function judge(
  base: { shell: TargetId; mode: string },
  found: readonly Placement[],
  entries: readonly PathEntry[],
  platform: NodeJS.Platform,
): VerifyResult & { path: Placement[] } {
  const system = systemFolder(platform);
  const words = found.map((p, i) => {
    const position = entries[i]!.position;
    if (p.at.length === 0) return `PATH does not have ${p.dir}`;
    if (p.at.length > 1) return `PATH has ${p.dir} ${p.at.length} times (at ${p.at.join(', ')} of ${p.of})`;
    const side =
      p.system === undefined
        ? `, and no ${system}`
        : `, ${p.at[0]! < p.system ? 'before' : 'after'} ${system}${p.ok ? '' : ` (${position}: it should be ${position === 'prepend' ? 'before' : 'after'} it)`}`;
    return `PATH has ${p.dir} once, at ${p.at[0]} of ${p.of}${side}`;
  });
  const ok = found.every((p) => p.ok);
  const status = ok ? 'ok' : found.some((p) => p.at.length === 0) ? 'missing' : 'mismatch';
  return { ...base, ok, status, detail: words.join('; '), path: [...found] };
}

/**
 * Check every target: each shell in each of its modes, the registry for the windows target (the
 * session target has no PATH entries). What the shells leave in the home is removed afterwards.
 */
export async function verifyPath(
  targets: readonly TargetId[],
  entries: readonly PathEntry[],
  options: VerifyOptions,
): Promise<VerifyResult[]> {
  if (entries.length === 0) return [];
  const { platform } = options.loc;
  return leaveAsFound(checkedPlaces(targets, options.loc), async () => {
    const { progress } = options;
    const jobs = targets.map(async (id): Promise<VerifyResult[]> => {
      const target = TARGETS[id];
      if (target.kind === 'registry') return reporting(id, progress, [verifyRegistryPath(entries, options.ctx.env)]);
      if (target.kind === 'session') return reporting(id, progress, []);
      const binary = await shellBinary(target.id, options.ctx);
      if (!binary) return reporting(id, progress, [Promise.resolve(notInstalled(id))]);
      return reporting(
        id,
        progress,
        target.verify.map(async (mode) => {
          const fresh = await readFresh(target, mode, binary, 'PATH', options, { keep: true });
          if (!fresh.ok) return fresh.result;
          const base = { shell: id, mode: mode.mode };
          if (fresh.answer.value === undefined)
            return { ...base, ok: false, status: 'missing' as const, detail: `PATH is not set${fresh.said}` };
          return judge(base, placements(fresh.answer.value, entries, options.loc.home, platform), entries, platform);
        }),
      );
    });
    return (await Promise.all(jobs)).flat();
  });
}

/**
 * HKCU\Environment\Path, read by a new reg.exe: each entry's folder once. Windows gives new
 * processes the system Path first and the user Path after it, so even a prepend entry comes after
 * C:\Windows\system32: first among the user's folders is as far forward as the user Path goes.
 */
export async function verifyRegistryPath(entries: readonly PathEntry[], env: NodeJS.ProcessEnv): Promise<VerifyResult> {
  const base = { shell: 'windows' as const, mode: 'registry' };
  let value: string;
  try {
    const found = findRegValue(await readUserEnvironment(env), 'Path');
    value = found?.type === 'other' ? '' : (found?.value ?? '');
  } catch (error) {
    return { ...base, ok: false, status: 'error', detail: error instanceof Error ? error.message : String(error) };
  }
  const elements = value === '' ? [] : value.split(';');
  const words: string[] = [];
  let ok = true;
  for (const e of entries) {
    const folder = e.token ?? folderOf(e.dir, env.USERPROFILE ?? '', 'win32');
    const count = elements.filter((element) => sameFolder(element, folder, env)).length;
    if (count !== 1) ok = false;
    words.push(
      count === 1
        ? `HKCU\\Environment\\Path has ${e.dir} once`
        : count === 0
          ? `HKCU\\Environment\\Path does not have ${e.dir}`
          : `HKCU\\Environment\\Path has ${e.dir} ${count} times`,
    );
  }
  const detail = `${words.join('; ')}${ok ? ' (new programs get the user Path after the system Path, which holds C:\\Windows\\system32)' : ''}`;
  return { ...base, ok, status: ok ? 'ok' : elements.length === 0 ? 'missing' : 'mismatch', detail };
}
