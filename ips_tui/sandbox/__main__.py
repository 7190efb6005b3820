"""``python -m ips_tui.sandbox [--host H] [--port P] [--tls] [--allow-remote] [--speed X]``"""

from __future__ import annotations

import argparse
import sys

from ips_tui.i18n import _
from ips_tui.sandbox.server import run_standalone


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ips_tui.sandbox",
                                     description=_("Run the local IPS sandbox until interrupted."))
    parser.add_argument("--host", default="127.0.0.1", help=_("address to listen on (loopback by default)"))
    parser.add_argument("--port", type=int, default=0, help=_("port (0: any free port)"))
    parser.add_argument("--tls", action="store_true", help=_("serve HTTPS with a throw-away CA"))
    parser.add_argument("--allow-remote", action="store_true",
                        help=_("allow a non-loopback address (the demo passwords are public)"))
    parser.add_argument("--speed", type=float, default=1.0, help=_("sandbox clock speed factor"))
    args = parser.parse_args(argv)
    return run_standalone(args.host, args.port, args.tls, args.allow_remote, speed=args.speed)


if __name__ == "__main__":
    sys.exit(main())
