# >>> envset >>>
# Added by envset: loads the variables it keeps in {{envFileShown}}. Remove with: envset unset NAME
# `source` needs a path known when the file is parsed; `null` sources nothing.
const envset_file = {{envFile}}
source (if ($envset_file | path type) == 'file' { $envset_file } else { null })
# <<< envset <<<
