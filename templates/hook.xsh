# >>> envset >>>
# Added by envset: loads the variables it keeps in {{envFileShown}}. Remove with: envset unset NAME
if __import__('os').path.isfile({{envFile}}):
    source @({{envFile}})
# <<< envset <<<
