import { fstatSync, readSync, statSync, writeSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { usageError } from './errors.js';
import { platformOverride } from './seams.js';

/** Everything a command reads from the outside world, passed in so tests can substitute it. */
export interface Context {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  cwd: string;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Our uid, undefined on Windows. */
  uid: number | undefined;
  /**
   * What this run has applied so far (each changed file as "action ~/path"), filled in once a
   * change is in place: an unexpected error after it says what was applied, never "could not apply".
   */
  applied?: string[];
}

type StreamName = 'stdin' | 'stdout' | 'stderr';
const FD: Record<StreamName, number> = { stdin: 0, stdout: 1, stderr: 2 };

/** Contexts of the real process, with the streams that were built so far. */
const real = new WeakMap<Context, Set<StreamName>>();

/**
 * The running process. Its stdin, stdout and stderr are built on first use: building one costs a
 * few ms on a pipe (about 0.15x of a bare `node -e 0`), and most runs only print a line or two.
 */
export function processContext(): Context {
  const built = new Set<StreamName>();
  const ctx: Context = {
    env: process.env,
    platform: platformOverride(process.env) ?? process.platform,
    cwd: process.cwd(),
    get stdin() {
      built.add('stdin');
      return process.stdin;
    },
    get stdout() {
      built.add('stdout');
      return process.stdout;
    },
    get stderr() {
      built.add('stderr');
      return process.stderr;
    },
    uid: process.getuid?.(),
  };
  // On Windows the console needs the stream's translation, so only POSIX writes to the descriptor.
  if (process.platform !== 'win32') real.set(ctx, built);
  return ctx;
}

/** Whether a stream of the context is a terminal, without building the process's stream for a pipe or a file. */
export function isTerminal(ctx: Context, name: StreamName): boolean {
  if (real.get(ctx)?.has(name) === false) {
    try {
      const info = fstatSync(FD[name]);
      if (!info.isCharacterDevice()) return false; // a pipe or a file: no terminal
      if (info.rdev === statSync('/dev/null').rdev) return false; // `>/dev/null`, common in scripts
    } catch {
      return false; // closed
    }
  }
  return Boolean(ctx[name].isTTY);
}

/**
 * The one colour decision, for output and prompts alike: --no-color and NO_COLOR (set and not
 * empty, as no-color.org says) turn it off; FORCE_COLOR (other than 0 or false) turns it on;
 * otherwise only a terminal that is not TERM=dumb gets colour.
 */
export function useColor(ctx: Context, stream: 'stdout' | 'stderr', noColorFlag: boolean): boolean {
  if (noColorFlag || ctx.env.NO_COLOR) return false;
  const force = ctx.env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  return ctx.env.TERM !== 'dumb' && isTerminal(ctx, stream);
}

/**
 * The width to fold output at: COLUMNS when it is set to a number (at least 20 is used), else the
 * terminal's width when stdout is one; undefined in a pipe (help pages then use 80, reports fold nothing).
 */
export function terminalWidth(ctx: Context): number | undefined {
  const columns = Number(ctx.env.COLUMNS);
  if (ctx.env.COLUMNS && Number.isInteger(columns) && columns > 0) return Math.max(20, columns);
  return isTerminal(ctx, 'stdout') ? (ctx.stdout as { columns?: number }).columns || undefined : undefined;
}

/**
 * Write text to the context's stdout or stderr. For the process, straight to the descriptor while
 * its stream was never built; once something built it (a prompt), the stream, so output stays in order.
 */
export function print(ctx: Context, name: 'stdout' | 'stderr', text: string): void {
  if (real.get(ctx)?.has(name) === false) {
    let bytes = Buffer.from(text, 'utf8');
    try {
      while (bytes.length > 0) bytes = bytes.subarray(writeSync(FD[name], bytes));
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return; // nobody reads any more
      if (code !== 'EAGAIN') throw error;
      ctx[name].write(bytes); // a non-blocking descriptor that is full: the stream waits for it
      return;
    }
  }
  ctx[name].write(text);
}

/**
 * Everything on the context's stdin, up to end of file. For the process, straight from the
 * descriptor while its stream was never built (building it costs a few ms, about 0.2x of a bare
 * `node -e 0`); the stream where the descriptor does not block (EAGAIN) and on Windows.
 */
export async function readAll(ctx: Context): Promise<Buffer> {
  const chunks: Buffer[] = [];
  if (real.get(ctx)?.has('stdin') === false) {
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      let read: number;
      try {
        read = readSync(FD.stdin, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        break; // a descriptor that does not block: the rest from the stream below
      }
      if (read === 0) return Buffer.concat(chunks);
      chunks.push(chunk.subarray(0, read));
    }
  }
  for await (const chunk of ctx.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

/** Where envset reads and writes for one home. */
export interface Locations {
  home: string;
  /** True when --home chose the home: the caller's ZDOTDIR / XDG_CONFIG_HOME do not apply to it. */
  explicitHome: boolean;
  configDir: string;
  envDir: string;
  zdotdir: string;
  platform: NodeJS.Platform;
  /** PowerShell profiles as the installed shells report them (see resolvePwshProfiles). */
  pwshProfiles?: string[];
}

export function locate(ctx: Context, home: string, explicitHome: boolean): Locations {
  const abs = (value: string | undefined) => (value && isAbsolute(value) ? value : undefined);
  const windows = ctx.platform === 'win32';
  const configDir = explicitHome
    ? windows
      ? join(home, 'AppData', 'Roaming')
      : join(home, '.config')
    : ((windows ? abs(ctx.env.APPDATA) : abs(ctx.env.XDG_CONFIG_HOME)) ??
      (windows ? join(home, 'AppData', 'Roaming') : join(home, '.config')));
  return {
    home,
    explicitHome,
    configDir,
    envDir: join(configDir, 'envset'),
    zdotdir: (!explicitHome && abs(ctx.env.ZDOTDIR)) || home,
    platform: ctx.platform,
  };
}

/**
 * Node decodes argv and the environment as UTF-8, each byte that is not UTF-8 becoming U+FFFD: a
 * folder named so is another folder than the one given, so a home holding U+FFFD is refused.
 */
function notDecoded(home: string, from: string): string {
  if (!home.includes('\uFFFD')) return home;
  throw usageError(
    `${from} is not valid UTF-8 (or holds U+FFFD), so envset cannot name that folder exactly and will not guess another; nothing was changed.`,
  );
}

/** The home to act on: --home, else HOME (USERPROFILE on Windows) as os-paths reports it. */
export async function homeOf(ctx: Context, homeOption: string | undefined): Promise<{ home: string; explicit: boolean }> {
  if (homeOption) return { home: resolve(ctx.cwd, notDecoded(homeOption, '--home')), explicit: true };
  const fromEnv = ctx.platform === 'win32' ? ctx.env.USERPROFILE : ctx.env.HOME;
  if (fromEnv) return { home: notDecoded(fromEnv, ctx.platform === 'win32' ? 'USERPROFILE' : 'HOME'), explicit: false };
  // os-paths ships CommonJS types for an ESM default export; its runtime default is the OSPaths object.
  const osPaths = (await import('os-paths')).default as unknown as { home(): string | undefined };
  return { home: osPaths.home() ?? '', explicit: false };
}
