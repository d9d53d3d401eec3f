"""Every test gets its own state directory: no test ever writes a recovery journal into the
real ``~/.local/state``."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def private_state_dir(tmp_path_factory, monkeypatch):
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("KIRO_STATE_DIR", str(state))
    # ... nor a persistent cache (index, session, spans) into the real ~/.cache.
    monkeypatch.setenv("KIRO_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    return state
