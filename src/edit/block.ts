import { decode, encode, type Line, makeLines, type TextDoc } from './text.js';

/** The lines that open and close envset's block in a startup file. */
export interface Markers {
  begin: string;
  end: string;
}

export const POSIX_MARKERS: Markers = { begin: '# >>> envset >>>', end: '# <<< envset <<<' };
export const PWSH_MARKERS: Markers = { begin: '#region envset', end: '#endregion envset' };

export interface Span {
  start: number;
  /** Index after the block's last line. */
  end: number;
}

// includes() first: a long startup file is mostly lines that are no marker, and trim() copies each one.
const isMarker = (line: Pick<Line, 'text'>, marker: string) => line.text.includes(marker) && line.text.trim() === marker;
const looksOurs = (line: Pick<Line, 'text'>) => /envset/i.test(line.text);

// A heredoc opener: `<<EOF`, `<<-'EOF'`, `<< "EOF"` (not `<<<`, a here-string).
const HEREDOC = /(?<!<)<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/;

/**
 * Every envset block in the doc, in order. A block whose end marker is missing (damaged by hand)
 * spans its begin marker and the lines right after it that name envset; an end marker without a
 * begin likewise takes the envset lines just before it. Lines inside a heredoc are not markers.
 */
export function findBlocks(doc: { lines: readonly Pick<Line, 'text'>[] }, markers: Markers): Span[] {
  const spans: Span[] = [];
  const { lines } = doc;
  let heredoc: { tag: string; dash: boolean } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (heredoc) {
      const text = heredoc.dash ? line.text.replace(/^\t+/, '') : line.text;
      if (text === heredoc.tag) heredoc = undefined;
      continue;
    }
    if (isMarker(line, markers.begin)) {
      let j = i + 1;
      while (j < lines.length && !isMarker(lines[j]!, markers.end) && !isMarker(lines[j]!, markers.begin)) j++;
      if (j < lines.length && isMarker(lines[j]!, markers.end)) {
        spans.push({ start: i, end: j + 1 });
        i = j;
      } else {
        let k = i + 1;
        while (k < lines.length && looksOurs(lines[k]!) && !isMarker(lines[k]!, markers.begin)) k++;
        spans.push({ start: i, end: k });
        i = k - 1;
      }
      continue;
    }
    if (isMarker(line, markers.end)) {
      let k = i;
      const floor = spans.at(-1)?.end ?? 0;
      while (k > floor && looksOurs(lines[k - 1]!)) k--;
      spans.push({ start: k, end: i + 1 });
      continue;
    }
    const opener = line.text.includes('<<') ? HEREDOC.exec(line.text) : null;
    if (opener && !line.text.trimStart().startsWith('#')) heredoc = { tag: opener[3]!, dash: opener[1] === '-' };
  }
  return spans;
}

export interface BlockEdit {
  doc: TextDoc;
  changed: boolean;
}

/**
 * Put `block` (marker lines included) into the doc: replace the first existing block in place,
 * drop any further ones, or append it at the end when there is none.
 */
export function upsertBlock(doc: TextDoc, markers: Markers, block: readonly string[]): BlockEdit {
  const fresh = makeLines(doc, block);
  const spans = findBlocks(doc, markers);
  const first = spans[0];
  if (first && spans.length === 1 && sameText(doc.lines.slice(first.start, first.end), fresh)) {
    return { doc, changed: false };
  }
  const lines = [...doc.lines];
  if (!first) {
    // The last line gets the terminator it lacked; finalNewline keeps saying whether the file ends with one.
    const last = lines.at(-1);
    if (last && !doc.finalNewline) lines[lines.length - 1] = { ...last, cr: doc.eol === '\r\n' };
    lines.push(...fresh);
    return { doc: { ...doc, lines }, changed: true };
  }
  for (const span of spans.slice(1).reverse()) lines.splice(span.start, span.end - span.start);
  lines.splice(first.start, first.end - first.start, ...fresh);
  return { doc: { ...doc, lines }, changed: true };
}

/**
 * Like upsertBlock, but where `at` says the block belongs (a 0-based line of the doc without
 * envset's blocks, e.g. above a .bashrc's early return for non-interactive shells): a block
 * elsewhere is moved there. Where `at` has no answer, upsertBlock's rule (replace or append) holds.
 */
export function placeBlock(
  doc: TextDoc,
  markers: Markers,
  block: readonly string[],
  at: (lines: readonly string[]) => number | undefined,
): BlockEdit {
  const spans = findBlocks(doc, markers);
  const without = spans.length ? removeBlocks(doc, markers).doc : doc;
  const index = at(without.lines.map((line) => line.text));
  if (index === undefined) return upsertBlock(doc, markers, block);
  const fresh = makeLines(doc, block);
  const first = spans[0];
  if (first && spans.length === 1 && first.start === index && sameText(doc.lines.slice(first.start, first.end), fresh))
    return { doc, changed: false };
  const lines = [...without.lines];
  lines.splice(index, 0, ...fresh);
  return { doc: { ...without, lines }, changed: true };
}

/**
 * `encode(upsertBlock(decode(bytes), markers, block).doc)`, byte for byte. A UTF-8 file that holds
 * neither marker anywhere (the first hook in a startup file) gets the block appended to its bytes
 * as they are, so a 20 000-line .bashrc is not split into lines and joined again.
 */
export function upsertBlockInBytes(bytes: Buffer, markers: Markers, block: readonly string[], blockEol?: '\n'): Buffer {
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe;
  if (utf16 || bytes.includes(markers.begin) || bytes.includes(markers.end)) {
    const doc = decode(bytes);
    return encode(upsertBlock(blockEol ? { ...doc, eol: blockEol } : doc, markers, block).doc);
  }
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const firstLf = bytes.indexOf(0x0a);
  const eol = blockEol ?? (firstLf > body && bytes[firstLf - 1] === 0x0d ? '\r\n' : '\n'); // the first line's ending, as decode() picks it
  const lines = block.join(eol);
  if (bytes.length === body || bytes[bytes.length - 1] === 0x0a) return Buffer.concat([bytes, Buffer.from(lines + eol, 'utf8')]);
  // No final newline: the last line gets one, and the file still ends without (as upsertBlock keeps it).
  return Buffer.concat([bytes, Buffer.from(eol + lines, 'utf8')]);
}

/** Remove every envset block; the rest of the doc is untouched. */
export function removeBlocks(doc: TextDoc, markers: Markers): BlockEdit {
  const spans = findBlocks(doc, markers);
  if (spans.length === 0) return { doc, changed: false };
  const lines = [...doc.lines];
  for (const span of [...spans].reverse()) {
    const prev = lines[span.start - 1];
    if (prev && span.end === lines.length && !doc.finalNewline && prev.cr && !lines[span.start]!.cr) {
      // The block was appended after an unterminated last line and we ended that line with LF
      // (our lines have no CR): so its CR before our LF was its own last byte, not a CRLF.
      lines[span.start - 1] = { text: `${prev.text}\r`, cr: false };
    }
    lines.splice(span.start, span.end - span.start);
  }
  return { doc: { ...doc, lines }, changed: true };
}

export const hasBlock = (doc: TextDoc, markers: Markers) => findBlocks(doc, markers).length > 0;

/** The lines of ordinary text (LF or CRLF), as findBlocks reads them. */
export const textLines = (text: string) => text.split('\n').map((line) => ({ text: line.endsWith('\r') ? line.slice(0, -1) : line }));

/** envset's blocks in a text of any shell family (either kind of markers), as 0-based spans. */
export function blocksInText(text: string): Span[] {
  if (
    !text.includes(POSIX_MARKERS.begin) &&
    !text.includes(PWSH_MARKERS.begin) &&
    !text.includes(POSIX_MARKERS.end) &&
    !text.includes(PWSH_MARKERS.end)
  )
    return [];
  const doc = { lines: textLines(text) };
  return [...findBlocks(doc, POSIX_MARKERS), ...findBlocks(doc, PWSH_MARKERS)].sort((a, b) => a.start - b.start);
}

function sameText(a: readonly Line[], b: readonly Line[]): boolean {
  return a.length === b.length && a.every((line, i) => line.text === b[i]!.text);
}
