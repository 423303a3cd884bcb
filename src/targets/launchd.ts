// The session target on macOS: apps started from the Dock, Finder or Spotlight get their
// environment from launchd, which takes a variable only as `launchctl setenv NAME VALUE` and keeps
// it until logout. envset's LaunchAgent (~/Library/LaunchAgents/LABEL.plist) runs a small login
// program (templates/launchd-login.sh) at each login that reads env.sh, as text, and sets each
// managed name; `set` does the same at once for this login, `unset` takes the names out again.
// The plist names the variables, never a value. The value is in launchctl's argv, the one place
// envset lets it be (docs/who-sees-the-key.md): macOS shows a process's arguments only to its own
// user and root (the KERN_PROCARGS2 check), the people who can read the 0600 env.sh anyway.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context, Locations } from '../context.js';
import { renderTemplate } from '../edit/template.js';
import { usageError } from '../errors.js';
import type { VerifyResult } from '../reports.js';
import { findExecutable } from '../shells/detect.js';
import { FAMILIES } from '../shells/index.js';

/** envset's own launchd label, reverse-DNS as launchd asks; the plist is named after it. */
export const LAUNCH_AGENT_LABEL = 'io.envset.session';

/** The LaunchAgent in a home. */
export const launchAgentPath = (loc: Locations) => join(loc.home, 'Library', 'LaunchAgents', `${LAUNCH_AGENT_LABEL}.plist`);

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The plist: launchd runs `/bin/sh -c PROGRAM envset-login ENV_FILE NAME...` at each login
 * (RunAtLoad). Names and the env file's path only: a value is never in it.
 */
export function renderLaunchAgent(loc: Locations, names: readonly string[]): string {
  const program = renderTemplate('launchd-login.sh', {}).join('\n');
  const args = ['/bin/sh', '-c', program, 'envset-login', join(loc.envDir, FAMILIES.posix.envFile), ...names];
  return `${[
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<!-- Written by envset: at each login it hands apps the variables named below, read from env.sh',
    '     (launchctl setenv); it holds no value. Remove with: envset unset NAME -->',
    '<plist version="1.0">',
    '<dict>',
    '\t<key>Label</key>',
    `\t<string>${LAUNCH_AGENT_LABEL}</string>`,
    '\t<key>ProgramArguments</key>',
    '\t<array>',
    ...args.map((a) => `\t\t<string>${xml(a)}</string>`),
    '\t</array>',
    '\t<key>RunAtLoad</key>',
    '\t<true/>',
    '</dict>',
    '</plist>',
  ].join('\n')}\n`;
}

/** Where the plist names each variable, for status: the line of its `<string>NAME</string>`. */
export function launchAgentDefinitions(loc: Locations): {
  texts: Map<string, string>;
  find: (name: string) => { path: string; line: number }[];
} {
  const path = launchAgentPath(loc);
  const texts = new Map<string, string>();
  try {
    texts.set(path, readFileSync(path, 'utf8'));
  } catch {
    // no agent: nothing is defined for the session
  }
  const find = (name: string) =>
    [...texts].flatMap(([p, text]) =>
      text.split('\n').flatMap((l, i) => (l.trim() === `<string>${name}</string>` ? [{ path: p, line: i + 1 }] : [])),
    );
  return { texts, find };
}

/**
 * Why launchd cannot get these values through the login program (exit 2, nothing changed). The
 * program reads env.sh one line at a time, so a value must be one line; the plist is XML 1.0,
 * which has no control characters, so the env file's path must have none.
 */
export function checkLaunchdRequest(loc: Locations, vars: readonly { name: string; value: string }[]): void {
  for (const { name, value } of vars) {
    if (value.includes('\n'))
      throw usageError(
        `${name} cannot go to the session target on macOS: its value has a line break, and the login program reads env.sh one line at a time. Nothing was changed.`,
      );
  }
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(loc.envDir))
    throw usageError(
      'The session target on macOS cannot name an env file whose path has control characters in its plist. Nothing was changed.',
    );
}

/**
 * What launchd hands apps now: `launchctl getenv NAME`, its answer compared here. It says what the
 * running login has; the next login's is the LaunchAgent's, not started here.
 */
export async function verifyLaunchd(
  name: string,
  expected: string | undefined,
  options: { ctx: Context; runAs?: { uid: number; gid: number } | undefined; timeoutMs: number; signal?: AbortSignal },
): Promise<VerifyResult> {
  const base = { shell: 'session' as const, mode: 'launchd' };
  if (options.runAs)
    return {
      ...base,
      ok: false,
      status: 'not-installed',
      detail: "the LaunchAgent is in place for the owner's next login; their running login is not asked from here",
    };
  const launchctl = await findExecutable('launchctl', options.ctx);
  if (!launchctl)
    return { ...base, ok: false, status: 'not-installed', detail: 'launchctl is not here; the LaunchAgent is in place for a macOS login' };
  const { runCaptured } = await import('../spawn/index.js');
  const result = await runCaptured(launchctl, ['getenv', name], {
    env: { ...options.ctx.env },
    timeoutMs: options.timeoutMs,
    ...(options.signal && { signal: options.signal }),
  });
  if (result.interrupted) return { ...base, ok: false, status: 'interrupted', detail: 'the check was interrupted' };
  if (result.timedOut) return { ...base, ok: false, status: 'timeout', detail: `launchctl gave no answer within ${options.timeoutMs} ms` };
  if (result.exitCode !== 0)
    return { ...base, ok: false, status: 'error', detail: `launchctl getenv failed (exit ${result.exitCode ?? '?'})` };
  // launchctl prints the value and a newline, or nothing for a name it does not have.
  const seen = result.stdout.toString('utf8').replace(/\n$/, '');
  if (seen === (expected ?? ''))
    return {
      ...base,
      ok: true,
      status: 'ok',
      detail:
        expected === undefined
          ? `apps started from now on do not get ${name} (launchctl getenv has none)`
          : `apps started from now on get ${name} (launchctl getenv reads it back exactly); the LaunchAgent sets it at each login`,
    };
  if (seen === '')
    return {
      ...base,
      ok: false,
      status: 'missing',
      detail: `apps started now do not get ${name}: launchd does not have it (launchctl getenv has none)`,
    };
  return { ...base, ok: false, status: 'mismatch', detail: `launchd has another value of ${name} (launchctl getenv)` };
}

/**
 * This login's launchd gets each value now (`launchctl setenv`, the value in its argv) or loses the
 * names (`launchctl unsetenv`). Returns a sentence for the report. Never for another user's login.
 */
export async function updateLaunchd(
  change: { set: readonly { name: string; value: string }[]; unset: readonly string[] },
  ctx: Context,
  actingForOther: boolean,
): Promise<string | undefined> {
  if (actingForOther)
    return change.set.length
      ? "The owner's running login is not changed from here: apps get it from their next login on."
      : "The owner's running login is not changed from here: from their next login on, apps no longer get it.";
  const launchctl = await findExecutable('launchctl', ctx);
  if (!launchctl) return 'launchctl is not here: apps get it from the next macOS login on.';
  const { runCaptured } = await import('../spawn/index.js');
  const run = (args: string[]) => runCaptured(launchctl, args, { env: { ...ctx.env }, timeoutMs: 10_000 });
  for (const { name, value } of change.set) {
    if ((await run(['setenv', name, value])).exitCode !== 0)
      return `Could not hand launchd the new value (launchctl setenv ${name} failed): apps get it from the next login on.`;
  }
  for (const name of change.unset) {
    if ((await run(['unsetenv', name])).exitCode !== 0)
      return `Could not take ${name} out of launchd (launchctl unsetenv failed): apps started before the next login still get it.`;
  }
  return change.set.length
    ? 'launchd has it now: apps started from now on get it (apps already running keep their old environment).'
    : 'launchd no longer hands it to apps started from now on (apps already running keep their old environment).';
}
