"""Plugins in the running app (Pilot): commands in the palette before activation, a plugin
that hangs while keys keep echoing, results shown (status items, decorations, pickers)."""

from __future__ import annotations

import os
import time

import pytest

from kiro_proto.core import Pos
from kiro_proto.ui import KiroApp
from kiro_proto.ui._plugins import PickScreen, overlay_spans

DATA = os.path.join(os.path.dirname(__file__), "data")
SIZE = (110, 30)


def test_overlay_spans_cuts_base_spans_and_stays_sorted():
    base = ((0, 3, "Keyword"), (4, 10, "Comment"))
    assert overlay_spans(base, ()) is base
    assert overlay_spans(base, ((6, 8, "Generic.Strong"),)) == (
        (0, 3, "Keyword"), (4, 6, "Comment"), (6, 8, "Generic.Strong"), (8, 10, "Comment"))
    # overlapping extras: the first wins; empty ones are dropped
    assert overlay_spans((), ((2, 5, "A"), (3, 6, "B"), (7, 7, "C"))) == ((2, 5, "A"),)


async def wait_until(pilot, predicate, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await pilot.pause(0.02)


@pytest.fixture
def plugin_env(monkeypatch, tmp_path):
    monkeypatch.setenv("KIRO_PLUGIN_PATH", DATA)
    monkeypatch.setenv("KIRO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("KIRO_PLUGIN_DEADLINE", "1")


async def test_a_hanging_plugin_never_stops_the_keys(plugin_env, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello\n")
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, app.plugins.discovered.is_set)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        # contributed commands are listed before any plugin runs
        assert {"Hang forever", "Word count", "Go to symbol", "Find TODO/FIXME"} <= titles
        assert "hang" not in app.plugins.active and "wordstats" not in app.plugins.active
        # The "startup" plugin activates by itself: let that finish first. (With a 1 s
        # deadline on a loaded machine, its activation queued behind hang.forever in the
        # one host process could time out first and get the blame and the restart.)
        await wait_until(pilot, lambda: "startup" in app.plugins.active
                         or "startup" in app.plugins.states)
        app.plugins.run("hang", "hang.forever")
        typed = []
        for ch in "abcdef":
            t0 = time.perf_counter()
            await pilot.press(ch)
            typed.append(time.perf_counter() - t0)
        assert app.current.state.document.line_text(0).startswith("abcdef")
        assert max(typed) < 0.5  # each key handled while the plugin hangs
        await wait_until(pilot, lambda: app.plugins.states.get("hang") == "unresponsive")
        status = app.query_one("#status").text
        assert "hang unresponsive" in status
        done = app.plugins.done[-1]
        assert done.error and "did not answer" in done.error
        await pilot.press("g")
        assert app.current.state.document.line_text(0).startswith("abcdefg")


async def test_plugin_results_reach_the_screen(plugin_env, tmp_path):
    path = tmp_path / "shapes.py"
    path.write_text("class Shape:\n    def area(self):\n        return 1  # TODO: units\n")
    app = KiroApp([str(path)], workspace=str(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, app.plugins.discovered.is_set)
        app.plugins.run("wordstats", "wordstats.count")
        await wait_until(pilot, lambda: any("words" in s for s in app.plugins.status.values()))
        assert "9 words, 3 lines" in app.query_one("#status").text
        # TODO finder: decorations over the note, a diagnostic, then a picker of notes
        app.plugins.run("todo", "todo.find")
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
        assert app.plugins._editor().decorations[2][0][:2] == (20, 24)  # over "TODO"
        assert "1 problem" in app.screen_stack[0].query_one("#status").text
        await pilot.press("escape")
        # go to symbol: pick the method
        app.plugins.run("outline", "outline.goto")
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
        assert app.screen.labels == ["class Shape  :1", "  function area  :2"]
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: app.current.state.cursor == Pos(1, 8))
        # the palette lists plugin commands from manifests, and the problems list works
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Complete word", "Problems", "Loaded modules"} <= titles
