// What a command has done, printed as it is done, for a person at a terminal: the files of an
// applied change first, then each check in a fresh shell as it finishes, under a live line that
// names the shells still running (a spinner, as the interactive setup has). cli.ts makes one only
// when stdout is a terminal and neither --json nor --quiet was given: a pipe gets the report once,
// at the end, as before. The final report then leaves out what was shown here (Style.shown).

import { type Context, print } from './context.js';
import { paint, renderVerify, type Style, sharedTail } from './render.js';
import type { VerifyResult } from './reports.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** What verification tells the progress while it runs (VerifyOptions.progress). */
export interface CheckProgress {
  /** One shell in one mode (or the registry) is done. */
  result(result: VerifyResult): void;
  /** Every check of this target is done. */
  done(target: string): void;
}

export class Progress {
  /** What was printed here, so the final report leaves it out. */
  readonly shown = { head: false, checks: false };
  private running: string[] = [];
  private label = '';
  private frame = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lineOut = false;
  /** Keep each result's label column as wide as the widest that can come. */
  private width = 0;
  /** Closing advice already said (the same words after each timeout are said once). */
  private readonly tails = new Set<string>();

  constructor(
    private readonly ctx: Context,
    private readonly style: Style,
    /** The command's own renderer, for the head (a report without checks and next step). */
    private readonly renderHead: (report: object) => string,
  ) {}

  /** The headline and files of an applied change, at once. */
  head(report: object): void {
    this.write(this.renderHead(report));
    this.shown.head = true;
  }

  /**
   * Checks start for `targets`, each with its labels (`bash interactive`, ...); `title` is printed
   * above the results, `about` names what is checked on the live line. With `transient`, only the
   * live line is shown, and it is gone at the end (status prints the whole picture after it).
   */
  checks(
    targets: readonly { id: string; labels: readonly string[] }[],
    options: { title?: string; about?: string; transient?: boolean } = {},
  ): CheckProgress {
    this.running = targets.map((t) => t.id);
    this.label = options.about ?? 'checking in fresh shells';
    this.width = Math.max(this.width, ...targets.flatMap((t) => t.labels.map((l) => [...l].length)));
    if (!options.transient) {
      if (options.title) this.write(`${paint(this.style, 'bold', options.title)}\n`);
      this.shown.checks = true;
    }
    this.drawLine();
    this.timer ??= setInterval(() => this.drawLine(), 80);
    this.timer.unref(); // never what keeps envset running
    return {
      result: (result) => {
        if (options.transient) return;
        this.clearLine();
        const tail = sharedTail(result.detail);
        const shown = tail && this.tails.has(tail) ? { ...result, detail: result.detail.slice(0, -(tail.length + 3)) } : result;
        if (tail) this.tails.add(tail);
        this.write(`${renderVerify([shown], this.style, this.width).join('\n')}\n`);
        this.drawLine();
      },
      done: (target) => {
        this.running = this.running.filter((id) => id !== target);
        this.drawLine();
      },
    };
  }

  /** The checks are over: the live line goes. */
  end(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.running = [];
    this.clearLine();
  }

  private drawLine(): void {
    this.clearLine();
    if (this.running.length === 0) return;
    const spinner = paint(this.style, 'cyan', FRAMES[this.frame++ % FRAMES.length]!);
    const text = `${this.label}: ${this.running.join(', ')}…`;
    // One row, never wrapped: \r and a clear could not take back a second row.
    const columns = (this.ctx.stdout as { columns?: number }).columns || 80;
    const room = Math.max(10, columns - 5);
    const fitted = [...text].length > room ? `${[...text].slice(0, room - 1).join('')}…` : text;
    this.write(`  ${spinner} ${paint(this.style, 'dim', fitted)}`);
    this.lineOut = true;
  }

  private clearLine(): void {
    if (!this.lineOut) return;
    this.write('\r\x1b[2K');
    this.lineOut = false;
  }

  private write(text: string): void {
    print(this.ctx, 'stdout', text);
  }
}
