"""Following jobs after submitJob: sending through the journal, reconciling what was never answered,
a job's status by its name, the company's job lists and the job actions.

UI-free (no Textual, no Rich): the CLI and the TUI both call these. zeep is imported only through
:class:`~ips_tui.ips.client.IpsClient`, when a call is made.
"""
