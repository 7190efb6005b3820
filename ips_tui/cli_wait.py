"""``ips-tui submit --wait``: follow each submitted job to its end.

On a terminal the progress is drawn with Rich (one bar per job, on standard error; Rich is imported here, only
then); elsewhere each change of phase is one line. Names and messages that came from outside (the job file,
the service) are made safe to print first: no terminal control, no bidi overrides, one line each.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime, timezone

from ips_tui.i18n import _
from ips_tui.safe_text import visible as _v  # everything from a file, the journal or the service

EXIT_OK, EXIT_NETWORK, EXIT_JOB_FAILED = 0, 4, 5

#: consecutive failed looks at the service (network, timeout) before --wait gives up
WAIT_RETRIES = 3

def progress_rows(follow: list[dict]) -> list[tuple[str, int, str]]:
    """(job name, percent, message) per followed job, each made safe to print."""
    rows = []
    for f in follow:
        st, s = f["status"], f["r"].submission
        rows.append((_v(s.job_name), 100 if st.finished else int(st.progress or 0), _v(st.message)))
    return rows


class _Bars:
    """Rich's Progress on standard error: one task per job, updated in place."""

    def __init__(self, follow: list[dict]):
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

        self.progress = Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(bar_width=24),
            TaskProgressColumn(),
            TextColumn("{task.fields[message]}", markup=False),
            console=Console(file=sys.stderr), auto_refresh=False, transient=False)
        self.tasks = [self.progress.add_task(name, total=100, completed=pct, message=message)
                      for name, pct, message in progress_rows(follow)]
        self.progress.start()

    def update(self, follow: list[dict]) -> None:
        for task, (name, pct, message) in zip(self.tasks, progress_rows(follow), strict=True):
            self.progress.update(task, description=name, completed=pct, message=message)
        self.progress.refresh()

    def stop(self) -> None:
        self.progress.stop()


def wait_for(args, conn, results) -> int:
    """Follow each submitted job to its end; a progress bar on a terminal. 5 if one failed or stopped,
    4 if the service could not be asked or --wait-timeout passed first."""
    from ips_tui.follow.status import JobStatus, job_status
    from ips_tui.ips.faults import IpsError, TransportError

    follow = []
    for r in results:
        since = r.entry.sent_time if r.entry is not None and r.entry.sent_time else datetime.now(timezone.utc)
        follow.append({"r": r, "since": since, "status": JobStatus("waiting", 0, _("Waiting to start"))})
    bars = _Bars(follow) if sys.stderr.isatty() and not args.json and follow else None
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
                        print(f"{_v(s.source)}: {_v(error.message)}", file=sys.stderr)
                        return max(worst, error.exit_code)
                    continue
                except IpsError as error:
                    print(f"{_v(s.source)}: {_v(error.message)}", file=sys.stderr)
                    return max(worst, error.exit_code)
                if bars is None and not args.json and before.phase != f["status"].phase:
                    print(f"{_v(s.source)}: {_v(s.job_name)}: {_v(f['status'].message)}", file=sys.stderr,
                          flush=True)
            if bars is not None:
                bars.update(follow)
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
        if bars is not None:
            bars.stop()
    for f in follow:
        s, st = f["r"].submission, f["status"]
        if st.phase in ("failed", "stopped"):
            worst = max(worst, EXIT_JOB_FAILED)
        if args.json:
            print(json.dumps({"file": s.source, "jobName": s.job_name, "company": s.company,
                              "jobHandle": f["r"].handle, "status": st.to_dict()}, default=str), flush=True)
        else:
            mark = "✓" if st.phase in ("done", "scheduled") else "…" if not st.finished else "✗"
            print(f"{mark} {_v(s.source)}: {_v(s.job_name)}: {_v(st.message)}")
            for url in st.export_urls:
                print("  " + _("download: {url}").format(url=_v(url)))
    return worst
