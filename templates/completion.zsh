#compdef envset
# zsh completion for envset, made from its command table by `envset completion zsh`.
# Enable it in either of two ways:
#   as a file _envset in a folder of $fpath, before compinit runs in ~/.zshrc:
#     mkdir -p ~/.zfunc && envset completion zsh > ~/.zfunc/_envset
#     (and in ~/.zshrc: fpath=(~/.zfunc $fpath), then autoload -Uz compinit && compinit)
#   or loaded by every new shell, after compinit in ~/.zshrc:
#     source <(envset completion zsh)
# The names of the variables envset manages come from `envset completion names`: names, never values.

# envset's commands, each with its line from envset --help.
_envset_commands() {
  local -a commands=(
{{commandList}}
  )
  _describe -t commands 'envset command' commands
}

# --shell: a comma list of targets, or auto or all alone.
_envset_shells() {
  local -a targets=({{targets}})
  [[ $PREFIX == *,* ]] || targets+=({{specials}})
  _sequence -s , compadd - $targets
}

# Exported variables, for --from-env.
_envset_exported() {
  _parameters -g '*export*'
}

# The names envset manages in this home (or in that of --home), minus those already given.
_envset_names() {
  local home=${opt_args[--home]}
  local -a names given=(${words[2,CURRENT-1]} ${words[CURRENT+1,-1]})
  names=(${(f)"$(command envset completion names ${home:+--home ${home/#\~/$HOME}} 2>/dev/null)"})
  names=(${names:|given})
  _wanted names expl 'variable managed by envset' compadd -a names
}

_envset() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
{{topLevel}}
    '1: :->command' \
    '*:: :->argument' && ret=0
  case $state in
    command) _envset_commands && ret=0 ;;
    argument)
      curcontext=${curcontext%:*:*}:envset-$words[1]:
      case $words[1] in
{{commands}}
      esac
      ;;
  esac
  return ret
}

# Autoloaded from $fpath this file is the body of _envset; sourced, it registers the function.
if [[ $funcstack[1] == _envset ]]; then
  _envset "$@"
else
  compdef _envset envset
fi
