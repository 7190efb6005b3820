import sys

from ips_tui.cli import main

sys.exit(main())
