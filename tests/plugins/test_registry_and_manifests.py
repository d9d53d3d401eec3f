"""The lazy module registry (costs, eager mode, what start-up leaves unloaded) and plugin
manifests (read without importing plugins, cached, broken ones reported)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kiro_proto import registry
from kiro_proto.plugin_host import ManifestProblem, discover, read_manifest

DATA = os.path.join(os.path.dirname(__file__), "data")


def test_registry_loads_once_and_records_cost():
    reg = registry.Registry()
    calls = []
    reg.register("thing", lambda: calls.append(1) or "value", kind="subsystem",
                 description="a thing")
    reg.register("json", "json")
    reg.register("missing", "no_such_module_here")
    assert not reg.is_loaded("thing")
    assert reg.load("thing") == "value" and reg.load("thing") == "value"
    assert calls == [1]
    assert reg.is_loaded("json")  # imported elsewhere already: loaded, no cost recorded
    with pytest.raises(ImportError):
        reg.load("missing")
    infos = {i.name: i for i in reg.statistics()}
    assert infos["thing"].seconds is not None and infos["thing"].loaded
    assert infos["missing"].error and not infos["missing"].loaded
    assert infos["json"].seconds is None
    table = registry.format_table(reg.statistics())
    assert table.splitlines()[0].split()[:4] == ["name", "kind", "loaded", "cost"]


PROBE = """
import asyncio, json, sys
from kiro_proto.ui import KiroApp
app = KiroApp([sys.argv[1]])
async def main():
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        print(json.dumps(sorted(sys.modules)))
asyncio.run(main())
"""

NOT_YET = ["kiro_proto.plugin_api", "kiro_proto.plugin_host._host", "kiro_proto.ui._quickopen",
           "kiro_proto.engine._syntax", "kiro_proto.engine.plugins._measure",
           "tree_sitter", "tree_sitter_python", "tree_sitter_rust"]


@pytest.mark.parametrize("lazy", [True, False])
def test_start_up_leaves_unneeded_modules_unloaded(tmp_path, lazy):
    path = tmp_path / "a.py"
    path.write_text("x = 1\n")
    env = dict(os.environ, KIRO_ABLATE="" if lazy else "lazy_registry",
               KIRO_PLUGIN_PATH="", KIRO_CACHE_DIR=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", PROBE, str(path)], env=env, check=True,
                         capture_output=True, text=True, timeout=60).stdout
    modules = set(json.loads(out.strip().splitlines()[-1]))
    assert "kiro_proto.ui" in modules and "pygments.lexers" in modules
    present = [m for m in NOT_YET if m in modules]
    if lazy:
        assert present == []
    else:  # the eager mode imports everything registered at start
        assert set(NOT_YET) - {"kiro_proto.plugin_api", "kiro_proto.plugin_host._host",
                               "kiro_proto.engine.plugins._measure"} <= set(present)


def test_cli_modules_lists_the_registry():
    out = subprocess.run([sys.executable, "-m", "kiro_proto", "--modules"], check=True,
                         capture_output=True, text=True, timeout=60).stdout
    table, _, note = out.partition("\n\n")  # the table, then which core build loaded
    rows = {line.split()[0]: line for line in table.splitlines()[1:]}
    assert {"engine", "grammar:Python", "plugins.service", "file_tree"} <= set(rows)
    assert " no " in rows["engine"]  # not loaded when the command started
    assert "core" in note


def test_bundled_manifests_are_read_without_importing_plugins(tmp_path, monkeypatch):
    monkeypatch.setenv("KIRO_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("KIRO_PLUGIN_PATH", DATA)
    before = set(sys.modules)
    found = discover()
    names = {m.name for m in found.manifests}
    assert {"wordstats", "todo", "outline", "complete", "hang", "onlang"} <= names
    assert not any("kiro_plugin" in m or m in {"wordstats", "todo"} for m in
                   set(sys.modules) - before)
    wordstats = next(m for m in found.manifests if m.name == "wordstats")
    assert wordstats.commands[0].title == "Word count"
    assert wordstats.activates_on("onCommand:wordstats.count")
    onlang = next(m for m in found.manifests if m.name == "onlang")
    assert onlang.activates_on("onLanguage:Python") and not onlang.activates_on("onSave")
    # the second discovery reads the cache: the same manifests
    again = discover()
    assert again.manifests == found.manifests
    assert os.path.exists(tmp_path / "manifests.json")


def test_broken_manifests_are_reported_not_raised(tmp_path, monkeypatch):
    monkeypatch.setenv("KIRO_CACHE_DIR", str(tmp_path / "cache"))
    for name, text in {"bad": "name = [", "noentry": 'name = "x"\nversion = "1"\n',
                       "badevent": 'name = "y"\nentry = "y"\nactivation = ["onTuesday"]\n'}.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "plugin.toml").write_text(text)
    monkeypatch.setenv("KIRO_PLUGIN_PATH", str(tmp_path))
    found = discover(entry_points=False)
    assert len(found.problems) == 3
    with pytest.raises(ManifestProblem, match="onTuesday"):
        read_manifest(str(tmp_path / "badevent"))
