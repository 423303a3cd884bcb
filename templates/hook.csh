# >>> envset >>>
# Added by envset: loads the variables it keeps in {{envFileShown}}. Remove with: envset unset NAME
if ( -f {{envFile}} ) source {{envFile}}
# <<< envset <<<
