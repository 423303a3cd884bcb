# bash completion for envset, made from its command table by `envset completion bash`.
# Enable it with this line in ~/.bashrc:
#   eval "$(envset completion bash)"
# The names of the variables envset manages come from `envset completion names`: names, never values.

# Sets kind to what completes the value of option $1; fails for an option that takes no value.
_envset_value_kind() {
    case $1 in
{{valueKinds}}
        *) return 1 ;;
    esac
}

# A comma list (--shell bash,zsh): completes the part after the last comma and skips the ones
# already listed; the words of $3 (auto, all) stand only alone.
_envset_list() {
    local word=$1 head= id
    [[ $word == *,* ]] && head=${word%,*},
    for id in $2; do
        [[ ,$head == *,"$id",* ]] && continue
        [[ $id == "${word##*,}"* ]] && COMPREPLY+=("$head$id")
    done
    if [[ -z $head ]]; then
        for id in $3; do [[ $id == "$word"* ]] && COMPREPLY+=("$id"); done
    fi
}

# The names envset manages in this home (or in that of --home), minus those already given.
_envset_names() {
    local name
    local -a names
    mapfile -t names < <(command envset completion names ${home:+--home "${home/#\~/$HOME}"} 2>/dev/null)
    for name in "${names[@]}"; do
        [[ $name == "$cur"* && " ${args[*]} " != *" $name "* ]] && COMPREPLY+=("$name")
    done
}

_envset() {
    local cur=${COMP_WORDS[COMP_CWORD]} cword=$COMP_CWORD
    local -a words=("${COMP_WORDS[@]}") args=()
    local i word kind option= command= home= dashdash= options= complete= choices=
    COMPREPLY=()

    # Completing the value of an option: `--shell b`, or `--shell=b`, which bash splits at the `=`.
    if [[ $cur == = && ${words[cword-1]} == --* ]]; then
        option=${words[cword-1]} cur=
    elif [[ ${words[cword-1]} == = && ${words[cword-2]} == --* ]]; then
        option=${words[cword-2]}
    elif ((cword > 1)); then
        option=${words[cword-1]}
    fi
    if [[ $option == -* ]] && _envset_value_kind "$option"; then
        case $kind in
            shells) _envset_list "$cur" '{{targets}}' '{{specials}}' ;;
            dirs) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
            files) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
            variables) mapfile -t COMPREPLY < <(compgen -e -- "$cur") ;;
        esac
        return 0 # other values (a number, a URL) have nothing to offer
    fi

    # The command and the arguments before the cursor; the values of options are skipped.
    for ((i = 1; i < cword; i++)); do
        word=${words[i]}
        if [[ -z $dashdash && $word == -?* ]]; then
            [[ $word == -- ]] && dashdash=1 && continue
            [[ ${words[i+1]} == = ]] && i=$((i + 1))
            if _envset_value_kind "$word"; then
                i=$((i + 1))
                [[ $word == --home ]] && ((i < cword)) && home=${words[i]}
            fi
        elif [[ -z $command ]]; then
            command=$word
        else
            args+=("$word")
        fi
    done

    # The options of the command, and what completes its argument at this place.
    case $command in
{{commands}}
        *) return 0 ;; # not a command of envset
    esac
    if [[ -z $dashdash && $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
        return 0
    fi
    case $complete in
        commands) mapfile -t COMPREPLY < <(compgen -W '{{commandNames}}' -- "$cur") ;;
        completion-shells) mapfile -t COMPREPLY < <(compgen -W '{{completionShells}}' -- "$cur") ;;
        managed) _envset_names ;;
        choices) mapfile -t COMPREPLY < <(compgen -W "$choices" -- "$cur") ;;
        dirs) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
    esac
    return 0
}

complete -F _envset envset
