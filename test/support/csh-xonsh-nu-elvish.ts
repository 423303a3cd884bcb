// The shells beyond the POSIX family and fish (tcsh, csh, xonsh, Nushell, Elvish) for end-to-end
// tests: start one the way envset's record starts it, with envset's own probes, and read what the
// program printenv gets for each name; or open a real terminal (tmux) running it as a login shell
// and type into it, as a person would.

import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import which from 'which';
import { SHELLS, type ShellId, type VerifyMode } from '../../src/shells/index.js';
import { runCaptured } from '../../src/spawn/index.js';
import { readProbe } from '../../src/verify.js';
import type { TempHome } from './home.js';

export const MORE_SHELLS = ['tcsh', 'csh', 'xonsh', 'nu', 'elvish'] as const;
export type MoreShell = (typeof MORE_SHELLS)[number];

/** The tools each needs on this machine (csh: Debian's bsd-csh, which /bin/csh points to once installed). */
export const TOOLS: Record<MoreShell, string[]> = {
  tcsh: ['tcsh'],
  csh: ['csh', 'bsd-csh'],
  xonsh: ['xonsh'],
  nu: ['nu'],
  elvish: ['elvish'],
};

/** The shell's path, as $SHELL names a login shell (tmux runs $SHELL as one for a new window). */
export const shellPath = (shell: MoreShell) => which.sync(shell);

/**
 * Environment that keeps a shell's start from writing state into the home (xonsh's caches and
 * history, Elvish's database and its daemon's socket): all into `scratch`.
 */
export const quietEnv = (shell: MoreShell, scratch: string): Record<string, string> =>
  shell === 'xonsh' ? { XDG_DATA_HOME: scratch } : shell === 'elvish' ? { XDG_STATE_HOME: scratch, XDG_RUNTIME_DIR: scratch } : {};

const joiner: Record<MoreShell, string> = { tcsh: '', csh: '', xonsh: '\n', nu: '; ', elvish: '' };

/**
 * Start `shell` once in one of its verify modes (as envset would: the record's argv, stdin and
 * argv0) and read what printenv gets for each name: the value, or undefined when it is not set.
 * Throws with the shell's stderr when a probe gives no answer.
 */
export async function readBackMore(
  h: TempHome,
  shell: MoreShell,
  names: readonly string[],
  options: { mode?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<(string | undefined)[]> {
  const record = SHELLS[shell as ShellId];
  const mode = record.verify.find((m) => m.mode === (options.mode ?? record.verify[0]!.mode));
  if (!mode) throw new Error(`${shell} has no verify mode ${options.mode}`);
  // Typed into a terminal, a few probes per start: more than its 4 KiB input queue at once can
  // stall `script` and the shell, each waiting for the other.
  const size = mode.terminal ? 10 : 100;
  const values: (string | undefined)[] = [];
  for (let at = 0; at < names.length; at += size)
    values.push(...(await readChunk(h, shell, mode, names.slice(at, at + size), at, options)));
  return values;
}

async function readChunk(
  h: TempHome,
  shell: MoreShell,
  mode: VerifyMode,
  names: readonly string[],
  offset: number,
  options: { env?: Record<string, string>; timeoutMs?: number },
): Promise<(string | undefined)[]> {
  const record = SHELLS[shell as ShellId];
  const scratch = await mkdtemp(join(tmpdir(), 'envset-readback-'));
  try {
    const tag = scratch.slice(-6);
    const pairs = names.map((_, i) => ({ begin: `__rb${offset + i}_${tag}_begin__`, end: `__rb${offset + i}_${tag}_end__` }));
    const probes = names.map((name, i) => record.probe(name, pairs[i]!.begin, pairs[i]!.end)).join(joiner[shell]);
    // envset's own way of starting it (src/spawn): a terminal where the record asks for one.
    const r = await runCaptured(shell, mode.args(probes), {
      env: { ...h.env, ...quietEnv(shell, scratch), ...options.env },
      cwd: h.home,
      timeoutMs: options.timeoutMs ?? 120_000,
      ...(mode.input && { input: mode.input(probes) }),
      ...(mode.argv0 && { argv0: mode.argv0 }),
      ...(mode.terminal && { terminal: true }),
    });
    const out = r.stdout;
    return pairs.map(({ begin, end }, i) => {
      const from = out.lastIndexOf(begin);
      const to = from < 0 ? -1 : out.indexOf(end, from + begin.length);
      const answer = to < 0 ? undefined : readProbe(out.subarray(from + begin.length, to).toString('utf8'));
      if (!answer || answer.status === 'failed') {
        const said = `${r.stderr.toString('utf8')}${mode.terminal ? out.toString('utf8').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '') : ''}`;
        throw new Error(
          `${shell} ${mode.mode}: no answer for ${names[i]} (exit ${r.exitCode}${r.timedOut ? ', timed out' : ''}); it said: ${said.slice(-1500)}`,
        );
      }
      return answer.value;
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A new terminal: a tmux server of its own (socket and everything else in the temp root, no
 * config file) whose first window runs the login shell `SHELL` as tmux starts one (argv0 `-name`),
 * with the temp home's environment and nothing else. The person types; the test reads the screen.
 */
export class Terminal {
  private constructor(
    private readonly h: TempHome,
    private readonly socket: string,
    private readonly env: Record<string, string>,
  ) {}

  static async open(h: TempHome, shell: MoreShell, env: Record<string, string> = {}): Promise<Terminal> {
    const run = join(h.root, `run-${shell}`);
    await mkdir(run, { recursive: true, mode: 0o700 });
    // Elvish finds its storage daemon by a socket under XDG_RUNTIME_DIR: one of the test's own.
    const full = { ...h.env, SHELL: shellPath(shell), TERM: 'xterm-256color', XDG_RUNTIME_DIR: run, ...env };
    const t = new Terminal(h, join(h.root, `tmux-${shell}.sock`), full);
    await t.tmux(['-f', '/dev/null', 'new-session', '-d', '-x', '200', '-y', '50', '-s', 'envset']);
    return t;
  }

  private tmux(args: string[]) {
    return execa('tmux', ['-S', this.socket, ...args], { env: this.env, extendEnv: false, stdin: 'ignore', cwd: this.h.home });
  }

  /** What the screen shows now (and the lines scrolled off it). */
  async screen(): Promise<string> {
    return String((await this.tmux(['capture-pane', '-p', '-J', '-S', '-500', '-t', 'envset'])).stdout);
  }

  /** Type text, then Enter. */
  async typeLine(text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', 'envset', '-l', '--', text]);
    await this.tmux(['send-keys', '-t', 'envset', 'Enter']);
  }

  /** Poll until check says yes, or fail with the screen after the deadline (generous: the machine is busy). */
  async waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await check();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen was:\n${await this.screen()}`);
      await sleep(100);
    }
  }

  /** Wait until the screen shows text. */
  async waitForText(text: string, timeoutMs?: number): Promise<string> {
    return this.waitFor(
      JSON.stringify(text),
      async () => {
        const screen = await this.screen();
        return screen.includes(text) ? screen : undefined;
      },
      timeoutMs,
    );
  }

  /**
   * Type a command that writes its output to a file in the temp root (then renamed, so a partly
   * written file is never read), and return the file's bytes once it is there.
   */
  async output(shell: MoreShell, command: string, label: string): Promise<Buffer> {
    const file = join(this.h.root, `out-${label}`);
    const redirect = shell === 'nu' ? `o> ${file}.tmp` : `> ${file}.tmp`;
    // Each shell's own words for "then rename": `mv` is a program in all but Nushell, where it is a builtin doing the same.
    await this.typeLine(`${command} ${redirect}; mv ${file}.tmp ${file}`);
    return this.waitFor(`${file} from ${command}`, async () => readFile(file).catch(() => undefined));
  }

  async close(): Promise<void> {
    await this.tmux(['kill-server']).catch(() => undefined);
  }
}
