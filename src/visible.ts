// Text from outside envset (what a startup file or a shell printed, file names found in a home,
// an argument given) shown as text, never as terminal control: an escape sequence in a check's
// failure detail could otherwise retitle the terminal, write the clipboard (OSC 52), clear the
// screen or move the cursor to fake an "ok" line. One function, applied where such text enters a
// report (verify.ts, for what shells print) and to every report before it is printed (cli.ts).

const NAMED: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\v': '\\v', '\f': '\\f', '\r': '\\r', '\n': '\\n' };

// C0 controls but tab, DEL, C1 controls (U+0080-U+009F: U+009B is a CSI on some terminals), the
// line and paragraph separators and the bidirectional overrides, which reorder what is shown.
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// A diff keeps its line breaks, CRLF ones too (a CRLF startup file stays CRLF).
const CONTROL_KEEP_NEWLINES = /\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const shownAs = (c: string) => {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
};

/** The text with every control character shown as an escape (`\x1b`, `\a`, `\r`); with `newlines`, line breaks stay. */
export function visible(text: string, options: { newlines?: boolean } = {}): string {
  return text.replace(options.newlines ? CONTROL_KEEP_NEWLINES : CONTROL, shownAs);
}

/**
 * Every string of a report made visible (a diff keeps its line breaks), for human output and JSON
 * alike. Strings that hold no control character are returned as they are.
 */
export function visibleReport<T>(report: T): T {
  const walk = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') return visible(value, { newlines: key === 'diff' });
    if (Array.isArray(value)) return value.map((item) => walk(item));
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, item]) => [k, walk(item, k)]));
    return value;
  };
  return walk(report) as T;
}
