// .bashrc files for the guard finder (test/unit/guard.test.ts) and for real bash in the
// `ssh-command` model (test/e2e/ssh-command-model.test.ts).

/** Files with a top-level guard: [name, text, where the block goes, the guard's first line]. */
export const GUARDED: readonly [string, string, number, number][] = [
  [
    'Debian/Ubuntu case',
    "# ~/.bashrc\n\n# If not running interactively, don't do anything\ncase $- in\n    *i*) ;;\n      *) return;;\nesac\nHISTSIZE=1000\n",
    2,
    3,
  ],
  ['case with quoted $- on one line', 'case "$-" in *i*) ;; *) return ;; esac\n', 0, 0],
  ['case with parenthesised patterns and no last ;;', 'case $- in\n(*i*) ;;\n(*) return\nesac\n', 0, 0],
  ['case with : in the interactive branch', 'case $- in\n  *i*) : ;;\n  *) return 0 ;;\nesac\n', 0, 0],
  ['old Ubuntu [ -z "$PS1" ] && return', '# comment\n[ -z "$PS1" ] && return\n', 0, 1],
  [
    'Arch [[ $- != *i* ]] && return',
    "#\n# ~/.bashrc\n#\n\n# If not running interactively, don't do anything\n[[ $- != *i* ]] && return\n\nalias ls='ls --color=auto'\n",
    4,
    5,
  ],
  [
    'Gentoo if block with a comment inside',
    '# Test for an interactive shell.\nif [[ $- != *i* ]] ; then\n\t# Shell is non-interactive.  Be done now!\n\treturn\nfi\n',
    0,
    1,
  ],
  ['if on one line', 'export A=1\nif [[ $- != *i* ]]; then return; fi\n', 1, 1],
  ['if with then on its own line', 'x=1\n\nif [ -z "$PS1" ]\nthen\n  return\nfi\n', 2, 2],
  ['[ -z "$PS1" ] && return with a comment after it', 'x=1\n[ -z "$PS1" ] && return # not interactive\n', 1, 1],
  ['[[ -z $PS1 ]] && return', '[[ -z $PS1 ]] && return\n', 0, 0],
  ['test -z "$PS1" && return', 'test -z "$PS1" && return\n', 0, 0],
  ['${PS1-} and return 0', '[ -z "${PS1-}" ] && return 0\n', 0, 0],
  ['${PS1:-}', '[ -z "${PS1:-}" ] && return\n', 0, 0],
  ['interactive test || return', '[[ $- == *i* ]] || return\n', 0, 0],
  ['[ -n "$PS1" ] || return', '[ -n "$PS1" ] || return\n', 0, 0],
  ['[ "$PS1" ] || return', '[ "$PS1" ] || return\n', 0, 0],
  ['[[ $- =~ i ]] || return', '[[ $- =~ i ]] || return\n', 0, 0],
  ['negated interactive test && return', '! [[ $- == *i* ]] && return\n', 0, 0],
  ['tabs and extra blanks', '\t[  -z   "$PS1"  ]  &&  return ;\n', 0, 0],
  ['continued with a backslash', '[ -z "$PS1" ] \\\n  && return\n', 0, 0],
  ['CRLF lines', 'x=1\r\n# guard\r\ncase $- in\r\n *i*) ;;\r\n *) return;;\r\nesac\r\n', 1, 2],
  ['a blank line stops the walk over comments', '# header\n\n# guard\n[ -z "$PS1" ] && return\n', 2, 3],
  ['the first of two guards', '[ -z "$PS1" ] && return\ncase $- in *i*) ;; *) return;; esac\n', 0, 0],
  ['after a function that returns', 'f() {\n  [ -z "$PS1" ] && return\n}\n[ -z "$PS1" ] && return\n', 3, 3],
  ['after a heredoc holding a guard', 'cat > /tmp/x <<\'EOF\'\n[ -z "$PS1" ] && return\nEOF\n[ -z "$PS1" ] && return\n', 3, 3],
  [
    'after a <<- heredoc with a tab-indented end',
    'cat <<-END\n\tcase $- in *i*) ;; *) return;; esac\n\tEND\n[[ $- != *i* ]] && return\n',
    3,
    3,
  ],
  ['after a here-string', 'cat <<< "$x"\n[ -z "$PS1" ] && return\n', 1, 1],
  ['after a multi-line string', 'x=\'a\n[ -z "$PS1" ] && return\nb\'\n[ -z "$PS1" ] && return\n', 3, 3],
  ['after a comment that names the guard', '# [ -z "$PS1" ] && return\n[ -z "$PS1" ] && return\n', 0, 1],
  ['after a loop with a case in it', 'for f in a b; do\n  case $f in a) : ;; esac\ndone\ncase $- in *i*) ;; *) return;; esac\n', 3, 3],
  ['an if with more in its body', 'x=1\nif [ -z "$PS1" ]; then\n  : batch\n  return\nfi\n', 1, 1],
  ['a case whose branches do more', 'case $- in\n  *i*) : hi ;;\n  *) : bye; return;;\nesac\n', 0, 0],
  ['an if on the interactive test with return in else', 'if [ -n "$PS1" ]; then\n  :\nelse\n  return\nfi\n', 0, 0],
  ['after ${#x} and $#, which are no comments', 'n=${#HOME} m=$#\n[ -z "$PS1" ] && return\n', 1, 1],
];

/**
 * Files without a top-level guard: envset appends. The flag: whether bash started as for
 * `ssh host cmd` still reaches an appended line (false: a return envset does not follow).
 */
export const UNGUARDED: readonly [string, string, boolean][] = [
  ['empty file', '', true],
  [
    'no guard (Fedora skeleton)',
    '# .bashrc\n\n# Source global definitions\nif [ -f /etc/bashrc ]; then\n    . /etc/bashrc\nfi\n\nexport PATH\nunset rc\n',
    true,
  ],
  ['only a comment that names it', '# [ -z "$PS1" ] && return\nalias ll="ls -l"\n', true],
  ['only inside a function', 'f() {\n  [ -z "$PS1" ] && return\n}\n', true],
  ['only inside a function, on one line', 'f() { [ -z "$PS1" ] && return; }\n', true],
  ['only inside a `function name {` body', 'function f {\n  case $- in *i*) ;; *) return;; esac\n}\n', true],
  ['only inside a heredoc', 'cat <<EOF\n[ -z "$PS1" ] && return\nEOF\n', true],
  ['only inside a string', 'x="\n[[ $- != *i* ]] && return\n"\n', true],
  ['only inside a loop', 'for f in 1; do\n  [ -z "$PS1" ] && return\ndone\n', false],
  ['nested in another if (not followed: envset appends)', 'if [ -n "$BASH" ]; then\n  [ -z "$PS1" ] && return\nfi\n', false],
  ['the wrong way round: returns when interactive', '[ -n "$PS1" ] && return\n', true],
  ['another return', '[ -f ~/.nobash ] && return\n', true],
  ['more after the return on the same line', '[ -z "$PS1" ] && return; echo hi\n', false],
  ['an if on something else', 'if [ -f ~/.nobash ]; then return; fi\n', true],
  ['a return inside $(...) is text', 'x=$(echo "[ -z $PS1 ] && return")\n', true],
];
