// The PATH section of each family's env file (`envset path add`): every start takes each folder out
// of PATH wherever it is and puts it at its end (so a file read twice, an inherited PATH that has
// the folder already, or a startup file that adds it too leaves it there once), and leaves no
// function or variable of its own behind. A folder in the home is written from the shell's own
// home, so the entry follows a renamed home and works for --home provisioning. Folder names are
// literals of each shell's quoting: nothing in one is ever run or expanded. Pure: entries in,
// lines out; what each shell does was measured on the shells of docs/shells.md.
import { applyOrder, homeRelative } from '../paths.js';
import type { PathEntry } from '../state.js';
import { quoteFish, quotePosix, quotePwsh } from './quote.js';
import { quoteCsh, quoteElvish, quoteNu, quoteXonsh } from './quote-csh-xonsh-nu-elvish.js';

export type FamilyId = 'posix' | 'fish' | 'csh' | 'xonsh' | 'nu' | 'elvish' | 'pwsh';

const HEAD = '# Folders on PATH (envset path add): each one taken out of PATH wherever it is, then put at its end.';

/**
 * One shell expression for the entry's folder: `home` is the home followed by the quoted rest
 * (`/rel`), `literal` a quoted absolute folder.
 */
function folder(entry: PathEntry, home: (rest: string) => string, literal: (text: string) => string, sep = '/'): string {
  const rel = homeRelative(entry.dir);
  if (rel === undefined) return literal(entry.dir);
  return home(rel === '' ? '' : `${sep}${rel.split('/').join(sep)}`);
}

/**
 * Git Bash (MSYS) names C:\x as /c/x in its PATH, where `:` separates folders; only a POSIX shell on
 * Windows reads env.sh there. (Not tried under MSYS here.)
 */
const msysFolder = (dir: string) => dir.replace(/^([A-Za-z]):[\\/]?/, (_, drive: string) => `/${drive.toLowerCase()}/`).replace(/\\/g, '/');

/**
 * POSIX sh, bash, zsh, dash: a function of parameter expansion only (no program, so a PATH that is
 * broken still gets its folders back). `case` and `${x%%:"$2":*}` take the quoted folder literally,
 * glob characters included.
 */
function posixSection(entries: readonly PathEntry[], platform: NodeJS.Platform): string[] {
  const literal = (dir: string) => quotePosix(platform === 'win32' ? msysFolder(dir) : dir);
  return [
    HEAD,
    '_envset_path_entry() {',
    '  _envset_p=:${PATH-}:',
    '  while :; do',
    '    case $_envset_p in',
    '      *:"$2":*) _envset_p=${_envset_p%%:"$2":*}:${_envset_p#*:"$2":} ;;',
    '      *) break ;;',
    '    esac',
    '  done',
    '  _envset_p=${_envset_p#:}',
    '  _envset_p=${_envset_p%:}',
    '  case $1 in',
    '    append) PATH=${_envset_p:+$_envset_p:}$2 ;;',
    '    *) PATH=$2${_envset_p:+:$_envset_p} ;;',
    '  esac',
    '}',
    ...applyOrder(entries).map(
      (e) => `_envset_path_entry ${e.position} ${folder(e, (rest) => `"$HOME"${rest && quotePosix(rest)}`, literal)}`,
    ),
    'export PATH',
    'unset _envset_p',
    'unset -f _envset_path_entry',
  ];
}

/** fish: PATH is a list; `contains -i` finds the folder literally. Global, never universal (which would outlive envset). */
function fishSection(entries: readonly PathEntry[]): string[] {
  return [
    HEAD,
    'function _envset_path_entry --argument-names where dir',
    '    while set -l i (contains -i -- $dir $PATH)',
    '        set -e PATH[$i]',
    '    end',
    '    if test "$where" = append',
    '        set -gx PATH $PATH $dir',
    '    else',
    '        set -gx PATH $dir $PATH',
    '    end',
    'end',
    ...applyOrder(entries).map(
      (e) => `_envset_path_entry ${e.position} ${folder(e, (rest) => `$HOME${rest && quoteFish(rest)}`, quoteFish)}`,
    ),
    'functions -e _envset_path_entry',
  ];
}

/**
 * csh and tcsh: the `path` list, which the shell keeps in step with PATH. Walked by index: bsd-csh
 * runs backquotes again in a `foreach` list. `"x$a" != "x$b"` compares text, never an operator
 * or a file test. (csh writes an empty PATH element back as `.`, which means the same.)
 */
function cshSection(entries: readonly PathEntry[]): string[] {
  const lines = [HEAD];
  for (const e of applyOrder(entries)) {
    lines.push(
      `set _envset_d = ${folder(e, (rest) => `"$HOME"${rest && quoteCsh(rest)}`, quoteCsh)}`,
      'set _envset_k = ()',
      '@ _envset_i = 1',
      'while ($_envset_i <= $#path)',
      '    if ("x$path[$_envset_i]" != "x$_envset_d") set _envset_k = ($_envset_k:q $path[$_envset_i]:q)',
      '    @ _envset_i++',
      'end',
      e.position === 'append' ? 'set path = ($_envset_k:q $_envset_d:q)' : 'set path = ($_envset_d:q $_envset_k:q)',
    );
  }
  lines.push('unset _envset_d _envset_k _envset_i');
  return lines;
}

/** xonsh: $PATH is a list of folders (a folder with `$` is refused for xonsh: it would expand it). */
function xonshSection(entries: readonly PathEntry[]): string[] {
  return [
    HEAD,
    'def _envset_path_entry(where, d):',
    '    while d in $PATH:',
    '        $PATH.remove(d)',
    "    if where == 'append':",
    '        $PATH.append(d)',
    '    else:',
    '        $PATH.insert(0, d)',
    ...applyOrder(entries).map(
      (e) => `_envset_path_entry('${e.position}', ${folder(e, (rest) => (rest ? `$HOME + ${quoteXonsh(rest)}` : '$HOME'), quoteXonsh)})`,
    ),
    'del _envset_path_entry',
  ];
}

/** Nushell: $env.PATH, a list once Nushell has started (split here if a config left it a string). */
function nuSection(entries: readonly PathEntry[]): string[] {
  return [
    HEAD,
    ...applyOrder(entries).map((e) => {
      const dir = folder(e, (rest) => (rest ? `($env.HOME + ${quoteNu(rest)})` : '$env.HOME'), quoteNu);
      const put = e.position === 'append' ? 'append' : 'prepend';
      return `$env.PATH = ($env.PATH | if ($in | describe) == 'string' { split row (char esep) } else { $in } | where {|p| $p != ${dir} } | ${put} ${dir})`;
    }),
  ];
}

/** Elvish: the `paths` list, which is PATH. */
function elvishSection(entries: readonly PathEntry[]): string[] {
  return [
    HEAD,
    ...applyOrder(entries).map((e) => {
      const dir = folder(e, (rest) => `$E:HOME${rest && quoteElvish(rest)}`, quoteElvish);
      const others = `(each {|p| if (not-eq $p ${dir}) { put $p } } $paths)`;
      return e.position === 'append' ? `set paths = [${others} ${dir}]` : `set paths = [${dir} ${others}]`;
    }),
  ];
}

/**
 * PowerShell: $env:PATH split at [IO.Path]::PathSeparator; on Windows folder names compare without
 * regard to case and to a trailing backslash, as Windows finds programs.
 */
function pwshSection(entries: readonly PathEntry[], platform: NodeJS.Platform): string[] {
  const sep = platform === 'win32' ? '\\' : '/';
  return [
    HEAD,
    'function _envset_path_entry([string] $Where, [string] $Dir) {',
    '    $sep = [IO.Path]::PathSeparator',
    "    $windows = [IO.Path]::DirectorySeparatorChar -eq '\\'",
    '    $rest = @()',
    '    if ($env:PATH) {',
    '        foreach ($p in $env:PATH.Split($sep)) {',
    "            $same = if ($windows) { [string]::Equals($p.TrimEnd('\\'), $Dir.TrimEnd('\\'), [StringComparison]::OrdinalIgnoreCase) } else { [string]::Equals($p, $Dir, [StringComparison]::Ordinal) }",
    '            if (-not $same) { $rest += $p }',
    '        }',
    '    }',
    "    $all = if ($Where -eq 'append') { @($rest) + $Dir } else { @($Dir) + $rest }",
    '    $env:PATH = $all -join $sep',
    '}',
    ...applyOrder(entries).map(
      (e) => `_envset_path_entry '${e.position}' ${folder(e, (rest) => (rest ? `($HOME + ${quotePwsh(rest)})` : '$HOME'), quotePwsh, sep)}`,
    ),
    'Remove-Item -Path Function:_envset_path_entry',
  ];
}

/** The PATH section of each family's env file; none at all while there are no entries. */
export const PATH_SECTIONS: Record<FamilyId, (entries: readonly PathEntry[], platform: NodeJS.Platform) => string[]> = {
  posix: posixSection,
  fish: fishSection,
  csh: cshSection,
  xonsh: xonshSection,
  nu: nuSection,
  elvish: elvishSection,
  pwsh: pwshSection,
};

export const pathSection = (family: FamilyId, entries: readonly PathEntry[], platform: NodeJS.Platform): string[] =>
  entries.length ? PATH_SECTIONS[family](entries, platform) : [];
