"""The performance panel (F12): hidden by default and measuring nothing then; shown, it
measures key-to-frame latency and frame times, reads the engine's workers, bus and caches,
and typing still lands in the document while it updates."""

from __future__ import annotations

from kiro_proto.ui import KiroApp
from kiro_proto.ui._hud import FrameMeter, PerfPanel, percentile

from .test_highlight_pilot import SOURCE, wait_until


def test_percentile_is_nearest_rank() -> None:
    samples = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert percentile(samples, 50) == 3.0
    assert percentile(samples, 95) == 5.0
    assert percentile(samples, 0) == 1.0


async def test_panel_measures_keys_and_frames_while_typing(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    app = KiroApp([str(path)], syntax_mode="process")
    async with app.run_test(size=(120, 40)) as pilot:
        panel = app.main_query(PerfPanel)
        screen = app.screen_stack[0]
        assert not panel.visible_now and panel.meter is None
        assert "_compositor_refresh" not in vars(screen)  # nothing wrapped while hidden
        await wait_until(pilot, lambda: app.parse_log)  # the engine has parsed the file

        await pilot.press("f12")
        assert panel.visible_now and panel.region.width == 38
        assert "_compositor_refresh" in vars(screen)
        editor_width = app.editor.region.width
        await pilot.press("end", *"abc")
        assert app.current.state.document.line_text(0).endswith("abc")
        meter = panel.meter
        assert isinstance(meter, FrameMeter)
        await wait_until(pilot, lambda: len(meter.keys) >= 3 and meter.frames)
        assert all(0 < k < 5 for k in meter.keys)  # seconds, key event -> frame
        before = panel.updates
        await wait_until(pilot, lambda: panel.updates > before)  # the timer recomputes it
        text = panel.render().plain
        assert "keystroke -> frame" in text and "p95" in text
        assert "workers (process parse)" in text and "syntax" in text
        assert "rendered rows" in text  # a cache hit rate
        assert "registry" in text and "MiB" in text
        assert app.editor.region.width == editor_width  # updates did not relayout

        await pilot.press("f12")
        assert not panel.visible_now
        assert "_compositor_refresh" not in vars(screen)  # the class's method again
        assert app.editor.key_observer is None
        await pilot.press("x")
        await pilot.pause(0.6)
        updates = panel.updates
        await pilot.pause(0.6)
        assert panel.updates == updates  # hidden: the timer is stopped
        assert app.current.state.document.line_text(0).endswith("abcx")
