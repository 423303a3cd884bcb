// The windows target: the user environment in the registry (HKCU\Environment), from which
// Windows builds the environment of every new process. It is reached through reg.exe, and a value
// never goes on reg's command line: changes are a .reg file in a private temp folder (`reg import`),
// reads are `reg export` to a file there, and the folder is removed whatever happens. Every write
// is read back, because `reg import` reports success even when it stored nothing.
import { readFileSync } from 'node:fs';
import { resolve, win32 } from 'node:path';
import { envValuePath, findRegValue, parseRegExport, type RegEdit, type RegValue, renderRegImport } from '../edit/regfile.js';
import { applyError, usageError } from '../errors.js';
import { withScratchDir, writePrivateFile } from '../fsio/index.js';
import { redact } from '../mask.js';
import type { VerifyResult } from '../reports.js';
import { type RunResult, runCaptured } from '../spawn/index.js';

/** A target of its own kind: no startup file, a value per name in the registry. */
export interface RegistryTarget {
  kind: 'registry';
  id: 'windows';
  /** Where state.json records the hook, and how reports name the place. */
  label: string;
  /** Windows keeps at most this many characters in one environment variable. */
  maxLength: number;
}

export const WINDOWS: RegistryTarget = { kind: 'registry', id: 'windows', label: 'HKCU\\Environment', maxLength: 32_767 };

/** Why the windows target cannot take this request, as a usage error (exit 2); nothing is changed. */
export function checkWindowsRequest(request: {
  name: string;
  value: string;
  home: string;
  profile: string | undefined;
  env: NodeJS.ProcessEnv;
}): void {
  if (request.profile)
    throw usageError('--profile does not apply to the windows target, which writes HKCU\\Environment rather than a file.');
  const own = request.env.USERPROFILE;
  if (own && resolve(request.home).toLowerCase() !== resolve(own).toLowerCase()) {
    throw usageError(
      `The windows target changes the registry of the user running envset, not of ${request.home}; run envset as that user, or pass a --shell list without windows.`,
    );
  }
  if (/[\r\n]/.test(request.value)) {
    throw usageError(
      `The value for ${request.name} contains a line break, which the Windows user environment cannot hold (reg import would drop it); nothing was changed.`,
    );
  }
  if (request.value.length > WINDOWS.maxLength) {
    throw usageError(
      `The value for ${request.name} has ${request.value.length} characters; Windows holds at most ${WINDOWS.maxLength} in one variable, so nothing was changed.`,
    );
  }
}

/**
 * Windows builds a new process's environment from HKCU\Environment (a child of envset would only
 * inherit envset's own), so a new reg.exe reads the registry and the value is compared here.
 */
export async function verifyRegistry(name: string, expected: string | undefined, env: NodeJS.ProcessEnv): Promise<VerifyResult> {
  const base = { shell: WINDOWS.id, mode: 'registry' };
  const where = envValuePath(name);
  let found: RegValue | undefined;
  try {
    found = findRegValue(await readUserEnvironment(env), name);
  } catch (error) {
    return { ...base, ok: false, status: 'error', detail: error instanceof Error ? error.message : String(error) };
  }
  const seen = found?.type === 'other' ? undefined : found?.value;
  if (seen === expected) {
    if (expected === undefined) return { ...base, ok: true, status: 'ok', detail: `${where} is not set` };
    const note =
      expected === ''
        ? ' (empty: Windows leaves an empty variable out of new processes)'
        : found?.type === 'REG_EXPAND_SZ'
          ? ' (REG_EXPAND_SZ: new processes see %VARIABLES% expanded)'
          : '';
    return { ...base, ok: true, status: 'ok', detail: `${where} holds the value${note}` };
  }
  if (found === undefined) return { ...base, ok: false, status: 'missing', detail: `${where} is not set` };
  return {
    ...base,
    ok: false,
    status: 'mismatch',
    detail: found.type === 'other' ? `${where} is not a text value` : `${where} holds a different value`,
  };
}

const KEY = 'HKCU\\Environment';
// reg.exe answers in well under a second; a cold Wine or a busy antivirus can take a few.
const REG_TIMEOUT_MS = 30_000;
const BROADCAST_TIMEOUT_MS = 20_000;

/** The Windows folder from the environment; a full path, so no reg.exe in the current folder is run instead. */
const systemRoot = (env: NodeJS.ProcessEnv) => env.SystemRoot || env.SYSTEMROOT || env.windir || env.WINDIR || 'C:\\Windows';
export const regExe = (env: NodeJS.ProcessEnv) => win32.join(systemRoot(env), 'System32', 'reg.exe');
const powershellExe = (env: NodeJS.ProcessEnv) => win32.join(systemRoot(env), 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');

/** Every value directly under HKCU\Environment, read by a new reg.exe process. */
export async function readUserEnvironment(env: NodeJS.ProcessEnv): Promise<RegValue[]> {
  return withScratchDir(async (dir) => {
    const file = win32.join(await dir(), 'read.reg');
    const result = await runCaptured(regExe(env), ['export', KEY, file, '/y'], { env, timeoutMs: REG_TIMEOUT_MS });
    if (result.exitCode !== 0) throw applyError(`Could not read ${KEY} with ${regExe(env)}: ${why(result, [])}.`);
    return parseRegExport(readFileSync(file));
  });
}

/**
 * Apply the edits to HKCU\Environment and check with a fresh read that each one took; otherwise
 * exit 1 naming the value. `secrets` are masked in anything reg.exe printed.
 */
export async function writeUserEnvironment(edits: readonly RegEdit[], env: NodeJS.ProcessEnv, secrets: readonly string[]): Promise<void> {
  if (edits.length === 0) return;
  const first = envValuePath(edits[0]!.name);
  await withScratchDir(async (dir) => {
    const file = win32.join(await dir(), 'change.reg');
    await writePrivateFile(file, renderRegImport(edits));
    const result = await runCaptured(regExe(env), ['import', file], { env, timeoutMs: REG_TIMEOUT_MS });
    if (result.exitCode !== 0) throw applyError(`Could not write ${first} with ${regExe(env)}: ${why(result, secrets)}.`);
  });
  const now = await readUserEnvironment(env);
  for (const edit of edits) {
    const found = findRegValue(now, edit.name);
    const took = 'delete' in edit ? found === undefined : found?.type === edit.type && found.value === edit.value;
    if (!took) {
      throw applyError(
        `Could not ${'delete' in edit ? 'delete' : 'write'} ${envValuePath(edit.name)}: reg.exe reported success, but reading the registry back shows ${'delete' in edit ? 'it is still there' : found ? 'a different value' : 'no value'}.`,
      );
    }
  }
}

/** The edits that bring the named values back to `before` (values of other types are left alone). */
export function restoreEdits(names: readonly string[], before: readonly RegValue[]): RegEdit[] {
  return names.flatMap((name): RegEdit[] => {
    const old = findRegValue(before, name);
    if (!old) return [{ name, delete: true }];
    return old.type === 'other' ? [] : [{ name: old.name, type: old.type, value: old.value }];
  });
}

/**
 * Tell open programs (Explorer above all, which starts new terminals) that the environment
 * changed: .NET's SetEnvironmentVariable for the User target broadcasts WM_SETTINGCHANGE
 * "Environment", so set and clear a dummy variable; the secret is not involved. Best effort:
 * returns a warning instead of failing.
 */
export async function broadcastEnvironmentChange(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const script =
    "$n = 'ENVSET_SETTINGCHANGE'; [Environment]::SetEnvironmentVariable($n, '1', 'User'); [Environment]::SetEnvironmentVariable($n, $null, 'User')";
  const exe = powershellExe(env);
  const result = await runCaptured(exe, ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', script], {
    env,
    timeoutMs: BROADCAST_TIMEOUT_MS,
  });
  if (result.exitCode === 0) return undefined;
  return `Could not tell open programs that the environment changed (${exe}: ${why(result, [])}); terminals opened from the Start menu or Explorer see the change after you sign out and in again.`;
}

/** One line on why reg.exe (or PowerShell) failed, with any secret masked. */
function why(result: RunResult, secrets: readonly string[]): string {
  if (result.startError) return `it could not be started (${result.startError})`;
  if (result.timedOut) return 'it did not finish in time';
  const said = `${result.stderr.toString('utf8')}\n${result.stdout.toString('utf8')}`
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => line !== '');
  return `exit code ${result.exitCode}${said ? `, "${redact(said, secrets).slice(0, 200)}"` : ''}`;
}
