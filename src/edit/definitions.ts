// Finds lines that give NAME a value in a startup file, in any of the syntaxes the supported
// shells use. Pure: text in, line numbers out. Lines inside envset's own block are not counted.
import { POSIX_MARKERS, PWSH_MARKERS } from './block.js';

export interface Definition {
  /** 1-based line number. */
  line: number;
  text: string;
}

const escape = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '');

function patterns(name: string): RegExp[] {
  const n = escape(name);
  return [
    // export NAME=..., export A=1 NAME=..., declare -x / typeset -x / readonly
    new RegExp(`^\\s*(?:export|declare\\s+-\\w*x\\w*|typeset\\s+-\\w*x\\w*|local\\s+-x|readonly)\\s+(?:[A-Za-z_][A-Za-z0-9_]*(?:=\\S*)?\\s+)*${n}=`),
    // fish: set -gx NAME ..., set --export NAME ...
    new RegExp(`^\\s*set\\s+(?:--?[\\w-]+\\s+)*(?:-[A-Za-z]*x[A-Za-z]*|--export)\\s+(?:--?[\\w-]+\\s+)*${n}(?:\\s|$)`),
    // PowerShell
    new RegExp(`^\\s*\\$env:${n}\\s*=`, 'i'),
    new RegExp(`SetEnvironmentVariable\\(\\s*['"]${n}['"]`, 'i'),
    // csh / tcsh
    new RegExp(`^\\s*setenv\\s+${n}(?:\\s|$)`),
  ];
}

/**
 * The case-blind RegExp that finds NAME, made once per name: `status` asks about every name in
 * every startup file, and making one for each pair cost about 2 ms with 50 names.
 */
const mentionsOf = new Map<string, RegExp>();
function mentions(n: string): RegExp {
  let re = mentionsOf.get(n);
  if (re === undefined) {
    if (mentionsOf.size >= 256) mentionsOf.clear();
    re = new RegExp(n, 'i');
    mentionsOf.set(n, re);
  }
  return re;
}

/** Definitions of NAME in text, skipping comments and envset's block. */
export function findDefinitions(text: string, name: string): Definition[] {
  const n = escape(name);
  // Every syntax names NAME (PowerShell's in any case): a file that never mentions it, like most of
  // a long .bashrc, needs no line-by-line look, and only its lines that do, or a marker, need one.
  const mentioned = mentions(n);
  if (!text.includes(n) && !mentioned.test(text)) return [];
  const bare = new RegExp(`^\\s*${n}=`);
  // A bare NAME=value counts when the same file exports NAME (or turns on allexport).
  const exported = new RegExp(`(?:^|[\\s;])(?:export\\s+(?:[A-Za-z_][A-Za-z0-9_]*\\s+)*${n}(?:\\s|;|$)|set\\s+-a\\b|set\\s+-o\\s+allexport)`, 'm').test(text);
  const syntaxes = patterns(name);
  const found: Definition[] = [];
  let inBlock = false;
  text.split('\n').forEach((raw, i) => {
    if (!raw.includes('envset') && !mentioned.test(raw)) return;
    const line = raw.replace(/\r$/, '');
    const trimmed = line.trim();
    if (trimmed === POSIX_MARKERS.begin || trimmed === PWSH_MARKERS.begin) inBlock = true;
    if (trimmed === POSIX_MARKERS.end || trimmed === PWSH_MARKERS.end) {
      inBlock = false;
      return;
    }
    if (inBlock || trimmed.startsWith('#')) return;
    if (syntaxes.some((re) => re.test(line)) || (exported && bare.test(line))) {
      found.push({ line: i + 1, text: line });
    }
  });
  return found;
}

/** 1-based line of envset's block in text, or undefined. */
export function blockLine(text: string): number | undefined {
  // Every mode of a shell asks about the same file text in a row (bash interactive and login both
  // read .bashrc): the last answer is kept, as counting 20 000 lines takes about 0.7 ms.
  if (text !== lastBlockLine.text) lastBlockLine = { text, line: findBlockLine(text) };
  return lastBlockLine.line;
}
let lastBlockLine: { text: string | undefined; line: number | undefined } = { text: undefined, line: undefined };

function findBlockLine(text: string): number | undefined {
  // Found by searching for the markers rather than splitting: the block usually ends a long file.
  let first = -1;
  for (const marker of [POSIX_MARKERS.begin, PWSH_MARKERS.begin]) {
    for (let at = text.indexOf(marker); at >= 0 && (first < 0 || at < first); at = text.indexOf(marker, at + 1)) {
      const start = text.lastIndexOf('\n', at) + 1;
      const end = text.indexOf('\n', at);
      if (text.slice(start, end < 0 ? text.length : end).trim() === marker) {
        first = first < 0 ? start : Math.min(first, start);
        break;
      }
    }
  }
  if (first < 0) return undefined;
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < first; at = text.indexOf('\n', at + 1)) line++;
  return line;
}
