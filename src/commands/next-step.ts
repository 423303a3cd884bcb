import type { Context } from '../context.js';
import { notSeen, type VerifyResult } from '../reports.js';
import { shellFromPath } from '../shells/index.js';
import { TARGETS, type TargetId } from '../targets/index.js';

/**
 * The sentence that tells a person what to do next: after a failed check, about the failure;
 * otherwise how to use the variable now.
 */
export function nextStep(
  ctx: Context,
  targets: readonly TargetId[],
  account: string | undefined,
  verify: readonly VerifyResult[],
  name: string,
): string {
  const failed = verify.filter(notSeen);
  if (failed.length) {
    const again = `then check again: envset verify ${name}`;
    if (failed.every((r) => r.status === 'timeout'))
      return `A startup file kept the shell from answering in time: find what it waits for (or give it longer with --verify-timeout MS), ${again}`;
    if (failed.some((r) => r.definedAt?.length))
      return `A hand-written line sets ${name} after envset's hook (named above): remove it or run envset set ${name} --adopt, ${again}`;
    return `Fix what the check found (above), ${again}`;
  }
  // Acting for another user: loading it into this (root's) shell would be wrong.
  if (account) return `${account}'s new terminals and logins see it; nothing to do in this shell.`;
  const current = shellFromPath(ctx.env.SHELL) ?? targets[0];
  if (current && TARGETS[current]?.kind === 'registry') return 'New programs you start see it; open a new terminal to have it there.';
  return `Open a new terminal, or load it into this one now: ${loadCommand(current)}`;
}

/**
 * The command that loads what envset keeps (variables and folders on PATH) into the running shell
 * `current` (the caller's $SHELL), the same words after set and after path add.
 */
export function loadCommand(current: TargetId | undefined): string {
  const target = current ? TARGETS[current] : undefined;
  if (target?.kind === 'shell' && target.loadNow) return target.loadNow;
  switch (current) {
    case 'fish':
      return 'envset env --shell fish | source';
    case 'pwsh':
      return 'envset env --shell pwsh | Out-String | Invoke-Expression';
    default:
      return 'eval "$(envset env)"';
  }
}
