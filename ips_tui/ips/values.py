"""What a reply's values become, and the last check of a payload's dates: zeep's objects as plain
dicts and lists (:func:`plain`), a top-level array as a list (:func:`items`), a reply's one value
(:func:`single`), and no date and time sent without its zone (:func:`check_datetimes`)."""

from __future__ import annotations

import datetime as _dt

from ips_tui.i18n import _
from ips_tui.ips.faults import InvalidInput, MalformedReply

#: xsd:dateTime fields a payload may carry as a string (checked for a zone offset)
_DATETIME_FIELDS = frozenset({"execTime", "startDate", "endDate"})


def plain(value):
    """zeep's serialize_object output (OrderedDicts, CompoundValues) as plain dicts and lists."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "__values__"):  # a CompoundValue serialize_object did not reach
        return {k: plain(v) for k, v in value.__values__.items()}
    if isinstance(value, _dt.datetime) and value.tzinfo is not None and type(value.tzinfo) is not _dt.timezone:
        # isodate's FixedOffset -> the standard library's timezone (same instant, same offset)
        return value.replace(tzinfo=_dt.timezone(value.utcoffset()))
    return value


def items(value) -> list:
    """A top-level array (``{"items": [...]}``, possibly inside one wrapper element) as a list."""
    while isinstance(value, dict):
        if "items" in value:
            return list(value["items"] or [])
        if len(value) != 1:
            break
        value = next(iter(value.values()))
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise MalformedReply(_("The reply does not hold the list that was expected."), maybe_processed=False)


def single(value, key: str):
    """A reply's single value (zeep may or may not have unwrapped the ``<op>Return`` element)."""
    if isinstance(value, dict) and key in value and len(value) == 1:
        return value[key]
    return value


def check_datetimes(payload, path: str = "") -> None:
    """Raise InvalidInput for a naive datetime (zeep would send it without an offset) or a dateTime
    string without a zone. The caller validates first; this is the last guard before sending."""
    if isinstance(payload, dict):
        for key, value in payload.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(value, str) and key in _DATETIME_FIELDS:
                try:
                    parsed = _dt.datetime.fromisoformat(value)
                except ValueError:
                    raise InvalidInput(
                        _("{field} is not a date and time (expected e.g. 2025-01-31T22:00:00-05:00): {value}").format(
                            field=where, value=value
                        )
                    ) from None
                check_datetimes({key: parsed}, path)
            else:
                check_datetimes(value, where)
    elif isinstance(payload, (list, tuple)):
        for i, value in enumerate(payload):
            check_datetimes(value, f"{path}[{i}]")
    elif isinstance(payload, _dt.datetime):
        if payload.tzinfo is None or payload.utcoffset() is None:
            raise InvalidInput(
                _(
                    "{field} has no time zone; the service would read it in its own zone. Give an offset "
                    "(e.g. 2025-01-31T22:00:00-05:00 or …Z)."
                ).format(field=path or _("a date"))
            )
