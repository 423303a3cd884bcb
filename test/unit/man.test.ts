// man/envset.1 is made from the command table (scripts/man.mjs, run by the build): the committed page
// is what the table makes now, it holds every command, option, default and exit code, and groff and
// man render it without a warning.
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { usageLine } from '../../src/commands/parse.js';
import { COMMANDS, OPTIONS, optionsOf } from '../../src/commands/table.js';
import { EXIT_STATUS, renderManPage, roff } from '../../src/man.js';
import { tempHome, type TempHome } from '../support/home.js';
import { needTools } from '../support/tools.js';

const PAGE = new URL('../../man/envset.1', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string; man?: string[] };
const page = renderManPage(pkg.version);

describe('man/envset.1', () => {
  it('is what the command table makes now (regenerate: node scripts/man.mjs, or npm run build)', () => {
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
    for (const section of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'COMMANDS', 'OPTIONS', 'EXIT STATUS', 'ENVIRONMENT', 'FILES', 'SEE ALSO']) expect(page).toMatch(new RegExp(`^\\.SH ${section}$`, 'm'));
    for (const name of ['NO_COLOR', 'FORCE_COLOR', 'XDG_CONFIG_HOME', 'ZDOTDIR', 'SHELL']) expect(page).toContain(`\\fB${name}\\fR`);
    expect(page).toContain('${XDG_CONFIG_HOME:\\-~/.config}/envset/');
  });
});

describe.skipIf(!needTools('groff', 'man'))('rendering', () => {
  let h: TempHome | undefined;
  afterAll(async () => {
    await h?.cleanup();
  });

  it('groff -man -ww and man --warnings -l render it without a warning', async () => {
    h = await tempHome();
    const env = { ...h.env, MANWIDTH: '80', MANPAGER: 'cat', PAGER: 'cat' };
    const groff = await execa('groff', ['-man', '-ww', '-z', PAGE.pathname], { env, extendEnv: false, reject: false, stdin: 'ignore' });
    expect([groff.exitCode, String(groff.stderr)]).toEqual([0, '']);
    const man = await execa('man', ['--warnings', '-l', PAGE.pathname], { env, extendEnv: false, reject: false, stdin: 'ignore' });
    expect([man.exitCode, String(man.stderr)]).toEqual([0, '']);
    expect(String(man.stdout)).toMatch(/^ {7}envset set NAME \[options\]$/m);
    expect(String(man.stdout)).toContain('--verify-timeout MS');
  });
});
