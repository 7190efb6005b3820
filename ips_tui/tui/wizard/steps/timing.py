"""Step 5: run now, at a time (with its zone), or on a recurring Quartz schedule.

Only one of execTime / execSchedule can ever be set: the mode decides which one is sent. Both are
checked on every keystroke; times are shown in the server's zone and the operator's.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from ips_tui import i18n
from ips_tui.i18n import N_, _
from ips_tui.tui.keys import released_after
from ips_tui.tui.messages import TimingChosen
from ips_tui.tui.wizard.steps.base import HoldingList, SimpleField, Step, Title, take_hold
from ips_tui.tui.text import format_date_time, format_when, zone_label
from ips_tui.tui.widgets.rows import FieldInput, FieldRow
from ips_tui.tui.wizard.steps.steady import ScheduleView, lines, runs_table, warm_schedule_words

MODES = (("now", N_("Run now")), ("at", N_("At a time")), ("recurring", N_("Recurring")))

EXEC_TIME = SimpleField(
    "execTime", N_("Date and time"), required=True, kind="datetime",
    help=N_("When the job runs, once: a date, a time and its zone, e.g. 2026-12-24 02:00-08:00 or "
            "2026-12-24T02:00:00Z. Without a zone it is refused (the server would read it in its own zone): "
            "type the wall time and press “Use server zone” or “Use my zone” to add the right offset."))
EXEC_SCHEDULE = SimpleField(
    "execSchedule", N_("Quartz schedule"), required=True,
    help=N_("A Quartz cron expression, read in the server's time zone: seconds minutes hours day-of-month "
            "month day-of-week [year]. Exactly one of day-of-month and day-of-week is ?. Examples: "
            "0 0 2 * * ? (daily at 02:00), 0 30 6 ? * MON-FRI (weekdays at 06:30), 0 0 3 1 * ? (monthly "
            "on the 1st at 03:00)."))

# key, label, Quartz template (filled with the time and day typed beside the preset)
PRESETS = (
    ("daily", N_("Daily at…"), "0 {minute} {hour} * * ?"),
    ("weekdays", N_("Weekdays at…"), "0 {minute} {hour} ? * MON-FRI"),
    ("monthly", N_("Monthly on day…"), "0 {minute} {hour} {day} * ?"),
)


def all_presets():
    """The presets with a time (and day) to fill in, then the fixed ones of ``timing.SCHEDULE_PRESETS``."""
    from ips_tui.job.timing import SCHEDULE_PRESETS

    return list(PRESETS) + [(f"fixed{i}", label, expr) for i, (label, expr) in enumerate(SCHEDULE_PRESETS)]


class TimeRow(FieldRow):
    def __init__(self, value: str) -> None:
        super().__init__("execTime", EXEC_TIME, value, label=_(EXEC_TIME.label))

    def label_text(self) -> str:
        return _(EXEC_TIME.label) + " *"

    def controls(self):
        yield FieldInput(value=self.value or "", compact=True, classes="control",
                         placeholder=_("e.g. 2026-12-24 02:00 -08:00"))



class ScheduleRow(FieldRow):
    DEFAULT_CSS = """
    ScheduleRow #use-quartz { width: auto; margin-left: 1; display: none; }
    """
    problems_view = ScheduleView

    def __init__(self, value: str) -> None:
        super().__init__("execSchedule", EXEC_SCHEDULE, value, label=_(EXEC_SCHEDULE.label))

    def label_text(self) -> str:
        return _(EXEC_SCHEDULE.label) + " *"

    def controls(self):
        yield FieldInput(value=self.value or "", compact=True, classes="control",
                         placeholder="0 30 6 ? * MON-FRI")
        # shown beside the box when a Unix cron was typed (its problem line names the Quartz form)
        yield Button(_("Use the Quartz form"), id="use-quartz", compact=True)


class TimingStep(Step):
    DEFAULT_CSS = """
    TimingStep #modes { height: auto; width: 40; }
    TimingStep .panel { height: auto; display: none; }
    TimingStep .panel.-shown { display: block; }
    TimingStep .buttons { height: auto; margin-left: 31; }
    TimingStep .buttons Button { margin-right: 1; }
    TimingStep #presets { height: auto; }
    TimingStep #presets .label { width: 30; padding-right: 1; }
    TimingStep #preset { width: 1fr; }
    TimingStep #preset-fill { height: auto; margin-left: 31; }
    TimingStep #preset-fill .fill-word { width: auto; margin-right: 1; }
    TimingStep #preset-time { width: 7; margin-right: 1; }
    TimingStep #preset-day { width: 4; margin-right: 1; }
    TimingStep #preset-apply { min-width: 7; width: auto; }
    TimingStep .out { height: auto; }
    """

    def compose(self) -> ComposeResult:
        f = self.wizard.form
        yield Title(_("When should it run?"))
        yield HoldingList(id="modes", compact=True)  # a choice moves to its field: keys typed with it wait
        with Vertical(id="panel-now", classes="panel"):
            yield Static(_("The job starts as soon as the service accepts it."), classes="note")
        with Vertical(id="panel-at", classes="panel"):
            yield TimeRow(f.exec_time)
            with Horizontal(classes="buttons"):
                yield Button(_("Use server zone"), id="zone-server", compact=True)
                yield Button(_("Use my zone"), id="zone-local", compact=True)
            yield Static(id="time-out", classes="out")
        with Vertical(id="panel-recurring", classes="panel"):
            with Horizontal(id="presets"):
                yield Static(_("Preset"), classes="label")
                yield Select([(_(label), key) for key, label, _t in all_presets()], id="preset", compact=True,
                             allow_blank=True, prompt=_("(choose)"))
            # what the chosen preset needs, each box with its word (a fixed preset needs neither)
            with Horizontal(id="preset-fill"):
                yield Static(_("at"), classes="fill-word", id="preset-time-word")
                yield Input("06:30", id="preset-time", compact=True, placeholder="HH:MM")
                yield Static(_("on day"), classes="fill-word", id="preset-day-word")
                yield Input("1", id="preset-day", compact=True, placeholder="1-31")
                yield Button(_("Apply"), id="preset-apply", compact=True)
            yield ScheduleRow(f.exec_schedule)

    def on_mount(self) -> None:
        self.show_preset_fill(None)
        self.load()
        self.watch(self.wizard, "timing", self.follow_timing, init=False)
        zones = tuple(z for z in (self.server_zone(), self.local_zone()) if z is not None)
        self.run_worker(partial(warm_schedule_words, zones, self.app.clock()), thread=True, group="warm",
                        exit_on_error=False)

    def load(self) -> None:
        f = self.wizard.form
        self.show_mode(f.timing)
        time_box = self.query_one(TimeRow).query_one(Input)
        if time_box.value != f.exec_time:
            time_box.value = f.exec_time
        sched_box = self.query_one(ScheduleRow).query_one(Input)
        if sched_box.value != f.exec_schedule:
            sched_box.value = f.exec_schedule
        self.show_time(f.exec_time)
        self.query_one(ScheduleView).reset_height()
        self.show_schedule(f.exec_schedule)

    def follow_timing(self, old: tuple[str, str, str], new: tuple[str, str, str]) -> None:
        """The wizard's timing changed (a key in a box, a preset): the explanation follows it at once."""
        if old[1] != new[1]:
            self.show_time(new[1])
        if old[2] != new[2]:
            self.show_schedule(new[2])

    def show_mode(self, timing: str) -> None:
        modes = self.query_one("#modes", OptionList)
        modes.clear_options()
        for key, label in MODES:
            modes.add_option(Option(("(•) " if timing == key else "( ) ") + _(label), id=key))
        modes.highlighted = [k for k, _l in MODES].index(timing)
        for key, _l in MODES:
            self.query_one(f"#panel-{key}").set_class(key == timing, "-shown")

    def entered(self) -> None:
        self.query_one("#modes", OptionList).focus()

    # -- zones ----------------------------------------------------------------------------
    def server(self):
        """The server's zone as the Start step and ``ips-tui jobs`` name it (:func:`zone_of_connection`):
        known, or unknown — never taken to be UTC."""
        from ips_tui.ips.server_zone import ServerZone, zone_of_connection

        c = self.wizard.connection
        return zone_of_connection(c) if c is not None else ServerZone(None, None, "unknown")

    def server_zone(self):
        """The server's tzinfo, None when unknown."""
        return self.server().tz

    def local_zone(self):
        return self.app.local_zone()

    def zones_line(self) -> Text:
        return Text(_("Server zone: {server} · your zone: {local}").format(
            server=self.server().label(self.app.clock()), local=zone_label(self.local_zone())), style="dim")

    # -- mode -----------------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id != "modes":
            return
        event.stop()
        with released_after(self.app, take_hold(event.option_list)):  # once the focus has moved
            self.post_message(TimingChosen(event.option.id))
            self.show_mode(event.option.id)
            if event.option.id == "at":
                self.query_one(TimeRow).query_one(Input).focus()
            elif event.option.id == "recurring":
                self.query_one(ScheduleRow).query_one(Input).focus()

    # -- at a time ------------------------------------------------------------------------
    def show_time(self, text: str) -> None:
        try:
            self._show_time(text)
        except Exception as error:  # never let a display detail end the session
            self.query_one("#time-out", Static).update(Text("✗ " + str(error)))

    def _show_time(self, text: str) -> None:
        from ips_tui.job import timing

        out = self.query_one("#time-out", Static)
        text = (text or "").strip()
        self.query_one("#zone-server", Button).disabled = self.server_zone() is None
        if not text:
            out.update(self.zones_line())
            return
        try:
            when = timing.parse_exec_time(text)
        except timing.ExecTimeError:
            out.update(self.zones_line())
            return
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        table.add_column()
        server = self.server_zone()
        if server is None:
            table.add_row(_("Server"), _("time zone unknown"))
        else:
            table.add_row(_("Server ({zone})").format(zone=zone_label(server)), format_when(when, server))
        table.add_row(_("You ({zone})").format(zone=zone_label(self.local_zone())),
                      format_when(when, self.local_zone()))
        table.add_row(_("Sent as"), when.isoformat())
        out.update(table)

    def add_zone(self, tz) -> None:
        text = self.query_one(TimeRow).query_one(Input).value.strip()
        try:
            naive = datetime.fromisoformat(text.replace(" ", "T", 1) if " " in text else text)
        except ValueError:
            self.app.notify(_("Type the date and time first, e.g. 2026-12-24 02:00."), severity="warning")
            return
        when = naive.replace(tzinfo=None).replace(tzinfo=tz)
        value = when.isoformat()
        box = self.query_one(TimeRow).query_one(Input)
        box.value = value
        box.focus()

    # -- recurring ------------------------------------------------------------------------
    def show_schedule(self, text: str) -> None:
        try:
            self._show_schedule(text)
        except Exception as error:  # never let a display detail end the session
            self.query_one(ScheduleView).explain(Text("✗ " + str(error)))

    def _show_schedule(self, text: str) -> None:
        from ips_tui.job import timing

        out = self.query_one(ScheduleView)
        button = self.query_one("#use-quartz", Button)
        text = " ".join((text or "").split())
        button.display = False
        check = timing.check_schedule(text) if text else None
        if check is None or not check.ok:
            if check is not None and check.suggestion:  # a Unix cron: its problem line names the Quartz form
                button.display = True
                self._suggestion = check.suggestion
            # empty or unfinished: the hint stays (what is wrong is in the problem line), so the explanation
            # changes only when the expression turns valid or invalid, not with the first key or each one after
            out.explain(Text(_("Pick a preset, or type an expression: seconds minutes hours day-of-month month "
                            "day-of-week [year]."), style="dim"), key=("hint", i18n.language()))
            return
        schedule = check.schedule
        try:
            meaning = schedule.describe(i18n.language())
        except Exception:
            meaning = ""
        server, local = self.server_zone(), self.local_zone()
        if server is None:  # a schedule is read in the server's zone: without it no run can be placed
            out.explain(lines(Text(_("Means: {meaning}").format(meaning=meaning)),
                           Text(_("Next runs: not shown, the server's time zone is unknown (set it in the "
                                  "profile, or give --timezone)."), style="dim")),
                     key=("no-zone", meaning, i18n.language()))
            return
        times = schedule.next_fire_times(5, self.app.clock(), server)
        heading = (_("Next runs"), _("server ({zone})").format(zone=zone_label(server)),
                   _("you ({zone})").format(zone=zone_label(local)))
        rows = [(f"{i}.", format_date_time(t, server), format_date_time(t, local)) for i, t in enumerate(times, 1)]
        if not times:
            rows.append(("", _("never fires after now"), ""))
        out.explain(lines(Text(_("Means: {meaning}").format(meaning=meaning)), runs_table(heading, rows, out)),
                 key=("ok", meaning, tuple(times), zone_label(server), zone_label(local), i18n.language()))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "preset":
            event.stop()
            self.show_preset_fill(event.value)

    def show_preset_fill(self, key) -> None:
        """Only the boxes the chosen preset fills in: a time for "Daily at…", a time and a day for "Monthly"."""
        template = next((t for k, _l, t in all_presets() if k == key), "{hour}")
        for name, shown in (("time", "{hour}" in template), ("day", "{day}" in template)):
            self.query_one(f"#preset-{name}-word").display = shown
            self.query_one(f"#preset-{name}").display = shown

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        bid = event.button.id
        if bid == "zone-server":
            if self.server_zone() is not None:
                self.add_zone(self.server_zone())
        elif bid == "zone-local":
            self.add_zone(self.local_zone())
        elif bid == "use-quartz":
            box = self.query_one(ScheduleRow).query_one(Input)
            box.value = getattr(self, "_suggestion", box.value)
            box.focus()
        elif bid == "preset-apply":
            self.apply_preset()

    def apply_preset(self) -> None:
        key = self.query_one("#preset", Select).value
        preset = next((p for p in all_presets() if p[0] == key), None)
        if preset is None:
            self.app.notify(_("Choose a preset first."), severity="warning")
            return
        at = self.query_one("#preset-time", Input).value.strip()
        day = self.query_one("#preset-day", Input).value.strip()
        if "{" not in preset[2]:
            box = self.query_one(ScheduleRow).query_one(Input)
            box.value = preset[2]
            box.focus()
            return
        try:
            hour, minute = (int(x) for x in at.split(":", 1))
            if not (0 <= hour <= 23 and 0 <= minute <= 59):
                raise ValueError
        except ValueError:
            self.app.notify(_("Type the time as HH:MM, e.g. 06:30."), severity="warning")
            return
        if preset[0] == "monthly" and not (day.isdigit() and 1 <= int(day) <= 31):
            self.app.notify(_("Type a day of the month from 1 to 31."), severity="warning")
            return
        expr = preset[2].format(hour=hour, minute=minute, day=day or "1") if "{" in preset[2] else preset[2]
        box = self.query_one(ScheduleRow).query_one(Input)
        box.value = expr
        box.focus()
