"""The editor tells the engine's background walk when the user is at work: keys, pastes,
clicks and wheel steps reach the InputGate the engine was given (engine/_pacing.py); mouse
moves do not."""

from __future__ import annotations

from textual import events

from kiro_proto.engine import InputGate
from kiro_proto.ui import KiroApp

from .test_workspace_pilot import wait_for, workspace  # noqa: F401 (fixture)


async def test_keys_and_clicks_touch_the_engines_gate_and_mouse_moves_do_not(workspace):  # noqa: F811
    app = KiroApp([str(workspace / "README.md")], workspace=str(workspace))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: app.bridge is not None and app.bridge.engine is not None)
        gate = app.input_gate
        assert app.bridge.engine.input_gate is gate
        assert app.bridge.engine.workspace.gate is gate
        before = gate.inputs
        await pilot.press("x", "y", "backspace")
        assert gate.inputs == before + 3
        assert gate.clock() - gate.last_input < 5.0
        # Pilot hands mouse events to the screen itself; the terminal driver posts them to
        # the app, which is where the editor notes them: post them the driver's way.
        def mouse(kind, x, y, button=0):
            return kind(None, x, y, 0, 0, button, False, False, False, screen_x=x, screen_y=y)

        app.post_message(mouse(events.MouseMove, 5, 2))
        app.post_message(mouse(events.MouseMove, 9, 4))
        await pilot.pause()
        assert gate.inputs == before + 3
        app.post_message(mouse(events.MouseDown, 5, 2, 1))
        app.post_message(mouse(events.MouseUp, 5, 2, 1))
        app.post_message(mouse(events.MouseScrollDown, 5, 2))
        await pilot.pause()
        assert gate.inputs == before + 5  # the press and the wheel step; not the release
        await wait_for(pilot, lambda: app.bridge.statistics().input_gate.steps >= 1)

        # Quick open's keys are a query for the walk's results: the walk does not wait.
        assert not gate.urgent
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: app.workspace_ui.quick_open_screen is not None)
        assert gate.urgent
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.workspace_ui.quick_open_screen is None)
        assert not gate.urgent


async def test_the_engine_starts_after_the_keys_typed_at_the_first_frame(workspace):  # noqa: F811
    """Starting the engine holds the UI for about 100 ms: when a key has just come, the
    start waits until ENGINE_START_GAP after it (at most ENGINE_START_MAX_WAIT)."""
    from kiro_proto.ui import _app

    app = KiroApp([str(workspace / "README.md")], workspace=str(workspace))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: app.bridge is not None)
        # Replay Ready with a key that came just now (the real engine is put back after,
        # so that the app stops it on exit).
        engine_bridge, app.bridge = app.bridge, None
        started = []
        app._start_engine = lambda: started.append(app.input_gate.clock())
        app.on_ready()
        app.input_gate.touch()  # a key that was queued behind Ready
        key_at = app.input_gate.last_input
        assert started == []
        await wait_for(pilot, lambda: bool(started))
        assert started[0] - key_at >= _app.ENGINE_START_GAP

        # Keys that never pause: it starts anyway, ENGINE_START_MAX_WAIT after Ready.
        class KeysNeverPause(InputGate):
            last_input = property(lambda self: self.clock() - 0.001, lambda self, v: None)

        started.clear()
        app.input_gate = KeysNeverPause()
        ready_at = app.input_gate.clock()
        app.on_ready()
        await wait_for(pilot, lambda: bool(started), timeout=_app.ENGINE_START_MAX_WAIT + 5)
        assert started[0] - ready_at >= _app.ENGINE_START_MAX_WAIT
        app.bridge = engine_bridge
