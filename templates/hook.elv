# >>> envset >>>
# Added by envset: loads the variables and PATH folders it keeps in {{envFileShown}}. Remove with: envset unset NAME, envset path remove DIR
use path
if (path:is-regular &follow-symlink=$true {{envFile}}) { eval (slurp < {{envFile}}) }
# <<< envset <<<
