"""The screens the wizard opens (profiles, jobs, history, following a job) and what comes back from them: a
profile to use, a past submission re-opened as a new draft."""

from __future__ import annotations

from ips_tui.i18n import _
from ips_tui.tui.form import FormState
from ips_tui.tui.wizard.flow import STEPS


class OtherScreens:
    """Mixin of the wizard screen (needs ``form``, ``connection``, ``submit_state``, ``result``, ``reached``,
    ``goto``, ``resume``, ``load_profiles``, ``need_password``)."""

    # -- after a submit -------------------------------------------------------------------
    def follow_job(self) -> None:
        from ips_tui.tui.screens.follow import FollowScreen

        result = self.result
        if result and self.connection is not None:
            self.app.push_screen(FollowScreen(self.connection, self.form.company, result["handle"],
                                              result["job_name"], since=result.get("since"),
                                              timed=bool(result.get("timed"))))

    # -- other screens ----------------------------------------------------------------------
    def action_profiles(self) -> None:
        """The profile manager; the profile it hands back (u) becomes the wizard's."""
        from ips_tui.store.profiles import ProfileStore
        from ips_tui.tui.screens.profiles import ProfilesScreen

        o = self.app.options

        def closed(name: str | None) -> None:
            if name:
                self.wanted_profile = name
            if not (o.sandbox or o.connection is not None or o.url or o.user):
                self.load_profiles()

        self.app.push_screen(ProfilesScreen(store=ProfileStore(o.config_dir), env=o.env, state_dir=o.state_dir,
                                            timeout=o.timeout), closed)

    def action_jobs(self) -> None:
        """The jobs screen for the chosen company."""
        from ips_tui.tui.screens.jobs import JobsScreen

        if self.connection is None:
            self.notify(_("Choose a profile first."), severity="warning")
            return
        if not self.form.company.strip():
            self.notify(_("Choose a company first: the jobs screen shows one company's jobs."), severity="warning")
            return
        if not self.need_password(self.action_jobs):
            return
        result = self.result
        self.app.push_screen(JobsScreen(self.connection, self.form.company.strip(),
                                        focus_name=result["job_name"] if result else None))

    def action_history(self) -> None:
        """The submission journal; an entry re-opened there comes back here as a new draft."""
        from ips_tui.tui.screens.history import HistoryScreen

        def closed(result) -> None:
            if result and result[0] == "draft":
                self.reopen(result[1], *result[2:])

        self.app.push_screen(HistoryScreen(self.connection, self.app.options.state_dir), closed)

    def reopen(self, entry, company: tuple[str, str] | None = None) -> None:
        """A past submission as a new draft: the form filled from its job file, on the Review step; with
        ``company`` (name, handle) for that company, named for it (ips_tui.tui.screens.history)."""
        if self.submit_state.sending:
            self.notify(_("Wait for the submission to finish first."), severity="warning")
            return
        data = entry.job_request().data
        if company is not None:
            from ips_tui.tui.screens.history import for_another_company

            data = for_another_company(data, company, self.connection)
        form = FormState.from_request(data, profile=self.form.profile)
        if not form.values.get("locale") and self.form.values.get("locale"):
            form.values["locale"] = self.form.values["locale"]
        self.submit_state = self.submit_state.fresh()
        self.resume(form, notice=_("Submission #{id} re-opened as a new draft: check it, then F5 submits it "
                                   "again.").format(id=entry.id))
        self.reached = {k for k, _t in STEPS}
        self.goto("review")
