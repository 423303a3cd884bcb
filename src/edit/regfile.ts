// Registry files for the user environment (HKCU\Environment), pure bytes in and out. envset
// changes the registry with `reg import FILE` so that a value never sits on reg.exe's command
// line, and reads it back with `reg export` because `reg query` prints in the OEM code page and
// loses every character outside it. Both files are UTF-16LE with a BOM and CRLF line ends.

export const ENV_KEY = 'HKEY_CURRENT_USER\\Environment';
/** How envset names a value of the user environment in reports and JSON. */
export const envValuePath = (name: string) => `HKCU\\Environment\\${name}`;

export type RegType = 'REG_SZ' | 'REG_EXPAND_SZ' | 'other';

export interface RegValue {
  name: string;
  type: RegType;
  /** The text of a REG_SZ or REG_EXPAND_SZ value (unexpanded); for other types the data as written. */
  value: string;
}

export type RegEdit = { name: string; type: 'REG_SZ' | 'REG_EXPAND_SZ'; value: string } | { name: string; delete: true };

const HEADER = 'Windows Registry Editor Version 5.00';
const BOM = Buffer.from([0xff, 0xfe]);

// In a quoted .reg string only the backslash and the double quote are escapes that Windows and
// Wine read alike; everything else, a TAB or `%` included, stands for itself.
const regQuote = (text: string) => text.replace(/[\\"]/g, (c) => `\\${c}`);

/** Data of a REG_EXPAND_SZ: UTF-16LE with its terminating NUL, as comma-separated hex bytes. */
const hexString = (text: string) => Array.from(Buffer.from(`${text}\0`, 'utf16le'), (b) => b.toString(16).padStart(2, '0')).join(',');

/** The bytes of a .reg file that applies every edit to HKCU\Environment and touches nothing else. */
export function renderRegImport(edits: readonly RegEdit[]): Buffer {
  const lines = edits.map((edit) => {
    const name = `"${regQuote(edit.name)}"`;
    if ('delete' in edit) return `${name}=-`;
    if (/[\0\r\n]/.test(edit.value)) {
      // reg import silently drops a line with a raw line break and cuts at a NUL; refuse earlier.
      throw new Error(`renderRegImport: the value for ${edit.name} holds a NUL or line break`);
    }
    return edit.type === 'REG_EXPAND_SZ' ? `${name}=hex(2):${hexString(edit.value)}` : `${name}="${regQuote(edit.value)}"`;
  });
  const text = [HEADER, '', `[${ENV_KEY}]`, ...lines, '', ''].join('\r\n');
  return Buffer.concat([BOM, Buffer.from(text, 'utf16le')]);
}

/**
 * The values directly under HKEY_CURRENT_USER\Environment in a file written by `reg export`, in
 * file order. Accepts what Windows and Wine write: UTF-16LE with BOM (or plain text for tests),
 * hex data wrapped over lines ending in `\`, and Wine's `\n`/`\r` escapes in quoted strings.
 */
export function parseRegExport(bytes: Uint8Array): RegValue[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buf.subarray(0, 2).equals(BOM) ? buf.subarray(2).toString('utf16le') : buf.toString('utf8');
  const values: RegValue[] = [];
  let inKey = false;
  let i = 0;
  const atEnd = () => i >= text.length;
  const skipLine = () => {
    while (!atEnd() && text[i] !== '\n') i++;
    i++;
  };
  // A quoted string starting at text[i] === '"'; may span raw line breaks.
  const quoted = (): string | undefined => {
    let out = '';
    for (i++; !atEnd(); i++) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\' && i + 1 < text.length) {
        const next = text[++i]!;
        out += next === 'n' ? '\n' : next === 'r' ? '\r' : next === '0' ? '\0' : next;
      } else out += c;
    }
    return undefined;
  };
  while (!atEnd()) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    const c = text[i];
    if (c === '[') {
      const close = text.indexOf(']', i);
      const key = text.slice(i + 1, close < 0 ? undefined : close);
      inKey = key.toLowerCase() === ENV_KEY.toLowerCase();
      skipLine();
      continue;
    }
    if (c !== '"' && c !== '@') {
      skipLine();
      continue;
    }
    let name = '';
    if (c === '@') i++;
    else {
      const parsed = quoted();
      if (parsed === undefined) break;
      name = parsed;
    }
    if (text[i] !== '=') {
      skipLine();
      continue;
    }
    i++;
    const data = readData();
    if (inKey && data && name !== '') values.push({ name, ...data });
  }
  return values;

  function readData(): Omit<RegValue, 'name'> | undefined {
    if (text[i] === '"') {
      const value = quoted();
      skipLine();
      return value === undefined ? undefined : { type: 'REG_SZ', value };
    }
    const head = /^(hex(?:\(([0-9a-fA-F]+)\))?|dword):/.exec(text.slice(i, i + 16));
    if (!head) {
      skipLine(); // `-` (a deletion) or something envset does not read
      return undefined;
    }
    i += head[0].length;
    let raw = '';
    // Hex data continues on the next line after a trailing backslash.
    for (;;) {
      const eol = text.indexOf('\n', i);
      let line = text
        .slice(i, eol < 0 ? undefined : eol)
        .replace(/\r$/, '')
        .trimEnd();
      i = eol < 0 ? text.length : eol + 1;
      const more = line.endsWith('\\');
      if (more) line = line.slice(0, -1);
      raw += line.trim();
      if (!more || atEnd()) break;
    }
    const kind = head[2] === undefined ? undefined : parseInt(head[2], 16);
    if (head[1] === 'dword' || (kind !== 1 && kind !== 2)) return { type: 'other', value: `${head[0]}${raw}` };
    const bytes = raw === '' ? [] : raw.split(',').map((h) => parseInt(h, 16));
    if (bytes.some((b) => Number.isNaN(b) || b < 0 || b > 255)) return { type: 'other', value: `${head[0]}${raw}` };
    // REG_SZ may come as hex(1) too; the data ends at the first NUL character.
    const decoded = Buffer.from(bytes).toString('utf16le');
    const nul = decoded.indexOf('\0');
    return { type: kind === 2 ? 'REG_EXPAND_SZ' : 'REG_SZ', value: nul < 0 ? decoded : decoded.slice(0, nul) };
  }
}

/** The value called `name` (Windows compares value names without regard to case). */
export function findRegValue(values: readonly RegValue[], name: string): RegValue | undefined {
  const lower = name.toLowerCase();
  return values.find((v) => v.name.toLowerCase() === lower);
}
