# >>> envset >>>
# Added by envset: loads the variables and PATH folders it keeps in {{envFileShown}}. Remove with: envset unset NAME, envset path remove DIR
# `source` needs a path known when the file is parsed; `null` sources nothing.
const envset_file = {{envFile}}
source (if ($envset_file | path type) == 'file' { $envset_file } else { null })
# <<< envset <<<
