// argv -> options -> command -> one printed result and one exit code. The only place that
// prints a final result or calls process.exit.
import { parseArgs } from 'node:util';
import { isTerminal, print, processContext, type Context } from './context.js';
import { EnvsetError, EXIT, usageError } from './errors.js';
import { USAGE } from './help.js';
import type { Style } from './report.js';
import type { ValueSource } from './value.js';

const OPTIONS = {
  'value-stdin': { type: 'boolean' },
  'from-env': { type: 'string' },
  value: { type: 'string' },
  shell: { type: 'string' },
  home: { type: 'string' },
  profile: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  'dry-run': { type: 'boolean' },
  diff: { type: 'boolean' },
  json: { type: 'boolean' },
  'no-verify': { type: 'boolean' },
  verify: { type: 'boolean' },
  'verify-timeout': { type: 'string' },
  backup: { type: 'boolean' },
  adopt: { type: 'boolean' },
  force: { type: 'boolean' },
  'allow-empty': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  'no-color': { type: 'boolean' },
  gemini: { type: 'boolean' },
  'api-base': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

type Flags = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(`${(error as Error).message.split('\n')[0]} (see envset --help)`);
  }
}

/** Which options each command takes; anything else is a usage error rather than silently ignored. */
const ALLOWED: Record<string, readonly (keyof typeof OPTIONS)[]> = {
  set: ['value-stdin', 'from-env', 'value', 'shell', 'home', 'profile', 'yes', 'dry-run', 'diff', 'json', 'no-verify', 'verify-timeout', 'backup', 'adopt', 'force', 'allow-empty', 'quiet', 'no-color'],
  unset: ['home', 'yes', 'dry-run', 'diff', 'json', 'backup', 'quiet', 'no-color'],
  status: ['home', 'json', 'quiet', 'no-color', 'verify', 'verify-timeout'],
  verify: ['shell', 'home', 'json', 'verify-timeout', 'quiet', 'no-color', 'gemini', 'api-base'],
  env: ['shell', 'home'],
};

export async function main(argv: string[], ctx: Context): Promise<number> {
  let json = argv.includes('--json');
  const out = (text: string) => print(ctx, 'stdout', text);
  const err = (text: string) => print(ctx, 'stderr', text);
  try {
    const { values: flags, positionals } = parse(argv);
    json = flags.json === true;
    if (flags.version) return out(`${await version()}\n`), EXIT.ok;
    if (flags.help) return out(USAGE), EXIT.ok;
    const [command, ...args] = positionals;
    if (command === undefined) {
      if (!(isTerminal(ctx, 'stdin') && isTerminal(ctx, 'stdout'))) {
        err(USAGE);
        return EXIT.usage;
      }
      const extra = Object.keys(flags).filter((key) => key !== 'no-color');
      if (extra.length) throw usageError(`envset without a command takes only --no-color, not --${extra[0]} (see envset --help).`);
      const { runInteractive } = await import('./commands/interactive.js');
      const { summary, exitCode } = await runInteractive(ctx, { color: useColor(ctx, flags) });
      out(summary);
      return exitCode;
    }
    const name = command === 'remove' ? 'unset' : command;
    const allowed = ALLOWED[name];
    if (!allowed) throw usageError(`Unknown command "${command}" (see envset --help).`);
    for (const key of Object.keys(flags) as (keyof typeof OPTIONS)[]) {
      if (!allowed.includes(key)) throw usageError(`envset ${name} does not take --${key}.`);
    }
    const style: Style = { color: useColor(ctx, flags), home: '' };
    const timeout = verifyTimeout(flags);
    // Asked only when a prompt could follow: finding out may build the stdin and stdout streams.
    const interactive = () => isTerminal(ctx, 'stdin') && isTerminal(ctx, 'stdout');
    const confirm = async (summary: string) => {
      if (json || !interactive()) return true;
      out(summary);
      const { askConfirm } = await import('./prompts.js');
      return askConfirm(ctx, 'Go ahead?');
    };
    const report = await import('./report.js');
    const finish = (result: object & { warnings: string[] }, human: () => string, code: number) => {
      if (!json && result.warnings.length) err(report.renderWarnings(result.warnings, { ...style, color: useColor(ctx, flags, 'stderr') }));
      if (json) out(`${JSON.stringify(result, null, 2)}\n`);
      else if (!flags.quiet) out(human());
      return code;
    };

    switch (name) {
      case 'set': {
        const [variable, ...extra] = args;
        if (!variable || extra.length) throw usageError('Usage: envset set NAME [--value-stdin | --from-env VAR | --value V] [options]');
        const { runSet } = await import('./commands/set.js');
        const { report: result, exitCode } = await runSet(ctx, {
          name: variable,
          source: valueSource(flags, interactive),
          shell: flags.shell ?? 'auto',
          home: flags.home,
          profile: flags.profile,
          yes: flags.yes === true,
          dryRun: flags['dry-run'] === true,
          diff: flags.diff === true,
          verify: flags['no-verify'] !== true,
          verifyTimeout: timeout,
          backup: flags.backup === true,
          adopt: flags.adopt === true,
          force: flags.force === true,
          allowEmpty: flags['allow-empty'] === true,
          confirm,
          askValue: async () => (await import('./prompts.js')).askSecret(ctx, `Value for ${variable} (hidden):`),
        });
        return finish(result, () => report.renderChange(result, { ...style, home: homeFor(ctx, flags) }), exitCode);
      }
      case 'unset': {
        if (args.length === 0) throw usageError('Usage: envset unset NAME... [options]');
        const { runUnset } = await import('./commands/unset.js');
        const { report: result, exitCode } = await runUnset(ctx, {
          names: args,
          home: flags.home,
          yes: flags.yes === true,
          dryRun: flags['dry-run'] === true,
          diff: flags.diff === true,
          backup: flags.backup === true,
          confirm,
        });
        return finish(result, () => report.renderChange(result, { ...style, home: homeFor(ctx, flags) }), exitCode);
      }
      case 'status': {
        const { runStatus, statusExitCode } = await import('./commands/status.js');
        const result = await runStatus(ctx, { names: args, home: flags.home, verify: flags.verify === true, timeoutMs: timeout });
        return finish(result, () => report.renderStatus(result, { ...style, home: result.home }), statusExitCode(result));
      }
      case 'verify': {
        const [variable, ...extra] = args;
        if (!variable || extra.length) throw usageError('Usage: envset verify NAME [--shell LIST] [--gemini [--api-base URL]]');
        const { runVerify, renderVerifyReport } = await import('./commands/verify.js');
        const { report: result, exitCode } = await runVerify(ctx, {
          name: variable,
          shell: flags.shell,
          home: flags.home,
          timeoutMs: timeout,
          gemini: flags.gemini === true,
          apiBase: flags['api-base'],
        });
        return finish(result, () => renderVerifyReport(result, style), exitCode);
      }
      case 'env': {
        if (args.length) throw usageError('Usage: envset env [--shell S]');
        const { runEnv } = await import('./commands/env.js');
        out(await runEnv(ctx, { shell: flags.shell, home: flags.home }));
        return EXIT.ok;
      }
    }
    throw usageError(`Unknown command "${command}".`);
  } catch (error) {
    if (!(error instanceof EnvsetError)) throw error;
    if (json) out(`${JSON.stringify({ error: error.message, exitCode: error.exitCode }, null, 2)}\n`);
    err(`envset: ${error.message}\n`);
    return error.exitCode;
  }
}

function valueSource(flags: Flags, interactive: () => boolean): ValueSource {
  const given = [flags['value-stdin'] && 'stdin', flags['from-env'] !== undefined && 'env', flags.value !== undefined && 'argv'].filter(Boolean);
  if (given.length > 1) throw usageError('Give the value one way only: --value-stdin, --from-env VAR or --value V.');
  if (flags['value-stdin']) return { kind: 'stdin' };
  if (flags['from-env'] !== undefined) return { kind: 'env', variable: flags['from-env'] };
  if (flags.value !== undefined) return { kind: 'argv', value: flags.value };
  if (interactive()) return { kind: 'prompt' };
  throw usageError('No value given and no terminal to ask on: use --value-stdin, --from-env VAR or --value V.');
}

function verifyTimeout(flags: Flags): number {
  const raw = flags['verify-timeout'];
  if (raw === undefined) return 5000;
  const ms = Number(raw);
  if (!/^\d+$/.test(raw) || ms < 1 || ms > 600_000) throw usageError('--verify-timeout takes a number of milliseconds between 1 and 600000.');
  return ms;
}

function useColor(ctx: Context, flags: Flags, stream: 'stdout' | 'stderr' = 'stdout'): boolean {
  return isTerminal(ctx, stream) && !flags['no-color'] && !flags.json && ctx.env.NO_COLOR === undefined && ctx.env.TERM !== 'dumb';
}

const homeFor = (ctx: Context, flags: Flags) => flags.home ?? (ctx.platform === 'win32' ? ctx.env.USERPROFILE : ctx.env.HOME) ?? '';

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
      print(ctx, 'stderr', `envset: unexpected error: ${detail}\n`);
      process.exitCode = EXIT.apply;
    },
  );
}
