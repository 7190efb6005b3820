"""An idle sandbox stays light: the app embeds it (``ips-tui --sandbox``), so starting it must not load lxml,
the WSDL's schemas, the Quartz parser (cron-descriptor) or babel. They come with the first SOAP request, and
that request is answered exactly as before."""

from __future__ import annotations

import json
import subprocess
import sys

# What the request side needs and an idle sandbox must not have loaded.
HEAVY = ("lxml", "lxml.etree", "babel", "cron_descriptor", "ips_tui.job.timing", "ips_tui.job.locales",
         "ips_tui.ips.schema", "ips_tui.sandbox.soap", "ips_tui.sandbox.service", "ips_tui.sandbox.jobs",
         "ips_tui.sandbox.submit_ops", "ips_tui.sandbox.job_ops", "zeep", "werkzeug", "urllib.request")

PROBE = r"""
import json, sys

HEAVY = %r
loaded = lambda: sorted(m for m in HEAVY if m in sys.modules)
out = {}
from ips_tui.sandbox import Sandbox

sb = Sandbox(port=0, speed=0).start()
try:
    out["after_start"] = loaded()
    out["submitted_before"] = sb.submitted_jobs()
    import urllib.request  # the probe's own HTTP client, after the check
    # the WSDL is served by the light side too
    with urllib.request.urlopen(sb.wsdl_url) as reply:
        wsdl = reply.read()
    out["wsdl_has_address"] = ('location="%%s"' %% sb.url).encode() in wsdl
    out["after_wsdl"] = sorted(m for m in loaded() if m != "urllib.request")  # the probe's own client
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header>'
        '<authHeader xmlns="http://www.scene7.com/IpsApi/xsd"><user>%%s</user><password>%%s</password>'
        '<appName>t</appName><appVersion>0</appVersion></authHeader></soapenv:Header><soapenv:Body>'
        '<checkLoginParam xmlns="http://www.scene7.com/IpsApi/xsd/2014-04-03"><email>%%s</email>'
        '<password>%%s</password></checkLoginParam></soapenv:Body></soapenv:Envelope>'
    ) %% (sb.user, sb.password, sb.user, sb.password)
    request = urllib.request.Request(sb.url, data=body.encode(), method="POST",
                                     headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": "checkLogin"})
    with urllib.request.urlopen(request) as reply:
        out["status"] = reply.status
        out["reply"] = reply.read().decode()
    out["after_request"] = loaded()
finally:
    sb.stop()
print(json.dumps(out))
"""


def _probe() -> dict:
    run = subprocess.run([sys.executable, "-c", PROBE % (HEAVY,)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_an_idle_sandbox_has_not_loaded_the_request_side_and_the_first_request_does():
    out = _probe()
    assert out["after_start"] == [], f"starting the sandbox loaded {out['after_start']}"
    assert out["submitted_before"] == []
    assert out["wsdl_has_address"] is True
    assert out["after_wsdl"] == [], f"serving the WSDL loaded {out['after_wsdl']}"
    # the first SOAP request is answered in full (validated, authenticated, dispatched) ...
    assert out["status"] == 200
    assert "<checkLoginReturn" in out["reply"] and "<status>ValidLogin</status>" in out["reply"], out["reply"]
    # ... which is when the schema validator, lxml and the job side arrive
    for name in ("lxml.etree", "ips_tui.sandbox.soap", "ips_tui.sandbox.service", "ips_tui.sandbox.jobs",
                 "ips_tui.job.timing"):
        assert name in out["after_request"], name


def test_the_request_side_is_built_once_and_shared_by_every_thread():
    from concurrent.futures import ThreadPoolExecutor

    from ips_tui.sandbox import Sandbox

    sb = Sandbox(port=0, speed=0)
    assert sb._service is None  # nothing built by the constructor
    with ThreadPoolExecutor(8) as pool:
        services = list(pool.map(lambda _i: sb.service, range(32)))
    assert all(s is services[0] for s in services)
    assert sb.jobs is services[0].jobs and sb.validator is not None


def test_the_wsdl_path_is_the_one_the_client_uses():
    from ips_tui.ips.schema import OUR_WSDL as CLIENT_WSDL
    from ips_tui.sandbox.server import OUR_WSDL

    assert OUR_WSDL == CLIENT_WSDL.resolve() and OUR_WSDL.is_file()
