// argv -> the command table -> one printed result and one exit code. The only place that prints
// a final result or calls process.exit.

import { checkArguments, parseLine } from './commands/parse.js';
import type { Input, Outcome } from './commands/table.js';
import { type Context, isTerminal, print, processContext, terminalWidth, useColor } from './context.js';
import { EnvsetError, EXIT, usageError } from './errors.js';
import { renderFailures, renderWarnings } from './render.js';
import { JSON_VERSION } from './reports.js';
import { visible, visibleReport } from './visible.js';

const SHORT_USAGE = `Usage: envset set NAME --value-stdin | envset unset NAME | envset status | envset --help\n`;

export async function main(argv: string[], ctx: Context): Promise<number> {
  let json = argv.includes('--json');
  const out = (text: string) => print(ctx, 'stdout', text);
  const err = (text: string) => print(ctx, 'stderr', text);
  try {
    const { command, positionals, flags } = parseLine(argv);
    json = flags.json === true;
    const noColor = flags['no-color'] === true;
    const color = (stream: 'stdout' | 'stderr') => !json && useColor(ctx, stream, noColor);
    // Asked only when a prompt could follow: finding out may build the stdin and stdout streams.
    const interactive = () => isTerminal(ctx, 'stdin') && isTerminal(ctx, 'stdout');
    if (flags.version && !command) {
      out(`${await version()}\n`);
      return EXIT.ok;
    }
    if (flags.help) {
      const { overview, commandHelp } = await import('./commands/help.js');
      const style = { color: color('stdout'), home: '', width: terminalWidth(ctx) ?? 80 };
      out(command ? commandHelp(command, style) : overview(style));
      return EXIT.ok;
    }
    if (!command) {
      if (!interactive()) {
        err(
          `envset: no terminal: the interactive setup needs one; scripts use envset set NAME --value-stdin (see envset --help).\n${SHORT_USAGE}`,
        );
        return EXIT.usage;
      }
      if (positionals.length) throw usageError(`Unknown command "${positionals[0]}" (see envset --help).`);
      const { runInteractive } = await import('./commands/interactive.js');
      const { summary, exitCode } = await runInteractive(ctx, { color: color('stdout') });
      out(summary);
      return exitCode;
    }
    checkArguments(command, positionals);
    const width = json ? undefined : terminalWidth(ctx);
    const style = (report: object) => ({ color: color('stdout'), home: 'home' in report ? String(report.home) : '', width });
    // At a terminal, what is done is shown as it is done; a pipe, --json and --quiet get none of it.
    const progress =
      command.render && !json && !flags.quiet && isTerminal(ctx, 'stdout')
        ? new (await import('./progress.js')).Progress(ctx, { color: color('stdout'), home: '', width }, (r) =>
            command.render!(r, style(r)),
          )
        : undefined;
    const input: Input = {
      positionals,
      flags,
      interactive,
      color: color('stdout'),
      width,
      progress,
      confirm: async (summary, question = 'Go ahead?') => {
        if (json || flags.yes || !interactive()) return true;
        out(summary);
        const { askConfirm } = await import('./prompts.js');
        return askConfirm(ctx, question, { color: color('stdout') });
      },
    };
    let outcome: Outcome;
    try {
      outcome = await command.run(ctx, input);
    } finally {
      progress?.end();
    }
    if (outcome.text !== undefined) out(outcome.text);
    // Whatever of it came from files or shells is shown as text, never as terminal control.
    const report = outcome.report && visibleReport(outcome.report);
    if (report) {
      if (!json && report.warnings.length) err(renderWarnings(report.warnings, { color: color('stderr'), home: '' }));
      if (json) out(`${JSON.stringify({ version: JSON_VERSION, ...report }, null, 2)}\n`);
      else if (!flags.quiet && command.render) out(command.render(report, { ...style(report), shown: progress?.shown }));
      else if (flags.quiet) err(renderFailures(report, { color: color('stderr'), home: 'home' in report ? String(report.home) : '' }));
    }
    return outcome.exitCode;
  } catch (error) {
    if (!(error instanceof EnvsetError)) throw error;
    const message = visible(error.message);
    if (json) out(`${JSON.stringify({ version: JSON_VERSION, error: message, exitCode: error.exitCode }, null, 2)}\n`);
    err(`envset: ${message}\n`);
    return error.exitCode;
  }
}

declare const ENVSET_VERSION: string | undefined; // set by src/build.mjs

async function version(): Promise<string> {
  if (typeof ENVSET_VERSION === 'string') return ENVSET_VERSION;
  const { readFile } = await import('node:fs/promises');
  return (JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

// Run when executed (the bin), not when imported by tests.
const ctx = processContext();
if (ctx.env.ENVSET_NO_MAIN !== '1') {
  main(process.argv.slice(2), ctx).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // A bug, not a user error: one line, and the stack only when asked for.
      const detail = ctx.env.ENVSET_DEBUG && error instanceof Error ? error.stack : error instanceof Error ? error.message : String(error);
      if (ctx.applied?.length) {
        // The change is in place (exit 1 would say it could not be applied): say what it was.
        const lines = ctx.applied.map((line) => `  ${line}\n`).join('');
        print(
          ctx,
          'stderr',
          `envset: unexpected error after the change was applied: ${detail}\nApplied:\n${lines}Check it: envset status --verify\n`,
        );
        process.exitCode = EXIT.unverified;
        return;
      }
      print(ctx, 'stderr', `envset: unexpected error: ${detail}\n`);
      process.exitCode = EXIT.apply;
    },
  );
}
