// The session target: programs that no shell starts (user services, apps a desktop session starts)
// get their environment from systemd's user manager, which reads environment.d files at login
// (environment.d(5)). envset keeps its variables in one such file of its own, 0600, holding every
// managed variable (as env.fish does), and hands a running manager the value of the name it sets
// through the environment of `systemctl --user import-environment NAME`, never its command line.
// On macOS the same target is launchd's (./launchd.ts): the functions below hand over to it there.
import { join } from 'node:path';
import type { Context, Locations } from '../context.js';
import { ENVD_FILE_NAME, envdCannotHold, parseGeneratorOutput, renderEnvironmentD } from '../edit/envd.js';
import { usageError } from '../errors.js';
import type { VerifyResult } from '../reports.js';
import { findExecutable } from '../shells/detect.js';
import { accountOf, environmentFor } from '../users.js';
import { checkLaunchdRequest, launchAgentPath, renderLaunchAgent, updateLaunchd, verifyLaunchd } from './launchd.js';

export interface SessionTarget {
  kind: 'session';
  id: 'session';
  label: string;
}

export const SESSION: SessionTarget = { kind: 'session', id: 'session', label: 'environment.d' };

/** envset's file for the session in a home: its environment.d file (macOS: its LaunchAgent). */
export const sessionFile = (loc: Locations) =>
  loc.platform === 'darwin' ? launchAgentPath(loc) : join(loc.configDir, 'environment.d', ENVD_FILE_NAME);

/** The text of that file for these variables (the LaunchAgent names them; it holds no value). */
export const renderSessionFile = (loc: Locations, vars: readonly { name: string; value: string }[]) =>
  loc.platform === 'darwin'
    ? renderLaunchAgent(
        loc,
        vars.map((v) => v.name),
      )
    : renderEnvironmentD(vars);

/**
 * Whether a set must hand the running session the value: when envset's file changed; on macOS
 * whenever the target is in the plan, as the LaunchAgent changes only with the names.
 */
export const sessionNeedsUpdate = (changes: readonly { role: string; action: string }[], platform: NodeJS.Platform) =>
  changes.some((c) => c.role === 'session' && (platform === 'darwin' || c.action !== 'unchanged'));

/** systemd's own generator, which the user manager runs at login to read environment.d. */
export const GENERATOR = '/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator';

/**
 * Why the session target cannot take these values (exit 2, nothing changed): the file holds every
 * managed variable, so each must be one environment.d can pass on exactly (macOS: one launchd can
 * get through the login program).
 */
export function checkSessionRequest(request: { loc: Locations; vars: readonly { name: string; value: string }[] }): void {
  const { platform } = request.loc;
  if (platform === 'darwin') {
    checkLaunchdRequest(request.loc, request.vars);
    return;
  }
  if (platform === 'win32')
    throw usageError(
      'The session target is for Linux desktops and user services; on Windows the windows target reaches every new program.',
    );
  for (const { name, value } of request.vars) {
    const why = envdCannotHold(value);
    if (why) throw usageError(`${name} cannot go to the session target (environment.d): ${why} Nothing was changed.`);
  }
}

/** The environment of a process of this home's owner: theirs when root acts for them. */
function ownerEnvironment(ctx: Context, loc: Locations, runAs: { uid: number; gid: number } | undefined): NodeJS.ProcessEnv {
  const env = runAs ? environmentFor(accountOf(runAs.uid), ctx.env, loc.home) : { ...ctx.env, HOME: loc.home };
  if (loc.explicitHome) delete env.XDG_CONFIG_HOME;
  else env.XDG_CONFIG_HOME = loc.configDir;
  return env;
}

/**
 * What the user manager will hand its services and apps at the next login: systemd's generator run
 * on this home, its output read as the manager reads it, the value compared here.
 */
export async function verifySession(
  name: string,
  expected: string | undefined,
  options: { ctx: Context; loc: Locations; timeoutMs: number; runAs?: { uid: number; gid: number } | undefined; signal?: AbortSignal },
): Promise<VerifyResult> {
  if (options.loc.platform === 'darwin') return verifyLaunchd(name, expected, options);
  const base = { shell: SESSION.id, mode: 'login' };
  const { runCaptured } = await import('../spawn/index.js');
  const { existsSync } = await import('node:fs');
  if (!existsSync(GENERATOR))
    return {
      ...base,
      ok: false,
      status: 'not-installed',
      detail: `systemd's environment.d generator (${GENERATOR}) is not here; the file is in place for a systemd session`,
    };
  const result = await runCaptured(GENERATOR, [], {
    env: ownerEnvironment(options.ctx, options.loc, options.runAs),
    cwd: options.loc.home,
    timeoutMs: options.timeoutMs,
    ...(options.runAs && { uid: options.runAs.uid, gid: options.runAs.gid }),
    ...(options.signal && { signal: options.signal }),
  });
  if (result.interrupted) return { ...base, ok: false, status: 'interrupted', detail: 'the check was interrupted' };
  if (result.timedOut)
    return { ...base, ok: false, status: 'timeout', detail: `systemd's generator gave no answer within ${options.timeoutMs} ms` };
  if (result.exitCode !== 0)
    return { ...base, ok: false, status: 'error', detail: `systemd's generator failed (exit ${result.exitCode ?? '?'})` };
  const seen = parseGeneratorOutput(result.stdout.toString('utf8')).get(name);
  if (seen === expected)
    return {
      ...base,
      ok: true,
      status: 'ok',
      detail:
        expected === undefined
          ? `a new session does not get ${name}`
          : `a new session gets ${name} (systemd's generator reads it back exactly)`,
    };
  if (seen === undefined)
    return { ...base, ok: false, status: 'missing', detail: `a new session does not get ${name} (systemd's generator does not yield it)` };
  return {
    ...base,
    ok: false,
    status: 'mismatch',
    detail: `a new session gets a different value of ${name}: another environment.d file read later sets it`,
  };
}

/**
 * The running user manager, when there is one for the caller: it gets the value of each name now,
 * from the environment of `systemctl --user import-environment` (never its command line), or loses
 * the names (`unset-environment`). Returns a sentence for the report. Never for another user's home.
 */
export async function updateRunningSession(
  change: { set: readonly { name: string; value: string }[]; unset: readonly string[] },
  ctx: Context,
  actingForOther: boolean,
): Promise<string | undefined> {
  if (ctx.platform === 'darwin') return updateLaunchd(change, ctx, actingForOther);
  if (actingForOther || ctx.platform !== 'linux') return undefined;
  const systemctl = await findExecutable('systemctl', ctx);
  if (!systemctl) return undefined;
  const { runCaptured } = await import('../spawn/index.js');
  const env = { ...ctx.env };
  const running = await runCaptured(systemctl, ['--user', 'show-environment'], { env, timeoutMs: 5000 });
  if (running.exitCode !== 0) {
    return change.set.length
      ? 'No user manager is running for you now: services and apps started from the desktop get it at your next login.'
      : 'No user manager is running for you now: from your next login on, services and apps started from the desktop no longer get it.';
  }
  if (change.set.length) {
    for (const { name, value } of change.set) env[name] = value;
    const imported = await runCaptured(systemctl, ['--user', 'import-environment', ...change.set.map((v) => v.name)], {
      env,
      timeoutMs: 10_000,
    });
    if (imported.exitCode !== 0)
      return 'Could not hand the running user manager the new value (systemctl --user import-environment failed): it gets it at your next login.';
  }
  if (change.unset.length) {
    const removed = await runCaptured(systemctl, ['--user', 'unset-environment', ...change.unset], { env, timeoutMs: 10_000 });
    if (removed.exitCode !== 0)
      return 'Could not take the names out of the running user manager (systemctl --user unset-environment failed): it drops them at your next login.';
  }
  return change.set.length
    ? 'The running user manager has it now: services and apps started from now on get it; programs already running keep their old environment.'
    : 'The running user manager no longer passes it on; programs already running keep their old environment.';
}
