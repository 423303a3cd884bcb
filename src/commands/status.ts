// envset status [NAME...]: what envset manages, every definition of each name in any startup
// file (and on Windows in HKCU\Environment), which one each shell ends up with, and warnings.
// Spawns nothing unless --verify, a git work tree around a hooked file, or Windows (reg.exe).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Context, Locations } from '../context.js';
import { blocksInText } from '../edit/block.js';
import { findDefinitions } from '../edit/definitions.js';
import { definitionOrder, overriding, winner } from '../edit/precedence.js';
import { envValuePath, findRegValue, type RegValue } from '../edit/regfile.js';
import { readingOrder, type SourceScope } from '../edit/sources.js';
import { readTexts } from '../fsio/index.js';
import { attempt } from '../fsio/quietly.js';
import { textReader } from '../fsio/read.js';
import { bothKeysWarning, GEMINI_NAMES, keyShapeWords } from '../gemini.js';
import { dotenvDefinitions } from '../gemini-cli.js';
import { mask } from '../mask.js';
import { checkName } from '../names.js';
import { WINDOWS_HOOK } from '../plan.js';
import type { Progress } from '../progress.js';
import { type Definition, notSeen, type StatusReport, type Win } from '../reports.js';
import { fishVariables, universalExport } from '../shells/fish-universal.js';
import { allHookFiles, SHELLS, sourceScope } from '../shells/index.js';
import { hookedTargets } from '../state.js';
import { TARGETS, type TargetId } from '../targets/index.js';
import { launchAgentDefinitions } from '../targets/launchd.js';
import { SESSION, sessionFile } from '../targets/session.js';
import { readUserEnvironment, WINDOWS } from '../targets/windows.js';
import { openHome, readStore } from './flow.js';
import { gitWarnings, modeWarnings } from './home-warnings.js';
import { verifyTimeout } from './set.js';
import type { Input, Outcome } from './table.js';

// Names people set by hand before they meet envset: reported even when envset does not manage them.
const WATCHED = ['GEMINI_API_KEY', 'GOOGLE_API_KEY'];

/** `envset status [NAME...]`. */
export async function statusCommand(ctx: Context, input: Input): Promise<Outcome> {
  const { flags } = input;
  const report = await runStatus(ctx, {
    names: input.positionals,
    home: typeof flags.home === 'string' ? flags.home : undefined,
    verify: flags.verify === true,
    timeoutMs: verifyTimeout(flags),
    progress: input.progress,
  });
  return { report, exitCode: statusExitCode(report) };
}

export async function runStatus(
  ctx: Context,
  options: { names: string[]; home: string | undefined; verify?: boolean; timeoutMs?: number; progress?: Progress },
): Promise<StatusReport> {
  for (const name of options.names) checkName(name, { force: true });
  const home = await openHome(ctx, options.home);
  const { loc } = home;
  const { envPath, text: envText, vars: managed, state } = await readStore(loc);

  const warnings: string[] = [];
  const files = scanList(
    loc,
    state.hooks.filter((h) => TARGETS[h.target]?.kind === 'shell').map((h) => h.path),
  );
  // A FIFO, device or folder where a startup file is expected is never opened (a FIFO would block): said, and left out.
  const texts = await readTexts(files, (file) => warnings.push(`${file.path} ${file.reason}; envset did not read it.`));
  // Files the startup files source with a literal `source FILE` / `. FILE` (~/.bash_aliases,
  // ~/.localrc, ~/.zshrc.local) count too, read only when they are regular files.
  const read = textReader(texts);
  const scopes = new Map<string, SourceScope | undefined>();
  for (const shell of Object.values(SHELLS)) {
    for (const { mode, files: startup } of shell.reads(loc, existsSync)) {
      const scope = sourceScope(loc, shell.id, mode);
      scopes.set(`${shell.id} ${mode}`, scope);
      if (!scope) continue;
      for (const segment of readingOrder(startup, read, scope)) {
        const text = read(segment.path);
        if (text !== undefined && !texts.has(segment.path)) texts.set(segment.path, text);
      }
    }
  }
  const hooks = [...texts].filter(([, text]) => blocksInText(text).length > 0).map(([path]) => path);
  const hooked = hookedTargets(state).filter((id) => TARGETS[id] !== undefined);
  const registryHooked = hooked.some((id) => TARGETS[id].kind === 'registry');
  if (registryHooked) hooks.push(WINDOWS_HOOK);
  // The session's environment.d folder: envset's file and any other .conf there (later names win).
  const session = sessionDefinitions(loc);
  if (hooked.includes(SESSION.id) && session.texts.has(sessionFile(loc))) hooks.push(sessionFile(loc));
  // On Windows the user environment is one more place a name can be defined (System Properties, setx, envset).
  let registry: RegValue[] = [];
  if (ctx.platform === 'win32') {
    registry = await readUserEnvironment(ctx.env).catch((error: Error) => {
      warnings.push(`${error.message} The Windows user environment is left out of this report.`);
      return [];
    });
  }

  // gemini-cli's .env files, from the working folder up (for another home: that home's only).
  const byHand = (n: string) => [...texts].flatMap(([path, t]) => findDefinitions(t, n).map((d) => `${path}:${d.line}`));
  const dotenv = dotenvDefinitions(loc.explicitHome ? loc.home : ctx.cwd, loc.home, (n) => {
    if (managed.some((v) => v.name === n)) return 'by envset, for new shells';
    const hand = byHand(n)[0];
    if (hand) return `at ${hand.startsWith(`${loc.home}/`) ? `~${hand.slice(loc.home.length)}` : hand}, for new shells`;
    return Object.hasOwn(ctx.env, n) ? 'in the environment of this shell' : undefined;
  });
  // A home set up with an old standard key keeps working in the shells: status says what the API thinks of it.
  for (const v of managed) {
    const shape = GEMINI_NAMES.includes(v.name) && v.value !== '' ? keyShapeWords(v.name, v.value).warning : undefined;
    if (shape) warnings.push(shape.replace(/ Set as asked\.$/, ''));
  }
  for (const n of WATCHED) {
    if (ctx.env[n] === '')
      warnings.push(
        `${n} is exported empty in this shell: programs started from it see ${n} set to nothing, gemini-cli then takes it from no .env file, and the Gen AI SDKs treat it as unset; run unset ${n} here, or open a new terminal.`,
      );
  }
  const names = options.names.length
    ? options.names
    : [
        ...managed.map((v) => v.name),
        ...WATCHED.filter(
          (n) =>
            !managed.some((v) => v.name === n) &&
            ([...texts].some(([p, t]) => findDefinitions(t, n).length || (p === fishVariables(loc) && universalExport(t, n))) ||
              findRegValue(registry, n) ||
              dotenv.some((d) => d.name === n)),
        ),
      ];
  const envLines = envText.split('\n');
  // Once for every name: what each shell reads (existsSync calls) and which files hold adopted lines.
  const reads = new Map(Object.values(SHELLS).map((shell) => [shell.id as TargetId, shell.reads(loc, existsSync)]));
  const adoptedIn = new Set([...texts].filter(([, text]) => text.includes('# envset adopted ')).map(([path]) => path));
  const variables: StatusReport['variables'] = names.map((name) => {
    const entry = managed.find((v) => v.name === name);
    const definitions: Definition[] = [];
    if (entry) definitions.push({ path: envPath, line: envLines.findIndex((l) => l.startsWith(`export ${name}=`)) + 1, managed: true });
    for (const [path, text] of texts) {
      for (const def of findDefinitions(text, name)) definitions.push({ path, line: def.line, managed: false });
      const universal = path === fishVariables(loc) ? universalExport(text, name) : undefined;
      if (universal) definitions.push({ path, line: universal.line, managed: false, universal: true, value: mask(universal.value) });
      if (!adoptedIn.has(path)) continue;
      text.split('\n').forEach((line, i) => {
        if (line.startsWith(`# envset adopted ${name}: `)) definitions.push({ path, line: i + 1, managed: false, adopted: true });
      });
    }
    const inRegistry = findRegValue(registry, name);
    if (inRegistry) {
      const ours = registryHooked && entry !== undefined && inRegistry.value === entry.value;
      definitions.push({ path: envValuePath(name), line: 0, managed: ours });
      if (registryHooked && entry && !ours) {
        warnings.push(
          `${envValuePath(name)} holds another value than envset's, and new Windows programs see that one; envset set ${name} --shell windows writes envset's value there again.`,
        );
      }
    }
    const inSession = session.find(name);
    for (const d of inSession)
      definitions.push({ path: d.path, line: d.line, managed: d.path === sessionFile(loc) && entry !== undefined });
    const wins: Win[] = [];
    if (inSession.length || (entry && hooked.includes(SESSION.id))) {
      const last = inSession.at(-1);
      wins.push({
        shell: SESSION.id,
        mode: 'login',
        path: last?.path ?? null,
        line: last?.line ?? null,
        managed: last?.path === sessionFile(loc),
      });
      if (last && entry && hooked.includes(SESSION.id) && last.path !== sessionFile(loc)) {
        warnings.push(
          `${name} is set again in ${last.path}:${last.line}, read after envset's ${sessionFile(loc)}: the session gets that value instead.`,
        );
      }
    }
    if (inRegistry || (entry && registryHooked)) {
      const ours = definitions.some((d) => d.managed && d.path === envValuePath(name));
      wins.push({
        shell: WINDOWS.id,
        mode: 'registry',
        path: inRegistry ? envValuePath(name) : null,
        line: inRegistry ? 0 : null,
        managed: ours,
      });
    }
    for (const id of reads.keys()) {
      const orders = reads.get(id)!.map(({ mode, files: startup }) => ({
        mode,
        order: definitionOrder(startup, read, name, entry !== undefined, scopes.get(`${id} ${mode}`)),
      }));
      // A shell is shown when envset hooks it or when any of its files (sourced ones too) defines the name.
      if (!hooked.includes(id) && !orders.some((o) => o.order.length > 0)) continue;
      for (const { mode, order } of orders) {
        const win = winner(order);
        const unsure =
          win && stumbleBefore(id, reads.get(id)!.find((r) => r.mode === mode)!.files, win.path, read, scopes.get(`${id} ${mode}`));
        wins.push({
          shell: id,
          mode,
          path: win?.path ?? null,
          line: win?.line ?? null,
          managed: win?.managed ?? false,
          ...(unsure && { unsure }),
        });
        if (unsure) {
          warnings.push(
            `${unsure}: ${id} ${mode} may never get to ${win.managed ? "envset's hook" : `${win.path}:${win.line}`}; envset status --verify starts it to tell.`,
          );
        }
        for (const f of overriding(order)) {
          warnings.push(
            `${name} is set again at ${f.path}:${f.line}, after envset's hook: ${id} ${mode} sees that value instead of envset's (envset set ${name} --adopt comments it out).`,
          );
        }
      }
    }
    const inDotenv = dotenv.filter((d) => d.name === name);
    return {
      name,
      managed: entry !== undefined,
      value: entry ? mask(entry.value) : null,
      definitions,
      wins,
      ...(inDotenv.length && { dotenv: inDotenv }),
    };
  });

  const where = (n: string) => variables.find((v) => v.name === n)?.definitions.filter((d) => !d.adopted) ?? [];
  const both = bothKeysWarning(where('GOOGLE_API_KEY'), where('GEMINI_API_KEY'), loc.home);
  if (both) warnings.push(both);
  warnings.push(
    ...(await modeWarnings(loc)),
    ...(await gitWarnings(
      loc,
      hooks.filter((h) => h !== WINDOWS_HOOK),
      ctx,
    )),
  );

  if (options.verify) {
    // Loaded here: verification brings shell lookup (which) that a plain status never needs.
    const { checkLabels, verifyTargets } = await import('../verify.js');
    for (const v of variables.filter((x) => x.managed)) {
      const value = managed.find((m) => m.name === v.name)!.value;
      // Only a live line: the report below shows every result in its place.
      const progress = options.progress?.checks(checkLabels(hooked), { about: `checking ${v.name} in fresh shells`, transient: true });
      v.verify = await verifyTargets(hooked, v.name, value, {
        ctx,
        loc,
        timeoutMs: options.timeoutMs ?? 5000,
        runAs: home.owner,
        progress,
      });
    }
  }
  const { pathStatus } = await import('./status-path.js');
  // Asked about names, status is about those; the folders on PATH come with the whole picture.
  const path = options.names.length
    ? []
    : await pathStatus(
        ctx,
        loc,
        state,
        registry,
        options.verify ? { timeoutMs: options.timeoutMs ?? 5000, runAs: home.owner, progress: options.progress } : undefined,
      );
  options.progress?.end();
  return { command: 'status', home: loc.home, envFile: envPath, variables, path, hooks, shells: hooked, warnings: [...new Set(warnings)] };
}

/**
 * For a POSIX shell: the first file it reads on the way to `until` (that file included) that it may
 * not read to the end, in words: CRLF line ends (`then\r` is no keyword) or a byte-order mark at
 * its start (the first word is then no command). Undefined when there is none.
 */
function stumbleBefore(
  shell: TargetId,
  startup: readonly string[],
  until: string,
  read: (path: string) => string | undefined,
  scope: SourceScope | undefined,
): string | undefined {
  if (shell !== 'bash' && shell !== 'zsh' && shell !== 'sh') return undefined;
  const files = scope ? [...new Set(readingOrder(startup, read, scope).map((s) => s.path))] : [...startup];
  for (const path of files) {
    const text = read(path);
    if (text?.startsWith('\ufeff')) return `${path} starts with a byte-order mark, which ${shell} reads as part of its first command`;
    if (text?.includes('\r\n')) return `${path} has CRLF line ends (${shell} stops reading it at its first if, case or loop)`;
    if (path === until) break;
  }
  return undefined;
}

/** Every startup file a supported shell may read, plus envset's hooks. */
function scanList(loc: Locations, hooked: readonly string[]): string[] {
  const files = new Set<string>(hooked);
  for (const shell of Object.values(SHELLS)) {
    for (const r of shell.reads(loc, existsSync)) for (const f of r.files) files.add(f);
    // Evidence may be a folder (~/.config/fish, Nushell's config folder): only files are read.
    for (const f of shell.evidence(loc)) if (!attempt(() => statSync(f))?.isDirectory()) files.add(f);
  }
  files.add(join(loc.home, '.bash_aliases'));
  for (const f of allHookFiles(loc).keys()) files.add(f);
  return [...files];
}

/** The .conf files of the home's environment.d folder (in the order systemd reads them) and where each sets a name. */
function sessionDefinitions(loc: Locations): { texts: Map<string, string>; find: (name: string) => { path: string; line: number }[] } {
  if (loc.platform === 'darwin') return launchAgentDefinitions(loc);
  const dir = dirname(sessionFile(loc));
  const names = (attempt(() => readdirSync(dir)) ?? []).filter((n) => n.endsWith('.conf')).sort();
  const read = textReader();
  const texts = new Map<string, string>();
  for (const n of names) {
    const text = read(join(dir, n));
    if (text !== undefined) texts.set(join(dir, n), text);
  }
  const find = (name: string) =>
    [...texts].flatMap(([path, text]) =>
      text.split('\n').flatMap((line, i) => (new RegExp(`^\\s*${name}\\s*=`).test(line) ? [{ path, line: i + 1 }] : [])),
    );
  return { texts, find };
}

/** Exit 3 when --verify found a shell that does not see a managed value. */
export const statusExitCode = (report: StatusReport) =>
  report.variables.some((v) => v.verify?.some(notSeen)) || report.path.some((p) => p.verify?.some(notSeen)) ? 3 : 0;
