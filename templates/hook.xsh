# >>> envset >>>
# Added by envset: loads the variables and PATH folders it keeps in {{envFileShown}}. Remove with: envset unset NAME, envset path remove DIR
if __import__('os').path.isfile({{envFile}}):
    source @({{envFile}})
# <<< envset <<<
