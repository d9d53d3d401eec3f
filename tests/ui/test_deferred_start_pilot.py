"""The ``deferred_start`` switch: by default the engine and plugin discovery start after the
first paint; switched off they start during mount, before it. Either way the editor works
and its tree-sitter highlights are the same."""

from __future__ import annotations

import pytest

from kiro_proto import switches
from kiro_proto.benchmark._frames import FrameProbe
from kiro_proto.ui import KiroApp

from .test_highlight_pilot import SOURCE, wait_until


async def _run(path: str, spec: str, monkeypatch) -> tuple[int, bool, list]:
    """Frames painted when the engine started, whether the manifests had been read by the
    first frame, and the tree-sitter spans of the first rows after an edit."""
    saved = switches.SWITCHES
    switches.configure(switches.Switches.from_spec(spec))
    try:
        app = KiroApp([path], syntax_mode="sliced")
        seen: dict[str, object] = {}
        start_engine = KiroApp._start_engine

        def recording_start(self) -> None:
            seen["frames"] = len(probe.frames)
            start_engine(self)

        monkeypatch.setattr(KiroApp, "_start_engine", recording_start)
        with FrameProbe(app) as probe:
            async with app.run_test(size=(100, 30)) as pilot:
                first = await probe.wait_for(lambda f: True, timeout=10)
                assert first is not None
                seen["discovered_by_first_frame"] = app.plugins.discovered.is_set()
                hl = app.current.highlights
                await wait_until(pilot, lambda: any(t == "Comment" for *_, t in hl.spans(4)))
                await pilot.press("down", "down", "down", "end", "#")
                await wait_until(pilot, lambda: hl.revision == app.current.state.document.revision)
                spans = [hl.spans(row) for row in range(12)]
    finally:
        switches.configure(saved)
    return seen["frames"], seen["discovered_by_first_frame"], spans


@pytest.mark.parametrize("spec", ["", "deferred_start"])
async def test_engine_starts_on_the_side_of_the_first_paint_the_switch_says(
        tmp_path, monkeypatch, spec):
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    frames, discovered, spans = await _run(str(path), spec, monkeypatch)
    if spec:  # switched off: started during mount, manifests read before the first frame
        assert frames == 0
        assert discovered
    else:
        assert frames >= 1
    assert any(t == "Comment" for *_, t in spans[3]), "highlighting arrived after the edit"


async def test_deferred_and_eager_start_give_the_same_highlights(tmp_path, monkeypatch):
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    _, _, deferred = await _run(str(path), "", monkeypatch)
    _, _, eager = await _run(str(path), "deferred_start", monkeypatch)
    assert deferred == eager
