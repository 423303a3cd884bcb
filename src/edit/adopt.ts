// `--adopt`: comment out definitions of NAME that envset did not write, marked so that
// `unset NAME` puts each line back exactly as it was. Pure: doc in, doc out.
import { findDefinitions } from './definitions.js';
import type { TextDoc } from './text.js';

const PREFIX = '# envset adopted ';
const marker = (name: string) => `${PREFIX}${name}: `;

export interface AdoptEdit {
  doc: TextDoc;
  /** 1-based lines commented out. */
  adopted: number[];
  /** 1-based lines left alone because commenting them out would break the file (a value spanning lines). */
  skipped: number[];
}

/** Comment out each single-line definition of name, keeping the line's bytes after the marker. */
export function adoptDefinitions(doc: TextDoc, name: string): AdoptEdit {
  const text = doc.lines.map((l) => l.text).join('\n');
  const adopted: number[] = [];
  const skipped: number[] = [];
  const lines = [...doc.lines];
  for (const def of findDefinitions(text, name)) {
    const line = lines[def.line - 1]!;
    if (!balanced(line.text)) {
      skipped.push(def.line);
      continue;
    }
    lines[def.line - 1] = { ...line, text: marker(name) + line.text };
    adopted.push(def.line);
  }
  return { doc: adopted.length ? { ...doc, lines } : doc, adopted, skipped };
}

/** Put back every line adopted for name. */
export function restoreAdopted(doc: TextDoc, name: string): { doc: TextDoc; restored: number } {
  const prefix = marker(name);
  let restored = 0;
  const lines = doc.lines.map((line) => {
    if (!line.text.startsWith(prefix)) return line;
    restored++;
    return { ...line, text: line.text.slice(prefix.length) };
  });
  return { doc: restored ? { ...doc, lines } : doc, restored };
}

// A line whose quotes do not close continues on the next line: commenting out only the first
// line would leave the rest as commands.
function balanced(text: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
    } else if (quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') quote = undefined;
    } else if (c === '\\') i++;
    else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) break;
  }
  return quote === undefined && !/\\$/.test(text);
}
