"""``python -m kiro_proto.plugin_host``: the plugin host process (see ``_host.py``)."""

from ._host import main

raise SystemExit(main())
