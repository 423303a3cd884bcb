import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// templates/ sits next to dist/ in the package, two levels above test/.build/ (the test build) and
// src/edit/ (the sources, as unit tests run them). The bundle defines import.meta.dirname as its folder.
const here = import.meta.dirname;
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

/** Every template read now (before envset gives up root's rights, when they are where only root reads). */
export function loadTemplates(): void {
  const dir = TEMPLATE_DIRS.find((d) => existsSync(d));
  if (dir) for (const name of readdirSync(dir)) load(name);
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
