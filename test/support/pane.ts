// A real pseudo-terminal for the built CLI: tmux runs envset on a temp home in a pane of its own;
// a test types with send-keys and reads the screen with capture-pane, polling with a deadline.
// Used by test/e2e/pty.test.ts (the interactive setup) and test/e2e/progress.test.ts.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { binFor, type TempHome } from './home.js';

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One tmux server of our own (socket in the temp root, no config file) running envset in a 120x40 pane. */
let panes = 0;

export class Pane {
  /** Every screen captured, for the leak check. */
  readonly screens: string[] = [];
  private constructor(
    private readonly h: TempHome,
    private readonly socket: string,
    private readonly exitFile: string,
  ) {}

  static async start(
    h: TempHome,
    env: Record<string, string> = {},
    args: string[] = [],
    size: [number, number] = [120, 40],
  ): Promise<Pane> {
    // A server of its own each time: one home may see several panes, one after another.
    const n = ++panes;
    const socket = join(h.root, `tmux-${n}.sock`);
    const exitFile = join(h.root, `envset-${n}.exit`);
    // env -i: envset sees only the temp home's variables, as a person's login would give them.
    const vars = Object.entries({ ...h.env, TERM: 'xterm-256color', ...env }).map(([k, v]) => quote(`${k}=${v}`));
    const script = `env -i ${vars.join(' ')} ${quote(process.execPath)} ${quote(binFor(env))}${args.map((a) => ` ${quote(a)}`).join('')}; code=$?; echo "ENVSET-EXIT=$code"; echo $code > ${quote(exitFile)}; sleep 600`;
    const pane = new Pane(h, socket, exitFile);
    await pane.tmux([
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-x',
      String(size[0]),
      '-y',
      String(size[1]),
      '-s',
      'envset',
      'sh',
      '-c',
      script,
    ]);
    return pane;
  }

  /** tmux itself also runs in the temp home, so it reads no real dotfile. */
  private tmux(args: string[]) {
    return execa('tmux', ['-S', this.socket, ...args], {
      env: { HOME: this.h.home, PATH: this.h.env.PATH!, TERM: 'xterm-256color' },
      extendEnv: false,
      stdin: 'ignore',
    });
  }

  /** The pane's text; with `visible`, only what is on the screen now (no scrolled-off history). */
  async screen(options: { colors?: boolean; visible?: boolean } = {}): Promise<string> {
    const result = await this.tmux([
      'capture-pane',
      '-p',
      ...(options.visible ? [] : ['-J', '-S', '-200']),
      '-t',
      'envset',
      ...(options.colors ? ['-e'] : []),
    ]);
    const text = String(result.stdout);
    this.screens.push(text);
    return text;
  }

  /** Poll the screen until it matches, or fail with the last screen after the deadline. */
  async waitFor(pattern: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = await this.screen();
      if (typeof pattern === 'string' ? last.includes(pattern) : pattern.test(last)) return last;
      await sleep(50);
    }
    throw new Error(`timed out waiting for ${String(pattern)}; the screen was:\n${last}`);
  }

  async type(text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', 'envset', '-l', '--', text]);
  }

  async keys(...keys: string[]): Promise<void> {
    await this.tmux(['send-keys', '-t', 'envset', ...keys]);
  }

  /** envset's exit code, once it has exited. */
  async exitCode(timeoutMs = 20_000): Promise<number> {
    await this.waitFor(/ENVSET-EXIT=\d+/, timeoutMs);
    return Number((await readFile(this.exitFile, 'utf8')).trim());
  }

  async stop(): Promise<void> {
    await this.tmux(['kill-server']).catch(() => undefined);
  }
}
