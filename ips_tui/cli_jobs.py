"""Following jobs from a shell: ``submit`` (its sending half), ``jobs``, ``job ACTION``, ``logs``, ``history``.

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

EXIT_OK, EXIT_INVALID, EXIT_FAULT, EXIT_NETWORK, EXIT_JOB_FAILED = 0, 2, 3, 4, 5

def register(sub, connection_options) -> None:
    j = sub.add_parser("jobs", help=_("the company's active and scheduled jobs and recent job logs"))
    j.add_argument("--company", metavar="HANDLE", help=_("company handle (default: the profile's)"))
    j.add_argument("--json", action="store_true", help=_("print one JSON document"))
    j.add_argument("--watch", action="store_true", help=_("refresh until Ctrl+C"))
    j.add_argument("--every", type=float, default=3.0, metavar="SECONDS", help=_("with --watch (default 3)"))
    j.add_argument("--logs", type=int, default=10, metavar="N", help=_("newest N job logs (default 10; 0: none)"))
    connection_options(j)
    j.set_defaults(func=_guard(cmd_jobs))

    from ips_tui.follow.jobs import ACTIONS

    a = sub.add_parser("job", help=_("stop, pause, resume, delete or run a job now"))
    a.add_argument("action", choices=list(ACTIONS), metavar="ACTION", help="|".join(ACTIONS))
    a.add_argument("handle", metavar="HANDLE", help=_("the job's handle (from ips-tui jobs)"))
    a.add_argument("--company", metavar="HANDLE", help=_("company handle (default: the profile's)"))
    a.add_argument("--yes", action="store_true", help=_("do not ask for a confirmation"))
    a.add_argument("--json", action="store_true", help=_("print one JSON object"))
    connection_options(a)
    a.set_defaults(func=_guard(cmd_job))

    lg = sub.add_parser("logs", help=_("a job's logs and detail rows, by its name (export links included)"))
    lg.add_argument("name", metavar="NAME", help=_("the job name given at submit"))
    lg.add_argument("--company", metavar="HANDLE", help=_("company handle (default: the profile's)"))
    lg.add_argument("--json", action="store_true", help=_("print one JSON document"))
    connection_options(lg)
    lg.set_defaults(func=_guard(cmd_logs))

    h = sub.add_parser("history", help=_("the submission journal: what was sent, when, and what came back"))
    h.add_argument("id", nargs="?", type=int, metavar="ID", help=_("show one entry and its job request"))
    h.add_argument("--limit", type=int, default=30, metavar="N", help=_("newest N entries (default 30)"))
    h.add_argument("--search", metavar="TEXT", help=_("only entries whose name, handle, company or file has TEXT"))
    h.add_argument("--save", metavar="FILE", help=_("with ID: save its job request as a job file"))
    h.add_argument("--resolved", action="store_true",
                   help=_("with --save: write handles in place of names, paths and searches (asks the service)"))
    h.add_argument("--json", action="store_true", help=_("print JSON"))
    connection_options(h)  # (only --resolved talks to the service)
    h.set_defaults(func=_guard(cmd_history))


def _guard(command):
    def run(args) -> int:
        from ips_tui.ips.faults import IpsError

        if getattr(args, "json", False):
            i18n.set_language("en")
        try:
            return command(args)
        except IpsError as error:
            _error_out(args, error.message, error.kind, error.code)
            return error.exit_code
        except UsageError as fail:
            _error_out(args, str(fail), "invalid" if fail.exit_code == EXIT_INVALID else "error", None)
            return fail.exit_code

    return run


def _error_out(args, message, kind, code) -> None:
    print(f"ips-tui: {message}", file=sys.stderr)
    if getattr(args, "json", False):
        print(json.dumps({"error": {"kind": kind, "code": code, "message": message}}))


# --- shared -------------------------------------------------------------------------------------


def _company(args, conn) -> str:
    company = getattr(args, "company", None) or conn.company
    if not company:
        raise UsageError(_("Which company? Give --company HANDLE (ips-tui profiles companies lists them)."))
    return company


def _journal():
    from ips_tui.store.journal import open_journal

    try:
        return open_journal()
    except Exception as error:  # sqlite3 errors, a read-only state folder
        raise UsageError(_("The submission journal cannot be opened: {error}").format(error=error), EXIT_INVALID) from None


def _zones(conn):
    """(the server's zone from the profile, or None; the local zone)."""
    from ips_tui.follow.jobs import zone_named
    from ips_tui.job.zones import machine_zone

    return zone_named(conn.timezone), machine_zone()


def reconcile_quietly(journal, client, conn) -> list:
    """Reconcile this account's unanswered submissions and say what was found (to standard error)."""
    from ips_tui.follow.reconcile import reconcile

    out = sys.stderr
    verdicts = reconcile(journal, client, url=conn.url, user=conn.user)
    for v in verdicts:
        e = v.entry
        head = _("Earlier submission #{id} ({name}, {source})").format(id=e.id, name=e.job_name,
                                                                       source=e.source or "?")
        if v.outcome == "found":
            print(f"{head}: {v.message} {e.handle}", file=out)
        else:
            print(f"{head}: {v.message}", file=out)
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
            print(_("Could not check earlier submissions: {error}").format(error=error), file=sys.stderr)
        finally:
            client.close()
        worst = EXIT_OK
        to_send = []
        for s in subs:
            e = None if args.again else earlier_attempt(journal, s, url=conn.url, user=conn.user)
            if e is not None and e.state == "reconciled":
                _print_result(args, s, handle=e.handle, extra={"alreadySubmitted": True, "journalId": e.id},
                              text=_("{file}: already on the service as {handle} (journal #{id}); not sent again")
                              .format(file=s.source, handle=e.handle, id=e.id))
            elif e is not None:
                message = _("an earlier submission of this file (journal #{id}, {when}) may have reached the "
                            "service and could not be checked yet; not sent again. Try later, check `ips-tui "
                            "jobs`, or use --again.").format(id=e.id, when=e.sent_at or e.created)
                _print_result(args, s, error=("unknown", None, message), text=f"{s.source}: {message}")
                worst = max(worst, EXIT_NETWORK)
            else:
                to_send.append(s)
        if not to_send:
            return worst
        results = submit_all(journal, lambda: conn.client(timeout=args.timeout), to_send, url=conn.url,
                             user=conn.user, profile=conn.profile_name, timeout=args.timeout,
                             concurrency=args.concurrency,
                             on_result=None if args.wait and args.json else lambda r: _report_sent(args, r))
        for r in results:
            if r.error is not None:
                worst = max(worst, getattr(r.error, "exit_code", EXIT_NETWORK))
        if args.wait:
            worst = max(worst, wait_for(args, conn, [r for r in results if r.ok]))
        return worst
    finally:
        journal.close()


def _report_sent(args, r) -> None:
    s = r.submission
    if r.ok:
        _print_result(args, s, handle=r.handle, extra={"journalId": r.entry.id if r.entry else None},
                      text=_("{file}: submitted {name} as {handle}").format(file=s.source, name=s.job_name,
                                                                            handle=r.handle))
    else:
        e = r.error
        _print_result(args, s, error=(getattr(e, "kind", "error"), getattr(e, "code", None), str(e)),
                      text=f"{s.source}: {e}")


def _print_result(args, s, *, handle=None, error=None, extra=None, text="") -> None:
    if args.json:
        obj = {"file": s.source, "jobName": s.job_name}
        if handle is not None:
            obj["jobHandle"] = handle
        if error is not None:
            obj["error"] = {"kind": error[0], "code": error[1], "message": error[2]}
        obj.update(extra or {})
        print(json.dumps(obj), flush=True)
    elif error is not None:
        print(text, file=sys.stderr, flush=True)
    else:
        print(text, flush=True)


# --- submit --wait ----------------------------------------------------------------------------


#: consecutive failed looks at the service (network, timeout) before --wait gives up
WAIT_RETRIES = 3


def wait_for(args, conn, results) -> int:
    """Follow each submitted job to its end; a progress bar on a terminal. 5 if one failed or stopped,
    4 if the service could not be asked or --wait-timeout passed first."""
    from ips_tui.follow.status import JobStatus, job_status
    from ips_tui.ips.faults import IpsError, TransportError

    follow = []
    for r in results:
        since = r.entry.sent_time if r.entry is not None and r.entry.sent_time else datetime.now(timezone.utc)
        follow.append({"r": r, "since": since, "status": JobStatus("waiting", 0, _("Waiting to start"))})
    tty = sys.stderr.isatty() and not args.json
    drawn = 0
    deadline = time.monotonic() + args.wait_timeout if args.wait_timeout else None
    failures = 0
    worst = EXIT_OK
    client = conn.client(timeout=args.timeout)

    def settled(f) -> bool:
        return f["status"].finished or f["status"].phase == "scheduled"

    try:
        while True:
            for f in follow:
                if settled(f):
                    continue
                s, before = f["r"].submission, f["status"]
                try:
                    f["status"] = job_status(client, s.company, s.job_name, since=f["since"], timed=s.timed)
                    failures = 0
                except TransportError as error:  # a blip on the way: look again, a few times
                    failures += 1
                    if failures >= WAIT_RETRIES:
                        print(f"{s.source}: {error.message}", file=sys.stderr)
                        return max(worst, error.exit_code)
                    continue
                except IpsError as error:
                    print(f"{s.source}: {error.message}", file=sys.stderr)
                    return max(worst, error.exit_code)
                if not tty and not args.json and before.phase != f["status"].phase:
                    print(f"{s.source}: {s.job_name}: {f['status'].message}", file=sys.stderr, flush=True)
            if tty:
                drawn = _draw_progress(follow, drawn)
            if all(settled(f) for f in follow):
                break
            if deadline is not None and time.monotonic() >= deadline:
                worst = max(worst, EXIT_NETWORK)
                print(_("Still running after {n} s; follow it with `ips-tui jobs`.").format(n=f"{args.wait_timeout:g}"),
                      file=sys.stderr)
                break
            time.sleep(max(0.2, args.poll))
    finally:
        client.close()
        if tty:
            sys.stderr.write("\n")
    for f in follow:
        s, st = f["r"].submission, f["status"]
        if st.phase in ("failed", "stopped"):
            worst = max(worst, EXIT_JOB_FAILED)
        if args.json:
            print(json.dumps({"file": s.source, "jobName": s.job_name, "jobHandle": f["r"].handle,
                              "status": st.to_dict()}, default=str), flush=True)
        else:
            mark = "✓" if st.phase in ("done", "scheduled") else "…" if not st.finished else "✗"
            print(f"{mark} {s.source}: {s.job_name}: {st.message}")
            for url in st.export_urls:
                print("  " + _("download: {url}").format(url=url))
    return worst


def _draw_progress(follow, drawn: int) -> int:
    """One bar per job, redrawn in place over the ``drawn`` lines of the previous call."""
    width = 24
    lines = []
    for f in follow:
        st, s = f["status"], f["r"].submission
        pct = 100 if st.finished else st.progress
        filled = width * pct // 100
        lines.append(f"[{'#' * filled}{'.' * (width - filled)}] {pct:3d}% {s.job_name[:24]}: {st.message[:40]}")
    out = ("\x1b[F" * drawn) + "".join("\x1b[2K" + line + "\n" for line in lines)
    sys.stderr.write(out.rstrip("\n"))
    sys.stderr.flush()
    return len(lines) - 1


# --- jobs ---------------------------------------------------------------------------------------


def cmd_jobs(args) -> int:
    from ips_tui.follow import jobs as J

    conn = require_connection(args)
    company = _company(args, conn)
    server, local = _zones(conn)
    client = conn.client(timeout=args.timeout)
    try:
        _reconcile_if_possible(client, conn)
        while True:
            snap = J.fetch(client, company, log_rows=max(args.logs, 1), logs=args.logs > 0)
            if args.json:
                print(json.dumps(J.to_json(snap), default=str), flush=True)
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
        client.close()


def _reconcile_if_possible(client, conn) -> None:
    """Listing jobs never depends on the journal: a journal that cannot be opened is only mentioned."""
    try:
        journal = _journal()
    except UsageError as fail:
        print(fail, file=sys.stderr)
        return
    try:
        reconcile_quietly(journal, client, conn)
    finally:
        journal.close()


def render_jobs(snap, server, local) -> str:
    from ips_tui.follow.jobs import both_zones, when

    out = [_("Company {company} · {time}").format(company=snap.company, time=when(snap.taken_at, local)), ""]
    out.append(_("Active jobs ({n})").format(n=len(snap.active)))
    for j in snap.active:
        out.append(f"  {j.get('state', ''):<10} {int(j.get('progress') or 0):3d}%  {j.get('name', '')}")
        out.append(f"  {'':<10}       {j.get('progressMessage') or ''}  ·  {j.get('jobHandle', '')}")
    out.append("")
    out.append(_("Scheduled jobs ({n})").format(n=len(snap.scheduled)))
    for j in snap.scheduled:
        at_server, at_local = both_zones(j.get("nextFireTime"), server, local)
        out.append(f"  {j.get('triggerState') or '':<8} {j.get('name', '')}  {j.get('execSchedule') or ''}")
        out.append("    " + _("next: {server} (server) · {local} (here)").format(server=at_server or "—",
                                                                              local=at_local or "—"))
        out.append(f"    {j.get('jobHandle', '')}")
    if snap.logs:
        out.append("")
        out.append(_("Recent job logs ({n})").format(n=len(snap.logs)))
        for lg in snap.logs:
            status = _("fatal") if lg.get("fatalError") else _("ok {ok} · errors {err}").format(
                ok=lg.get("fileSuccessCount", 0), err=lg.get("fileErrorCount", 0))
            end = when(lg.get("endDate"), local) or _("running")
            out.append(f"  {lg.get('jobName', '')}  {end}  {status}")
    return "\n".join(out)


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
    _server, local = _zones(conn)
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
        print(_("No job log for {name} in {company} (yet).").format(name=args.name, company=company))
        return EXIT_OK
    for lg in logs:
        c = log_counts(lg)
        print(f"{lg.get('jobName', '')}  ·  {lg.get('jobHandle', '')}")
        print("  " + _("{start} → {end} · {ok} succeeded, {err} failed, {total} in all").format(
            start=when(lg.get("startDate"), local), end=when(lg.get("endDate"), local) or _("running"),
            ok=c["success"], err=c["errors"], total=c["total"]))
        for url in export_urls(lg):
            print("  " + _("download: {url}").format(url=url))
        for row in detail_rows(lg):
            asset = f"  [{row.get('assetName')}]" if row.get("assetName") else ""
            print(f"    {when(row.get('dateCreated'), local)}  {row.get('logType', ''):<24} "
                  f"{row.get('logMessage', '')}{asset}")
    return EXIT_OK


def _jsonable(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


# --- history ------------------------------------------------------------------------------------


def cmd_history(args) -> int:
    if args.resolved and not args.save:
        raise UsageError(_("--resolved goes with --save: ips-tui history ID --save FILE --resolved"))
    journal = _journal()
    try:
        if args.id is not None:
            return _history_entry(args, journal)
        if args.save:
            raise UsageError(_("--save needs the entry's ID: ips-tui history ID --save FILE"))
        entries = journal.entries(limit=max(1, args.limit), search=args.search)
    finally:
        journal.close()
    if args.json:
        print(json.dumps([e.to_dict() for e in entries]))
        return EXIT_OK
    if not entries:
        print(_("Nothing submitted yet."))
        return EXIT_OK
    for e in entries:
        print(history_line(e))
    return EXIT_OK


def history_line(e) -> str:
    result = e.handle or (f"{e.error_kind}: {e.error_message}" if e.error_kind else "")
    return f"#{e.id:<5} {e.created[:19].replace('T', ' ')}  {e.state:<10} {e.company or '':<10} {e.job_name}  {result}"


def _history_entry(args, journal) -> int:
    from ips_tui.store.atomic import atomic_write_text

    e = journal.get(args.id)
    if e is None:
        raise UsageError(_("No journal entry #{id}.").format(id=args.id))
    if args.save:
        from pathlib import Path

        target = Path(args.save)
        text = e.request
        if args.resolved:  # names stay names unless asked (cli_assets)
            from ips_tui.cli_assets import resolved_toml

            text = resolved_toml(args, e.request)
        try:
            atomic_write_text(target, text, replace=False)  # 0600, as every file ips-tui writes
        except FileExistsError:
            raise UsageError(_("{path} exists; choose another name (nothing was written).").format(
                path=target)) from None
        print(_("Saved the job request of #{id} to {path}.").format(id=e.id, path=target))
        return EXIT_OK
    if args.json:
        print(json.dumps(e.to_dict()))
        return EXIT_OK
    print(history_line(e))
    for label, value in ((_("profile"), e.profile), (_("service"), e.url), (_("user"), e.user),
                         (_("file"), e.source), (_("sent"), e.sent_at), (_("note"), e.note)):
        if value:
            print(f"  {label}: {value}")
    print()
    sys.stdout.write(e.request)
    return EXIT_OK
