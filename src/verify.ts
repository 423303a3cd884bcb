// Proof that a fresh shell sees the value: start each target shell as a terminal (or a script)
// would, with HOME set to the target home, NAME removed from its environment and stdin closed
// (or holding only the probe, typed, for a shell that reads its commands there), and have it print
// what a program gets for NAME between random sentinels. The value is compared here, never passed.
import { existsSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Context, Locations } from './context.js';
import { definitionOrder, overriding } from './edit/precedence.js';
import { staysInside } from './fsio/confine.js';
import { withScratchDir } from './fsio/index.js';
import { leaveAsFound, type Watched, watchedPlaces } from './fsio/leftovers.js';
import { attempt } from './fsio/quietly.js';
import { textReader } from './fsio/read.js';
import { maskAssignments, redact } from './mask.js';
import { nonce } from './nonce.js';
import type { CheckProgress } from './progress.js';
import type { VerifyResult } from './reports.js';
import { shellBinary } from './shells/detect.js';
import { allHookFiles, isInteractiveMode, SHELLS, type Shell, type ShellId, sourceScope, type VerifyMode } from './shells/index.js';
import { runCaptured } from './spawn/index.js';
import { TARGETS, type TargetId } from './targets/index.js';
import { verifySession } from './targets/session.js';
import { verifyRegistry } from './targets/windows.js';
import { accountOf, environmentFor } from './users.js';
import { visible, visibleReport } from './visible.js';

export interface VerifyOptions {
  ctx: Context;
  loc: Locations;
  timeoutMs: number;
  /** Start the shells as this user (root acting on another user's home). */
  runAs?: { uid: number; gid: number } | undefined;
  /** Aborted (Ctrl-C): every shell still running is killed with its process group. */
  signal?: AbortSignal;
  /** Told of each result as it comes and of each target once it is done (src/progress.ts). */
  progress?: CheckProgress;
}

/** Each result told to `progress` as it comes, then the target done. */
export async function reporting(
  id: TargetId,
  progress: CheckProgress | undefined,
  jobs: readonly Promise<VerifyResult>[],
): Promise<VerifyResult[]> {
  const results = await Promise.all(
    jobs.map(async (job) => {
      const result = await job;
      progress?.result(result);
      return result;
    }),
  );
  progress?.done(id);
  return results;
}

/** What the progress line says each target checks: `bash interactive`, ... (its results' labels). */
export function checkLabels(targets: readonly TargetId[]): { id: string; labels: string[] }[] {
  return targets.map((id) => {
    const target = TARGETS[id];
    return { id, labels: target.kind === 'shell' ? target.verify.map((m) => `${id} ${m.mode}`) : [`${id} ${target.kind}`] };
  });
}

/**
 * Verify every target and mode in parallel; results in the order of `targets`. What the shells
 * leave in the home (zsh's .zcompdump and the like) is removed afterwards: checking changes nothing.
 */
export async function verifyTargets(
  targets: readonly TargetId[],
  name: string,
  expected: string | undefined,
  options: VerifyOptions,
): Promise<VerifyResult[]> {
  // Details name files and shells the trace found (their names are the home's, not envset's): made visible here.
  return visibleReport(await leaveAsFound(checkedPlaces(targets, options.loc), () => verifyAll(targets, name, expected, options)));
}

/**
 * What a check watches: the shells' caches and state folders, and (anything new there but envset's
 * own files) the home's top and the folders the target shells' startup files really live in.
 */
export function checkedPlaces(targets: readonly TargetId[], loc: Locations): Watched {
  const dirs = new Set<string>([loc.home]);
  for (const id of targets) {
    const target = TARGETS[id];
    if (target.kind !== 'shell') continue;
    for (const { files } of target.reads(loc, existsSync)) {
      for (const file of files) {
        const real = attempt(() => realpathSync(file));
        if (real) dirs.add(dirname(real));
      }
    }
  }
  const hooks = allHookFiles(loc);
  const ours = (path: string) =>
    hooks.has(path) || path === loc.envDir || path.startsWith(`${loc.envDir}/`) || /\.envset-\d{8}T\d{6}\.bak$/.test(path);
  return { ...watchedPlaces(loc.home, loc.zdotdir, loc.configDir), fresh: [...dirs].filter(staysInside), ours };
}

/** The result for a hooked shell that is not installed on this machine. */
export function notInstalled(id: TargetId): VerifyResult {
  return {
    shell: id,
    mode: '-',
    ok: false,
    status: 'not-installed',
    detail: `${id} is not installed here; its hook is in place for when it is`,
  };
}

async function verifyAll(
  targets: readonly TargetId[],
  name: string,
  expected: string | undefined,
  options: VerifyOptions,
): Promise<VerifyResult[]> {
  const { progress } = options;
  const jobs = targets.map(async (id): Promise<VerifyResult[]> => {
    const target = TARGETS[id];
    if (target.kind === 'registry') return reporting(id, progress, [verifyRegistry(name, expected, options.ctx.env)]);
    if (target.kind === 'session') return reporting(id, progress, [verifySession(name, expected, options)]);
    const binary = await shellBinary(target.id, options.ctx);
    if (!binary) return reporting(id, progress, [Promise.resolve(notInstalled(id))]);
    return reporting(
      id,
      progress,
      target.verify.map((mode) => verifyOne(target, mode, binary, name, expected, options)),
    );
  });
  return (await Promise.all(jobs)).flat();
}

async function verifyOne(
  shell: Shell,
  mode: VerifyMode,
  binary: string,
  name: string,
  expected: string | undefined,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const result = await probeOne(shell, mode, binary, name, expected, options);
  if (result.ok || !['missing', 'mismatch', 'error'].includes(result.status) || result.detail.startsWith('could not start')) return result;
  return explain(result, shell, name, expected, options);
}

/**
 * A failed check, explained by the shell itself: its trace names the file:line that gave NAME
 * another value or took it away (sourced files included), or a hand-over to another shell, whose
 * own check then decides (a terminal that starts bash which execs zsh lands in zsh).
 */
async function explain(
  result: VerifyResult,
  shell: Shell,
  name: string,
  expected: string | undefined,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const { traceStartup, verdictOf, where } = await import('./trace.js');
  const trace = await traceStartup(shell.id, result.mode, name, {
    ctx: options.ctx,
    loc: options.loc,
    timeoutMs: options.timeoutMs,
    runAs: options.runAs,
  });
  if (trace.status !== 'traced') return result;
  const verdict = verdictOf(trace);
  const at = (place: { path: string; line: number; via?: readonly { path: string; line: number }[] }) =>
    `${where(place)}${place.via?.length && place.via.at(-1)!.path !== place.path ? ` (sourced from ${where(place.via.at(-1)!)})` : ''}`;
  switch (verdict.kind) {
    case 'handover': {
      const target = trace.handoverTarget;
      const binary = target && (await shellBinary(target.shell, options.ctx));
      const mode = target && SHELLS[target.shell].verify.find((m) => m.mode === target.mode);
      const starts = `starts ${verdict.handover.shell} at ${where(verdict.handover)}`;
      // What it starts after envset's hook ran gets NAME from the shell that starts it, as in a terminal.
      const last = trace.events.at(-1);
      const inherits = expected !== undefined && last?.managed === true && last.kind === 'assign';
      if (!target || !binary || !mode) {
        // Known: what the program starts with. Not known: what it gives the shells it runs (a tmux
        // or screen server started earlier keeps the environment it had then).
        return {
          ...result,
          detail: inherits
            ? `${starts} after envset's hook ran, so ${verdict.handover.shell} starts with ${name}; envset cannot check what it gives the shells it runs (a ${verdict.handover.shell} server started earlier keeps the environment it had then)`
            : `${starts}, which envset cannot check`,
        };
      }
      const inner = await probeOne(SHELLS[target.shell], mode, binary, name, expected, options, inherits ? expected : undefined);
      if (inner.ok) {
        const how = inherits ? `, which gets ${name} from envset's hook (run before it) and keeps it` : `, which sees ${name}`;
        return { ...result, ok: true, status: 'ok', detail: `${starts}${how}`, handover: target.shell };
      }
      if (inherits) {
        return {
          ...result,
          detail: `${starts}, which gets ${name} from envset's hook (run before it) but ${inner.status === 'mismatch' ? 'changes it' : inner.status === 'missing' ? 'drops it' : `could not be checked: ${inner.detail}`}`,
          handover: target.shell,
        };
      }
      return {
        ...result,
        detail: `${starts}, which does not see ${name}; hooking ${target.shell} too fixes that: envset set ${name} --shell ${target.shell}`,
        handover: target.shell,
      };
    }
    case 'overridden':
      return {
        ...result,
        detail: `${result.status === 'missing' ? `does not see ${name}` : `sees a different value of ${name}`}; defined again after envset's hook at ${verdict.by.map(at).join(', ')}`,
        definedAt: verdict.by.map(where),
      };
    case 'unset':
      return {
        ...result,
        detail: `does not see ${name}; it is unset at ${at(verdict.at)}, after envset's hook`,
        definedAt: [where(verdict.at)],
      };
    case 'hand-written':
      return {
        ...result,
        detail: `sees the value written by hand at ${at(verdict.at)}; envset's hook was not reached`,
        definedAt: [where(verdict.at)],
      };
    case 'not-assigned':
      return result.status === 'missing'
        ? {
            ...result,
            detail: `does not see ${name}: the shell never reached envset's hook${/; it said: .*$/.exec(result.detail)?.[0] ?? ''}`,
          }
        : result;
    default:
      return result;
  }
}

async function probeOne(
  shell: Shell,
  verifyMode: VerifyMode,
  binary: string,
  name: string,
  expected: string | undefined,
  options: VerifyOptions,
  inherited?: string,
): Promise<VerifyResult> {
  const id = shell.id;
  const { mode } = verifyMode;
  const base = { shell: id, mode };
  const fresh = await readFresh(shell, verifyMode, binary, name, options, {
    keep: false,
    secret: expected,
    ...(inherited !== undefined && { inherited }),
  });
  if (!fresh.ok) return fresh.result;
  const { answer, said } = fresh;
  if (answer.value === expected) {
    return { ...base, ok: true, status: 'ok', detail: expected === undefined ? `does not see ${name}` : `sees ${name}` };
  }
  const { words: where, places } = await laterDefinitions(id, mode, name, options.loc);
  const found = places.length ? { definedAt: places } : {};
  if (answer.value === undefined) {
    return {
      ...base,
      ok: false,
      status: 'missing',
      detail: `does not see ${name}${where ? `; ${where}` : ' (is the hook read by this shell?)'}${said}`,
      ...found,
    };
  }
  return {
    ...base,
    ok: false,
    status: 'mismatch',
    detail: `sees a different value of ${name}${where ? `; ${where}` : ''}${said}`,
    ...found,
  };
}

/** What a fresh shell printed for NAME (set or not), or the result that says why it could not tell. */
export type Fresh = { ok: true; answer: { value: string | undefined }; said: string } | { ok: false; result: VerifyResult };

/**
 * Start the shell afresh in one mode, as a terminal (or a script) would, and read what a program
 * gets for NAME. `keep`: NAME stays in the shell's environment (PATH, which the shell needs to
 * start); otherwise it is taken out, so only the startup files can set it. `secret` is masked in
 * what the shell said.
 */
export async function readFresh(
  shell: Shell,
  verifyMode: VerifyMode,
  binary: string,
  name: string,
  options: VerifyOptions,
  how: { keep: boolean; secret?: string | undefined; inherited?: string },
): Promise<Fresh> {
  const id = shell.id;
  const { mode } = verifyMode;
  // Sentinels no startup file can know in advance. They guard against noise, not an attacker (the
  // startup files run as the user anyway), so Math.random serves: node:crypto costs 4-6 ms to load.
  const begin = `__envset_${nonce()}_begin__`;
  const end = `__envset_${nonce()}_end__`;
  // As root for another user: that user's environment, so their startup files never see root's.
  const env: NodeJS.ProcessEnv = options.runAs
    ? environmentFor(accountOf(options.runAs.uid), options.ctx.env, options.loc.home)
    : { ...options.ctx.env, HOME: options.loc.home };
  if (!how.keep) delete env[name];
  // Started by a shell that had NAME (a .bashrc's `exec fish` after envset's hook): in its environment, never on argv.
  if (how.inherited !== undefined) env[name] = how.inherited;
  if (options.loc.explicitHome) {
    delete env.ZDOTDIR;
    delete env.XDG_CONFIG_HOME;
  }
  const result = await withScratchDir(async (scratch) => {
    Object.assign(env, await shell.verifyEnv?.(options.loc, env, scratch));
    const probe = shell.probe(name, begin, end);
    const flags = (await shell.verifyFlags?.(options.loc, scratch)) ?? [];
    return runCaptured(binary, [...flags, ...verifyMode.args(probe)], {
      env: verifyMode.env ? verifyMode.env(env) : env,
      // A shell that runs its interactive startup only for commands it reads gets the probe as typed input.
      ...(verifyMode.input && { input: verifyMode.input(probe) }),
      ...(verifyMode.argv0 && { argv0: verifyMode.argv0 }),
      ...(verifyMode.terminal && { terminal: true }),
      cwd: options.loc.home,
      timeoutMs: options.timeoutMs,
      ...(options.runAs && { uid: options.runAs.uid, gid: options.runAs.gid }),
      ...(options.signal && { signal: options.signal }),
    });
  }, options.runAs);
  const base = { shell: id, mode };
  const fail = (result: VerifyResult): Fresh => ({ ok: false, result });
  if (result.interrupted) return fail({ ...base, ok: false, status: 'interrupted', detail: 'the check was interrupted' });
  if (result.startError) return fail({ ...base, ok: false, status: 'error', detail: `could not start ${binary}: ${result.startError}` });
  if (result.timedOut) {
    return fail({
      ...base,
      ok: false,
      status: 'timeout',
      detail: `no answer within ${options.timeoutMs} ms (a startup file may wait for input, or be slow: give it longer with --verify-timeout MS)`,
    });
  }
  const said = shellSaid(result.stderr, how.secret);
  const out = result.stdout;
  const from = out.indexOf(begin);
  const to = from < 0 ? -1 : out.indexOf(end, from + begin.length);
  if (to < 0)
    return fail({
      ...base,
      ok: false,
      status: 'error',
      detail: `the shell exited (code ${result.exitCode}) before printing ${name}: ${endsEarly(id, mode)}${said}`,
    });
  const answer = readProbe(out.subarray(from + begin.length, to).toString('utf8'));
  if (answer.status === 'failed') {
    return fail({
      ...base,
      ok: false,
      status: 'error',
      detail: `${name} is set, but a program could not be started to read it (exit ${answer.code})${said}`,
    });
  }
  return { ok: true, answer, said };
}

/** What a startup file that ends the shell does to the person, by the way the shell was started. */
const endsEarly = (id: ShellId, mode: string) =>
  isInteractiveMode(mode)
    ? `a startup file ends it, so a terminal that starts ${id} this way closes before its prompt`
    : 'a startup file ends it, so a command started this way never runs';

/**
 * What a probe printed between its sentinels: `printenv NAME`'s output (the value and a newline)
 * and then a newline and printenv's exit status. An external program, not a shell builtin: a value
 * that reached the shell but that no program can be started with (too long) is not a success.
 */
export function readProbe(
  answer: string,
): { status: 'set'; value: string } | { status: 'unset'; value: undefined } | { status: 'failed'; value: undefined; code: string } {
  const cut = answer.lastIndexOf('\n');
  const code = answer.slice(cut + 1);
  const printed = cut < 0 ? '' : answer.slice(0, cut);
  if (code === '0' && printed.endsWith('\n')) return { status: 'set', value: printed.slice(0, -1) };
  if (code === '1' && printed === '') return { status: 'unset', value: undefined };
  return { status: 'failed', value: undefined, code: code || '?' };
}

/** The first line of what the shell printed on stderr, masked, as words to add to a failure. */
function shellSaid(stderr: Buffer, expected: string | undefined): string {
  const line = stderr
    .toString('utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    // Elvish reading its commands from a pipe prints a prompt (the folder and `> `) on stderr for each.
    .find((l) => l !== '' && !/cannot set terminal process group|no job control in this shell/.test(l) && !/^(?:[~/]\S*> ?)+$/.test(l));
  if (!line) return '';
  const masked = maskAssignments(redact(line, expected ? [expected] : []), [], { secretNames: true });
  // The shell's own bytes: an escape sequence there is shown, never sent to the terminal.
  return `; it said: "${visible(masked).slice(0, 200)}"`;
}

/** Which hand-written definitions beat envset's hook in this shell mode, as "file:line" words and places. */
async function laterDefinitions(id: ShellId, mode: string, name: string, loc: Locations): Promise<{ words: string; places: string[] }> {
  const files = SHELLS[id].reads(loc, existsSync).find((r) => r.mode === mode)?.files ?? [];
  const order = definitionOrder(files, textReader(), name, true, sourceScope(loc, id, mode));
  const hook = order.some((f) => f.managed);
  const places = (hook ? overriding(order) : order).map((f) => `${f.path}:${f.line}`);
  if (places.length === 0) return { words: '', places };
  return { words: `${hook ? "defined again after envset's hook at" : 'defined by hand at'} ${places.join(', ')}`, places };
}
