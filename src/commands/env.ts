// envset env [--shell S]: the lines that load the managed variables into the current shell.
// The one command that prints values, and only to stdout, for eval / source / Invoke-Expression.
import type { Context } from '../context.js';
import { usageError } from '../errors.js';
import { SHELL_IDS, SHELLS, type ShellId, shellFromPath } from '../shells/index.js';
import { pathSection } from '../shells/path-lines.js';
import { shownArgument } from '../shown.js';
import { openHome, readStore } from './flow.js';
import { nearest } from './parse.js';
import type { Input, Outcome } from './table.js';

export async function envCommand(ctx: Context, input: Input): Promise<Outcome> {
  const { flags } = input;
  const requested = typeof flags.shell === 'string' ? flags.shell.toLowerCase() : undefined;
  // The windows target has no shell of its own: PowerShell is the shell of a Windows terminal.
  const named = requested === 'windows' ? 'pwsh' : requested;
  if (named !== undefined && !(SHELL_IDS as readonly string[]).includes(named)) {
    throw usageError(
      `Unknown shell ${shownArgument(String(flags.shell), nearest(named, SHELL_IDS) !== undefined)}: use one of ${SHELL_IDS.join(', ')}.`,
    );
  }
  const id: ShellId = (named as ShellId | undefined) ?? shellFromPath(ctx.env.SHELL) ?? (ctx.platform === 'win32' ? 'pwsh' : 'sh');
  const { family } = SHELLS[id];
  const { loc } = await openHome(ctx, typeof flags.home === 'string' ? flags.home : undefined);
  const { vars, state } = await readStore(loc);
  if (family.loadText) return { text: family.loadText(vars), exitCode: 0 };
  // The folders envset keeps on PATH too, as the env file has them: `eval "$(envset env)"` after path add loads them.
  const lines = [...vars.map((v) => family.envLine(v.name, v.value)), ...pathSection(family.id, state.paths, ctx.platform)];
  return { text: lines.map((line) => `${line}\n`).join(''), exitCode: 0 };
}
