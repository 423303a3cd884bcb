// envset status [NAME...]: what envset manages, every definition of each name in any startup
// file (and on Windows in HKCU\Environment), which one each shell ends up with, and warnings.
// Spawns nothing unless --verify, a git work tree around a hooked file, or Windows (reg.exe).
import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Context, Locations } from '../context.js';
import { findDefinitions } from '../edit/definitions.js';
import { definitionOrder, overriding, winner } from '../edit/precedence.js';
import { readTexts, type Skipped } from '../fsio/index.js';
import { attempt } from '../fsio/quietly.js';
import { mask } from '../mask.js';
import { checkName } from '../names.js';
import { envFilePath, WINDOWS_HOOK } from '../plan.js';
import { envValuePath, findRegValue, type RegValue } from '../edit/regfile.js';
import { readUserEnvironment } from '../registry.js';
import { FAMILIES, SHELLS, SHELL_IDS, allHookLocations, type ShellId } from '../shells/index.js';
import { notSeen, type VerifyResult } from '../verify-result.js';
import { openHome, readStore } from './common.js';

export interface Definition {
  path: string;
  line: number;
  managed: boolean;
  /** A line `set --adopt` commented out; `unset` puts it back. */
  adopted?: boolean;
}

export interface Win {
  shell: ShellId;
  mode: string;
  /** The definition this shell mode ends up with; null when none of its files defines the name. */
  path: string | null;
  line: number | null;
  managed: boolean;
}

export interface StatusReport {
  command: 'status';
  home: string;
  envFile: string;
  variables: {
    name: string;
    managed: boolean;
    value: string | null;
    definitions: Definition[];
    wins: Win[];
    verify?: VerifyResult[];
  }[];
  hooks: string[];
  shells: ShellId[];
  warnings: string[];
}

// Names people set by hand before they meet envset: reported even when envset does not manage them.
const WATCHED = ['GEMINI_API_KEY', 'GOOGLE_API_KEY'];

export async function runStatus(
  ctx: Context,
  options: { names: string[]; home: string | undefined; verify?: boolean; timeoutMs?: number },
): Promise<StatusReport> {
  for (const name of options.names) checkName(name, { force: true });
  const home = await openHome(ctx, options.home);
  const { loc } = home;
  const { envPath, text: envText, vars: managed, state } = await readStore(loc);

  const files = scanList(loc, state.hooks.filter((h) => h.shell !== 'windows').map((h) => h.path));
  const skipped: Skipped[] = [];
  const texts = await readTexts(files, (file) => skipped.push(file));
  const hooks = [...texts]
    .filter(([path, text]) => /^\s*(# >>> envset >>>|#region envset)\s*$/m.test(text) || (path.endsWith('envset.fish') && text.includes('Added by envset')))
    .map(([path]) => path);
  const hookedShells = SHELL_IDS.filter((id) => state.hooks.some((h) => h.shell === id));
  if (hookedShells.includes('windows')) hooks.push(WINDOWS_HOOK);
  const warnings: string[] = skipped.map((file) => `${file.path} ${file.reason}; envset did not read it.`);
  // On Windows the user environment is one more place a name can be defined (System Properties, setx, envset).
  let registry: RegValue[] = [];
  if (ctx.platform === 'win32') {
    registry = await readUserEnvironment(ctx.env).catch((error: Error) => {
      warnings.push(`${error.message} The Windows user environment is left out of this report.`);
      return [];
    });
  }

  const names = options.names.length
    ? options.names
    : [
        ...managed.map((v) => v.name),
        ...WATCHED.filter((n) => !managed.some((v) => v.name === n) && ([...texts.values()].some((t) => findDefinitions(t, n).length) || findRegValue(registry, n))),
      ];
  const envLines = envText.split('\n');
  // Once for every name: what each shell reads (existsSync calls) and which files hold adopted lines.
  const reads = new Map(SHELL_IDS.map((id) => [id, SHELLS[id].reads(loc, existsSync)]));
  const adoptedIn = new Set([...texts].filter(([, text]) => text.includes('# envset adopted ')).map(([path]) => path));
  const variables: StatusReport['variables'] = names.map((name) => {
    const entry = managed.find((v) => v.name === name);
    const definitions: Definition[] = [];
    if (entry) definitions.push({ path: envPath, line: envLines.findIndex((l) => l.startsWith(`export ${name}=`)) + 1, managed: true });
    for (const [path, text] of texts) {
      for (const def of findDefinitions(text, name)) definitions.push({ path, line: def.line, managed: false });
      if (!adoptedIn.has(path)) continue;
      text.split('\n').forEach((line, i) => {
        if (line.startsWith(`# envset adopted ${name}: `)) definitions.push({ path, line: i + 1, managed: false, adopted: true });
      });
    }
    const inRegistry = findRegValue(registry, name);
    if (inRegistry) {
      const ours = hookedShells.includes('windows') && entry !== undefined && inRegistry.value === entry.value;
      definitions.push({ path: envValuePath(name), line: 0, managed: ours });
      if (hookedShells.includes('windows') && entry && !ours) {
        warnings.push(`${envValuePath(name)} holds another value than envset's, and new Windows programs see that one; envset set ${name} --shell windows writes envset's value there again.`);
      }
    }
    const wins: Win[] = [];
    if (inRegistry || (entry && hookedShells.includes('windows'))) {
      const ours = definitions.some((d) => d.managed && d.path === envValuePath(name));
      wins.push({ shell: 'windows', mode: 'registry', path: inRegistry ? envValuePath(name) : null, line: inRegistry ? 0 : null, managed: ours });
    }
    const shells = SHELL_IDS.filter((id) => hookedShells.includes(id) || reads.get(id)!.some((r) => r.files.some((f) => definitions.some((d) => d.path === f && !d.adopted))));
    for (const id of shells) {
      for (const { mode, files: read } of reads.get(id)!) {
        const order = definitionOrder(read, texts, name, entry !== undefined);
        const win = winner(order);
        wins.push({ shell: id, mode, path: win?.path ?? null, line: win?.line ?? null, managed: win?.managed ?? false });
        for (const f of overriding(order)) {
          warnings.push(`${name} is set again at ${f.path}:${f.line}, after envset's hook: ${id} ${mode} sees that value instead of envset's (envset set ${name} --adopt comments it out).`);
        }
      }
    }
    return { name, managed: entry !== undefined, value: entry ? mask(entry.value) : null, definitions, wins };
  });

  const defined = (n: string) => variables.find((v) => v.name === n)?.definitions.some((d) => !d.adopted) ?? false;
  if (defined('GEMINI_API_KEY') && defined('GOOGLE_API_KEY')) {
    warnings.push("Both GOOGLE_API_KEY and GEMINI_API_KEY are set; Google's SDKs use GOOGLE_API_KEY when both are present.");
  }
  warnings.push(...(await modeWarnings(loc)), ...(await gitWarnings(loc, hooks.filter((h) => h !== WINDOWS_HOOK), ctx)));

  if (options.verify) {
    // Loaded here: verification brings shell lookup (which) that a plain status never needs.
    const { verifyShells } = await import('../verify.js');
    for (const v of variables.filter((x) => x.managed)) {
      const value = managed.find((m) => m.name === v.name)!.value;
      v.verify = await verifyShells(hookedShells.filter((id) => SHELLS[id].ready), v.name, value, { ctx, loc, timeoutMs: options.timeoutMs ?? 5000, runAs: home.owner });
    }
  }
  return { command: 'status', home: loc.home, envFile: envPath, variables, hooks, shells: hookedShells, warnings: [...new Set(warnings)] };
}

/** Every startup file a supported shell may read, plus envset's hooks. */
function scanList(loc: Locations, hooked: readonly string[]): string[] {
  const files = new Set<string>(hooked);
  for (const shell of Object.values(SHELLS)) {
    for (const r of shell.reads(loc, existsSync)) for (const f of r.files) files.add(f);
    for (const f of shell.evidence(loc)) files.add(f);
  }
  for (const f of ['.bash_profile', '.bash_login', '.profile', '.bashrc', '.bash_aliases']) files.add(join(loc.home, f));
  for (const f of allHookLocations(loc, existsSync).keys()) files.add(f);
  return [...files];
}

async function modeWarnings(loc: Locations): Promise<string[]> {
  if (loc.platform === 'win32') return [];
  const warnings: string[] = [];
  const dir = attempt(() => statSync(loc.envDir));
  if (dir && (dir.mode & 0o077) !== 0) {
    warnings.push(`${loc.envDir} can be opened by other users (mode ${(dir.mode & 0o777).toString(8)}); run: chmod 700 '${loc.envDir}'`);
  }
  for (const family of Object.values(FAMILIES)) {
    const path = envFilePath(loc, family);
    const info = attempt(() => lstatSync(path));
    if (info && (info.mode & 0o077) !== 0) {
      warnings.push(`${path} can be read by other users (mode ${(info.mode & 0o777).toString(8)}); run: chmod 600 '${path}'`);
    }
  }
  return warnings;
}

/** Hooked files and env files inside a git work tree; louder when git tracks them. */
async function gitWarnings(loc: Locations, hooks: readonly string[], ctx: Context): Promise<string[]> {
  const warnings: string[] = [];
  const envFiles = Object.values(FAMILIES).map((f) => envFilePath(loc, f)).filter((p) => existsSync(p));
  for (const path of [...envFiles, ...hooks]) {
    const real = attempt(() => realpathSync(path)) ?? path;
    const top = workTree(dirname(real));
    if (!top) continue;
    const secret = envFiles.includes(path);
    const tracked = await isTracked(top, real, ctx);
    const shown = real === path ? path : `${path} (-> ${real})`;
    if (tracked) {
      warnings.push(
        secret
          ? `${shown} HOLDS YOUR SECRETS AND IS TRACKED BY GIT in ${top}: remove it from the repository (git rm --cached) and rotate the keys if it was ever pushed.`
          : `${shown} is tracked by git in ${top}; the hook holds no secret, but keep ${loc.envDir} out of that repository.`,
      );
    } else {
      warnings.push(
        secret
          ? `${shown} holds your secrets and is inside the git work tree ${top}; add it to .gitignore so it is never committed.`
          : `${shown} is inside the git work tree ${top}; the hook holds no secret, so committing it is safe.`,
      );
    }
  }
  return warnings;
}

function workTree(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

async function isTracked(top: string, path: string, ctx: Context): Promise<boolean> {
  const { runCaptured } = await import('../spawn/index.js');
  const { findExecutable } = await import('../shells/detect.js');
  const git = await findExecutable('git', ctx);
  if (!git) return false;
  const result = await runCaptured(git, ['-C', top, 'ls-files', '--error-unmatch', '--', path], { env: ctx.env, timeoutMs: 5000 });
  return result.exitCode === 0;
}

/** Exit 3 when --verify found a shell that does not see a managed value. */
export const statusExitCode = (report: StatusReport) =>
  report.variables.some((v) => v.verify?.some(notSeen)) ? 3 : 0;
