// Single-quoted literals per shell: inside single quotes nothing expands, so the only
// characters that need care are the quote itself (and, for fish, the backslash).

/** POSIX sh, bash, zsh, dash, ksh: `'...'`, a `'` becomes `'\''`. */
export const quotePosix = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

/** fish: `'...'`, `\` becomes `\\` and `'` becomes `\'`. */
export const quoteFish = (value: string) => `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;

/** PowerShell: `'...'`, every single quote (ASCII and U+2018..U+201B, which PowerShell also treats as quotes) doubled. */
export const quotePwsh = (value: string) => `'${value.replace(/['\u2018-\u201b]/g, (c) => c + c)}'`;
