"""Where the engine keeps its state: ``$KIRO_STATE_DIR`` if set (tests, benchmarks), else
the XDG state directory (``~/.local/state/kiro-proto``)."""

from __future__ import annotations

import os

__all__ = ["state_directory"]


def state_directory() -> str:
    base = os.environ.get("KIRO_STATE_DIR")
    if not base:
        import platformdirs

        base = platformdirs.user_state_dir("kiro-proto")
    return base
