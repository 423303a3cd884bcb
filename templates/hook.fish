# >>> envset >>>
# Added by envset: loads the variables and PATH folders it keeps in {{envFileShown}}. Remove with: envset unset NAME, envset path remove DIR
if test -f {{envFile}}
    source {{envFile}}
end
# <<< envset <<<
