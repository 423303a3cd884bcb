// Startup files are edited as lines of text, but written back byte for byte as they were
// apart from envset's own lines: encoding (UTF-8 or UTF-16LE), BOM, each line's own ending
// (CRLF stays CRLF, a lone LF in a CRLF file stays LF) and whether the file ended with one.

export type Encoding = 'utf8' | 'utf16le';

/** A decoded file: its lines without terminators, and everything needed to write it back. */
export interface TextDoc {
  encoding: Encoding;
  bom: boolean;
  /** Lines, each without its terminator; a trailing '\r' of a CRLF line is kept in `cr`. */
  lines: Line[];
  /** Whether the last line had a terminator. True for an empty file, so appends stay terminated. */
  finalNewline: boolean;
  /** Terminator for lines envset adds: the file's own (first line ending wins), else LF. */
  eol: '\n' | '\r\n';
}

export interface Line {
  text: string;
  cr: boolean;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const UTF16LE_BOM = Buffer.from([0xff, 0xfe]);

/**
 * UTF-8 files are held as "byte strings" (latin1: one char per byte), so bytes that are not valid
 * UTF-8 survive untouched; envset's own lines are converted with `fromUnicode` before insertion.
 */
export function decode(bytes: Uint8Array): TextDoc {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let encoding: Encoding = 'utf8';
  let bom = false;
  let body: string;
  if (buf.subarray(0, 2).equals(UTF16LE_BOM)) {
    encoding = 'utf16le';
    bom = true;
    body = buf.subarray(2).toString('utf16le');
  } else if (buf.subarray(0, 3).equals(UTF8_BOM)) {
    bom = true;
    body = buf.subarray(3).toString('latin1');
  } else {
    body = buf.toString('latin1');
  }
  const parts = body.split('\n');
  // The part after the last '\n' is '' when the file ends with a newline (or is empty).
  const last = parts.pop()!;
  const finalNewline = last === '';
  const lines: Line[] = parts.map((text) => (text.endsWith('\r') ? { text: text.slice(0, -1), cr: true } : { text, cr: false }));
  if (!finalNewline) lines.push({ text: last, cr: false });
  const eol = lines[0]?.cr ? '\r\n' : '\n';
  return { encoding, bom, lines, finalNewline, eol };
}

export function encode(doc: TextDoc): Buffer {
  const n = doc.lines.length;
  let body = '';
  doc.lines.forEach((line, i) => {
    body += line.text;
    if (i < n - 1 || doc.finalNewline) body += line.cr ? '\r\n' : '\n';
  });
  const payload = doc.encoding === 'utf16le' ? Buffer.from(body, 'utf16le') : Buffer.from(body, 'latin1');
  if (!doc.bom) return payload;
  return Buffer.concat([doc.encoding === 'utf16le' ? UTF16LE_BOM : UTF8_BOM, payload]);
}

/** A new, empty document: UTF-8 without BOM, LF, as envset creates files (PowerShell ones may differ). */
export function emptyDoc(overrides: Partial<Pick<TextDoc, 'encoding' | 'bom' | 'eol'>> = {}): TextDoc {
  return { encoding: 'utf8', bom: false, lines: [], finalNewline: true, eol: '\n', ...overrides };
}

/** Convert ordinary text to the doc's internal form (UTF-8 docs hold one char per byte). */
export function fromUnicode(doc: Pick<TextDoc, 'encoding'>, text: string): string {
  return doc.encoding === 'utf8' ? Buffer.from(text, 'utf8').toString('latin1') : text;
}

/**
 * The whole file as ordinary text, lines joined by LF (a CRLF ending read as LF), without the last
 * line's ending: what joining `decode(bytes)`'s lines, each read back as UTF-8, gives, in one pass over
 * the bytes instead of one conversion per line (a 20 000-line file is read this way several times).
 */
export function toText(bytes: Uint8Array): string {
  const text = unicodeBody(bytes);
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** Every line of the file as ordinary text followed by LF, as a diff shows it; '' for a file without lines. */
export function toLinesText(bytes: Uint8Array): string {
  const text = unicodeBody(bytes);
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

function unicodeBody(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let body: string;
  if (buf.subarray(0, 2).equals(UTF16LE_BOM)) body = buf.subarray(2).toString('utf16le');
  else if (buf.subarray(0, 3).equals(UTF8_BOM)) body = buf.subarray(3).toString('utf8');
  else body = buf.toString('utf8');
  // A CR or LF byte never sits inside a UTF-8 sequence, so decoding first and splitting after agree.
  return body.replaceAll('\r\n', '\n');
}

/** New lines in the doc's style. */
export function makeLines(doc: TextDoc, texts: readonly string[]): Line[] {
  return texts.map((text) => ({ text: fromUnicode(doc, text), cr: doc.eol === '\r\n' }));
}
