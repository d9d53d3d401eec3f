"""Layering guard: each layer, imported in a fresh interpreter, pulls in nothing above it
(core <- engine <- ui), in the manner of trio's test_exports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import importlib, json, sys
before = set(sys.modules)
importlib.import_module({module!r})
print(json.dumps(sorted(set(sys.modules) - before)))
"""

FORBIDDEN = {
    "kiro_proto": {"textual", "trio", "msgpack", "kiro_proto.core", "kiro_proto.engine",
                   "kiro_proto.ui", "tree_sitter", "pygments", "rich"},
    "kiro_proto.core": {"textual", "trio", "msgpack", "rich", "kiro_proto.engine",
                        "kiro_proto.ui"},
    "kiro_proto.engine": {"textual", "rich", "kiro_proto.ui"},
    "kiro_proto.cli": {"textual", "trio", "rich", "kiro_proto.ui"},
    # The UI's import must not pay for the engine's: trio, tree-sitter and the workers
    # start after the first paint.
    "kiro_proto.ui": {"trio", "tree_sitter", "kiro_proto.engine._bus",
                      "kiro_proto.engine._process"},
    # Plugins import only the API; it and the manifest reader stay standard library only.
    "kiro_proto.plugin_api": {"textual", "trio", "msgpack", "rich", "kiro_proto.ui",
                              "kiro_proto.engine", "kiro_proto.core"},
    "kiro_proto.plugin_host._manifest": {"textual", "trio", "msgpack", "rich", "kiro_proto.ui"},
    "kiro_proto.registry": {"textual", "trio", "msgpack", "rich", "kiro_proto.ui",
                            "tree_sitter", "pygments"},
}


def imported_by(module: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", PROBE.format(module=module)],
                         capture_output=True, text=True, check=True).stdout
    return set(json.loads(out))


@pytest.mark.parametrize("module", sorted(FORBIDDEN))
def test_layer_imports_nothing_above_it(module: str) -> None:
    loaded = imported_by(module)
    tops = {name.split(".")[0] for name in loaded} | loaded
    assert not (tops & FORBIDDEN[module]), f"{module} pulled in {sorted(tops & FORBIDDEN[module])}"


def test_ui_layer_does_load_textual() -> None:
    # The probe itself must be able to see an import: the UI layer does load textual.
    assert "textual" in {name.split(".")[0] for name in imported_by("kiro_proto.ui")}
