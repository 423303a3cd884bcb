/** Exit codes of SPEC.md. */
export const EXIT = {
  ok: 0,
  apply: 1,
  usage: 2,
  unverified: 3,
  cancelled: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Every failure that reaches the user: one sentence and the exit code it maps to. */
export class EnvsetError extends Error {
  override readonly name = 'EnvsetError';
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
  }
}

/** Bad usage or input: nothing was changed (exit 2). */
export const usageError = (message: string) => new EnvsetError(EXIT.usage, message);

/** Could not apply: I/O failed, every file is as it was (exit 1). */
export const applyError = (message: string) => new EnvsetError(EXIT.apply, message);

/** The person cancelled at a prompt: nothing was changed (exit 130). */
export const cancelled = () => new EnvsetError(EXIT.cancelled, 'Cancelled; nothing was changed.');

/** The reason part of a Node.js I/O error, in words. */
export function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such file or directory';
    case 'ENOTDIR':
      return 'a path component is not a folder';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
}
