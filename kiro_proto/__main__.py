"""``python -m kiro_proto`` is the ``kiro-proto`` command."""

from .cli import main

raise SystemExit(main())
