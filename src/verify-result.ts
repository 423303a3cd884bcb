// What a verification reports, apart from the code that starts shells: commands that only read
// results (status's exit code, the reports) import this without loading spawn, which or execa.
import type { ShellId } from './shells/index.js';

export type VerifyStatus = 'ok' | 'mismatch' | 'missing' | 'timeout' | 'not-installed' | 'error';

export interface VerifyResult {
  shell: ShellId;
  mode: string;
  ok: boolean;
  status: VerifyStatus;
  detail: string;
}

/** A shell that is installed and does not see the value (a shell not installed is only skipped). */
export const notSeen = (result: Pick<VerifyResult, 'ok' | 'status'>) => !result.ok && result.status !== 'not-installed';
