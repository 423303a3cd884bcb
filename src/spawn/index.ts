// The only module that starts processes. execa is loaded on first use, so commands that start
// nothing (--no-verify, --dry-run, status, env, --help) never pay for it.
export interface RunOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs: number;
  /** Run as this user (root verifying another user's home: never run their startup files as root). */
  uid?: number;
  gid?: number;
  /** Aborting it kills the process group at once (Ctrl-C while shells are checked). */
  signal?: AbortSignal;
  /** Give the child a private pipe as descriptor 3 (a shell's trace); its bytes come back in `fd3`. */
  fd3?: boolean;
  /**
   * Text to write to the child's stdin, which is then closed (a shell that reads its commands there,
   * as from a terminal). Only a probe goes this way, never a value.
   */
  input?: string;
  /** argv[0] for the child (`-csh`: a login shell by the old convention). */
  argv0?: string;
  /**
   * Give the child a terminal of its own (a pseudo-terminal through `script`, as a terminal window
   * would), for a shell whose startup files need one; `input` is then typed into it. Its output
   * comes back with the terminal's CRLF line ends turned back into LF. Not with argv0 or fd3.
   */
  terminal?: boolean;
}

export interface RunResult {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number | undefined;
  timedOut: boolean;
  /** True when options.signal was aborted before the process ended. */
  interrupted: boolean;
  /** What the child wrote to descriptor 3, when `fd3` was asked for. */
  fd3?: Buffer;
  /** Set when the process could not be started at all. */
  startError?: string;
}

/** Load what starts processes now (before envset gives up root's rights, see openHome). */
export const loadSpawner = async (): Promise<void> => void (await import('execa'));

/**
 * Run argv with stdin closed (or given `input`, then closed), in a process group of its own, capturing bytes. On timeout the whole
 * group is killed, so a startup file that starts background jobs cannot keep envset waiting.
 */
export async function runCaptured(file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const { execa } = await import('execa');
  const start = options.terminal && process.platform !== 'win32' ? inTerminal(file, args, options.env) : { file, args, env: options.env };
  const child = execa(start.file, start.args, {
    env: start.env,
    extendEnv: false,
    cwd: options.cwd,
    ...(options.fd3
      ? { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] as const }
      : options.input !== undefined
        ? { input: options.input }
        : { stdin: 'ignore' as const }),
    ...(options.argv0 !== undefined && { argv0: options.argv0 }),
    encoding: 'buffer',
    reject: false,
    detached: process.platform !== 'win32',
    cleanup: true,
    windowsHide: true,
    // Only root can start a process as someone else; envset acting for a home's owner has become
    // her already (openHome), and its children inherit her ids and groups.
    ...(options.uid !== undefined && process.geteuid?.() === 0 && { uid: options.uid, gid: options.gid }),
  });
  let timedOut = false;
  let interrupted = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, options.timeoutMs);
  const abort = () => {
    interrupted = true;
    killGroup(child.pid);
  };
  if (options.signal?.aborted) abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    const result = await child;
    const stdout = Buffer.from(result.stdout ?? new Uint8Array());
    return {
      // A terminal writes each LF as CRLF (onlcr): undoing exactly that gives back what the program wrote.
      stdout: options.terminal ? Buffer.from(stdout.toString('latin1').replaceAll('\r\n', '\n'), 'latin1') : stdout,
      stderr: Buffer.from(result.stderr ?? new Uint8Array()),
      exitCode: result.exitCode,
      timedOut,
      interrupted,
      ...(options.fd3 && { fd3: Buffer.from(((result.stdio as readonly unknown[])[3] as Uint8Array | undefined) ?? new Uint8Array()) }),
      ...(result.failed &&
        result.exitCode === undefined &&
        !timedOut &&
        !interrupted && { startError: (result.shortMessage ?? '').split('\n')[0] }),
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', abort);
    // Whatever the shell left running in its group goes too.
    if (process.platform !== 'win32') killGroup(child.pid);
  }
}

const shQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * The argv that runs `file args` on a pseudo-terminal of its own: util-linux `script` (Linux)
 * runs a command line through $SHELL, so it gets /bin/sh and one that puts the caller's SHELL back
 * and execs the program (paths and flags only: never a value); BSD `script` (macOS) takes argv.
 */
function inTerminal(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): { file: string; args: string[]; env: NodeJS.ProcessEnv } {
  if (process.platform === 'darwin') return { file: 'script', args: ['-q', '/dev/null', file, ...args], env };
  const shell = env.SHELL === undefined ? 'unset SHELL' : `SHELL=${shQuote(env.SHELL)}; export SHELL`;
  const command = `${shell}; exec ${[file, ...args].map(shQuote).join(' ')}`;
  return { file: 'script', args: ['-q', '-c', command, '/dev/null'], env: { ...env, SHELL: '/bin/sh' } };
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
