"""F1: what a field means, what it takes, and the keys of each step."""

from __future__ import annotations

from ips_tui.i18n import N_, _

KIND_WORDS = {
    "string": N_("text"),
    "boolean": N_("yes / no (Space toggles; Delete returns an optional one to the service default)"),
    "int": N_("a whole number"),
    "double": N_("a number"),
    "datetime": N_("a date and time with its zone"),
    "enum": N_("one of a list (Enter opens it)"),
    "handles": N_("a list of handles, one per line (paste a block of many lines)"),
    "urls": N_("a list of URL pairs, one per line: URL<TAB>path or URL path"),
    "group": N_("a group of options (Enter opens it)"),
}

STEP_HELP = {
    "start": N_("Choose the profile (the account and endpoint) and the company the job runs for. "
                "The band at the top says where you are: PRODUCTION, STAGING or SANDBOX.\n\n"
                "Up/Down choose, Enter picks and moves on; Tab moves between the lists; "
                "type a company handle (c|…) when it is not listed."),
    "type": N_("Choose one of the 13 job types with Up/Down and Enter. "
               "A deprecated type says which one to use instead."),
    "fields": N_("The fields of the chosen job type, in the schema's order. * marks a required field; "
                 "problems show under each field as you type. Tab / Shift+Tab move through the form; "
                 "Enter opens a folded group; F1 explains the focused field."),
    "details": N_("Name the job (it appears in job logs), describe it, choose the locale of its log "
                  "and e-mails, and optionally the user it is submitted for."),
    "timing": N_("Run now, at one time (with its zone), or on a recurring Quartz schedule "
                 "(seconds minutes hours day-of-month month day-of-week [year]; one of the day fields is ?). "
                 "A Unix cron gets its Quartz equivalent offered."),
    "review": N_("What will be sent: a summary, the problems left, and the exact SOAP envelope "
                 "(password masked).\n\nF5 submits; Ctrl+S saves a job file the CLI reads; "
                 "Ctrl+Y copies the envelope (OSC 52); Ctrl+O opens it in $PAGER."),
}

KEYS = N_("Keys everywhere: Ctrl+N next step, Esc previous step, Ctrl+R review, F5 submit, F1 help, "
          "Ctrl+P command palette, Ctrl+Q quit. The mouse is optional.")


def field_help(f, path: str = "") -> tuple[str, str]:
    lines = []
    if f.help:
        lines.append(_(f.help))
        lines.append("")
    lines.append(_("Element: {name}").format(name=path.split("#")[0] or f.name))
    lines.append(_("Takes: {what}").format(what=_(KIND_WORDS.get(f.kind, f.kind))))
    lines.append(_("Required: {yes}").format(yes=_("yes") if f.required else _("no")))
    if f.choices:
        lines.append(_("Allowed values: {values}").format(values=", ".join(f.choices)))
    if f.bounds:
        lo, hi = f.bounds
        lines.append(_("Range: {lo} to {hi}").format(lo="…" if lo is None else f"{lo:g}",
                                                     hi="…" if hi is None else f"{hi:g}"))
    if f.max_items:
        lines.append(_("At most {n} items.").format(n=f.max_items))
    if f.exclusive:
        lines.append(_("Only one option of the group “{group}” may be set.").format(group=_(f.exclusive)))
    return _(f.label), "\n".join(lines)


def step_help(step: str) -> tuple[str, str]:
    return _("Help"), _(STEP_HELP.get(step, "")) + "\n\n" + _(KEYS)
