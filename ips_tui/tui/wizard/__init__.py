"""The wizard: Start → Job type → Fields → Details → Timing → Review, on one explicit state.

``screen`` owns two values — the form (:class:`~ips_tui.tui.form.FormState`, with the whole-request check
as a :class:`~ips_tui.tui.wizard.state.Report`) and the :class:`~ips_tui.tui.wizard.state.SubmitState` —
and the views follow them (Textual's ``reactive``/``watch``); rows and steps tell it what changed with
messages. ``flow`` is the step list (no step imports the screen), ``host`` the one place steps are mounted,
``submitting`` the guards before a submission, ``connecting`` the sandbox, profiles, companies and the
password, ``drafts`` the form saved as it is typed. The package's import is empty on purpose: the app
imports ``screen``, the steps import ``flow`` and ``steps.base``.
"""
