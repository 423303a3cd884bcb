# envset's login program for macOS: its LaunchAgent runs it at each login as
#   /bin/sh -c PROGRAM envset-login ENV_FILE NAME...
# and it runs `launchctl setenv NAME VALUE` once for each NAME that ENV_FILE holds, so that apps
# started from the Dock, Finder or Spotlight get it. ENV_FILE is envset's env.sh; nothing in it is
# run, sourced or expanded here: only lines of the one form envset writes, `export NAME='...'`
# (each ' inside written as '\''), are read, as text, and only for the NAMEs above. A line of any
# other form is passed over; of several lines for one NAME the last counts, as in a shell.
env_file=$1
shift
[ -f "$env_file" ] || exit 0
for name do
  case $name in
    '' | [!A-Za-z_]* | *[!A-Za-z0-9_]*) continue ;;
  esac
  found=
  value=
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in
      "export $name='"*"'") ;;
      *) continue ;;
    esac
    word=${line#"export $name='"}
    word=${word%"'"}
    decoded=
    ok=1
    while :; do
      case $word in
        *"'"*)
          decoded=$decoded${word%%"'"*}"'"
          word=${word#*"'"}
          case $word in
            "\\''"*) word=${word#"\\''"} ;;
            *) ok= && break ;;
          esac
          ;;
        *)
          decoded=$decoded$word
          break
          ;;
      esac
    done
    if [ -n "$ok" ]; then
      found=1
      value=$decoded
    fi
  done <"$env_file"
  if [ -n "$found" ]; then launchctl setenv "$name" "$value"; fi
done
exit 0
