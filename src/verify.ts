// Proof that a fresh shell sees the value: start each target shell as a terminal (or a script)
// would, with HOME set to the target home, NAME removed from its environment and stdin closed,
// and have it print NAME between random sentinels. The value is compared here, never passed.
import { existsSync } from 'node:fs';
import type { Context, Locations } from './context.js';
import { definitionOrder, overriding } from './edit/precedence.js';
import { envValuePath, findRegValue, type RegValue } from './edit/regfile.js';
import { readTexts, withScratchDir } from './fsio/index.js';
import { readUserEnvironment } from './registry.js';
import { shellBinary } from './shells/detect.js';
import { SHELLS, type ShellId } from './shells/index.js';
import { runCaptured } from './spawn/index.js';
import { accountOf, environmentFor } from './users.js';
import type { VerifyResult } from './verify-result.js';

export { notSeen, type VerifyResult, type VerifyStatus } from './verify-result.js';


export interface VerifyOptions {
  ctx: Context;
  loc: Locations;
  timeoutMs: number;
  /** Start the shells as this user (root acting on another user's home). */
  runAs?: { uid: number; gid: number } | undefined;
}

/** 16 hex digits from Math.random, for the sentinels. */
const nonce = () => Array.from({ length: 2 }, () => Math.floor(Math.random() * 0x1_0000_0000).toString(16).padStart(8, '0')).join('');

/** Verify every shell and mode in parallel; results in the order of `shells`. */
export async function verifyShells(shells: readonly ShellId[], name: string, expected: string | undefined, options: VerifyOptions): Promise<VerifyResult[]> {
  const binaries = await Promise.all(shells.map((id) => shellBinary(id, options.ctx)));
  const jobs = shells.flatMap((id, i) => {
    const binary = binaries[i];
    const shell = SHELLS[id];
    if (id === 'windows' && binary) return [verifyRegistry(name, expected, options)];
    if (!binary || !shell.probe) {
      return [Promise.resolve<VerifyResult>({ shell: id, mode: '-', ok: false, status: 'not-installed', detail: `${id} is not installed here; its hook is in place for when it is` })];
    }
    return shell.verify.map((mode) => verifyOne(id, mode.mode, binary, mode.args, name, expected, options));
  });
  return Promise.all(jobs);
}

async function verifyOne(
  id: ShellId,
  mode: string,
  binary: string,
  args: (script: string) => string[],
  name: string,
  expected: string | undefined,
  options: VerifyOptions,
): Promise<VerifyResult> {
  // Sentinels no startup file can know in advance. They guard against noise, not an attacker (the
  // startup files run as the user anyway), so Math.random serves: node:crypto costs 4-6 ms to load.
  const begin = `__envset_${nonce()}_begin__`;
  const end = `__envset_${nonce()}_end__`;
  // As root for another user: that user's environment, so their startup files never see root's.
  const env: NodeJS.ProcessEnv = options.runAs
    ? environmentFor(accountOf(options.runAs.uid), options.ctx.env, options.loc.home)
    : { ...options.ctx.env, HOME: options.loc.home };
  delete env[name];
  if (options.loc.explicitHome) {
    delete env.ZDOTDIR;
    delete env.XDG_CONFIG_HOME;
  }
  const shell = SHELLS[id];
  const result = await withScratchDir(async (scratch) => {
    Object.assign(env, await shell.verifyEnv?.(options.loc, env, scratch));
    return runCaptured(binary, args(shell.probe!(name, begin, end)), {
      env,
      cwd: options.loc.home,
      timeoutMs: options.timeoutMs,
      ...(options.runAs && { uid: options.runAs.uid, gid: options.runAs.gid }),
    });
  }, options.runAs);
  const base = { shell: id, mode };
  if (result.startError) return { ...base, ok: false, status: 'error', detail: `could not start ${binary}: ${result.startError}` };
  if (result.timedOut) return { ...base, ok: false, status: 'timeout', detail: `no answer within ${options.timeoutMs} ms (a startup file may wait for input)` };
  const out = result.stdout;
  const from = out.indexOf(begin);
  const to = from < 0 ? -1 : out.indexOf(end, from + begin.length);
  if (to < 0) return { ...base, ok: false, status: 'error', detail: `the shell exited (code ${result.exitCode}) before printing ${name}` };
  const answer = out.subarray(from + begin.length, to).toString('utf8');
  const seen = answer.startsWith('set\n') ? answer.slice(4) : undefined;
  if (seen === expected) {
    return { ...base, ok: true, status: 'ok', detail: expected === undefined ? `does not see ${name}` : `sees ${name}` };
  }
  const where = await laterDefinitions(id, mode, name, options.loc);
  if (seen === undefined) {
    return { ...base, ok: false, status: 'missing', detail: `does not see ${name}${where ? `; ${where}` : ' (is the hook read by this shell?)'}` };
  }
  return { ...base, ok: false, status: 'mismatch', detail: `sees a different value of ${name}${where ? `; ${where}` : ''}` };
}

/**
 * Windows builds a new process's environment from HKCU\Environment (a child of envset would only
 * inherit envset's own), so a new reg.exe reads the registry and the value is compared here.
 */
async function verifyRegistry(name: string, expected: string | undefined, options: VerifyOptions): Promise<VerifyResult> {
  const base = { shell: 'windows' as const, mode: 'registry' };
  const where = envValuePath(name);
  let found: RegValue | undefined;
  try {
    found = findRegValue(await readUserEnvironment(options.ctx.env), name);
  } catch (error) {
    return { ...base, ok: false, status: 'error', detail: error instanceof Error ? error.message : String(error) };
  }
  const seen = found?.type === 'other' ? undefined : found?.value;
  if (seen === expected) {
    if (expected === undefined) return { ...base, ok: true, status: 'ok', detail: `${where} is not set` };
    const note = expected === '' ? ' (empty: Windows leaves an empty variable out of new processes)' : found?.type === 'REG_EXPAND_SZ' ? ' (REG_EXPAND_SZ: new processes see %VARIABLES% expanded)' : '';
    return { ...base, ok: true, status: 'ok', detail: `${where} holds the value${note}` };
  }
  if (found === undefined) return { ...base, ok: false, status: 'missing', detail: `${where} is not set` };
  return { ...base, ok: false, status: 'mismatch', detail: found.type === 'other' ? `${where} is not a text value` : `${where} holds a different value` };
}

/** Which hand-written definitions beat envset's hook in this shell mode, as "file:line" words. */
async function laterDefinitions(id: ShellId, mode: string, name: string, loc: Locations): Promise<string> {
  const files = SHELLS[id].reads(loc, existsSync).find((r) => r.mode === mode)?.files ?? [];
  const order = definitionOrder(files, await readTexts(files), name, true);
  const hook = order.some((f) => f.managed);
  const hits = hook ? overriding(order) : order;
  if (hits.length === 0) return '';
  return `${hook ? 'defined again after envset\'s hook at' : 'defined by hand at'} ${hits.map((f) => `${f.path}:${f.line}`).join(', ')}`;
}
