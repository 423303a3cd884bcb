export const USAGE = `envset: make an environment variable permanent for your shells, prove it, remove it.

Usage:
  envset                                    interactive setup (in a terminal)
  envset set NAME [source] [options]        store NAME, hook it into your shells, verify
  envset unset NAME... [options]            remove NAME (alias: remove); the last one takes every hook away
  envset status [NAME...] [--json] [--verify]
                                            what envset manages, where each name is defined, which
                                            definition each shell sees, warnings
  envset verify NAME [--shell LIST] [--gemini [--api-base URL]]
                                            start each shell afresh and check it sees the stored value;
                                            --gemini also asks the Gemini API whether it accepts the key
  envset env [--shell S]                    print the lines to load the variables now: eval "$(envset env)"

Value source for set (exactly one; in a terminal, a masked prompt when none is given):
  --value-stdin          all of standard input, one trailing newline stripped
  --from-env VAR         the value of VAR in envset's own environment
  --value V              works, but the value is visible to other users and in shell history

Options:
  --shell LIST           bash,zsh,sh,fish,pwsh,windows (comma list), auto (default: your login shell plus shells
                         whose startup files exist) or all (every installed shell)
  --home DIR             act on another home (as root: new files get the owner of DIR)
  --profile FILE         hook FILE instead of the standard startup file (needs one --shell)
  -y, --yes              do not ask for confirmation
  --dry-run              print the plan and a masked diff, change nothing
  --diff                 also print a masked diff of the changes
  --json                 print one JSON document on stdout (values always masked)
  --no-verify            do not start shells to check the result
  --verify-timeout MS    time each shell gets to start (default 5000)
  --adopt                comment out definitions of NAME that envset did not write
                         (marked, so that unset puts them back)
  --backup               keep a copy of each startup file before changing it (FILE.envset-TIME.bak)
  --in-place             write a file that cannot be replaced by rename (a single-file bind mount, as
                         docker run -v makes) in place, after a backup copy; not atomic
  --force                allow a name that shells treat specially (PATH, HOME, LD_*, ...)
  --allow-empty          allow an empty value
  -q, --quiet            print only warnings and errors
  --no-color             no colour (also NO_COLOR)
  -h, --help, -V, --version

Exit codes: 0 done (or nothing to change), 1 could not apply (nothing half-written),
2 bad usage or input (nothing changed), 3 applied but a shell does not see the value,
4 the Gemini API does not accept the key, 5 the key could not be checked (verify --gemini),
130 cancelled.
`;
