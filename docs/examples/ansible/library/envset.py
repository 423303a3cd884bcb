#!/usr/bin/python
# -*- coding: utf-8 -*-
# A thin Ansible module around `envset set|unset --json`: envset decides and reports what changed,
# this file only builds the argv, hands the value over on stdin and maps the JSON to Ansible.
# Why a module rather than ansible.builtin.command + changed_when: `value` is declared no_log, so
# Ansible masks it in every result, -v output and log line while envset's own (already masked)
# report stays visible; a command task has to hide its whole result with no_log to be safe.

DOCUMENTATION = r"""
module: envset
short_description: Make an environment variable permanent for a user's shells with envset
description:
  - Runs C(envset set NAME --value-stdin --home HOME --yes --json) (state=present) or
    C(envset unset NAME --home HOME --yes --json) (state=absent) and reports envset's own C(changed).
  - The value reaches envset on standard input, never on a command line, and is a no_log
    parameter, so Ansible replaces it with asterisks in everything it prints or logs.
  - Check mode runs envset with C(--dry-run); diff mode adds C(--diff) (values masked by envset).
  - envset runs with only PATH, the locale, TERM and TZ of the task's environment, plus the user's
    HOME, USER, LOGNAME and SHELL, because the shells it verifies run the user's startup files as
    that user and inherit envset's environment.
  - Needs envset (Node.js 20.12 or later) on the managed host; run as root to act on other users' homes.
options:
  name:
    description: Variable name, for example GEMINI_API_KEY.
    type: str
    required: true
  value:
    description: The secret. Required when state=present. Never logged.
    type: str
  state:
    description: present sets (or updates) NAME; absent removes it, and with the last variable every hook.
    type: str
    choices: [present, absent]
    default: present
  user:
    description:
      - Act on this user's home (from the passwd database); its login shell is what C(shell=auto) starts from.
      - Without user or home, envset acts on the home of the user the task runs as.
    type: str
  home:
    description: Act on this home folder (mutually exclusive with user).
    type: path
  shell:
    description: envset's --shell (comma list of bash, zsh, sh, ..., or auto, or all).
    type: str
    default: auto
  verify:
    description: Start each target shell afterwards and fail when one does not see the value.
    type: bool
    default: true
  verify_timeout:
    description: Milliseconds each shell gets to start (envset's --verify-timeout).
    type: int
  executable:
    description: The envset command as an argv list, for example [/opt/envset/bin/envset].
    type: list
    elements: str
    default: [envset]
"""

EXAMPLES = r"""
- name: GEMINI_API_KEY for alice
  envset:
    name: GEMINI_API_KEY
    value: "{{ vault_gemini_api_key }}"
    user: alice

- name: Take it away again
  envset:
    name: GEMINI_API_KEY
    state: absent
    user: alice
"""

RETURN = r"""
home: {description: The home envset acted on., type: str, returned: when user or home is given}
files: {description: "envset's files list: path, shell, action (created, updated, unchanged, removed, deleted).", type: list, returned: always}
verify: {description: "One entry per shell and mode: shell, mode, ok, detail.", type: list, returned: always}
envset_warnings: {description: envset's warnings (also shown as Ansible warnings)., type: list, returned: always}
"""

import json
import os
import pwd

from ansible.module_utils.basic import AnsibleModule


# What envset's environment keeps from the task's. envset hands its environment to the shells it
# verifies, and those run the user's own startup files as that user: they get what a login would
# give them, never root's (or Ansible's) other variables.
KEEP = ("PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TERM", "TZ", "HOME")


def build(module):
    """The argv, the environment and the home for envset; fails the task on bad parameters."""
    p = module.params
    argv = list(p["executable"])
    env = dict((name, os.environ[name]) for name in KEEP if name in os.environ)
    if p["state"] == "present":
        argv += ["set", p["name"], "--value-stdin", "--shell", p["shell"]]
        if not p["verify"]:
            argv.append("--no-verify")
        if p["verify_timeout"] is not None:
            argv += ["--verify-timeout", str(p["verify_timeout"])]
    else:
        argv += ["unset", p["name"]]
    home = p["home"]
    if p["user"]:
        try:
            entry = pwd.getpwnam(p["user"])
        except KeyError:
            module.fail_json(msg="There is no user %s on this host." % p["user"])
        home = entry.pw_dir
        # envset's `auto` starts from $SHELL, which is root's here; the user's login shell is what counts.
        env.update(HOME=home, USER=p["user"], LOGNAME=p["user"], SHELL=entry.pw_shell)
    if home:
        argv += ["--home", home]
    argv += ["--yes", "--json"]
    if module.check_mode:
        argv.append("--dry-run")
    if module._diff:
        argv.append("--diff")
    return argv, env, home


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            value=dict(type="str", no_log=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            user=dict(type="str"),
            home=dict(type="path"),
            shell=dict(type="str", default="auto"),
            verify=dict(type="bool", default=True),
            verify_timeout=dict(type="int"),
            executable=dict(type="list", elements="str", default=["envset"]),
        ),
        required_if=[("state", "present", ("value",))],
        mutually_exclusive=[("user", "home")],
        supports_check_mode=True,
    )
    argv, env, home = build(module)
    stdin = module.params["value"] if module.params["state"] == "present" else None
    # run_command starts from os.environ: make that exactly the environment chosen above.
    os.environ.clear()
    os.environ.update(env)
    # binary_data: the bytes go as they are (no newline added); envset strips at most one anyway.
    rc, out, err = module.run_command(argv, data=stdin, binary_data=True)
    try:
        report = json.loads(out)
    except ValueError:
        module.fail_json(msg="envset printed no JSON (exit %d): %s" % (rc, err.strip() or out.strip()), rc=rc)

    result = dict(
        changed=bool(report.get("changed", False)),
        files=report.get("files", []),
        verify=report.get("verify", []),
        envset_warnings=report.get("warnings", []),
        rc=rc,
    )
    if home:
        result["home"] = home
    if module._diff and report.get("diff"):
        result["diff"] = dict(prepared=report["diff"])
    for warning in result["envset_warnings"]:
        module.warn(warning)
    if rc == 0:
        module.exit_json(**result)
    if rc == 3:
        failed = ["%s (%s): %s" % (v.get("shell"), v.get("mode"), v.get("detail")) for v in result["verify"] if not v.get("ok")]
        module.fail_json(msg="envset applied the change, but a fresh shell does not see %s: %s" % (module.params["name"], "; ".join(failed)), **result)
    module.fail_json(msg="envset: %s" % report.get("error", err.strip()), **result)


if __name__ == "__main__":
    main()
