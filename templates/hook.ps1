#region envset
# Added by envset: loads the variables it keeps in {{envFileShown}}. Remove with: envset unset NAME
if (Test-Path -LiteralPath {{envFile}}) { . {{envFile}} }
#endregion envset
