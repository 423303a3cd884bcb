// Which file and line last gave NAME its value when a shell starts, asked of the shell itself: it
// runs its startup files with its own trace on, as verify.ts starts it (same argv, environment and
// identity), and the trace is read here. The trace holds values, so it stays in this process's
// memory: it goes to a private pipe (bash) or the shell's stderr (the others), never to a file,
// and what leaves this module is paths, line numbers and shell names.
//
// How each shell is made to say where it is (docs/development.md, "Labs", has what was measured):
//   bash   SHELLOPTS=xtrace, PS4 with BASH_SOURCE/LINENO, BASH_XTRACEFD=3 from the environment.
//          bash ignores PS4 from the environment when its effective uid is 0, so as root it runs
//          with --rcfile (interactive) or --noprofile and a -c script (login) that set PS4 and
//          then read the same files bash would; /etc/bash.bashrc is then read before the trace starts.
//   zsh    -x and PS4 from the environment (%x file, %I line): zsh takes PS4 as root too.
//   sh     dash has no LINENO and no file in PS4: -x with -v, whose echo of each line read is
//          followed along the files' texts (src/edit/xtrace.ts). A /bin/sh that is bash: as bash.
//   fish   fish_trace=1: no line numbers; the file comes from the nesting of `source`, the line
//          from the file's text where only one line there names NAME.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Context, Locations } from './context.js';
import {
  bashPs4,
  type Handover,
  parseBashTrace,
  parseFishTrace,
  parseVerboseTrace,
  parseZshTrace,
  plainPs4,
  readTrace,
  type TraceReading,
  type TraceStep,
  zshPs4,
} from './edit/xtrace.js';
import { withScratchDir, writePrivateFile } from './fsio/index.js';
import { nonce } from './nonce.js';
import { shellBinary } from './shells/detect.js';
import { FAMILIES, INTERACTIVE_LOGIN, SHELLS, type ShellId, shellFromPath } from './shells/index.js';
import { SSH_COMMAND_MODE } from './shells/ssh-command.js';
import { type RunResult, runCaptured } from './spawn/index.js';
import { accountOf, environmentFor } from './users.js';

export {
  type Handover,
  handWritten,
  lastEvent,
  overridesOfManaged,
  type Place,
  type TraceEvent,
  type TraceVerdict,
  verdictOf,
  where,
} from './edit/xtrace.js';

export interface TraceOptions {
  ctx: Context;
  loc: Locations;
  timeoutMs: number;
  /** Start the shell as this user (root acting on another user's home), as verify does. */
  runAs?: { uid: number; gid: number } | undefined;
}

/** How the shell was traced, which says how far its answer goes. */
export type TraceMethod = 'bash-environment' | 'bash-wrapper' | 'zsh-xtrace' | 'sh-verbose' | 'fish-trace';

export interface StartupTrace extends TraceReading {
  shell: ShellId;
  mode: string;
  /** traced: events and handover are the shell's answer; otherwise `detail` says why there is none. */
  status: 'traced' | 'timeout' | 'error' | 'not-installed' | 'unsupported';
  method?: TraceMethod;
  /**
   * `line`: the shell named each file and line. `file`: it named the file (or the line was found
   * by following what it read), and an event's `exact` says whether its line is certain.
   */
  precision?: 'line' | 'file';
  /** The shell a hand-over starts, as envset knows it, and the mode to verify it in. */
  handoverTarget?: { shell: ShellId; mode: string };
  /** What this trace could not see, in words. */
  notes: string[];
  detail?: string;
}

/** Trace every verify mode of each shell, in parallel; results in the order of shells and modes. */
export async function traceShells(shells: readonly ShellId[], name: string, options: TraceOptions): Promise<StartupTrace[]> {
  return Promise.all(
    shells.flatMap((id) =>
      (SHELLS[id].verify.length > 0 ? SHELLS[id].verify : [{ mode: '-' }]).map((m) => traceStartup(id, m.mode, name, options)),
    ),
  );
}

/** Start one shell in one verify mode with its trace on, and read which lines assigned name. */
export async function traceStartup(shell: ShellId, mode: string, name: string, options: TraceOptions): Promise<StartupTrace> {
  const base = { shell, mode, events: [], complete: false, notes: [] as string[] };
  const verify = SHELLS[shell].verify.find((m) => m.mode === mode);
  // bash, zsh, sh and fish say where they are when asked (see above); the other shells are not traced.
  if ((shell !== 'bash' && shell !== 'zsh' && shell !== 'sh' && shell !== 'fish') || !verify) {
    return { ...base, status: 'unsupported', detail: `envset cannot trace ${shell}${verify ? '' : ` in mode ${mode}`}` };
  }
  const binary = await shellBinary(shell, options.ctx);
  if (!binary) return { ...base, status: 'not-installed', detail: `${shell} is not installed here` };
  const mark = nonce();
  const endMark = `${mark}end`;
  const { loc } = options;
  const managedFiles = [join(loc.envDir, FAMILIES.posix.envFile), join(loc.envDir, FAMILIES.fish.envFile)];
  const read = textReader();
  const asRoot = (options.runAs?.uid ?? options.ctx.uid) === 0;
  const plan = planTrace(shell, mode, name, binary, mark, endMark, asRoot, verify.args);

  return withScratchDir(async (scratch) => {
    const started = startEnvironment(name, options);
    const env = verify.env ? verify.env(started) : started;
    Object.assign(env, await SHELLS[shell].verifyEnv?.(loc, env, scratch), plan.env);
    let args = plan.args;
    let rcfile: string | undefined;
    if (plan.rcfile !== undefined) {
      // Read by the shell as root (the only case it is used), so a file only its owner reads serves.
      rcfile = join(await scratch(), 'rcfile');
      await writePrivateFile(rcfile, Buffer.from(plan.rcfile, 'utf8'));
      args = ['--rcfile', rcfile, ...args];
    }
    const result = await runCaptured(plan.binary, args, {
      env,
      cwd: loc.home,
      timeoutMs: options.timeoutMs,
      fd3: plan.channel === 'fd3',
      ...(options.runAs && { uid: options.runAs.uid, gid: options.runAs.gid }),
    });
    const traced = { ...base, method: plan.method, precision: plan.precision, notes: plan.notes };
    if (result.startError) return { ...traced, status: 'error' as const, detail: `could not start ${binary}: ${result.startError}` };
    const text = channelText(result, plan.channel);
    const reading = readTrace(withoutWrapper(plan.parse(text, read, loc), rcfile), {
      name,
      managedFiles,
      endMark,
      syntax: shell === 'fish' ? 'fish' : 'posix',
      read,
    });
    if (shell === 'fish' && text.includes(`true ${mark}universal`)) {
      // A universal variable (`set -Ux`) is loaded before any file runs; a global one shadows it.
      reading.events.unshift({
        kind: 'assign',
        path: join(loc.configDir, 'fish', 'fish_variables'),
        line: 0,
        exact: false,
        managed: false,
        via: [],
      });
    }
    const handoverTarget = reading.handover && targetOf(reading.handover);
    const status = result.timedOut ? ('timeout' as const) : ('traced' as const);
    return {
      ...traced,
      ...reading,
      ...(handoverTarget && { handoverTarget }),
      status,
      ...(result.timedOut && {
        detail: `no answer within ${options.timeoutMs} ms (a startup file may wait for input); what ran before that is traced`,
      }),
      ...(!result.timedOut &&
        !reading.complete && {
          detail: 'the trace stopped before startup ended (a startup file turned the trace off, changed PS4, or exited)',
        }),
    };
  }, options.runAs);
}

interface Plan {
  binary: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** An rcfile to write to a scratch folder and pass first as `--rcfile FILE`. */
  rcfile?: string;
  channel: 'fd3' | 'stderr';
  method: TraceMethod;
  precision: 'line' | 'file';
  notes: string[];
  parse: (text: string, read: (path: string) => string | undefined, loc: Locations) => TraceStep[];
}

function planTrace(
  shell: ShellId,
  mode: string,
  name: string,
  binary: string,
  mark: string,
  endMark: string,
  asRoot: boolean,
  verifyArgs: (script: string) => string[],
): Plan {
  const end = `: ${endMark}`;
  if (shell === 'bash' || (shell === 'sh' && isBash(binary))) return planBash(shell, mode, binary, mark, end, asRoot, verifyArgs);
  if (shell === 'zsh') {
    return {
      binary,
      args: ['-x', ...verifyArgs(end)],
      env: { PS4: zshPs4(mark) },
      channel: 'stderr',
      method: 'zsh-xtrace',
      precision: 'line',
      notes: ['subshells are traced as if they were the shell (zsh names no process in its trace)'],
      parse: (text) => parseZshTrace(text, mark),
    };
  }
  if (shell === 'sh') {
    return {
      binary,
      args: ['-x', '-v', ...verifyArgs(end)],
      env: { PS4: plainPs4(mark) },
      channel: 'stderr',
      method: 'sh-verbose',
      precision: 'file',
      notes: [
        `${basename(realBinary(binary))} names neither file nor line in its trace: they are found by following the lines it echoes while reading`,
      ],
      parse: (text, read, loc) => parseVerboseTrace(text, mark, ['/etc/profile', join(loc.home, '.profile')], read),
    };
  }
  // fish
  return {
    binary,
    args: verifyArgs(`true ${endMark}; set -qU ${name}; and true ${mark}universal`),
    env: { fish_trace: '1' },
    channel: 'stderr',
    method: 'fish-trace',
    precision: 'file',
    notes: ['fish names no line in its trace: a line is given where only one line of the file names the variable'],
    parse: (text) => parseFishTrace(text),
  };
}

function planBash(
  shell: ShellId,
  mode: string,
  binary: string,
  mark: string,
  end: string,
  asRoot: boolean,
  verifyArgs: (script: string) => string[],
): Plan {
  const common = { binary, channel: 'fd3' as const, precision: 'line' as const, parse: (text: string) => parseBashTrace(text, mark) };
  if (!asRoot) {
    return {
      ...common,
      args: verifyArgs(end),
      env: { SHELLOPTS: 'xtrace', PS4: bashPs4(mark), BASH_XTRACEFD: '3' },
      method: 'bash-environment',
      notes: [],
    };
  }
  const setup = `PS4='${bashPs4(mark)}'; BASH_XTRACEFD=3; set -x`;
  if (mode === 'interactive') {
    return {
      ...common,
      args: verifyArgs(end),
      env: {},
      // Read by bash after the system-wide bashrc, in place of ~/.bashrc, which it then reads as bash would.
      rcfile: `${setup}\nif [ -e ~/.bashrc ]; then . ~/.bashrc; fi\n`,
      method: 'bash-wrapper',
      notes: ['as root bash takes no PS4 from the environment: the system-wide bashrc (read before ~/.bashrc) is not traced'],
    };
  }
  if (mode === SSH_COMMAND_MODE) {
    // As sshd starts it, bash reads ~/.bashrc before the command; SHLVL=1 stops that, and the
    // command reads it instead, with the trace on.
    return {
      ...common,
      args: ['-c', `${setup}\nif [ -e ~/.bashrc ]; then . ~/.bashrc; fi\n${end}`],
      env: { SHLVL: '1' },
      method: 'bash-wrapper',
      notes: ["as root bash takes no PS4 from the environment: envset reads ~/.bashrc itself, as sshd's bash would, with the trace on"],
    };
  }
  // A login shell reads /etc/profile, then the first of these that exists (sh: ~/.profile alone).
  const personal =
    shell === 'sh'
      ? 'if [ -e ~/.profile ]; then . ~/.profile; fi'
      : 'if [ -e ~/.bash_profile ]; then . ~/.bash_profile; elif [ -e ~/.bash_login ]; then . ~/.bash_login; elif [ -e ~/.profile ]; then . ~/.profile; fi';
  return {
    ...common,
    args: [
      '--noprofile',
      ...(mode === INTERACTIVE_LOGIN ? ['-i'] : []),
      '-l',
      '-c',
      `${setup}\nif [ -e /etc/profile ]; then . /etc/profile; fi\n${personal}\n${end}`,
    ],
    env: {},
    method: 'bash-wrapper',
    notes: ["as root bash takes no PS4 from the environment: envset reads the login files in bash's order itself, with the trace on"],
  };
}

/** The environment verify.ts gives the shell, without any trace setting the caller had. */
function startEnvironment(name: string, options: TraceOptions): NodeJS.ProcessEnv {
  const { ctx, loc } = options;
  const env: NodeJS.ProcessEnv = options.runAs
    ? environmentFor(accountOf(options.runAs.uid), ctx.env, loc.home)
    : { ...ctx.env, HOME: loc.home };
  delete env[name];
  if (loc.explicitHome) {
    delete env.ZDOTDIR;
    delete env.XDG_CONFIG_HOME;
  }
  for (const key of ['SHELLOPTS', 'BASHOPTS', 'PS4', 'BASH_XTRACEFD', 'fish_trace']) delete env[key];
  return env;
}

function channelText(result: RunResult, channel: Plan['channel']): string {
  return (channel === 'fd3' ? (result.fd3 ?? Buffer.alloc(0)) : result.stderr).toString('utf8');
}

/**
 * The wrapper's own commands (root's rcfile; the login script, which is the `-c` string) are
 * envset's, not the person's: they are dropped, and a file they source has no parent.
 */
function withoutWrapper(steps: readonly TraceStep[], rcfile: string | undefined): TraceStep[] {
  return steps
    .filter((s) => rcfile === undefined || s.path !== rcfile)
    .map((s) => {
      if (!s.parent || (s.parent.path !== '' && s.parent.path !== rcfile)) return s;
      const { parent: _, ...rest } = s;
      return rest;
    });
}

function targetOf(handover: Handover): { shell: ShellId; mode: string } | undefined {
  const id = shellFromPath(handover.shell);
  if (!id) return undefined;
  const modes = SHELLS[id].verify.map((m) => m.mode);
  const mode = handover.login && modes.includes('login') ? 'login' : modes.includes('interactive') ? 'interactive' : modes[0];
  return mode ? { shell: id, mode } : undefined;
}

function realBinary(binary: string): string {
  try {
    return realpathSync(binary);
  } catch {
    return binary;
  }
}

const isBash = (binary: string) => basename(realBinary(binary)) === 'bash';

/**
 * Texts of files the trace names, read on demand and kept for this trace. Only regular files: a
 * FIFO or a device would block the read.
 */
function textReader(): (path: string) => string | undefined {
  const known = new Map<string, string | undefined>();
  return (path) => {
    if (!known.has(path)) {
      let text: string | undefined;
      try {
        if (statSync(path).isFile()) text = readFileSync(path, 'utf8');
      } catch {
        text = undefined;
      }
      known.set(path, text);
    }
    return known.get(path);
  };
}
