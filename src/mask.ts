/** Values shorter than this show as `****` only; from here on, 8 shown characters are at most a third. */
export const MASK_MIN_LENGTH = 24;

/**
 * How a secret is shown anywhere envset prints: first and last 4 characters, and only when the
 * value is long enough (24+) that this leaves most of it hidden; shorter values as `****`.
 */
export function mask(value: string): string {
  const chars = [...value];
  if (chars.length < MASK_MIN_LENGTH) return '****';
  // Printable ASCII (! to ~) is all letters, digits, punctuation and symbols; only other characters
  // need the Unicode property classes, whose first use costs a few ms of start-up.
  const shown = (c: string) => (c >= '!' && c <= '~') || (c > '\x7f' && /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(c));
  const visible = (part: string[]) => part.map((c) => (shown(c) ? c : '?')).join('');
  return `${visible(chars.slice(0, 4))}…${visible(chars.slice(-4))}`;
}

/** Replace every occurrence of each secret in text by its mask (defence in depth for diffs, backups, errors). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(mask(secret));
  }
  return out;
}

/** Names that usually hold a secret (OPENAI_API_KEY, GITHUB_TOKEN, DB_PASSWORD...), whoever manages them. */
const SECRET_NAME = '[A-Za-z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)[A-Za-z0-9_]*';

/**
 * Mask the value of every assignment to one of `names` in text, written by hand or commented out
 * by --adopt (`export NAME=...`, `NAME=...`, `set -gx NAME ...`, `$env:NAME = ...`, `setenv NAME ...`),
 * so a diff never shows an old hand-written key in clear either. With `secretNames`, also every
 * assignment to a name that looks like it holds a secret: a diff's context lines show a person's
 * startup file, and a key pasted there by hand must not end up in a terminal log either.
 */
export function maskAssignments(text: string, names: readonly string[], options: { secretNames?: boolean } = {}): string {
  const alts = names.map((n) => n.replace(/[^A-Za-z0-9_]/g, ''));
  if (options.secretNames) alts.push(SECRET_NAME);
  if (alts.length === 0) return text;
  const alt = alts.join('|');
  const assignment = new RegExp(
    `((?:^|[\\s;:])(?:\\$env:)?(?:${alt})\\s*=\\s*|\\bset\\s+(?:-\\S+\\s+)*(?:${alt})\\s+|\\bsetenv\\s+(?:${alt})\\s+)(.+)$`,
    'gim',
  );
  return text.replace(assignment, (_, lead: string, value: string) => {
    const trimmed = value.trimEnd();
    const unquoted = trimmed.replace(/^(['"])(.*)\1$/s, '$2');
    return `${lead}${mask(unquoted)}${value.slice(trimmed.length)}`;
  });
}
