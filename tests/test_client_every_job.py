"""The client, unchanged, submits every job type to the sandbox over HTTP and HTTPS and follows it to Done."""

from __future__ import annotations

import pytest

from ips_tui.ips.catalog import catalog
from ips_tui.ips.client import IpsClient
from ips_tui.job.request import JobRequest
from jobgen import request_data


def _strip(value):
    """Maximal requests without the values only a real account has (publish contexts, user handles) or a schedule."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in ("contextHandle", "execSchedule", "userHandle")}
    return value


def follow_to_done(client, sandbox, company, name) -> dict:
    for _ in range(20):
        sandbox.clock.advance(2)
        runs = client.get_active_jobs(company, original_name=name)
        if runs and runs[0]["state"] == "Done":
            return runs[0]
    raise AssertionError(f"{name} never reached Done: {runs}")


@pytest.mark.parametrize("tls", [False, True], ids=["http", "https"])
def test_every_job_type_runs_to_done(sandbox_factory, tls):
    sandbox = sandbox_factory(tls=tls, speed=0)
    company = sandbox.companies[0]["handle"]
    client = IpsClient(sandbox.url, sandbox.user, sandbox.password, cacert=sandbox.ca_path)
    try:
        for element in catalog().jobs:
            for maximal in (False, True):
                data = _strip(request_data(element, maximal=maximal))
                data["companyHandle"] = company
                handle = client.submit_job(JobRequest(data).to_payload())
                assert handle.startswith("j|")
                run = follow_to_done(client, sandbox, company, data["jobName"])
                assert run["originalName"] == data["jobName"]
                assert run["progress"] == 100
        names = {j["jobName"] for j in sandbox.submitted_jobs()}
        assert len(names) == 2 * len(catalog().jobs)
        logs = client.get_job_logs(company, num_rows=100)
        assert {log["originalJobName"] for log in logs} >= names
    finally:
        client.close()
