"""Following jobs from a shell: ``submit`` (its sending half), ``jobs``, ``job ACTION``, ``logs``
(``history`` is :mod:`ips_tui.cli_journal`).

Registered by :mod:`ips_tui.cli` through ``COMMAND_MODULES``; light to import (zeep loads on the first
call). Every submit goes through the journal; each command that talks to a service first reconciles
that account's unanswered submissions (:mod:`ips_tui.follow.reconcile`), so a retry after a dropped
session never sends a job twice.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime, timezone

from ips_tui import i18n
from ips_tui.cli import UsageError, require_connection  # (ips_tui.cli loads this module, after itself)
from ips_tui.i18n import _
from ips_tui.safe_text import visible as _v  # everything from a file, the journal or the service

EXIT_OK, EXIT_INVALID, EXIT_FAULT, EXIT_NETWORK, EXIT_JOB_FAILED = 0, 2, 3, 4, 5

def register(sub, connection_options) -> None:
    j = sub.add_parser("jobs", help=_("the company's active and scheduled jobs and recent job logs"))
    j.add_argument("--company", metavar="COMPANY",
                   help=_("company handle or the profile's name for it (default: the profile's company)"))
    j.add_argument("--json", action="store_true", help=_("print one JSON document"))
    j.add_argument("--watch", action="store_true", help=_("refresh until Ctrl+C"))
    j.add_argument("--every", type=float, default=3.0, metavar="SECONDS", help=_("with --watch (default 3)"))
    j.add_argument("--logs", type=int, default=10, metavar="N", help=_("newest N job logs (default 10; 0: none)"))
    _timezone_option(j)
    connection_options(j)
    j.set_defaults(func=_guard(cmd_jobs))

    from ips_tui.follow.jobs import ACTIONS

    a = sub.add_parser("job", help=_("stop, pause, resume, delete or run a job now"))
    a.add_argument("action", choices=list(ACTIONS), metavar="ACTION", help="|".join(ACTIONS))
    a.add_argument("handle", metavar="HANDLE", help=_("the job's handle (from ips-tui jobs)"))
    a.add_argument("--company", metavar="COMPANY",
                   help=_("company handle or the profile's name for it (default: the profile's company)"))
    a.add_argument("--yes", action="store_true", help=_("do not ask for a confirmation"))
    a.add_argument("--json", action="store_true", help=_("print one JSON object"))
    connection_options(a)
    a.set_defaults(func=_guard(cmd_job))

    lg = sub.add_parser("logs", help=_("a job's logs and detail rows, by its name (export links included)"))
    lg.add_argument("name", metavar="NAME", help=_("the job name given at submit"))
    lg.add_argument("--company", metavar="COMPANY",
                   help=_("company handle or the profile's name for it (default: the profile's company)"))
    lg.add_argument("--json", action="store_true", help=_("print one JSON document"))
    connection_options(lg)
    lg.set_defaults(func=_guard(cmd_logs))


def _timezone_option(p) -> None:
    p.add_argument("--timezone", metavar="ZONE",
                   help=_("the server's time zone, e.g. America/Los_Angeles (default: the profile's, the region's "
                          "or what the service says; else shown as unknown)"))


def _guard(command):
    def run(args) -> int:
        from ips_tui.ips.faults import IpsError
        from ips_tui.store.atomic import StoreWriteError
        from ips_tui.store.journal_errors import JournalError

        if getattr(args, "json", False):
            i18n.set_language("en")
        try:
            return command(args)
        except (JournalError, StoreWriteError) as error:
            _error_out(args, str(error), "journal" if isinstance(error, JournalError) else "store", None)
            return EXIT_INVALID
        except IpsError as error:
            _error_out(args, error.message, error.kind, error.code)
            return error.exit_code
        except UsageError as fail:
            _error_out(args, str(fail), "invalid" if fail.exit_code == EXIT_INVALID else "error", None)
            return fail.exit_code

    return run


def _error_out(args, message, kind, code) -> None:
    print(f"ips-tui: {_v(message)}", file=sys.stderr)
    if getattr(args, "json", False):
        print(json.dumps({"error": {"kind": kind, "code": code, "message": message}}))


# --- shared -------------------------------------------------------------------------------------


def _company(args, conn) -> str:
    """The company asked for (a handle, or a name the profile keeps for one), else the profile's default."""
    from ips_tui.job.per_company import CompanyChoiceError, resolve_companies

    company = getattr(args, "company", None)
    if company:
        try:
            return resolve_companies([company], getattr(conn.profile, "companies", None))[0].handle
        except CompanyChoiceError as error:
            raise UsageError(error.message) from None
    if not conn.company:
        raise UsageError(_("Which company? Give --company HANDLE (ips-tui profiles companies lists them)."))
    return conn.company


def _journal():
    from ips_tui.store.journal import JournalError, open_journal

    try:
        return open_journal()
    except JournalError as error:  # it names the file and says what to do
        raise UsageError(str(error), EXIT_INVALID) from None
    except Exception as error:  # a read-only state folder
        raise UsageError(_("The submission journal cannot be opened: {error}").format(error=error), EXIT_INVALID) from None


def _zones(args, conn, reported: str | None = None):
    """(the server's zone: a :class:`~ips_tui.ips.server_zone.ServerZone`, known or not; the local zone)."""
    from ips_tui.ips.server_zone import UnknownZone, zone_of_connection
    from ips_tui.job.zones import machine_zone

    try:
        zone = zone_of_connection(conn, option=getattr(args, "timezone", None), reported=reported)
    except UnknownZone as error:
        raise UsageError(error.message) from None
    return zone, machine_zone()


def reconcile_quietly(journal, client, conn) -> list:
    """Reconcile this account's unanswered submissions and say what was found (to standard error)."""
    from ips_tui.follow.reconcile import reconcile
    from ips_tui.store.journal_entry import source_words

    out = sys.stderr
    verdicts = reconcile(journal, client, url=conn.url, user=conn.user)
    for v in verdicts:
        e = v.entry
        head = _("Earlier submission #{id} ({name}, {source})").format(
            id=e.id, name=_v(e.job_name), source=_v((source_words(e.source) or ("", "?"))[1]))
        if v.outcome == "found":
            print(_v(f"{head}: {v.message} {e.handle}"), file=out)
        else:
            print(_v(f"{head}: {v.message}"), file=out)
    return verdicts


# --- submit -------------------------------------------------------------------------------------


def submit_prepared(args, conn, prepared) -> int:
    """Send validated job files through the journal; ``prepared`` is [(path, JobRequest, payload)]."""
    from ips_tui.follow.submit import Submission, earlier_attempt, submit_all

    if args.concurrency < 1:
        raise UsageError(_("--concurrency must be 1 or more"))
    journal = _journal()
    try:
        subs = [Submission.from_request(req, payload, source=str(path)) for path, req, payload in prepared]
        client = conn.client(timeout=args.timeout)
        try:
            reconcile_quietly(journal, client, conn)
        except Exception as error:  # reconciling is a courtesy here; the twins check below still guards
            print(_v(_("Could not check earlier submissions: {error}").format(error=error)), file=sys.stderr)
        finally:
            client.close()
        worst = EXIT_OK
        to_send = []
        for s in subs:
            e = None if args.again else earlier_attempt(journal, s, url=conn.url, user=conn.user)
            if e is not None and e.state == "reconciled":
                _print_result(args, s, handle=e.handle, extra={"alreadySubmitted": True, "journalId": e.id},
                              text=_("{file}: already on the service as {handle} (journal #{id}); not sent again")
                              .format(file=_v(s.source), handle=_v(e.handle), id=e.id))
            elif e is not None:
                message = _("an earlier submission of this file (journal #{id}, {when}) may have reached the "
                            "service and could not be checked yet; not sent again. Try later, check `ips-tui "
                            "jobs`, or use --again.").format(id=e.id, when=e.sent_at or e.created)
                _print_result(args, s, error=("unknown", None, message), text=f"{_v(s.source)}: {message}")
                worst = max(worst, EXIT_NETWORK)
            else:
                to_send.append(s)
        if not to_send:
            return worst
        results = submit_all(journal, lambda: conn.client(timeout=args.timeout), to_send, url=conn.url,
                             user=conn.user, profile=conn.profile_name, timeout=args.timeout,
                             concurrency=args.concurrency,
                             on_result=lambda r: _report_sent(args, r, later=args.wait and args.json))
        for r in results:
            if r.error is not None:
                worst = max(worst, getattr(r.error, "exit_code", EXIT_NETWORK))
        if args.wait:
            from ips_tui.cli_wait import wait_for

            worst = max(worst, wait_for(args, conn, [r for r in results if r.ok]))
        return worst
    finally:
        journal.close()


def _report_sent(args, r, *, later: bool = False) -> None:
    """One submit's answer; ``later``: a job that went out is printed once it ends (``--wait --json``)."""
    s = r.submission
    if r.ok and later:
        return
    if r.ok:
        _print_result(args, s, handle=r.handle, extra={"journalId": r.entry.id if r.entry else None},
                      text=_("{file}: submitted {name} as {handle}").format(file=_v(s.source), name=_v(s.job_name),
                                                                            handle=_v(r.handle)))
    else:
        e = r.error
        _print_result(args, s, error=(getattr(e, "kind", "error"), getattr(e, "code", None), str(e)),
                      text=f"{_v(s.source)}: {_v(e)}")


def _print_result(args, s, *, handle=None, error=None, extra=None, text="") -> None:
    if args.json:
        obj = {"file": s.source, "jobName": s.job_name, "company": s.company}
        if handle is not None:
            obj["jobHandle"] = handle
        if error is not None:
            obj["error"] = {"kind": error[0], "code": error[1], "message": error[2]}
        obj.update(extra or {})
        print(json.dumps(obj), flush=True)
    elif error is not None:
        print(_v(text), file=sys.stderr, flush=True)
    else:
        print(_v(text), flush=True)


# --- jobs ---------------------------------------------------------------------------------------


def cmd_jobs(args) -> int:
    from ips_tui.follow import jobs as J
    from ips_tui.ips.server_zone import reported_zone

    conn = require_connection(args)
    company = _company(args, conn)
    _zones(args, conn)  # a bad --timezone is refused before anything is asked
    client = conn.client(timeout=args.timeout)  # zeep: only if there is something to reconcile
    listing = J.lister(conn, timeout=args.timeout)  # lists: lean, no zeep
    try:
        _reconcile_if_possible(client, conn)
        while True:
            snap = J.fetch(listing, company, log_rows=max(args.logs, 1), logs=args.logs > 0)
            server, local = _zones(args, conn, reported_zone(snap.scheduled))
            if args.json:
                out = J.to_json(snap)
                out["serverZone"] = server.to_json(snap.taken_at)
                print(json.dumps(out, default=str), flush=True)
            else:
                if args.watch and sys.stdout.isatty():
                    sys.stdout.write("\x1b[H\x1b[2J")
                print(render_jobs(snap, server, local), flush=True)
            if not args.watch:
                return EXIT_OK
            time.sleep(max(0.5, args.every))
    except KeyboardInterrupt:
        return EXIT_OK
    finally:
        listing.close()
        client.close()


def _reconcile_if_possible(client, conn) -> None:
    """Listing jobs never depends on the journal: a journal that cannot be opened is only mentioned."""
    try:
        journal = _journal()
    except UsageError as fail:
        print(_v(fail), file=sys.stderr)
        return
    try:
        reconcile_quietly(journal, client, conn)
    finally:
        journal.close()


def render_jobs(snap, server, local) -> str:
    """The snapshot as text; ``server``: a ServerZone (known or not), ``local``: the machine's zone. Every
    value the service sent is made safe to print (one line each)."""
    from ips_tui.follow.jobs import when

    def v(item: dict, key: str) -> str:
        return _v(item.get(key) or "")

    out = [_("Company {company} · {time}").format(company=_v(snap.company), time=when(snap.taken_at, local)),
           _("Server time zone: {zone}").format(zone=_v(server.label(snap.taken_at))) + f" · {server.source_words()}",
           ""]
    out.append(_("Active jobs ({n})").format(n=len(snap.active)))
    for j in snap.active:
        out.append(f"  {v(j, 'state'):<10} {int(j.get('progress') or 0):3d}%  {v(j, 'name')}")
        out.append(f"  {'':<10}       {v(j, 'progressMessage')}  ·  {v(j, 'jobHandle')}")
    out.append("")
    out.append(_("Scheduled jobs ({n})").format(n=len(snap.scheduled)))
    for j in snap.scheduled:
        out.append(f"  {v(j, 'triggerState'):<8} {v(j, 'name')}  {v(j, 'execSchedule')}")
        out.append("    " + next_run_text(j, server, local))
        out.append(f"    {v(j, 'jobHandle')}")
    if snap.logs:
        out.append("")
        out.append(_("Recent job logs ({n})").format(n=len(snap.logs)))
        for lg in snap.logs:
            status = _("fatal") if lg.get("fatalError") else _("ok {ok} · errors {err}").format(
                ok=lg.get("fileSuccessCount", 0), err=lg.get("fileErrorCount", 0))
            end = when(lg.get("endDate"), local) or _("running")
            out.append(f"  {v(lg, 'jobName')}  {end}  {status}")
    return "\n".join(out)


def next_run_text(job: dict, server, local) -> str:
    """``next: … (server) · … (here)``; a paused job has no next run, an unknown server zone is said."""
    from ips_tui.follow.jobs import when

    if (job.get("triggerState") or "") == "Paused":
        return _("next: none while paused")
    value = job.get("nextFireTime")
    if value is None:
        return _("next: —")
    if not server.known:
        return _("next: {local} (here) · server time zone unknown").format(local=when(value, local))
    return _("next: {server} (server) · {local} (here)").format(server=when(value, server.tz),
                                                              local=when(value, local))


# --- job ACTION HANDLE --------------------------------------------------------------------------


def cmd_job(args) -> int:
    from ips_tui.follow.jobs import ACTIONS, act

    conn = require_connection(args)
    company = _company(args, conn)
    _method, what, confirm = ACTIONS[args.action]
    if confirm and not args.yes:
        if not sys.stdin.isatty():
            raise UsageError(_("{action} needs a confirmation: add --yes.").format(action=args.action))
        answer = input(_("{what}: {handle} in {company}? [y/N] ").format(what=_(what), handle=args.handle,
                                                                         company=company))
        if answer.strip().lower() not in ("y", "yes", "s", "si", "sí"):
            print(_("Nothing was done."), file=sys.stderr)
            return EXIT_OK
    client = conn.client(timeout=args.timeout)
    try:
        act(client, company, args.action, args.handle)
    finally:
        client.close()
    if args.json:
        print(json.dumps({"action": args.action, "jobHandle": args.handle, "company": company, "ok": True}))
    else:
        print(_("Done: {action} {handle}").format(action=args.action, handle=args.handle))
    return EXIT_OK


# --- logs NAME ----------------------------------------------------------------------------------


def cmd_logs(args) -> int:
    from ips_tui.follow.jobs import when
    from ips_tui.follow.status import detail_rows, export_urls, log_counts

    conn = require_connection(args)
    company = _company(args, conn)
    from ips_tui.job.zones import machine_zone

    local = machine_zone()
    client = conn.client(timeout=args.timeout)
    try:
        logs = client.get_job_log_details(company, original_name=args.name)
    finally:
        client.close()
    if args.json:
        print(json.dumps({"company": company, "name": args.name, "logs": [
            dict(_jsonable(lg), exportUrls=export_urls(lg)) for lg in logs]}, default=str))
        return EXIT_OK
    if not logs:
        print(_v(_("No job log for {name} in {company} (yet).").format(name=args.name, company=company)))
        return EXIT_OK
    for lg in logs:
        c = log_counts(lg)
        print(f"{_v(lg.get('jobName', ''))}  ·  {_v(lg.get('jobHandle', ''))}")
        print("  " + _("{start} → {end} · {ok} succeeded, {err} failed, {total} in all").format(
            start=when(lg.get("startDate"), local), end=when(lg.get("endDate"), local) or _("running"),
            ok=c["success"], err=c["errors"], total=c["total"]))
        for url in export_urls(lg):
            print("  " + _("download: {url}").format(url=_v(url)))
        for row in detail_rows(lg):
            asset = f"  [{_v(row.get('assetName'))}]" if row.get("assetName") else ""
            print(f"    {when(row.get('dateCreated'), local)}  {_v(row.get('logType', '')):<24} "
                  f"{_v(row.get('logMessage', ''))}{asset}")
    return EXIT_OK


def _jsonable(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value
