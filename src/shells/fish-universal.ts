// fish's universal variables (`set -Ux NAME value`) live in ${XDG_CONFIG_HOME:-~/.config}/fish/fish_variables,
// one `SETUVAR [--export] [--path] NAME:VALUE` line each, and every fish loads them before any file
// runs; a global one (`set -gx`, envset's conf.d file) shadows them. Pure: text in, lines out.
import { join } from 'node:path';
import type { Locations } from '../context.js';

export const fishVariables = (loc: Pick<Locations, 'configDir'>) => join(loc.configDir, 'fish', 'fish_variables');

/** The exported universal NAME in a fish_variables text: its 1-based line and value, if there is one. */
export function universalExport(text: string, name: string): { line: number; value: string } | undefined {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = /^SETUVAR((?:\s+--[a-z]+)*)\s+([A-Za-z_][A-Za-z0-9_]*):(.*?)\r?$/.exec(lines[i]!);
    if (match?.[2] === name && /--export\b/.test(match[1]!)) return { line: i + 1, value: decodeFishValue(match[3]!) };
  }
  return undefined;
}

/** fish writes a universal's value with `\xHH` escapes for bytes outside plain ASCII words, and `\\`. */
function decodeFishValue(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const hex = value[i] === '\\' && value[i + 1] === 'x' ? /^[0-9a-fA-F]{2}/.exec(value.slice(i + 2)) : null;
    if (hex) {
      bytes.push(Number.parseInt(hex[0], 16));
      i += 3;
    } else if (value[i] === '\\' && value[i + 1] === '\\') {
      bytes.push(0x5c);
      i++;
    } else bytes.push(...Buffer.from(value[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}
