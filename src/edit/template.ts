import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// templates/ sits next to dist/ in the package and two levels above src/edit/ in the repo.
const TEMPLATE_DIRS = ['../templates/', '../../templates/'].map((rel) => new URL(rel, import.meta.url));
const cache = new Map<string, string>();

function load(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    const dir = TEMPLATE_DIRS.find((url) => existsSync(new URL(name, url)));
    if (!dir) throw new Error(`envset is installed without its templates/${name} (looked in ${TEMPLATE_DIRS.map((u) => fileURLToPath(u)).join(', ')})`);
    text = readFileSync(new URL(name, dir), 'utf8');
    cache.set(name, text);
  }
  return text;
}

/** Render templates/NAME: `{{key}}` placeholders from vars; the result as lines, without a final empty one. */
export function renderTemplate(name: string, vars: Readonly<Record<string, string>>): string[] {
  const text = load(name).replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = vars[key];
    if (value === undefined) throw new Error(`template ${name} uses {{${key}}}, which was not given`);
    return value;
  });
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
