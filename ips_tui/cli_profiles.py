"""``ips-tui profiles list|add|edit|remove|test|companies``: the saved connections, from a script or a shell.

Registered by :mod:`ips_tui.cli` through ``COMMAND_MODULES``. Light to import: the store, the
secrets chain and zeep load when a command runs. Exit codes as everywhere: 0 done, 2 invalid input
(including an unreadable profiles file), 3 a fault from the service, 4 network, TLS or timeout.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ips_tui import i18n
from ips_tui.i18n import _

EXIT_OK, EXIT_INVALID, EXIT_FAULT, EXIT_NETWORK = 0, 2, 3, 4

REGIONS = ("na", "emea", "apac")
EMAIL_SETTINGS = ("All", "Error", "ErrorAndWarning", "JobCompletion", "None")
UNSETTABLE = ("timezone", "locale", "email_setting", "password_env", "cacert", "default_company", "auth_header",
              "max_reply_mib", "max_inflated_mib")
AUTH_HEADERS = ("documented", "dated")


class _Fail(Exception):
    """Stop a command: print the message and exit with ``code``."""

    def __init__(self, message: str, code: int = EXIT_INVALID) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# --- the parsers --------------------------------------------------------------------------------


def register(sub, connection_options) -> None:
    p = sub.add_parser(
        "profiles", help=_("saved connections: list, add, edit, remove, test, companies"),
        description=_("Saved connections (everything but the password). See docs/profiles.md."))
    p.set_defaults(func=_no_action, profiles_parser=p)
    actions = p.add_subparsers(dest="profiles_action", metavar="ACTION")

    ls = actions.add_parser("list", help=_("list the profiles"))
    ls.add_argument("--json", action="store_true", help=_("print one JSON document"))
    ls.set_defaults(func=_run(cmd_list))

    add = actions.add_parser("add", help=_("add a profile"))
    add.add_argument("name", metavar="NAME", help=_("the new profile's name"))
    _profile_options(add, adding=True)
    _after_save_options(add)
    add.set_defaults(func=_run(cmd_add))

    edit = actions.add_parser("edit", help=_("change a profile (only the options given)"))
    edit.add_argument("name", metavar="NAME", help=_("the profile to change"))
    _profile_options(edit, adding=False)
    _after_save_options(edit)
    edit.set_defaults(func=_run(cmd_edit))

    rm = actions.add_parser("remove", help=_("delete a profile (and its keyring entry)"))
    rm.add_argument("name", metavar="NAME", help=_("the profile to delete"))
    rm.add_argument("--yes", "-y", action="store_true", help=_("do not ask for confirmation"))
    rm.set_defaults(func=_run(cmd_remove))

    test = actions.add_parser("test", help=_("check the credentials, and which authHeader the service reads"))
    test.add_argument("name", metavar="NAME", nargs="?", help=_("the profile (default: --profile or the default)"))
    test.add_argument("--json", action="store_true", help=_("print one JSON object"))
    test.add_argument("--schema", action="store_true",
                      help=_("also fetch the service's WSDL and report where it differs from ours"))
    connection_options(test)
    test.set_defaults(func=_run(_cmd_test))

    comp = actions.add_parser("companies", help=_("find the company handles and save them in the profile"))
    comp.add_argument("name", metavar="NAME", nargs="?", help=_("the profile (default: --profile or the default)"))
    comp.add_argument("--name", dest="company_names", action="append", default=[], metavar="COMPANY",
                      help=_("look up this company by name (getCompanyInfo) instead of the user's memberships; "
                             "repeatable"))
    comp.add_argument("--replace", action="store_true",
                      help=_("drop the profile's companies that were not found"))
    comp.add_argument("--no-save", action="store_true", help=_("only list them; leave the profile as it is"))
    comp.add_argument("--json", action="store_true", help=_("print one JSON object"))
    connection_options(comp)
    comp.set_defaults(func=_run(cmd_companies))


def _profile_options(p: argparse.ArgumentParser, *, adding: bool) -> None:
    g = p.add_argument_group(_("profile"))
    g.add_argument("--user", metavar="EMAIL", required=adding, help=_("the IPS user (an e-mail address)"))
    where = g.add_mutually_exclusive_group()
    where.add_argument("--region", choices=REGIONS, help=_("Adobe's region: na, emea or apac"))
    where.add_argument("--url", help=_("a custom service URL instead of a region"))
    staging = g.add_mutually_exclusive_group()
    staging.add_argument("--staging", dest="staging", action="store_true", default=None,
                         help=_("Adobe's staging hosts for the region"))
    staging.add_argument("--production", dest="staging", action="store_false",
                         help=_("the region's production hosts (the default)"))
    g.add_argument("--timezone", metavar="ZONE",
                   help=_("the server's time zone, used for schedules (default: the region's)"))
    g.add_argument("--locale", metavar="CODE", help=_("default job locale, e.g. en-US"))
    g.add_argument("--email-setting", choices=EMAIL_SETTINGS, help=_("default emailSetting"))
    g.add_argument("--password-env", metavar="VARIABLE",
                   help=_("the environment variable that holds the password"))
    g.add_argument("--cacert", metavar="FILE", help=_("CA certificate file that verifies the service"))
    g.add_argument("--company", dest="companies", action="append", default=[], metavar="NAME=HANDLE",
                   help=_("a company and its handle; repeatable"))
    g.add_argument("--default-company", metavar="NAME", help=_("the company jobs go to when they name none"))
    g.add_argument("--default", dest="make_default", action="store_true",
                   help=_("make this the default profile"))
    g.add_argument("--auth-header", choices=AUTH_HEADERS,
                   help=_("where the authHeader goes: documented (unversioned) or dated (the request's) namespace"))
    g.add_argument("--max-reply-mib", type=int, metavar="MIB", help=_("largest reply read, in MiB (default 16)"))
    g.add_argument("--max-inflated-mib", type=int, metavar="MIB",
                   help=_("largest reply once unpacked, in MiB (default 32)"))
    if not adding:
        g.add_argument("--rename", metavar="NEW_NAME", help=_("give the profile a new name"))
        g.add_argument("--remove-company", action="append", default=[], metavar="NAME",
                       help=_("forget a company; repeatable"))
        g.add_argument("--unset", action="append", default=[], choices=UNSETTABLE, metavar="KEY",
                       help=_("clear a setting: {keys}").format(keys=", ".join(UNSETTABLE)))


def _after_save_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group(_("after saving"))
    g.add_argument("--fetch-companies", action="store_true",
                   help=_("ask the service for the user's companies and save them"))
    g.add_argument("--store-password", action="store_true",
                   help=_("keep the password in the system keyring (asked on a terminal, else one line "
                          "from standard input)"))
    g.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                   help=_("time limit for one call (default 60)"))


def _no_action(args) -> int:
    args.profiles_parser.print_usage(sys.stderr)
    print(_("ips-tui profiles: say what to do: list, add, edit, remove, test or companies"), file=sys.stderr)
    return EXIT_INVALID


def _run(command):
    """Wrap a command: its errors in words on standard error, with the right exit code."""

    def run(args) -> int:
        from ips_tui.store.permissions import take_notices

        try:
            return _run_one(command, args)
        finally:
            for text in take_notices():  # a folder tightened, an authHeader learnt
                _error(text)

    return run


def _run_one(command, args) -> int:
    from ips_tui.connection import ConnectionSetupError
    from ips_tui.ips.faults import IpsError
    from ips_tui.store.atomic import StoreLockError, StoreWriteError
    from ips_tui.store.profiles import ProfileError, ProfileFileError, ProfileNotFoundError

    if getattr(args, "json", False):
        i18n.set_language("en")  # machine-readable output never changes with the language
    try:
        return command(args)
    except StoreWriteError as error:  # disk full: the file is as it was
        _error(str(error))
        return EXIT_INVALID
    except _Fail as error:
        _error(error.message)
        return error.code
    except ConnectionSetupError as error:
        _error(error.message)
        return error.exit_code
    except IpsError as error:
        _error(error.message)
        return error.exit_code
    except (ProfileFileError, ProfileError, ProfileNotFoundError, StoreLockError) as error:
        _error(str(error))
        return EXIT_INVALID


def _error(text: str) -> None:
    from ips_tui.safe_text import visible

    print(f"ips-tui: {visible(text, one_line=False)}", file=sys.stderr)


def _store():
    from ips_tui.store.profiles import ProfileStore

    return ProfileStore()


# --- list ---------------------------------------------------------------------------------------


def _environment(profile) -> str:
    from ips_tui.environments import profile_environment

    return profile_environment(profile)


def _env_word(env: str) -> str:
    return {
        "production": _("PRODUCTION"),
        "staging": _("STAGING"),
        "sandbox": _("SANDBOX"),
    }.get(env, _("CUSTOM"))


def _password_way(profile) -> str:
    from ips_tui.store.secrets import GENERAL_ENV

    if profile.password_env:
        return "$" + profile.password_env
    return _("${variable}, keyring or prompt").format(variable=GENERAL_ENV)


def profile_json(profile, default: str | None) -> dict[str, Any]:
    """What ``list --json`` prints for one profile (never a password)."""
    return {
        "name": profile.name,
        "default": profile.name == default,
        "environment": _environment(profile),
        "url": profile.service_url,
        "region": profile.region,
        "staging": profile.staging,
        "user": profile.user,
        "timezone": profile.timezone,
        "locale": profile.locale,
        "email_setting": profile.email_setting,
        "password_env": profile.password_env,
        "cacert": profile.cacert,
        "companies": dict(profile.companies),
        "default_company": profile.default_company,
        "auth_header": profile.auth_header,
        "max_reply_mib": profile.max_reply_mib,
        "max_inflated_mib": profile.max_inflated_mib,
    }


def cmd_list(args) -> int:
    store = _store()
    data = store.load()
    profiles = sorted(data.profiles.values(), key=lambda p: p.name.casefold())
    if args.json:
        print(json.dumps({"path": str(store.path), "default": data.default_profile,
                          "profiles": [profile_json(p, data.default_profile) for p in profiles]}, indent=2))
        return EXIT_OK
    if not profiles:
        print(_("No profiles yet ({path}). Add one: ips-tui profiles add NAME --user EMAIL --region na").format(
            path=store.path))
        return EXIT_OK
    from urllib.parse import urlsplit

    from ips_tui.safe_text import visible as _v  # the file may have been edited by hand

    rows = [("", _("NAME"), _("ENVIRONMENT"), _("USER"), _("ENDPOINT"), _("COMPANIES"), _("PASSWORD"))]
    for p in profiles:
        host = urlsplit(p.service_url).netloc
        where = f"{p.region}: {host}" if p.region and not p.url else host
        companies = ""
        if p.companies:
            companies = f"{p.default_company} ({p.companies.get(p.default_company or '', '')})"
            if len(p.companies) > 1:
                companies += " " + _("+{n} more").format(n=len(p.companies) - 1)
        rows.append(tuple(_v(cell) for cell in ("*" if p.name == data.default_profile else "", p.name,
                                                _env_word(_environment(p)), p.user, where, companies,
                                                _password_way(p))))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    print(_("{path}; * marks the default profile.").format(path=store.path))
    return EXIT_OK


# --- add / edit (ips_tui.cli_profiles_edit) ----------------------------------------------------


def cmd_add(args) -> int:
    from ips_tui.cli_profiles_edit import cmd_add

    return cmd_add(args)


def cmd_edit(args) -> int:
    from ips_tui.cli_profiles_edit import cmd_edit

    return cmd_edit(args)


# --- remove -------------------------------------------------------------------------------------


def _confirm(question: str) -> bool:
    try:
        answer = input(question)
    except EOFError:
        return False
    answer = answer.strip().casefold()
    return answer in {"y", "yes", _("y").casefold(), _("yes").casefold()}


def cmd_remove(args) -> int:
    from ips_tui.store.secrets import delete_password, keyring_status

    store = _store()
    profile = store.get(args.name)
    if not args.yes:
        if sys.stdin is None or not sys.stdin.isatty():
            raise _Fail(_("Removing profile '{name}' needs confirmation: add --yes.").format(name=args.name))
        question = _("Remove profile '{name}' ({env}, {user})? [y/N] ").format(
            name=profile.name, env=_env_word(_environment(profile)), user=profile.user)
        if not _confirm(question):
            print(_("Nothing was removed."))
            return EXIT_OK
    store.remove(profile.name)
    print(_("Removed profile '{name}'.").format(name=profile.name))
    available, _explanation = keyring_status()
    if available and delete_password(profile).ok:
        print(_("Its password was removed from the system keyring."))
    return EXIT_OK


# --- test / companies (ips_tui.cli_profiles_service) --------------------------------------------


def _cmd_test(args) -> int:
    from ips_tui.cli_profiles_service import cmd_test

    return cmd_test(args)


def cmd_companies(args) -> int:
    from ips_tui.cli_profiles_service import cmd_companies

    return cmd_companies(args)


def _fetch_and_save(args, store, profile, *, password, names, replace: bool, save: bool) -> int:
    from ips_tui.cli_profiles_service import fetch_and_save

    return fetch_and_save(args, store, profile, password=password, names=names, replace=replace, save=save)
