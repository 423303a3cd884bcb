// For file-system calls whose failure does not matter (clean-up, best-effort touches).

/** The result of the call, or undefined when it threw. */
export function attempt<T>(call: () => T): T | undefined {
  try {
    return call();
  } catch {
    return undefined;
  }
}

/** Whether the call finished without throwing. */
export function succeeds(call: () => unknown): boolean {
  try {
    call();
    return true;
  } catch {
    return false;
  }
}
