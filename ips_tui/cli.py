"""Entry point: no subcommand starts the TUI; subcommands are the headless twin.

Nothing here imports Textual unless the TUI is started, so scripts pay only for what they use.
Exit codes: 0 done, 2 invalid input, 3 a fault from the service, 4 network, TLS or timeout,
5 a followed job failed or was stopped.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone

from ips_tui import __version__, i18n
from ips_tui.i18n import _

EXIT_OK, EXIT_INVALID, EXIT_FAULT, EXIT_NETWORK, EXIT_JOB_FAILED = 0, 2, 3, 4, 5


class UsageError(Exception):
    """Bad options or input: exit 2 (or ``exit_code``) with the message."""

    def __init__(self, message: str, exit_code: int = EXIT_INVALID) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _connection_options(p: argparse.ArgumentParser, *, top: bool = False) -> None:
    # On subcommands the defaults are suppressed, so `ips-tui --profile X submit` keeps X.
    default = None if top else argparse.SUPPRESS
    g = p.add_argument_group(_("connection"))
    g.add_argument("--profile", metavar="NAME", default=default, help=_("saved profile to use"))
    g.add_argument("--url", default=default,
                   help=_("service URL, e.g. https://s7sps1apissl.scene7.com/scene7/services/IpsApiService"))
    g.add_argument("--user", metavar="EMAIL", default=default, help=_("IPS user e-mail"))
    g.add_argument("--cacert", metavar="FILE", default=default, help=_("CA certificate file that verifies the service"))
    g.add_argument("--timeout", type=float, default=60.0 if top else argparse.SUPPRESS, metavar="SECONDS",
                   help=_("time limit for one call (default 60)"))
    g.add_argument("--auth-header", choices=("documented", "dated"), default=default,
                   help=_("where the authHeader goes: the documented namespace or the request's dated one "
                          "(default: the profile's, else learnt from the service)"))


class CommandParser(argparse.ArgumentParser):
    """A subcommand's parser: an option it does not know is its own error, shown with its own usage
    (argparse would hand it up to the top-level parser, whose usage says nothing about the command)."""

    def parse_known_args(self, args=None, namespace=None):
        namespace, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(_("unrecognized arguments: {args}").format(args=" ".join(extras)))
        return namespace, extras


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line; with ``commands=False`` only the options that start the app (the way to its
    first frame need not build, translate and import a dozen subcommand parsers)."""
    p = argparse.ArgumentParser(prog="ips-tui", description=_("Build, submit and follow Scene7 IPS jobs."))
    p.add_argument("--version", action="version", version=f"ips-tui {__version__}")
    p.add_argument("--lang", choices=i18n.SUPPORTED, help=_("language of the interface (default: from the environment)"))
    p.add_argument("--sandbox", action="store_true", help=_("start the app on the embedded local sandbox"))
    _connection_options(p, top=True)
    if not commands:
        p.set_defaults(command=None)
        return p
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)

    s = sub.add_parser("submit", help=_("validate and submit job files"))
    s.add_argument("files", nargs="+", metavar="JOB.toml", help=_("job files (TOML) to validate and send"))
    s.add_argument("--dry-run", action="store_true", help=_("validate and print the SOAP envelope; send nothing"))
    s.add_argument("--json", action="store_true", help=_("print one JSON object per job file"))
    s.add_argument("--company", metavar="COMPANY", action="append",
                   help=_("company handle or the profile's name for it, overriding the job file's; given more "
                          "than once, one job per company"))
    s.add_argument("--concurrency", type=int, default=4, metavar="N",
                   help=_("send up to N job files at once (default 4)"))
    s.add_argument("--wait", action="store_true",
                   help=_("follow each job to its end; exit 5 if one failed or was stopped"))
    s.add_argument("--poll", type=float, default=2.0, metavar="SECONDS",
                   help=_("with --wait: seconds between looks at the service (default 2)"))
    s.add_argument("--wait-timeout", type=float, default=0, metavar="SECONDS",
                   help=_("with --wait: stop waiting after this long, exit 4 (default: no limit)"))
    s.add_argument("--again", action="store_true",
                   help=_("send even a file whose earlier submission may already be on the service"))
    _connection_options(s)

    c = sub.add_parser("schedule", help=_("check a Quartz schedule and list its next fire times"))
    c.add_argument("expression", metavar="EXPR",
                   help=_("a Quartz expression, e.g. \"0 30 6 ? * MON-FRI\" (a Unix 5-field cron gets its Quartz "
                          "form suggested)"))
    c.add_argument("--count", type=int, default=5, metavar="N", help=_("how many fire times (default 5)"))
    c.add_argument("--after", metavar="ISO-8601", help=_("list fire times after this instant (default: now)"))
    c.add_argument("--tz", metavar="ZONE", help=_("time zone, e.g. America/Los_Angeles (default: the local zone)"))

    b = sub.add_parser("sandbox", help=_("run the local IPS sandbox"))
    b.add_argument("--host", default="127.0.0.1", help=_("address to listen on (default 127.0.0.1)"))
    b.add_argument("--port", type=int, default=0, help=_("0 picks any free port"))
    b.add_argument("--tls", action="store_true", help=_("serve HTTPS with a generated certificate"))
    b.add_argument("--allow-remote", action="store_true", help=_("allow a host other than loopback"))
    b.add_argument("--auth-header", choices=("documented", "dated"),
                   help=_("strict: read the authHeader only in this namespace (default: either, as the service)"))

    # Further command groups live in their own modules: each has register(sub, connection_options)
    # and sets ``func`` on its parsers. They must stay light to import (no zeep, no Textual).
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, _connection_options)
    return p


#: module → the commands its register() adds (a test checks they agree)
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "ips_tui.cli_profiles": ("profiles",),
    "ips_tui.cli_jobs": ("jobs", "job", "logs"),
    "ips_tui.cli_journal": ("history",),
    "ips_tui.cli_assets": ("assets", "folders"),
}
COMMANDS = frozenset({"submit", "schedule", "sandbox"}.union(*COMMAND_MODULES.values()))


def names_a_command(argv: list[str]) -> bool:
    """Whether ``argv`` may name a command or ask for help (else it only starts the app). A command name
    given as an option's value only costs the full parser, never a wrong parse."""
    return any(a in COMMANDS or a in ("-h", "--help") for a in argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang")
    known, _rest = pre.parse_known_args(argv)
    i18n.set_language(known.lang)  # before the parser, so --help is translated too
    commands = names_a_command(argv)
    parser = build_parser(commands=commands)
    if not commands:  # the app's options only: a word left over is no command
        _known, extras = parser.parse_known_args(argv)
        word = next((a for a in extras if not a.startswith("-")), None)
        if word is not None:
            return _unknown_command(word)
    args = parser.parse_args(argv)
    try:
        if getattr(args, "func", None):
            return args.func(args)
        if args.command == "submit":
            return cmd_submit(args)
        if args.command == "schedule":
            return cmd_schedule(args)
        if args.command == "sandbox":
            from ips_tui.sandbox import run_standalone

            return run_standalone(args.host, args.port, args.tls, args.allow_remote,
                                  auth_header=getattr(args, "auth_header", None))
        return run_tui(args)
    except UsageError as e:
        from ips_tui.safe_text import visible

        print(f"ips-tui: {visible(str(e), one_line=False)}", file=sys.stderr)
        return e.exit_code
    except Exception as e:  # the journal or a file ips-tui writes (disk full): named, no traceback
        from ips_tui.store.atomic import StoreWriteError
        from ips_tui.store.journal_errors import JournalError

        if not isinstance(e, (StoreWriteError, JournalError)):
            raise
        print(f"ips-tui: {e}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130


def _unknown_command(word: str) -> int:
    """``ips-tui frob``: say which commands there are (and the nearest one), exit 2."""
    import difflib

    print(build_parser().format_usage().rstrip(), file=sys.stderr)
    near = difflib.get_close_matches(word, sorted(COMMANDS), n=1)
    text = _("ips-tui: unknown command '{word}'; the commands are: {commands}.").format(
        word=word, commands=", ".join(sorted(COMMANDS)))
    if near:
        text += " " + _("Did you mean '{command}'?").format(command=near[0])
    print(text, file=sys.stderr)
    print(_("`ips-tui COMMAND --help` tells more; `ips-tui` alone starts the app."), file=sys.stderr)
    return EXIT_INVALID


def run_tui(args) -> int:
    import gc

    # Start-up makes only long-lived objects (Textual, the first screen), and the collector would walk them
    # over and over for nothing: about a tenth of the time to the first frame. The app turns it back on,
    # with what start-up made frozen, once that frame is on the terminal (IpsApp.on_ready).
    gc.disable()
    try:
        from ips_tui.tui.app import run

        return run(args)
    finally:
        gc.enable()


# -- schedule ---------------------------------------------------------------------------------
def cmd_schedule(args) -> int:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from ips_tui.job import timing
    from ips_tui.job.zones import machine_zone

    try:
        tz = ZoneInfo(args.tz) if args.tz else machine_zone()
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(_("unknown time zone: {zone}").format(zone=args.tz)) from None
    if args.count < 1:
        raise UsageError(_("--count must be 1 or more"))
    after = datetime.now(timezone.utc)
    if args.after:
        try:
            after = timing.parse_exec_time(args.after)
        except timing.ExecTimeError as e:
            raise UsageError(f"--after: {e.message}") from None
    check = timing.check_schedule(args.expression)
    if not check.ok:
        print(_("invalid schedule: {reason}").format(reason=check.error.message), file=sys.stderr)
        if check.unix is not None:  # a Unix cron, read by croniter: its Quartz form, or why there is none
            print(check.unix.hint(), file=sys.stderr)
        return EXIT_INVALID
    times = check.schedule.next_fire_times(args.count, after, tz)
    for t in times:
        print(t.isoformat())
    if not times:
        print(_("this schedule never fires after {when}").format(when=after.isoformat()), file=sys.stderr)
    return EXIT_OK


# -- submit -----------------------------------------------------------------------------------
def cmd_submit(args) -> int:
    from ips_tui.job.per_company import CompanyChoiceError, for_company, resolve_companies
    from ips_tui.job.request import InvalidRequest, JobFileError, JobRequest

    if args.json:
        i18n.set_language("en")  # machine-readable output never changes with the language
    prepared = []
    worst = EXIT_OK
    # Where it goes (and the profile's default company) now; the password only once something is to be sent.
    conn = connect(args, need_password=False)
    if conn is None and not args.dry_run:
        raise UsageError(_("say where to submit: --url URL --user EMAIL, or --profile NAME"))
    default_company = conn.company if conn is not None else None
    try:
        companies = resolve_companies(args.company or [], getattr(conn and conn.profile, "companies", None))
    except CompanyChoiceError as error:
        raise UsageError(error.message) from None
    from ips_tui.cli_assets import SubmitNames, report_lookup_error
    from ips_tui.ips.faults import IpsError

    names = SubmitNames(args, conn)  # names, paths and searches in job files become handles first
    for path in args.files:
        try:
            req = JobRequest.from_toml(path)
        except JobFileError as e:
            worst = max(worst, EXIT_INVALID)
            _report_invalid(args, path, None, [str(e)], [("", e.message)])
            continue
        if not companies and not req.data.get("companyHandle") and default_company:
            req.data["companyHandle"] = default_company
        # One request per company named (a job name that says which, when there are several).
        requests = [JobRequest(for_company(req.data, c, rename=len(companies) > 1)) for c in companies] or [req]
        for one in requests:
            try:
                payload = names.payload(path, one)
            except InvalidRequest as e:
                worst = max(worst, EXIT_INVALID)
                _report_invalid(args, path, one.job_name, [f"{path}: {p}" for p in e.problems],
                                [(p.path, p.message) for p in e.problems])
                continue
            except IpsError as e:  # looking the names up failed: this file is not sent
                worst = max(worst, e.exit_code)
                report_lookup_error(args, path, one.job_name, e)
                continue
            prepared.append((path, one, payload))
    names.close()
    if not prepared:
        return worst
    if args.dry_run:
        return max(worst, _dry_run(args, conn, prepared, names))
    from ips_tui.cli_jobs import submit_prepared

    conn = names.connection or connect(args, need_password=True, said=conn.notes)
    return max(worst, submit_prepared(args, conn, prepared))


def _dry_run(args, conn, prepared, names) -> int:
    """Print each envelope; nothing is sent, nothing journaled. With a connection the authHeader carries its
    user and a masked password; without one it carries no credentials at all (only appName and appVersion).
    Several envelopes are each headed ``==> FILE <==`` (``==> FILE (COMPANY) <==`` per company); what names
    became which handles goes to standard error (or ``resolved`` in --json)."""
    from ips_tui.connection import offline_client

    # A dry run shows where the password goes (masked) without asking for it.
    # ...and with the authHeader where the profile (or --auth-header) puts it
    header = (conn.auth_header or getattr(conn.profile, "auth_header", None)) if conn else None
    client = conn.client(password="", auth_header=header) if conn else \
        offline_client(auth_header=getattr(args, "auth_header", None))
    several = len(prepared) > 1
    try:
        for i, (path, req, payload) in enumerate(prepared):
            envelope = client.build_envelope("submitJob", payload, mask_password=True)
            company = req.data.get("companyHandle")
            resolved = names.report(path, req)  # which names became which handles
            if args.json:
                print_json({"file": path, "jobName": req.job_name, "company": company,
                            "envelope": envelope.decode("utf-8"), **({"resolved": resolved} if resolved else {})})
                continue
            from ips_tui.safe_text import visible

            if several:
                shown = f"{path} ({company})" if company and _many_per_file(prepared, path) else path
                sys.stdout.write(("\n" if i else "") + f"==> {visible(shown)} <==\n")
            sys.stdout.write(visible(envelope.decode("utf-8"), one_line=False))
    finally:
        client.close()
    return EXIT_OK


def _many_per_file(prepared, path) -> bool:
    return sum(1 for p, _r, _x in prepared if p == path) > 1


def _report_invalid(args, path, job_name, lines, problems) -> None:
    from ips_tui.safe_text import visible

    for line in lines:
        print(visible(line), file=sys.stderr)  # the file's own values may carry terminal control
    if args.json:
        message = "; ".join(f"{p}: {m}" if p else m for p, m in problems)
        print_json({"file": path, "jobName": job_name, "error": {
            "kind": "invalid", "code": None, "message": message,
            "problems": [{"path": p, "message": m} for p, m in problems]}})


def print_json(obj) -> None:
    """One JSON line on stdout (json is imported here: starting the wizard does not need it)."""
    import json

    print(json.dumps(obj))


def connect(args, *, need_password: bool, said: list[str] = ()):
    """The connection the options name (connection.resolve_connection), or None when they name none
    and no default profile is set; ``said``: what an earlier resolve already told the user, not repeated.
    A setup problem is a UsageError with its exit code."""
    from ips_tui.connection import ConnectionSetupError, resolve_connection, stderr_note

    def notify(text: str) -> None:
        if text not in said:
            stderr_note(text)

    from ips_tui.store.permissions import take_notices

    try:
        conn = resolve_connection(args, need_password=need_password, notify=notify)
    except ConnectionSetupError as error:
        raise UsageError(error.message, error.exit_code) from None
    finally:
        for text in take_notices():  # a config folder tightened, and the like
            notify(text)
    if conn is not None:
        conn.auth_header = getattr(args, "auth_header", None)
    return conn


def require_connection(args):
    """A connection with its password, or a UsageError saying how to name one."""
    conn = connect(args, need_password=True)
    if conn is None:
        raise UsageError(_("say where to submit: --url URL --user EMAIL, or --profile NAME"))
    return conn


if __name__ == "__main__":
    sys.exit(main())
