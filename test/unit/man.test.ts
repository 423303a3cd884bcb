// man/envset.1 is made from the command table (src/build.mjs, last step): the committed page
// is what the table makes now, and it holds every command, option, default and exit code.
// (test/e2e/man.test.ts renders it with groff and man.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { overview } from '../../src/commands/help.js';
import { usageLine } from '../../src/commands/parse.js';
import { COMMANDS, OPTIONS, optionsOf } from '../../src/commands/table.js';
import { EXIT_STATUS, renderManPage, roff } from '../../src/man.js';

const PAGE = new URL('../../man/envset.1', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string; man?: string[] };
const page = renderManPage(pkg.version);

describe('man/envset.1', () => {
  it('is what the command table makes now (regenerate: npm run build)', () => {
    expect(readFileSync(PAGE, 'utf8')).toBe(page);
    expect(pkg.man).toEqual(['man/envset.1']);
  });

  it('has every command with every option it takes, the defaults, examples and exit codes', () => {
    for (const command of COMMANDS) {
      const start = page.indexOf(`.SS "${roff(usageLine(command))}"`);
      expect(start, command.name).toBeGreaterThan(0);
      const section = page.slice(start, page.indexOf('\n.SS ', start + 1) >>> 0 || undefined);
      for (const name of optionsOf(command)) {
        const o = OPTIONS[name];
        expect(section).toContain(`\\fB${roff(`--${name}`)}\\fR${o.value ? ` \\fI${o.value}\\fR` : ''}\n`);
        if (o.default) expect(section).toContain(`(default: ${roff(o.default)})`);
      }
      for (const [line] of command.examples) expect(section).toContain(`\\fB${roff(line)}\\fR`);
      for (const [code] of command.exitCodes) {
        expect(section).toContain(`\\fB${code}\\fR`);
        expect(EXIT_STATUS.map(([c]) => c)).toContain(code);
      }
    }
  });

  it('names the sections a man page has, the files and the environment', () => {
    for (const section of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'COMMANDS', 'OPTIONS', 'EXIT STATUS', 'ENVIRONMENT', 'FILES', 'SEE ALSO'])
      expect(page).toMatch(new RegExp(`^\\.SH ${section}$`, 'm'));
    for (const name of ['NO_COLOR', 'FORCE_COLOR', 'XDG_CONFIG_HOME', 'ZDOTDIR', 'SHELL', 'ENVSET_DEBUG'])
      expect(page).toContain(`\\fB${name}\\fR`);
    expect(page).toContain('${XDG_CONFIG_HOME:\\-~/.config}/envset/');
  });
});

describe('envset --help', () => {
  it('names the environment variables envset reads, ENVSET_DEBUG among them, as the man page does', () => {
    const help = overview({ color: false, home: '' });
    expect(help).toMatch(/^Environment:$/m);
    expect(help).toMatch(/^ {2}ENVSET_DEBUG +set: an unexpected error \(a bug\) prints its stack trace/m);
    for (const name of ['NO_COLOR', 'FORCE_COLOR', 'HOME', 'ENVSET_DEBUG']) expect(help).toMatch(new RegExp(`^ {2}${name} `, 'm'));
  });
});
