# >>> envset >>>
# Added by envset: loads the variables it keeps in {{envFileShown}}. Remove with: envset unset NAME
if test -f {{envFile}}
    source {{envFile}}
end
# <<< envset <<<
