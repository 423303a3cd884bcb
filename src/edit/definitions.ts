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
 * Whether text could define NAME. Every syntax names it exactly, except PowerShell's, which ignore
 * case and always say `$env:` or `SetEnvironmentVariable`: so a file without NAME and without those
 * needs no look. (`status` asks this for every name and file: a case-blind RegExp per name, compiled
 * on first use, cost about 2 ms with 50 names.) Whether a text has PowerShell's words is kept per text.
 */
function mayDefine(text: string, n: string): boolean {
  if (text.includes(n)) return true;
  let pwsh = powershellIn.get(text);
  if (pwsh === undefined) {
    if (powershellIn.size >= 64) powershellIn.clear();
    pwsh = /\$env:|SetEnvironmentVariable/i.test(text);
    powershellIn.set(text, pwsh);
  }
  return pwsh && mentions(n).test(text);
}
const powershellIn = new Map<string, boolean>();

/** The case-blind RegExp that finds NAME, made once per name. */
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
  if (!mayDefine(text, n)) return [];
  const mentioned = mentions(n);
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

/**
 * Where envset's block starts in text, or undefined: its offset, and its 1-based line, counted
 * only when asked for (20 000 lines take about 3 ms in a run's one cold call). Answers are kept per
 * text, as `status` asks about the same files for every name and shell mode; a Map finds the same
 * string object without comparing its characters.
 */
export function findBlock(text: string): { offset: number; line: () => number } | undefined {
  let known = blocks.get(text);
  if (known === undefined) {
    if (blocks.size >= 32) blocks.clear();
    const offset = blockOffset(text);
    let line: number | undefined;
    known = offset === undefined ? null : { offset, line: () => (line ??= lineAt(text, offset)) };
    blocks.set(text, known);
  }
  return known ?? undefined;
}
const blocks = new Map<string, { offset: number; line: () => number } | null>();

function blockOffset(text: string): number | undefined {
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
  return first < 0 ? undefined : first;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}
