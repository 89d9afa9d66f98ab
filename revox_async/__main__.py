"""``python -m revox_async``: the command line."""

from ._cli.main import main

raise SystemExit(main())
