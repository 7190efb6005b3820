"""``ips-tui profiles test [NAME] [--schema]``: are the credentials good, which authHeader namespace does the
service read, and (``--schema``) where does its WSDL differ from ours.

Each namespace is tried once with checkLogin. A service that ignores a header answers fault 10000 ("no
credentials"); one that reads it answers the login. An account whose role may not call checkLogin
(WebServiceUser: code 20003) has still been authenticated by then — authorization comes after it — so the
login counts as valid, and that is said. What the service reads is remembered in the profile.
"""

from __future__ import annotations

import json
import sys

from ips_tui.i18n import _

EXIT_OK, EXIT_INVALID, EXIT_FAULT, EXIT_NETWORK = 0, 2, 3, 4
MODES = ("documented", "dated")


def _try(conn, mode: str, timeout: float):
    """("read" | "ignored", login valid?, refused checkLogin?) for one authHeader namespace."""
    from ips_tui.ips.faults import AuthenticationFault, AuthorizationFault

    client = conn.client(timeout=timeout)
    client.auth_header, client.adapt_auth_header, client.on_auth_header = mode, False, None
    try:
        return "read", client.check_login(conn.user, conn.password), False
    except AuthenticationFault as fault:
        if fault.code == 10000:
            return "ignored", None, False
        raise  # 10001/10002: the header was read and the login is wrong; its message says which
    except AuthorizationFault as fault:
        if fault.code != 20003:
            raise
        return "read", True, True  # authenticated, then refused checkLogin by its role
    finally:
        client.close()


def cmd_test(args, conn) -> int:
    timeout = getattr(args, "timeout", 60.0) or 60.0
    modes = {}
    valid = None
    refused = False
    for mode in MODES:
        modes[mode], ok, no_check = _try(conn, mode, timeout)
        if ok is not None:
            valid = ok if valid is None else (valid or ok)
            refused = refused or no_check
    read = [m for m in MODES if modes.get(m) == "read"]
    notes = []
    if refused:
        notes.append(_("This account may not call checkLogin (code 20003: its role, e.g. WebServiceUser, does not "
                       "allow it); the service authenticated it before refusing, so the login is valid."))
    if conn.profile is not None and read and (conn.profile.auth_header or "documented") not in read:
        from ips_tui.store.profile_client import remember_auth_header

        remember_auth_header(conn.profile.name, read[0], url=conn.url)
    schema = schema_error = None
    if getattr(args, "schema", False):
        from ips_tui.ips.faults import IpsError

        try:
            schema = _schema(conn, timeout)
        except IpsError as error:  # the login result still stands; the comparison could not be made
            schema_error = error
            schema = {"error": {"kind": error.kind, "code": error.code, "message": error.message}}
    password_ok = bool(valid) and bool(read)
    result = {"profile": conn.profile_name, "user": conn.user, "url": conn.url, "environment": conn.environment,
              "ok": password_ok, "authHeader": {m: modes[m] == "read" for m in MODES},
              "checkLogin": "refused" if refused else "allowed", "notes": notes}
    if schema is not None:
        result["schema"] = schema
    conn.password = None
    if args.json:
        print(json.dumps(result))
    else:
        _print_text(conn, result, read, notes, schema)
    if not read:
        print("ips-tui: " + _("The service saw no credentials (code 10000) with the authHeader in either "
                              "namespace (documented or dated); it may expect another API version or another way "
                              "to log in."), file=sys.stderr)
        return EXIT_FAULT
    if not password_ok:
        return EXIT_FAULT
    return schema_error.exit_code if schema_error is not None else EXIT_OK


def _print_text(conn, result, read, notes, schema) -> None:
    from ips_tui.cli_profiles import _env_word

    if result["ok"]:
        print(_("Login OK: {user} at {url} ({env}).").format(user=conn.user, url=conn.url,
                                                             env=_env_word(conn.environment)))
    elif read:
        print("ips-tui: " + _("The service says the login of {user} at {url} is not valid.").format(
            user=conn.user, url=conn.url), file=sys.stderr)
    if read == list(MODES):
        print(_("The service reads the authHeader in both namespaces (documented and dated)."))
    elif read:
        print(_("The service reads the authHeader only in the {mode} namespace.").format(mode=read[0]))
    for note in notes:
        print(note)
    if schema is not None:
        _print_schema(schema)


def _schema(conn, timeout: float) -> dict:
    from ips_tui.ips.client import OPERATIONS
    from ips_tui.ips.schema_diff import compare, fetch, parse_wsdl, wsdl_url

    url = wsdl_url(conn.url)
    verify = conn.cacert or True
    data = fetch(url, timeout=timeout, verify=verify)
    try:
        model = parse_wsdl(data)
    except ValueError as error:
        from ips_tui.ips.faults import MalformedReply
        from ips_tui.safe_text import visible

        raise MalformedReply(_("The WSDL at {url} cannot be read: {reason}.").format(
            url=url, reason=visible(str(error))[:300])) from None
    differences = compare(model, OPERATIONS)
    return {"url": url, "differences": [d.to_dict() for d in differences]}


def _print_schema(schema: dict) -> None:
    from ips_tui.safe_text import visible

    if "error" in schema:
        print("ips-tui: " + visible(schema["error"]["message"]), file=sys.stderr)
        return
    diffs = schema["differences"]
    if not diffs:
        print(_("The service's WSDL ({url}) matches ours for every operation and job type we send.").format(
            url=schema["url"]))
        return
    print(_("The service's WSDL ({url}) differs from ours in {n} places:").format(url=schema["url"], n=len(diffs)))
    words = {"required": _("required"), "gone": _("gone"), "added": _("new"), "type": _("type changed"),
             "enum-added": _("value added"), "enum-gone": _("value gone")}
    for d in diffs:
        print(f"  {words.get(d['kind'], d['kind'])}: {visible(d['path'])}  {visible(d['detail'])}".rstrip())
