// envset env [--shell S]: the lines that load the managed variables into the current shell.
// The one command that prints values, and only to stdout, for eval / source / Invoke-Expression.
import type { Context } from '../context.js';
import { usageError } from '../errors.js';
import { FAMILIES, SHELLS, SHELL_IDS, shellFromPath, type ShellId } from '../shells/index.js';
import { openHome, readStore } from './common.js';

export async function runEnv(ctx: Context, options: { shell: string | undefined; home: string | undefined }): Promise<string> {
  const requested = options.shell?.toLowerCase();
  if (requested && !(SHELL_IDS as readonly string[]).includes(requested)) {
    throw usageError(`Unknown shell "${options.shell}": use one of bash, zsh, sh, fish, pwsh.`);
  }
  const id: ShellId = (requested as ShellId | undefined) ?? shellFromPath(ctx.env.SHELL) ?? (ctx.platform === 'win32' ? 'pwsh' : 'sh');
  const family = id === 'windows' ? FAMILIES.pwsh : SHELLS[id].family!;
  const { loc } = await openHome(ctx, options.home);
  const { vars } = await readStore(loc);
  return vars.map((v) => `${family.envLine(v.name, v.value)}\n`).join('');
}
