# >>> envset >>>
# Added by envset: loads the variables it keeps in {{envFileShown}}. Remove with: envset unset NAME
use path
if (path:is-regular &follow-symlink=$true {{envFile}}) { eval (slurp < {{envFile}}) }
# <<< envset <<<
