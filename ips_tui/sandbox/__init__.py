"""A local IPS emulator: a real SOAP 1.1 server over HTTP/HTTPS on loopback, answering from our WSDL.

Used by every test as the real peer, embedded by the app (``ips-tui --sandbox``) and runnable standalone
(``ips-tui sandbox`` / ``python -m ips_tui.sandbox``). Imports neither textual nor rich, never writes to
the terminal (logger ``ips_tui.sandbox``).

Quick facts (details in the modules):

- ``Sandbox(host, port, tls, speed, clock, allow_remote)``; ``start()``/``stop()`` or ``with``; ``url``,
  ``wsdl_url``, ``ca_path`` (TLS), ``user``/``password``, ``companies``, ``received``, ``submitted_jobs()``,
  ``inject(kind, operation=, times=, seconds=)``, ``clock`` (``now()``, ``advance()``, ``set()``, ``speed``;
  ``speed=0`` freezes it), ``add_user(email, password, {company handle: role})``.
- Seed (``seed.py``): companies Acme Retail ``c|101``, Brio Outdoor ``c|102``, Cielo Foods ``c|103``; users
  ``demo@sandbox.ips``/``sandbox-demo`` (IpsUser in all three), ``webservice@sandbox.ips``/``sandbox-ws``
  (WebServiceUser: cannot submit), ``companyadmin@sandbox.ips``/``sandbox-admin`` (IpsCompanyAdmin: follows
  jobs, cannot submit), ``solo@sandbox.ips``/``sandbox-solo`` (IpsUser in c|103 only),
  ``portal@sandbox.ips``/``sandbox-portal`` (ImagePortalUser in c|102), ``ipsadmin@sandbox.ips``/
  ``sandbox-ipsadmin`` (IpsAdmin: every company). Publish contexts ``pc|10101``… (ImageServing ×2,
  ImageRendering, Video, ServerDirectory per company), assets ``a|101|1001``…, set-generation scripts and
  video presets ``ps|101|201``….
- Library (``library.py``, ``lookups.py``): per company 50 folders and 10,000+ assets (``spring/1001.jpg`` …,
  PDFs, videos, ICC profiles, the same names again in ``archive/``, some in the trash), three projects, built by
  the company's first lookup; searchAssets, getAssetsByName, getAssets, getFolderTree, getFolders, getProjects
  and getCompanyMembers with the role lists of the API fact sheet §4.5 (docs/names.md).
- Operations (``service.py``, by family: ``submit_ops.py``, ``job_ops.py``, ``lookups.py``; the companies,
  users and publish contexts in ``service.py`` itself).
- Handles: submitJob returns ``j|<company id>|<name>||``; a name already used in that company gets
  ``<name>~2``, ``~3``… in the definition handle (never reused). Runs are ``<name>_<yyyy-MM-dd-HH:mm:ss>``
  (server time, America/Los_Angeles) with handle ``j|<id>||<run name>|<run id>``.
- Start-up is light (the app embeds it): lxml, the schema validator, the Quartz parser and babel are loaded
  by the first SOAP request, not by ``import`` or ``start()`` (``server.py``; pinned by
  tests/test_sandbox_startup.py).
- Bounds (``job_store.py``): a finished run and its log expire 7 days (clock time) after its end, or sooner
  beyond 2,000 finished runs; scheduled jobs stay while they may fire (indexed by next fire time).
- Faults: authenticationFault 10000/10001/10002, authorizationFault 20000/20001/20002/20003/20006/20007,
  ipsApiFault 30000 (unsupported operation, internal error), 30001, 30002, 30003.
"""

from ips_tui.sandbox.clock import SandboxClock
from ips_tui.sandbox.routes import Received
from ips_tui.sandbox.server import Sandbox, is_loopback, run_standalone

__all__ = ["Received", "Sandbox", "SandboxClock", "is_loopback", "run_standalone"]
