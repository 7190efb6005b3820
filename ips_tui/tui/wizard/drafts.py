"""The form saved as it is typed (``ips_tui.store.drafts``), offered back after a crash or a dropped SSH
session — in words that say what the journal knows of it — and never after a clean quit."""

from __future__ import annotations

from functools import cached_property

from ips_tui.i18n import _
from ips_tui.tui.form import FormState
from ips_tui.tui.turn_timer import TurnTimer

#: seconds of quiet after a change before the draft is written
DRAFT_DELAY = 0.4


class Drafts:
    """Mixin of the wizard screen (its message handlers go by name, ``on_…``: Textual's ``@on`` is only
    collected on message-pump classes) (needs ``form``, ``connection`` and ``resume``)."""

    @cached_property
    def _draft_timer(self) -> TurnTimer:
        return TurnTimer(self, DRAFT_DELAY, self.save_draft)

    def schedule_draft(self) -> None:
        if self.app.options.drafts:
            self._draft_timer.start()  # moved back by each key

    @property
    def draft_pending(self) -> bool:
        """Changes wait to be written to the draft."""
        return self._draft_timer.pending

    def save_draft(self) -> None:
        from ips_tui.store.drafts import save_draft

        self._draft_timer.cancel()
        if self.form.is_blank:
            return
        self.form.saved_at = self.app.clock().isoformat()
        try:
            save_draft(self.form.to_dict(), state_dir=self.app.options.state_dir)
        except OSError as error:
            self.app.report_error(error, _("Saving the draft"))

    def discard_draft(self) -> None:
        """The form was submitted, or the operator quit: nothing to offer back later."""
        from ips_tui.store.drafts import discard_draft

        self._draft_timer.cancel()  # (one waiting for its turn too: nothing is written after this)
        try:
            discard_draft(state_dir=self.app.options.state_dir)
        except OSError:
            pass

    def offer_draft(self) -> None:
        from ips_tui.store.drafts import discard_draft, orphaned_draft

        draft = orphaned_draft(state_dir=self.app.options.state_dir)
        if draft is None:
            return
        form = FormState.from_dict(draft.form)
        if form.is_blank:
            discard_draft(draft.path)
            return
        from ips_tui.tui.screens.modals import ConfirmScreen

        what = form.values.get("jobName") or form.job_type or _("an unnamed job")
        when = form.saved_at or ""
        try:
            from datetime import datetime

            from ips_tui.tui.text import format_when

            when = format_when(datetime.fromisoformat(when), self.app.local_zone())
        except (ValueError, TypeError):
            pass
        body = self._draft_words(form, what, when)

        def answer(resume: bool | None) -> None:
            if resume:
                self.resume(form)
            discard_draft(draft.path)
            if resume:
                self.save_draft()

        self.app.push_screen(ConfirmScreen(_("Resume your draft?"), body, _("Resume"), _("Discard")), answer)

    def _draft_words(self, form: FormState, what: str, when: str) -> str:
        """What the journal knows of the draft's request: sent (and found), maybe sent, or never sent."""
        entry = self._journal_entry_for(form)
        if entry is not None and entry.state in ("submitted", "reconciled") and entry.handle:
            return _("The form you were filling in when the session ended was submitted: {what} is on the "
                     "service as {handle} (submission #{id}). Resuming it makes a new draft; submitting that "
                     "creates a second job.").format(what=what, handle=entry.handle, id=entry.id)
        if entry is not None and entry.state in ("sent", "unknown", "pending"):
            return _("The form you were filling in when the session ended was being submitted: {what} "
                     "(submission #{id}) may be on the service; F3 shows the company's jobs.").format(
                what=what, id=entry.id)
        return _("A form you were filling in was not submitted (the session ended): {what}, saved {when}.").format(
            what=what, when=when)

    def _journal_entry_for(self, form: FormState):
        """The journal's newest entry for exactly this request on this account, if any (never raises)."""
        c = self.connection
        if c is None:
            return None
        try:
            from ips_tui.store.journal import open_journal, request_fingerprint
            from ips_tui.store.paths import journal_file

            if not journal_file(self.app.options.state_dir).exists():
                return None
            toml = form.request().to_toml()
            with open_journal(self.app.options.state_dir) as journal:
                return journal.latest_for(request_fingerprint(c.url, c.user, toml))
        except Exception:
            return None
