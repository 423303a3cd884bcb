// envset set NAME: plan -> (confirm) -> apply under the lock -> verify -> report.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Context } from '../context.js';
import { EXIT, usageError } from '../errors.js';
import { mask } from '../mask.js';
import { checkName } from '../names.js';
import { ownFiles, planSet } from '../plan.js';
import { conflictWarnings, findConflicts, shellReads, type Conflict } from './conflicts.js';
import { resolvePwshProfiles, resolveShells } from '../shells/detect.js';
import { SHELLS, type ShellId } from '../shells/index.js';
import { readUserEnvironment } from '../registry.js';
import { readValue, type ValueSource } from '../value.js';
import { notSeen, verifyShells } from '../verify.js';
import { GEMINI_NAMES, looksLikeGoogleKey } from '../gemini.js';
import { applyPlan, fileEntries, openHome, planChanged, planDiff, planSummary, readWorld, timestamp, withLock, type ChangeReport } from './common.js';
import { nextStep } from './shared-words.js';

export interface SetOptions {
  name: string;
  source: ValueSource;
  shell: string;
  home: string | undefined;
  profile: string | undefined;
  yes: boolean;
  dryRun: boolean;
  diff: boolean;
  verify: boolean;
  verifyTimeout: number;
  backup: boolean;
  /** Comment out hand-written definitions of NAME (restored by unset). */
  adopt: boolean;
  force: boolean;
  allowEmpty: boolean;
  /** Write files that cannot be renamed over (a bind-mounted file) in place, after a backup copy. */
  inPlace?: boolean;
  /** Ask before applying (a person at a terminal, no --yes). */
  confirm: (summary: string) => Promise<boolean>;
  askValue: () => Promise<string>;
}

export async function runSet(ctx: Context, options: SetOptions): Promise<{ report: ChangeReport; exitCode: number }> {
  checkName(options.name, { force: options.force });
  const warnings: string[] = [];
  if (options.source.kind === 'argv') {
    warnings.push('--value puts the secret on the command line, where other users (ps) and your shell history can see it; prefer --value-stdin or --from-env.');
  }
  if (options.profile && (options.shell === 'auto' || options.shell === 'all' || options.shell.includes(','))) {
    throw usageError('--profile FILE needs exactly one shell, for example --shell bash.');
  }
  // The variable --from-env reads holds the secret: no process envset starts inherits it (as NAME is not).
  const spawnCtx = options.source.kind === 'env' ? { ...ctx, env: { ...ctx.env, [options.source.variable]: undefined } } : ctx;
  const home = await openHome(ctx, options.home);
  const shells = await resolveShells(options.shell, ctx, home.loc, home.loginShell);
  const loc = shells.includes('pwsh') && !options.profile ? { ...home.loc, pwshProfiles: await resolvePwshProfiles(spawnCtx, home.loc, home.owner) } : home.loc;
  const value = await readValue(ctx, options.source, { name: options.name, allowEmpty: options.allowEmpty, ask: options.askValue });
  if (shells.includes('windows')) checkWindowsTarget(ctx, options, loc.home, value);
  if (GEMINI_NAMES.includes(options.name) && !looksLikeGoogleKey(value)) {
    warnings.push(`${options.name} does not look like a Gemini API key (AIza followed by 35 letters, digits, - or _); set anyway.`);
  }

  let conflicts: Conflict[] = [];
  let applied: string[] = [];
  const plan = await withLock(loc, options.dryRun, async (lock) => {
    // Which files exist decides which login file bash uses, so this is read under the lock too.
    const hooks = new Map<string, ShellId[]>();
    for (const id of shells) {
      const files = options.profile ? [resolve(ctx.cwd, options.profile)] : SHELLS[id].startupFiles(loc, existsSync);
      for (const file of files) hooks.set(file, [...(hooks.get(file) ?? []), id]);
    }
    const scan = shellReads(shells, loc);
    const world = {
      ...(await readWorld(loc, [...ownFiles(loc), ...hooks.keys(), ...scan])),
      ...(shells.includes('windows') && { registry: await readUserEnvironment(spawnCtx.env) }),
    };
    const plan = planSet(world, {
      name: options.name,
      value,
      hooks,
      backup: options.backup,
      stamp: options.backup ? timestamp() : '', // names backups only; a first Date reads the time zone (0.3 ms)
      adopt: options.adopt ? [...new Set([...scan, ...hooks.keys()])] : [],
      registry: shells.includes('windows'),
    });
    conflicts = findConflicts(world, plan, shells, options.name);
    if (!options.dryRun && planChanged(plan) && !options.yes && !(await options.confirm(planSummary(plan, loc.home)))) {
      return undefined;
    }
    if (!options.dryRun) applied = await applyPlan(plan, home, spawnCtx, lock, { inPlace: options.inPlace === true });
    return plan;
  });
  if (!plan) return { report: emptyReport(options.name, ['Nothing was changed.']), exitCode: EXIT.cancelled };

  const report: ChangeReport = {
    command: 'set',
    changed: planChanged(plan),
    dryRun: options.dryRun,
    files: fileEntries(plan),
    verify: [],
    warnings: [...warnings, ...plan.warnings, ...applied, ...conflictWarnings(conflicts, options.name, options.adopt)],
    name: [options.name],
    value: mask(value),
    conflicts,
  };
  if (options.diff || options.dryRun) report.diff = await planDiff(plan);
  let exitCode: number = EXIT.ok;
  if (options.verify && !options.dryRun) {
    report.verify = await verifyShells(shells, options.name, value, {
      ctx: spawnCtx,
      loc,
      timeoutMs: options.verifyTimeout,
      runAs: home.owner,
    });
    for (const result of report.verify.filter((r) => r.status === 'not-installed')) report.warnings.push(`${result.shell}: ${result.detail}.`);
    if (report.verify.some(notSeen)) exitCode = EXIT.unverified;
  }
  if (!options.dryRun) report.nextStep = nextStep(ctx, shells, home.account);
  return { report, exitCode };
}

/** The windows target writes the registry of the user running envset, and cannot hold a line break. */
function checkWindowsTarget(ctx: Context, options: SetOptions, home: string, value: string): void {
  if (options.profile) throw usageError('--profile does not apply to the windows target, which writes HKCU\\Environment rather than a file.');
  const own = ctx.env.USERPROFILE;
  if (own && resolve(home).toLowerCase() !== resolve(own).toLowerCase()) {
    throw usageError(`The windows target changes the registry of the user running envset, not of ${home}; run envset as that user, or pass a --shell list without windows.`);
  }
  if (/[\r\n]/.test(value)) {
    throw usageError(`The value for ${options.name} contains a line break, which the Windows user environment cannot hold (reg import would drop it); nothing was changed.`);
  }
}

function emptyReport(name: string, warnings: string[]): ChangeReport {
  return { command: 'set', changed: false, dryRun: false, files: [], verify: [], warnings, name: [name] };
}
