// The Windows user environment (HKCU\Environment) through reg.exe. A value never goes on reg's
// command line: changes are a .reg file in a private temp folder (`reg import`), reads are
// `reg export` to a file there, and the folder is removed whatever happens. Every write is read
// back, because `reg import` reports success even when it stored nothing.
import { readFileSync } from 'node:fs';
import { win32 } from 'node:path';
import { applyError } from './errors.js';
import { envValuePath, findRegValue, parseRegExport, renderRegImport, type RegEdit, type RegValue } from './edit/regfile.js';
import { withScratchDir, writePrivateFile } from './fsio/index.js';
import { redact } from './mask.js';
import { runCaptured, type RunResult } from './spawn/index.js';

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
  const script = "$n = 'ENVSET_SETTINGCHANGE'; [Environment]::SetEnvironmentVariable($n, '1', 'User'); [Environment]::SetEnvironmentVariable($n, $null, 'User')";
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
