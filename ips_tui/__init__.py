"""ips-tui: build, submit and follow Adobe Scene7 IPS jobs from the terminal."""

__version__ = "0.1.0"
APP_NAME = "ips-tui"
