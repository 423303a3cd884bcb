import type { Family } from '../shells/index.js';
import { pathSection } from '../shells/path-lines.js';
import type { PathEntry } from '../state.js';
import { renderTemplate } from './template.js';

export interface Variable {
  name: string;
  value: string;
}

// env.sh is the store of record: envset writes it, so it only has to read its own format back.
// A value is `'...'` with each `'` written as `'\''`; it may span lines.
const ENTRY = /^export ([A-Za-z_][A-Za-z0-9_]*)='((?:[^']|'\\'')*)'$/gm;

/** The variables in an env.sh that envset wrote, in file order. */
export function parseEnvSh(text: string): Variable[] {
  const vars: Variable[] = [];
  for (const match of text.matchAll(ENTRY)) {
    vars.push({ name: match[1]!, value: match[2]!.replaceAll(`'\\''`, "'") });
  }
  return vars;
}

/** The whole text of a family's env file for these variables and folders on PATH (after the variables). */
export function renderEnvFile(
  family: Family,
  vars: readonly Variable[],
  paths: { entries: readonly PathEntry[]; platform: NodeJS.Platform } = { entries: [], platform: 'linux' },
): string {
  const header = renderTemplate(family.envFile, {});
  const lines = [...header, ...vars.map((v) => family.envLine(v.name, v.value)), ...pathSection(family.id, paths.entries, paths.platform)];
  return (family.bom ? '\ufeff' : '') + lines.join('\n') + '\n';
}

/** vars with name set to value: replaced in place, or appended. */
export function withVariable(vars: readonly Variable[], name: string, value: string): Variable[] {
  return vars.some((v) => v.name === name) ? vars.map((v) => (v.name === name ? { name, value } : v)) : [...vars, { name, value }];
}
