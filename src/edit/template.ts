import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// templates/ sits next to dist/ in the package and two levels above src/edit/ in the repo. The
// bundle's import.meta has the folder as a path (building a file URL cost about 0.9 ms a run).
const here = (import.meta as { dirname?: string }).dirname ?? dirname(fileURLToPath(import.meta.url));
const TEMPLATE_DIRS = [join(here, '..', 'templates'), join(here, '..', '..', 'templates')];
const cache = new Map<string, string>();

function load(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    const dir = TEMPLATE_DIRS.find((d) => existsSync(join(d, name)));
    if (!dir) throw new Error(`envset is installed without its templates/${name} (looked in ${TEMPLATE_DIRS.join(', ')})`);
    text = readFileSync(join(dir, name), 'utf8');
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
