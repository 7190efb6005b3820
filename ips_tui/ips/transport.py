"""The HTTP side of the IPS client: a zeep ``Transport`` that turns every network problem into an
:mod:`ips_tui.ips.faults` error before zeep can disguise it.

What it does that zeep's own transport does not:

* **One deadline per call.** Connecting, the headers and the whole body together end within
  ``timeout`` seconds from the start of the call, however slowly the server sends: a watchdog
  (:mod:`ips_tui.ips.deadline`) cuts the socket when the time is up. Connecting alone gets at most
  ``connect_timeout`` of it.
* **Reply limits.** At most ``max_reply`` bytes on the wire and ``max_inflated`` bytes once a
  gzip/deflate body is unpacked (a compression bomb stops at the limit, not in the gigabytes);
  :class:`ReplyTooLarge` names the limit and the profile key that sets it.
* **TLS trust per request.** ``verify`` is passed to ``session.post`` on each call instead of
  being set on ``session.verify``. requests lets ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` replace
  ``session.verify`` whenever ``trust_env`` is on, but never a per-request ``verify`` that is a
  path or ``False``. So a ``cacert`` given by the user always wins, while ``trust_env`` stays on and
  the operator's ``HTTPS_PROXY``/``NO_PROXY`` keep working.
* **HTTP errors are not faults** and **replies are checked** before zeep parses them
  (:mod:`ips_tui.ips.replies`).
* **No envelope is logged or kept.** This transport logs host, status, size and time only. No
  redirects are followed, no retries are made (a retried submitJob could run a job twice).

Errors are raised outside ``except`` blocks with no cause, so no requests exception (whose
``.request.body`` is the envelope with the password) stays reachable from them.
"""

from __future__ import annotations

import logging
import time

import requests
import zeep
from zeep.transports import Transport

from ips_tui import APP_NAME, __version__
from ips_tui.i18n import _
from ips_tui.ips.deadline import DeadlineAdapter, Watch
from ips_tui.ips.faults import IpsError, ReplyTooLarge, RequestTimeout
from ips_tui.ips.net_errors import network_error
from ips_tui.ips.replies import (  # noqa: F401  (check_reply, http_error: imported from here by callers)
    MAX_INFLATED, MAX_REPLY, MIB, _out_of_time, _too_large, check_reply, http_error,
)
from ips_tui.ips.urls import host_of, secs

log = logging.getLogger(__name__)

#: read size; with a compressed body urllib3 unpacks at most this much per read
_CHUNK = 16 * 1024


class IpsTransport(Transport):
    """zeep Transport with one deadline per call, reply limits, per-request TLS trust and typed errors."""

    def __init__(
        self,
        *,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        verify: bool | str = True,
        session: requests.Session | None = None,
        max_reply: int = MAX_REPLY,
        max_inflated: int = MAX_INFLATED,
    ):
        # ``timeout`` = loading documents (never used: our WSDL is a package file),
        # ``operation_timeout`` = the whole POST.
        super().__init__(timeout=timeout, operation_timeout=timeout, session=session)
        self.connect_timeout = connect_timeout
        self.verify = verify
        self.max_reply = max_reply
        self.max_inflated = max_inflated
        self.session.headers["User-Agent"] = f"{APP_NAME}/{__version__} zeep/{zeep.__version__}"
        adapter = DeadlineAdapter()  # max_retries=0, as requests' default: keep it that way
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    # zeep calls post_xml -> post; post_xml serialises the envelope (etree_to_string).
    def post(self, address, message, headers):
        error = None
        response = None
        started = time.monotonic()
        with Watch(self.operation_timeout) as watch:
            try:
                response = self._send(address, message, headers, started)
            except IpsError as exc:
                error = exc
            except Exception as exc:  # requests / urllib3 / OSError: translate, drop the original
                error = network_error(exc, address, self.operation_timeout, self.connect_timeout, self.verify)
        if watch.fired and not isinstance(error, (ReplyTooLarge, RequestTimeout)):
            # the cut socket shows as a closed connection or a cut-off reply: say what really happened
            error = _out_of_time(address, self.operation_timeout)
        message = None  # no frame of a raised error keeps the envelope
        if error is not None:
            raise error.with_traceback(None)
        check_reply(response, address)
        log.debug(
            "POST %s %s -> HTTP %s, %d bytes in %.3f s",
            host_of(address),
            headers.get("SOAPAction", ""),
            response.status_code,
            len(response.content),
            time.monotonic() - started,
        )
        return response

    def _send(self, address, message, headers, started):
        budget = self.operation_timeout
        connect = min(self.connect_timeout, budget) if budget else self.connect_timeout
        response = self.session.post(
            address,
            data=message,
            headers=headers,
            timeout=(connect, budget),
            verify=self.verify,
            allow_redirects=False,
            stream=True,
        )
        with response:
            response._content = self._read_body(response, address)
            response._content_consumed = True
        return response

    def _read_body(self, response, address) -> bytes:
        """The (unpacked) body, within both limits; the connection is dropped at the first one passed."""
        host = host_of(address)
        declared = response.headers.get("Content-Length", "")
        if declared.strip().isdigit() and int(declared) > self.max_reply:
            raise _too_large(host, "max_reply_mib", self.max_reply)
        chunks = []
        total = 0
        raw = response.raw
        for chunk in response.iter_content(_CHUNK):
            total += len(chunk)
            if raw.tell() > self.max_reply:
                raise _too_large(host, "max_reply_mib", self.max_reply)
            if total > self.max_inflated:
                raise _too_large(host, "max_inflated_mib", self.max_inflated)
            chunks.append(chunk)
        return b"".join(chunks)


