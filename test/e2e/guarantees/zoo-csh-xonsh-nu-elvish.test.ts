// A zoo of the startup files people using tcsh, csh, xonsh, Nushell and Elvish really have:
// envset adds its hook, each start mode of the real shell sees the value (or, where a file sets
// the name again after the hook, status and the check name that line, and the shell sees that
// value), and unset gives every file back byte for byte.
import { readFile } from 'node:fs/promises';
import { afterAll, describe, it } from 'vitest';
import { SHELLS } from '../../../src/shells/index.js';
import { type MoreShell, readBackMore, shellPath, TOOLS } from '../../support/csh-xonsh-nu-elvish.js';
import { printed, snapshotTree, type TempHome, tempHome, treeDiff } from '../../support/home.js';
import { needTools } from '../../support/tools.js';
import { BEGIN, END, markerCount } from './lib.js';

const VALUE = `zoo 'value' with $dollar !bang \`tick\` "dq" \\ and\na second line`;
const HAND = 'set by hand later';

interface Setup {
  label: string;
  shell: MoreShell;
  files: Record<string, string>;
  /** Where the hook must go. */
  hook: string;
  /** A file that sets ZOO_KEY again after the hook, the line, and the modes that meet it. */
  later?: { file: string; line: number; modes: string[] };
}

const CSHRC = `# ~/.cshrc
set path = (/usr/local/bin /usr/bin /bin $path)
umask 022
if ($?prompt) then
  set prompt = "%n@%m:%~%# "
  set history = 1000
  set savehist = (1000 merge)
  alias ll 'ls -lA'
endif
`;

const SETUPS: Setup[] = [
  {
    label: 'a .cshrc with set prompt, history and aliases',
    shell: 'csh',
    files: { '.cshrc': CSHRC.replace('%n@%m:%~%# ', '% '), '.login': 'setenv PAGER less\n' },
    hook: '.cshrc',
  },
  { label: 'a .cshrc without a final newline', shell: 'csh', files: { '.cshrc': 'set prompt = "% "\nsetenv EDITOR vi' }, hook: '.cshrc' },
  {
    label: 'a .tcshrc with bindkey and prompt',
    shell: 'tcsh',
    files: { '.tcshrc': `${CSHRC}if ($?prompt) then\n  bindkey -e\n  set autolist\nendif\n` },
    hook: '.tcshrc',
  },
  {
    label: 'a .tcshrc that sources .cshrc',
    shell: 'tcsh',
    files: { '.tcshrc': 'source ~/.cshrc\nset autolist\n', '.cshrc': CSHRC },
    hook: '.tcshrc',
  },
  {
    label: 'a .login that sets the name again (login shells only)',
    shell: 'tcsh',
    files: { '.cshrc': CSHRC, '.login': `setenv PAGER less\nsetenv ZOO_KEY '${HAND}'\n` },
    hook: '.cshrc',
    later: { file: '.login', line: 2, modes: ['login'] },
  },
  {
    label: 'an oh-my-xonsh-like ~/.xonshrc',
    shell: 'xonsh',
    files: {
      '.xonshrc': [
        "$PROMPT = '{env_name}{BOLD_GREEN}{user}@{hostname}{BOLD_BLUE} {cwd}{branch_color}{curr_branch: {}}{RESET} {BOLD_BLUE}{prompt_end}{RESET} '",
        "$XONSH_COLOR_STYLE = 'monokai'",
        '$XONSH_HISTORY_SIZE = (10000, "commands")',
        '$COMPLETIONS_CONFIRM = True',
        'xontrib load coreutils',
        "aliases['ll'] = 'ls -la'",
        '@events.on_ptk_create',
        'def custom_keybindings(bindings, **kw):',
        "    @bindings.add('c-w')",
        '    def _(event):',
        '        pass',
        '',
      ].join('\n'),
      '.config/xonsh/rc.xsh': '$EDITOR = "vi"\n',
    },
    hook: '.config/xonsh/rc.d/envset.xsh',
  },
  {
    label: 'an rc.d drop-in that sorts after envset.xsh and sets the name',
    shell: 'xonsh',
    files: { '.config/xonsh/rc.d/zz-local.xsh': `import os\n\${...}['ZOO_KEY'] = '${HAND}'\n` },
    hook: '.config/xonsh/rc.d/envset.xsh',
    later: { file: '.config/xonsh/rc.d/zz-local.xsh', line: 2, modes: ['interactive', 'login'] },
  },
  {
    label: 'a config.nu that sets the same name (read before autoload: envset wins)',
    shell: 'nu',
    files: {
      '.config/nushell/config.nu': `$env.config.show_banner = false\n$env.config.edit_mode = 'vi'\n$env.ZOO_KEY = '${HAND}'\n`,
      '.config/nushell/env.nu': "$env.EDITOR = 'vi'\n",
    },
    hook: '.config/nushell/autoload/envset.nu',
  },
  {
    label: 'an autoload file after envset.nu that sets the name with load-env',
    shell: 'nu',
    files: {
      '.config/nushell/config.nu': '$env.config.show_banner = false\n',
      '.config/nushell/autoload/zz-local.nu': `load-env { ZOO_KEY: '${HAND}' }\n`,
    },
    hook: '.config/nushell/autoload/envset.nu',
    later: { file: '.config/nushell/autoload/zz-local.nu', line: 1, modes: ['interactive', 'login'] },
  },
  {
    label: 'an rc.elv with a prompt, key bindings, paths and functions',
    shell: 'elvish',
    files: {
      '.config/elvish/rc.elv': [
        'use str',
        'set paths = [~/bin $@paths]',
        'set edit:prompt = { styled (tilde-abbr $pwd) green; put "> " }',
        'set edit:rprompt = { put (whoami)@(hostname) }',
        'set edit:insert:binding[Ctrl-L] = { edit:clear }',
        'fn ll {|@a| e:ls -l $@a }',
        '',
      ].join('\n'),
    },
    hook: '.config/elvish/rc.elv',
  },
];

const homes: TempHome[] = [];
afterAll(async () => {
  await Promise.all(homes.map((h) => h.cleanup()));
});

// Concurrent tests take `expect` from their own context: every test must assert (test/vitest.config.ts),
// and the imported expect cannot tell which of the tests running at once an assertion belongs to.
describe.concurrent('zoo of startup files for tcsh, csh, xonsh, Nushell and Elvish', () => {
  for (const setup of SETUPS) {
    describe.skipIf(!needTools(...TOOLS[setup.shell], 'script'))(setup.shell, () => {
      it(`${setup.label}: set, the shell sees it (or status names the later line), unset byte for byte`, { timeout: 300_000 }, async ({
        expect,
      }) => {
        const h = await tempHome({ shell: shellPath(setup.shell), files: setup.files });
        homes.push(h);
        const before = await snapshotTree(h.home);
        const r = await h.envset(
          ['set', 'ZOO_KEY', '--value-stdin', '--shell', setup.shell, '--yes', '--json', '--verify-timeout', '60000'],
          { input: VALUE },
        );
        expect(r.exitCode, printed(r)).toBe(setup.later ? 3 : 0);
        const hook = (await readFile(h.path(setup.hook))).toString('utf8');
        expect(markerCount(hook)).toEqual({ begin: 1, end: 1 });
        expect(hook.endsWith(setup.files[setup.hook]?.endsWith('\n') === false ? END : `${END}\n`), 'the block ends the file').toBe(true);
        // Everything outside envset's block is the person's text, unchanged.
        if (setup.files[setup.hook] !== undefined)
          expect(hook.slice(0, hook.indexOf(BEGIN))).toBe(
            setup.files[setup.hook]!.endsWith('\n') ? setup.files[setup.hook] : `${setup.files[setup.hook]}\n`,
          );

        const modes = SHELLS[setup.shell].verify.map((m) => m.mode);
        for (const mode of modes) {
          const meets = setup.later?.modes.includes(mode) ?? false;
          expect(await readBackMore(h, setup.shell, ['ZOO_KEY'], { mode }), `${setup.shell} ${mode}`).toEqual([meets ? HAND : VALUE]);
        }
        if (setup.later) {
          const where = `${h.path(setup.later.file)}:${setup.later.line}`;
          const json = JSON.parse(String(r.stdout)) as { verify: { mode: string; ok: boolean; detail: string }[] };
          for (const v of json.verify) {
            if (setup.later.modes.includes(v.mode)) expect(v.detail, v.mode).toContain(`defined again after envset's hook at ${where}`);
            else expect(v.ok, `${v.mode}: ${v.detail}`).toBe(true);
          }
          const status = await h.envset(['status', 'ZOO_KEY']);
          expect(String(status.stderr)).toContain(
            `ZOO_KEY is set again at ${where}, after envset's hook: ${setup.shell} ${setup.later.modes[0]} sees that value instead of envset's`,
          );
        } else {
          const status = await h.envset(['status', 'ZOO_KEY', '--json']);
          const wins = (JSON.parse(String(status.stdout)).variables[0].wins as { shell: string; managed: boolean }[]).filter(
            (w) => w.shell === setup.shell,
          );
          expect(wins.length).toBe(modes.length);
          expect(wins.every((w) => w.managed)).toBe(true);
        }

        const u = await h.envset(['unset', 'ZOO_KEY', '--yes']);
        expect(u.exitCode, printed(u)).toBe(0);
        expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
      });
    });
  }
});
