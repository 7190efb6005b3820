"""``ips-tui profiles add`` and ``profiles edit``: a profile from the options given, checked before it
is saved; a new password goes to the keyring, and the companies can be fetched (``--fetch-companies``).
Run through :mod:`ips_tui.cli_profiles`, whose guard prints the errors (``_Fail``) with their exit codes."""

from __future__ import annotations

import os
import sys

from ips_tui.cli_profiles import EXIT_OK, _env_word, _environment, _Fail, _fetch_and_save, _store
from ips_tui.i18n import _


def _companies_from(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, handle = pair.partition("=")
        if not sep or not name.strip() or not handle.strip():
            raise _Fail(_("--company wants NAME=HANDLE, e.g. --company \"Acme Retail=c|101\" (got '{value}')").format(
                value=pair))
        out[name.strip()] = handle.strip()
    return out


def _cacert(path: str) -> str:
    full = os.path.abspath(os.path.expanduser(path))
    if not os.path.isfile(full):
        raise _Fail(_("--cacert: there is no file {path}").format(path=full))
    return full


def _check_timezone(zone: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise _Fail(_("--timezone: '{zone}' is not a known time zone (an IANA name such as Europe/London)").format(
            zone=zone)) from None


def _apply(profile, args) -> None:
    """Put the options given on the command line into ``profile`` (in place)."""
    from ips_tui.store.profiles import DEFAULT_TIMEZONES

    old_region_zone = DEFAULT_TIMEZONES.get(profile.region or "") if not profile.url else None
    if args.user is not None:
        profile.user = args.user.strip()
    if args.url is not None:
        profile.url, profile.region, profile.staging = args.url.strip(), None, False
    if args.region is not None:
        profile.region, profile.url = args.region, None
        if profile.timezone in (old_region_zone, None, "UTC") and args.timezone is None:
            profile.timezone = DEFAULT_TIMEZONES[args.region]  # follow the region unless chosen by hand
    if args.staging is not None:
        profile.staging = args.staging
    if args.timezone is not None:
        _check_timezone(args.timezone)
        profile.timezone = args.timezone
    if args.locale is not None:
        profile.locale = args.locale
    if args.email_setting is not None:
        profile.email_setting = args.email_setting
    if args.password_env is not None:
        profile.password_env = args.password_env
    if args.cacert is not None:
        profile.cacert = _cacert(args.cacert)
    for key in ("auth_header", "max_reply_mib", "max_inflated_mib"):
        if getattr(args, key, None) is not None:
            setattr(profile, key, getattr(args, key))
    for name in getattr(args, "remove_company", []) or []:
        if name not in profile.companies:
            raise _Fail(_("--remove-company: profile '{profile}' has no company '{name}' (it has: {known})").format(
                profile=profile.name, name=name, known=", ".join(profile.companies) or _("none")))
        del profile.companies[name]
        if profile.default_company == name:
            profile.default_company = None
    profile.companies.update(_companies_from(args.companies))
    for key in getattr(args, "unset", []) or []:
        if key == "timezone":
            from ips_tui.store.profiles import CUSTOM_TIMEZONE

            profile.timezone = DEFAULT_TIMEZONES.get(profile.region or "", CUSTOM_TIMEZONE)
        else:
            setattr(profile, key, None)
    if args.default_company is not None:
        profile.default_company = args.default_company
    if profile.default_company is None and profile.companies:
        profile.default_company = next(iter(profile.companies))


def _new_password(args, profile) -> str | None:
    """With --store-password: the password to keep in the keyring (checked to be possible first)."""
    if not args.store_password:
        return None
    from ips_tui.store.secrets import keyring_status

    available, explanation = keyring_status()
    if not available:
        raise _Fail(explanation)
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        password = getpass.getpass(_("Password for {user} (profile {profile}), kept in the keyring: ").format(
            user=profile.user, profile=profile.name))
    else:
        line = sys.stdin.readline() if sys.stdin is not None else ""
        password = line.rstrip("\r\n")
    if not password:
        raise _Fail(_("No password was given: nothing was changed."))
    return password


def _after_save(args, store, profile, password: str | None) -> int:
    """--store-password and --fetch-companies, once the profile is saved."""
    from ips_tui.store.secrets import store_password

    if password is not None:
        result = store_password(profile, password)
        if not result.ok:
            raise _Fail(_("The profile is saved, but the password could not be kept in the keyring: {reason}").format(
                reason=result.reason))
        print(_("The password for {user} is in the system keyring.").format(user=profile.user))
    if args.fetch_companies:
        return _fetch_and_save(args, store, profile, password=password, names=(), replace=False, save=True)
    return EXIT_OK


def cmd_add(args) -> int:
    from ips_tui.store.profiles import Profile, ProfileError

    store = _store()
    data = store.load()
    if args.name in data.profiles:
        raise _Fail(_("There is already a profile named '{name}': change it with ips-tui profiles edit {name}.")
                    .format(name=args.name))
    if args.region is None and args.url is None:
        raise _Fail(_("Say where the service is: --region na|emea|apac (with --staging for Adobe's staging) "
                      "or --url URL."))
    if args.url is not None and args.staging:
        raise _Fail(_("--staging applies to a region, not to a custom --url."))
    profile = Profile(name=args.name, user=args.user.strip(), region=args.region, url=args.url,
                      staging=bool(args.staging))
    _apply(profile, args)
    problems = profile.problems()
    if problems:
        raise ProfileError(problems)
    password = _new_password(args, profile)
    stored = store.save_profile(profile)
    if args.make_default or not data.profiles:  # the first profile is the default one
        store.set_default(stored.name)
    env = _env_word(_environment(stored))
    print(_("Saved profile '{name}' ({env}, {user} at {url}) in {path}.").format(
        name=stored.name, env=env, user=stored.user, url=stored.service_url, path=store.path))
    return _after_save(args, store, stored, password)


def cmd_edit(args) -> int:
    from ips_tui.store.secrets import move_keyring_entry

    store = _store()
    current = store.get(args.name)
    if args.url is not None and args.staging:
        raise _Fail(_("--staging applies to a region, not to a custom --url."))
    changed = current.copy()
    _apply(changed, args)
    if args.rename:
        changed.name = args.rename.strip()
    problems = changed.problems()
    if problems:
        from ips_tui.store.profiles import ProfileError

        raise ProfileError(problems)
    password = _new_password(args, changed)

    def change(profile):
        # Re-apply to what is in the file now (another process may have changed other keys meanwhile).
        _apply(profile, args)
        if args.rename:
            profile.name = args.rename.strip()
        return profile

    stored = store.update(args.name, change)
    if args.make_default:
        store.set_default(stored.name)
    if stored.name != current.name and password is None:
        if move_keyring_entry(current, stored):
            print(_("The keyring entry moved with the profile."))
    print(_("Saved profile '{name}' ({env}, {user} at {url}).").format(
        name=stored.name, env=_env_word(_environment(stored)), user=stored.user, url=stored.service_url))
    return _after_save(args, store, stored, password)


