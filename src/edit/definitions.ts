// Finds lines that give NAME a value in a startup file, in any of the syntaxes the supported
// shells use. Pure: text in, line numbers out. Lines inside envset's own block are not counted.
import { definitionPatterns } from '../shells/syntax-csh-xonsh-nu-elvish.js';
import { blocksInText, textLines } from './block.js';

export interface Definition {
  /** 1-based line number. */
  line: number;
  text: string;
}

const literal = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '');

function patterns(name: string): RegExp[] {
  const n = literal(name);
  return [
    // export NAME=..., export A=1 NAME=..., declare -x / typeset -x / readonly
    new RegExp(
      `^\\s*(?:export|declare\\s+-\\w*x\\w*|typeset\\s+-\\w*x\\w*|local\\s+-x|readonly)\\s+(?:[A-Za-z_][A-Za-z0-9_]*(?:=\\S*)?\\s+)*${n}=`,
    ),
    // fish: set -gx NAME ..., set --export NAME ...
    new RegExp(`^\\s*set\\s+(?:--?[\\w-]+\\s+)*(?:-[A-Za-z]*x[A-Za-z]*|--export)\\s+(?:--?[\\w-]+\\s+)*${n}(?:\\s|$)`),
    // PowerShell
    new RegExp(`^\\s*\\$env:${n}\\s*=`, 'i'),
    new RegExp(`SetEnvironmentVariable\\(\\s*['"]${n}['"]`, 'i'),
    // csh / tcsh (`setenv NAME value`), xonsh (`$NAME = ...`, `${...}['NAME'] = ...`, `os.environ['NAME'] = ...`),
    // Nushell (`$env.NAME = ...`, `load-env {NAME: ...}`), Elvish (`set-env NAME ...`, `set E:NAME = ...`)
    ...Object.values(definitionPatterns).flatMap((forName) => forName(n)),
  ];
}

/**
 * A function that keeps its answers per key, forgetting them all once `limit` are kept. The keys
 * here are file texts and names: a Map finds the same string object without comparing characters.
 */
function remembered<K, V>(limit: number, compute: (key: K) => V): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    if (known.has(key)) return known.get(key)!;
    if (known.size >= limit) known.clear();
    const value = compute(key);
    known.set(key, value);
    return value;
  };
}

/** Whether a text has PowerShell's words, which name variables in any case. */
const hasPowershell = remembered(64, (text: string) => /\$env:|SetEnvironmentVariable/i.test(text));

/** The case-blind RegExp that finds NAME. */
const mentions = remembered(256, (n: string) => new RegExp(n, 'i'));

/**
 * Whether text could define NAME. Every syntax names it exactly, except PowerShell's, which ignore
 * case and always say `$env:` or `SetEnvironmentVariable`: so a file without NAME and without those
 * needs no look. (`status` asks this for every name and file: a case-blind RegExp per name, compiled
 * on first use, cost about 2 ms with 50 names.)
 */
const mayDefine = (text: string, n: string) => text.includes(n) || (hasPowershell(text) && mentions(n).test(text));

/** Definitions of NAME in text, skipping comments and envset's block. */
export function findDefinitions(text: string, name: string): Definition[] {
  const n = literal(name);
  // Every syntax names NAME (PowerShell's in any case): a file that never mentions it, like most of
  // a long .bashrc, needs no line-by-line look.
  if (!mayDefine(text, n)) return [];
  const mentioned = mentions(n);
  const bare = new RegExp(`^\\s*${n}=`);
  // A bare NAME=value counts when the same file exports NAME (or turns on allexport).
  const exported = new RegExp(
    `(?:^|[\\s;])(?:export\\s+(?:[A-Za-z_][A-Za-z0-9_]*\\s+)*${n}(?:\\s|;|$)|set\\s+-a\\b|set\\s+-o\\s+allexport)`,
    'm',
  ).test(text);
  const syntaxes = patterns(name);
  const blocks = blocksInText(text);
  const inBlock = (i: number) => blocks.some((b) => i >= b.start && i < b.end);
  const found: Definition[] = [];
  textLines(text).forEach(({ text: line }, i) => {
    if (!mentioned.test(line) || inBlock(i) || line.trim().startsWith('#')) return;
    if (syntaxes.some((re) => re.test(line)) || (exported && bare.test(line))) found.push({ line: i + 1, text: line });
  });
  return found;
}

/** The 1-based line where envset's first block starts in text, if it has one. Kept per text: `status` asks about the same files for every name. */
export const findBlock = remembered(32, (text: string): number | undefined => {
  const first = blocksInText(text)[0];
  return first ? first.start + 1 : undefined;
});
