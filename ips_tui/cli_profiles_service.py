"""The profiles commands that talk to the service (registered by :mod:`ips_tui.cli_profiles`):
``ips-tui profiles test [NAME] [--schema]`` — are the credentials good, which authHeader namespace does the
service read, and (``--schema``) where does its WSDL differ from ours — and ``profiles companies``.

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


def _fail(message: str, code: int = EXIT_INVALID):
    from ips_tui.cli_profiles import _Fail

    return _Fail(message, code)


def _error(text: str) -> None:
    from ips_tui.cli_profiles import _error as error

    error(text)


def _store():
    from ips_tui.cli_profiles import _store as store

    return store()


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


def cmd_test(args) -> int:
    conn = _connection(args)
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


# --- the connection, and companies ---------------------------------------------------------------


def _connection(args, *, password: str | None = None):
    """The connection for ``test`` / ``companies`` (NAME, else --profile, else the default profile)."""
    from ips_tui.connection import ConnectionSetupError, resolve_connection

    if getattr(args, "name", None):
        args.profile = args.name
    if password is not None:
        conn = resolve_connection(args, need_password=False)
        if conn is not None:
            conn.password, conn.password_source = password, "prompt"
    else:
        conn = resolve_connection(args, need_password=True)
    if conn is not None:
        conn.auth_header = getattr(args, "auth_header", None)
    if conn is None:
        raise ConnectionSetupError(_("Which profile? Name one (ips-tui profiles list shows them), or set a default "
                                     "with ips-tui profiles edit NAME --default."))
    return conn


def cmd_companies(args) -> int:
    conn_profile = getattr(args, "name", None) or getattr(args, "profile", None)
    if conn_profile is None and (getattr(args, "url", None) or getattr(args, "user", None)):
        save = False  # an ad hoc --url/--user: nothing to save into
    else:
        save = not args.no_save
    return fetch_and_save(args, _store(), None, password=None, names=tuple(args.company_names),
                           replace=args.replace, save=save)


def fetch_and_save(args, store, profile, *, password, names, replace: bool, save: bool) -> int:
    from ips_tui.companies import fetch_companies, merge_companies

    if profile is not None:  # after add/edit: the saved profile as it is (--url/--user were its own fields)
        args.name = args.profile = profile.name
        args.url = args.user = args.cacert = None
    conn = _connection(args, password=password)
    client = conn.client(timeout=getattr(args, "timeout", 60.0) or 60.0)
    notes: list[str] = []
    known = dict(conn.profile.companies) if conn.profile is not None else {}
    try:
        found = fetch_companies(client, list(names), known=known, notes=notes)
    finally:
        client.close()
        conn.password = None
    for note in notes:
        _error(note)
    if names:
        missing = [n for n in names if n not in {c.name for c in found}]
        if missing:
            raise _fail(_("No company named {names} was found.").format(names=", ".join(missing)), EXIT_FAULT)
    stored = None
    changed: list[str] = []
    dropped: list[str] = []
    if save and conn.profile is not None:
        def change(p):
            changed[:], dropped[:] = merge_companies(p, found, replace=replace)
            return p

        stored = store.update(conn.profile.name, change)
    if getattr(args, "json", False):
        print(json.dumps({
            "profile": conn.profile_name,
            "companies": [{"name": c.name, "handle": c.handle, "role": c.role} for c in found],
            "saved": stored is not None,
            "default_company": stored.default_company if stored else None,
            "notes": notes,
        }))
        return EXIT_OK
    if not found and not notes:
        print(_("{user} is not a member of any company.").format(user=conn.user))
    from ips_tui.safe_text import visible as _v  # names, handles and roles come from the service

    width = max((len(_v(c.name)) for c in found), default=0)
    for c in found:
        mark = "*" if stored is not None and c.name == stored.default_company else " "
        role = f"  {c.role}" if c.role else ""
        print(f"{mark} {_v(c.name).ljust(width)}  {_v(c.handle)}{_v(role)}")
    if stored is not None:
        print(_("Saved in profile '{name}' ({n} companies; * is the default, {default}).").format(
            name=stored.name, n=len(stored.companies), default=stored.default_company or _("none")))
        if dropped:
            print(_("Dropped: {names}.").format(names=", ".join(dropped)))
    return EXIT_OK
