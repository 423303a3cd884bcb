// The Windows user Path (HKCU\Environment\Path) as text, pure: folders separated by `;`, kept byte
// for byte and in order. envset inserts its own entries as whole elements and takes exactly those
// out again, so the string comes back to what it was: `A;B;` with X appended is `A;B;X;`, and
// taking X out gives `A;B;` again. Unexpanded `%USERPROFILE%\...` entries stay as they are.

/** `%NAME%` replaced from env (names without regard to case); unknown names stay as written, as Windows leaves them. */
export function expandPercent(text: string, env: NodeJS.ProcessEnv): string {
  const byName = new Map(Object.entries(env).map(([k, v]) => [k.toLowerCase(), v]));
  return text.replace(/%([^%;]+)%/g, (whole, name: string) => byName.get(name.toLowerCase()) ?? whole);
}

/** Whether two Path entries name the same folder, as Windows looks them up: expanded, case-blind, with or without a trailing backslash. */
export function sameFolder(a: string, b: string, env: NodeJS.ProcessEnv): boolean {
  const key = (entry: string) =>
    expandPercent(entry, env)
      .replace(/[\\/]+$/, '')
      .toLowerCase();
  return key(a) === key(b);
}

/** The elements of a Path string; an empty string has none (not one empty one). */
export const pathElements = (value: string): string[] => (value === '' ? [] : value.split(';'));

/**
 * The Path with `tokens` in: prepend ones at the start in the order given, append ones at the end
 * (before a trailing `;`, which stays the end of the string).
 */
export function addToPath(value: string, tokens: readonly { token: string; position: 'prepend' | 'append' }[]): string {
  const elements = pathElements(value);
  const trailing = elements.length > 1 && elements.at(-1) === '' ? elements.pop() : undefined;
  const first = tokens.filter((t) => t.position === 'prepend').map((t) => t.token);
  const last = tokens.filter((t) => t.position === 'append').map((t) => t.token);
  return [...first, ...elements, ...last, ...(trailing === undefined ? [] : [trailing])].join(';');
}

/** The Path without the elements that are exactly one of `tokens` (each taken out once). */
export function removeFromPath(value: string, tokens: readonly string[]): string {
  const elements = pathElements(value);
  for (const token of tokens) {
    const at = elements.indexOf(token);
    if (at >= 0) elements.splice(at, 1);
  }
  return elements.join(';');
}
