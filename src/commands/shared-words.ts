import type { Context } from '../context.js';
import { shellFromPath, type ShellId } from '../shells/index.js';

/** The sentence that tells a person how to use the variable now. */
export function nextStep(ctx: Context, shells: readonly ShellId[], account?: string): string {
  // Acting for another user: loading it into this (root's) shell would be wrong.
  if (account) return `${account}'s new terminals and logins see it; nothing to do in this shell.`;
  const current = shellFromPath(ctx.env.SHELL) ?? shells[0];
  switch (current) {
    case 'fish':
      return 'Open a new terminal, or load it into this one now: envset env --shell fish | source';
    case 'pwsh':
    case 'windows':
      return 'Open a new terminal, or load it into this one now: envset env --shell pwsh | Out-String | Invoke-Expression';
    default:
      return 'Open a new terminal, or load it into this one now: eval "$(envset env)"';
  }
}
