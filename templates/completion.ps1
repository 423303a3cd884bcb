# PowerShell completion for envset, made from its command table by `envset completion pwsh`.
# Enable it with this line in your profile ($PROFILE):
#   envset completion pwsh | Out-String | Invoke-Expression
# The names of the variables envset manages come from `envset completion names`: names, never values.

Register-ArgumentCompleter -Native -CommandName envset -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    # Each command ('' is envset without one): its options, and what completes its arguments by
    # place (Rest: every further argument).
    $commands = @(
{{commands}}
    )
    # Every option: its help line, and what completes its value (Value '' for an option that takes none).
    $options = @(
{{options}}
    )
    $targets = @({{targets}})
    $specials = @({{specials}})

    $result = {
        param([string] $text, [string] $type, [string] $tip)
        [System.Management.Automation.CompletionResult]::new($text, $text, $type, $tip)
    }
    $optionNamed = { param([string] $name) $options | Where-Object { $_.Name -ceq $name } | Select-Object -First 1 }

    # The words before the cursor, without envset itself.
    $words = @($commandAst.CommandElements | Where-Object { $_.Extent.EndOffset -lt $cursorPosition } | ForEach-Object { $_.Extent.Text } | Select-Object -Skip 1)

    # --shell=b: the value after the `=`; --shell b: the word after the option.
    $prefix = ''
    $word = $wordToComplete
    $previous = if ($words.Count -gt 0) { $words[-1] } else { '' }
    if ($wordToComplete -match '^(--[a-z-]+)=(.*)$') {
        $previous = $Matches[1]
        $prefix = "$($Matches[1])="
        $word = $Matches[2]
    }
    $option = & $optionNamed $previous
    if ($option -and $option.Value) {
        switch ($option.Value) {
            'shells' {
                $head = if ($word.Contains(',')) { $word.Substring(0, $word.LastIndexOf(',') + 1) } else { '' }
                $part = $word.Substring($head.Length)
                $given = $head.Split(',')
                $candidates = @($targets | Where-Object { $given -notcontains $_ })
                if (-not $head) { $candidates += $specials }
                $candidates | Where-Object { $_ -like "$part*" } | ForEach-Object { & $result "$prefix$head$_" 'ParameterValue' $_ }
            }
            'variables' {
                Get-ChildItem Env: | Where-Object { $_.Name -like "$word*" } | ForEach-Object { & $result "$prefix$($_.Name)" 'ParameterValue' $_.Name }
            }
            # files and dirs: nothing here, so PowerShell completes paths itself.
        }
        return
    }

    # The command and the arguments before the cursor; the values of options are skipped.
    $command = ''
    $arguments = @()
    $homeFolder = $null
    for ($i = 0; $i -lt $words.Count; $i++) {
        $text = $words[$i]
        if ($text -like '-?*') {
            $taken = & $optionNamed $text
            if ($taken -and $taken.Value) {
                $i++
                if ($text -ceq '--home' -and $i -lt $words.Count) { $homeFolder = $words[$i] }
            }
        } elseif (-not $command) {
            $command = $text
        } else {
            $arguments += $text
        }
    }
    $entry = $commands | Where-Object { $_.Names -ccontains $command } | Select-Object -First 1
    if (-not $entry) { return }

    if ($wordToComplete -like '-*') {
        $entry.Options | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object { & $result $_ 'ParameterName' (& $optionNamed $_).Help }
        return
    }
    $complete = if ($arguments.Count -lt $entry.Arguments.Count) { $entry.Arguments[$arguments.Count] } else { $entry.Rest }
    switch ($complete) {
        'commands' {
            $commands | Where-Object { $_.Names[0] } | ForEach-Object {
                $summary = $_.Summary
                $_.Names | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object { & $result $_ 'Command' $summary }
            }
        }
        'choices' {
            $entry.Choices | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object { & $result $_ 'ParameterValue' $_ }
        }
        # dirs: nothing here, so PowerShell completes paths itself.
        'completion-shells' {
            @({{completionShells}}) | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object { & $result $_ 'ParameterValue' $_ }
        }
        'managed' {
            $homeOption = if ($homeFolder) { @('--home', $homeFolder) } else { @() }
            & envset completion names @homeOption 2>$null |
                Where-Object { $_ -like "$wordToComplete*" -and $arguments -notcontains $_ } |
                ForEach-Object { & $result $_ 'ParameterValue' 'a variable managed by envset' }
        }
    }
}
