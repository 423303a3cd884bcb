# fish completion for envset, made from its command table by `envset completion fish`.
# Enable it:
#   envset completion fish > ~/.config/fish/completions/envset.fish
# The names of the variables envset manages come from `envset completion names`: names, never values.

# The words before the cursor that are neither options nor their values: the command, then its arguments.
function __envset_args
    set -l words (commandline -opc)
    set -e words[1]
    set -l skip 0
    set -l dashdash 0
    for word in $words
        if test $skip = 1
            set skip 0
        else if test $dashdash = 0; and test "$word" = --
            set dashdash 1
        else if test $dashdash = 0; and string match -qr -- '^-.' $word
            contains -- $word {{valued}}; and set skip 1
        else
            echo $word
        end
    end
end

# True when the command being completed is one of $argv ('' for none yet); with --at N, when N
# arguments follow it so far; with --from N, when N or more do.
function __envset_is
    set -l args (__envset_args)
    set -l given 0
    set -q args[2]; and set given (math (count $args) - 1)
    switch "$argv[1]"
        case --at
            test $given -eq $argv[2]; or return 1
            set -e argv[1..2]
        case --from
            test $given -ge $argv[2]; or return 1
            set -e argv[1..2]
    end
    contains -- "$args[1]" $argv
end

# --shell: a comma list of targets, or auto or all alone.
function __envset_shells
    set -l token (commandline -ct | string replace -r -- '^--shell=' '')
    set -l head (string replace -r -- '[^,]*$' '' $token)
    set -l given (string split , -- "$head")
    for id in {{targets}}
        contains -- $id $given; or echo $head$id
    end
    test -z "$head"; and printf '%s\n' {{specials}}
end

# The names envset manages in this home (or in that of --home), minus those already given.
function __envset_names
    set -l words (commandline -opc)
    set -l home
    for i in (seq (count $words))
        switch $words[$i]
            case --home
                test $i -lt (count $words); and set home --home (string replace -r -- '^~' $HOME $words[(math $i + 1)])
            case '--home=*'
                set home --home (string replace -- --home= '' $words[$i] | string replace -r -- '^~' $HOME)
        end
    end
    set -l given (__envset_args)
    for name in (command envset completion names $home 2>/dev/null)
        contains -- $name $given; or echo $name
    end
end

# Nothing completes as a file name unless an option asks for one.
complete -c envset -f

{{completions}}
