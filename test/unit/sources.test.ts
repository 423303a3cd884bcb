import { describe, expect, it } from 'vitest';
import { definitionsAlong, readingOrder, type SourceScope, sourceLines } from '../../src/edit/sources.js';

const H = '/home/u';
const scope = (extra: Partial<SourceScope> = {}): SourceScope => ({ home: H, shell: 'bash', ...extra });
const paths = (text: string, extra: Partial<SourceScope> = {}) => sourceLines(text, scope(extra)).map((s) => `${s.line}:${s.path}`);

describe('sourceLines: literal source lines a shell would take', () => {
  it.each<[string, string, string[], Partial<SourceScope>?]>([
    ['dot and tilde', '. ~/.bash_aliases\n', ['1:/home/u/.bash_aliases']],
    ['source with "$HOME"', 'source "$HOME/.localrc"\n', ['1:/home/u/.localrc']],
    ['${HOME} unquoted', 'source ${HOME}/.localrc\n', ['1:/home/u/.localrc']],
    ['single-quoted absolute path', "source '/etc/extra rc'\n", ['1:/etc/extra rc']],
    ['test && source (thoughtbot)', '[ -f ~/.zshrc.local ] && source ~/.zshrc.local\n', ['1:/home/u/.zshrc.local']],
    ['one-line if (Debian skel style)', 'if [ -f ~/.bash_aliases ]; then . ~/.bash_aliases; fi\n', ['1:/home/u/.bash_aliases']],
    ['multi-line if', 'x=1\nif [ -f ~/.bash_aliases ]; then\n    . ~/.bash_aliases\nfi\n', ['3:/home/u/.bash_aliases']],
    ['holman [[ -a ]] then on its own line', 'if [[ -a ~/.localrc ]]\nthen\n  source ~/.localrc\nfi\n', ['3:/home/u/.localrc']],
    ['trailing comment and redirection', '. ~/.x 2>/dev/null # quiet\n', ['1:/home/u/.x']],
    ['in a comment: not taken', '# . ~/.bash_aliases\n  #source ~/.y\n', []],
    ['inside a heredoc: not taken', "cat <<'EOF'\n. ~/.bash_aliases\nEOF\n. ~/.z\n", ['4:/home/u/.z']],
    ['inside <<- heredoc with tabs', 'cat <<-EOF\n\t. ~/.a\n\tEOF\n. ~/.b\n', ['4:/home/u/.b']],
    ['inside a multi-line single-quoted string', "alias r='\n. ~/.a\n'\n. ~/.b\n", ['4:/home/u/.b']],
    ['alias text is not a command', "alias reload='source ~/.zshrc'\n", []],
    ['in a function body: runs only when called', 'reload() {\n  source ~/.bashrc\n}\nfunction r2 { . ~/.a; }\n. ~/.b\n', ['5:/home/u/.b']],
    ['$ZDOTDIR when known', 'source $ZDOTDIR/.zshrc.local\n', ['1:/z/.zshrc.local'], { vars: { ZDOTDIR: '/z' } }],
    ['$ZDOTDIR unknown: not followed', 'source $ZDOTDIR/.zshrc.local\n', []],
    [
      '${ZDOTDIR:-$HOME} with ZDOTDIR unset',
      'source ${ZDOTDIR:-$HOME}/.zshrc.local\n',
      ['1:/home/u/.zshrc.local'],
      { vars: { ZDOTDIR: null } },
    ],
    ['${ZDOTDIR:-$HOME} with ZDOTDIR set', 'source "${ZDOTDIR:-$HOME}/.zshrc.local"\n', ['1:/z/.zshrc.local'], { vars: { ZDOTDIR: '/z' } }],
    [
      'a variable assigned earlier in the file',
      'export ZSH=$HOME/.dotfiles\nsource $ZSH/zsh/env.zsh\n',
      ['2:/home/u/.dotfiles/zsh/env.zsh'],
    ],
    ['unknown variable', 'source $DOTFILES/x\n', []],
    ['command substitution', 'source "$(brew --prefix)/x.sh"\n', []],
    ['glob', 'for f in ~/.bashrc.d/*; do . "$f"; done\n. ~/.bashrc.d/*.sh\n', []],
    ['relative path: depends on the directory, not followed', '. .bash_aliases\n', []],
    ['quoted tilde is literal text', 'source "~/.x"\n', []],
    ['.. and // normalised', '. ~/dots/../.x\n. ~//.y\n', ['1:/home/u/.x', '2:/home/u/.y']],
    ['line continuation', 'source \\\n  ~/.x\n', ['1:/home/u/.x']],
    ['CRLF lines', '. ~/.a\r\n. ~/.b\r\n', ['1:/home/u/.a', '2:/home/u/.b']],
    [
      'envset block: its env file is the managed definition, not followed',
      '# >>> envset >>>\nif [ -f "$HOME/.config/envset/env.sh" ]; then . "$HOME/.config/envset/env.sh"; fi\n# <<< envset <<<\n',
      [],
    ],
    [
      'BASH_VERSION guard, for bash',
      'if [ -n "$BASH_VERSION" ]; then\n  if [ -f "$HOME/.bashrc" ]; then\n    . "$HOME/.bashrc"\n  fi\nfi\n',
      ['3:/home/u/.bashrc'],
    ],
    [
      'BASH_VERSION guard, for sh',
      'if [ -n "$BASH_VERSION" ]; then\n  if [ -f "$HOME/.bashrc" ]; then\n    . "$HOME/.bashrc"\n  fi\nfi\n. ~/.after\n',
      ['6:/home/u/.after'],
      { shell: 'sh' },
    ],
    [
      'BASH_VERSION guard with else, for sh',
      'if [ -n "$BASH_VERSION" ]; then\n . ~/.a\nelse\n . ~/.b\nfi\n',
      ['4:/home/u/.b'],
      { shell: 'sh' },
    ],
    ['guard && source, for sh', '[ -n "$BASH_VERSION" ] && [ -f ~/.bashrc ] && . ~/.bashrc\n. ~/.c\n', ['2:/home/u/.c'], { shell: 'sh' }],
    [
      'fish: test; and source',
      'test -f ~/.config/fish/local.fish; and source ~/.config/fish/local.fish\n',
      ['1:/home/u/.config/fish/local.fish'],
      { shell: 'fish' },
    ],
    [
      'fish: function body not taken',
      'function f\n  source ~/.a\nend\nif test -f ~/.b\n  source ~/.b\nend\n',
      ['5:/home/u/.b'],
      { shell: 'fish' },
    ],
  ])('%s', (_, text, expected, extra) => {
    expect(paths(text, extra)).toEqual(expected);
  });
});

describe('sourceLines: files sourced by a for loop over globs and braces', () => {
  // A stand-in for the file system's glob: the patterns asked for, and what they match.
  const glob = (pattern: string) =>
    ({ [`${H}/.bashrc.d/*.sh`]: [`${H}/.bashrc.d/10-a.sh`, `${H}/.bashrc.d/20-b.sh`], [`${H}/custom/*.zsh`]: [`${H}/custom/k.zsh`] })[
      pattern
    ] ?? [];
  it.each<[string, string, string[], Partial<SourceScope>?]>([
    [
      'for f in ~/.bashrc.d/*.sh; do . "$f"; done',
      'for f in ~/.bashrc.d/*.sh; do\n  [ -r "$f" ] && . "$f"\ndone\n',
      ['2:/home/u/.bashrc.d/10-a.sh', '2:/home/u/.bashrc.d/20-b.sh'],
    ],
    ['braces, in their order', 'for file in ~/.{exports,aliases}; do source "$file"; done\n', ['1:/home/u/.exports', '1:/home/u/.aliases']],
    ["zsh's (N) qualifier", 'for c in $HOME/custom/*.zsh(N); do source $c; done\n', ['1:/home/u/custom/k.zsh'], { shell: 'zsh' }],
    ['an unknown variable in the list: not followed', 'for f in $DOTS/*.sh; do . "$f"; done\n', []],
    ['another variable sourced in the loop: not followed', 'for f in ~/.bashrc.d/*.sh; do . "$g"; done\n', []],
    ['without a glob function: not followed', 'for f in ~/.bashrc.d/*.sh; do . "$f"; done\n', [], { glob: undefined }],
  ])('%s', (_, text, expected, extra) => {
    expect(paths(text, { glob, ...extra })).toEqual(expected);
  });
});

describe('readingOrder: sourced files placed where they are sourced', () => {
  const files: Record<string, string> = {
    [`${H}/.bashrc`]: 'a=1\nif [ -f ~/.bash_aliases ]; then\n  . ~/.bash_aliases\nfi\nexport K=rc\n',
    [`${H}/.bash_aliases`]: 'export K=aliases\n. ~/.more\n',
    [`${H}/.more`]: 'K=more\n. ~/.bashrc\n',
  };
  const read = (p: string) => files[p];

  it('splits .bashrc around .bash_aliases, recursively, and does not enter a file being read (cycle)', () => {
    expect(readingOrder([`${H}/.bashrc`], read, scope())).toEqual([
      { path: `${H}/.bashrc`, from: 1, to: 3 },
      { path: `${H}/.bash_aliases`, from: 1, to: 2, sourcedFrom: { path: `${H}/.bashrc`, line: 3 } },
      { path: `${H}/.more`, from: 1, to: 2, sourcedFrom: { path: `${H}/.bash_aliases`, line: 2 } },
      { path: `${H}/.bashrc`, from: 4, to: 5 },
    ]);
  });

  it('stops at the depth limit', () => {
    const chain: Record<string, string> = {};
    for (let i = 0; i < 20; i++) chain[`/c/${i}`] = `. /c/${i + 1}\n`;
    expect(readingOrder(['/c/0'], (p) => chain[p], scope(), { maxDepth: 3 }).map((s) => s.path)).toEqual(['/c/0', '/c/1', '/c/2']);
  });

  it('leaves out a missing file and a file the caller skips', () => {
    expect(
      readingOrder([`${H}/.bashrc`], read, scope(), { skip: (p) => p.endsWith('.bash_aliases') }).map((s) => `${s.path}:${s.from}-${s.to}`),
    ).toEqual([`${H}/.bashrc:1-5`]);
    expect(readingOrder(['/nope'], read, scope())).toEqual([]);
  });

  it("a non-interactive bash stops at Debian's early return, so nothing after it is sourced", () => {
    const rc = 'case $- in\n    *i*) ;;\n      *) return;;\nesac\n. ~/.bash_aliases\n';
    const order = readingOrder(
      ['/rc'],
      (p) => (p === '/rc' ? rc : p === `${H}/.bash_aliases` ? 'x\n' : undefined),
      scope({ interactive: false }),
    );
    expect(order).toEqual([{ path: '/rc', from: 1, to: 4 }]);
    const interactive = readingOrder(
      ['/rc'],
      (p) => (p === '/rc' ? rc : p === `${H}/.bash_aliases` ? 'x\n' : undefined),
      scope({ interactive: true }),
    );
    expect(interactive.map((s) => s.path)).toEqual(['/rc', `${H}/.bash_aliases`]);
  });
});

describe('definitionsAlong', () => {
  it("places a definition in ~/.bash_aliases at the line that sources it, between .bashrc's own", () => {
    const files: Record<string, string> = {
      [`${H}/.bashrc`]: 'export K=first\n. ~/.bash_aliases\n# >>> envset >>>\n. "$HOME/.config/envset/env.sh"\n# <<< envset <<<\n',
      [`${H}/.bash_aliases`]: '\nexport K=aliases\n',
    };
    const read = (p: string) => files[p];
    const defs = definitionsAlong(readingOrder([`${H}/.bashrc`], read, scope()), read, 'K', true);
    expect(
      defs.map((d) => `${d.path}:${d.line}${d.managed ? ' managed' : ''}${d.sourcedFrom ? ` via ${d.sourcedFrom.line}` : ''}`),
    ).toEqual([`${H}/.bashrc:1`, `${H}/.bash_aliases:2 via 2`, `${H}/.bashrc:3 managed`]);
  });
});

describe('readingOrder remembers a scan only for the same text, shell, start mode and known variables', () => {
  // Files that set a variable the next file uses: a remembered scan must hand the variable on too.
  const files: Record<string, string> = {
    '/home/u/.bashrc': 'export DOT=$HOME/.dot\n. $DOT/a\n',
    '/home/u/.dot/a': 'source $DOT/b\n',
    '/home/u/.dot/b': 'x=1\n',
    '/home/u/.zshrc': 'source $ZDOTDIR/.zlocal\n',
  };
  const read = (path: string) => files[path];
  const order = (file: string, extra: Partial<SourceScope> = {}) =>
    readingOrder([file], read, scope(extra)).map((s) => `${s.path}:${s.from}-${s.to}`);

  it('twice the same answer, variables set by a file included', () => {
    const first = order('/home/u/.bashrc');
    expect(first).toEqual(['/home/u/.bashrc:1-2', '/home/u/.dot/a:1-1', '/home/u/.dot/b:1-1']);
    expect(order('/home/u/.bashrc')).toEqual(first);
  });

  it('other known variables, another answer', () => {
    expect(order('/home/u/.zshrc', { shell: 'zsh', vars: { ZDOTDIR: '/z1' } })).toEqual(['/home/u/.zshrc:1-1']);
    files['/z2/.zlocal'] = 'y=2\n';
    expect(order('/home/u/.zshrc', { shell: 'zsh', vars: { ZDOTDIR: '/z2' } })).toEqual(['/home/u/.zshrc:1-1', '/z2/.zlocal:1-1']);
  });
});
